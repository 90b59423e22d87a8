"""The provincial emulation office's view of every bloc in the file for a year."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from ..blocs import profiles
from ..blocs import service as bloc_service
from ..core.models import MEETING_KINDS
from ..scores import service as score_service
from ..text import parse_date
from ..units import service as unit_service
from ..votes import records as vote_records


def overview(conn: sqlite3.Connection, year: int, deadline: str | None = None) -> dict[str, Any]:
    """Each bloc's picture for `year`, units in no bloc or in two, blocs late with the year-end meeting."""
    due = parse_date(deadline) if deadline else None
    rows = []
    for current in bloc_service.list_blocs(conn):
        # the bloc as it was in that year (its name, parent body and place on the year's last day)
        bloc = bloc_service.on(conn, current, dt.date(year, 12, 31))
        members = bloc_service.member_ids(conn, bloc.id, year)
        if not members:
            continue
        head, deputy = bloc_service.head_ids(conn, bloc.id, year)
        kinds = dict.fromkeys(MEETING_KINDS, 0)
        year_end = None
        for kind, date, additional in conn.execute(
            "SELECT kind, date, additional FROM meeting WHERE bloc_id = ? AND year = ? "
            "ORDER BY date",
            (bloc.id, year),
        ):
            kinds[kind] += 1
            if kind == "tong-ket" and not additional and year_end is None:
                year_end = date
        cov = conn.execute(
            "SELECT date FROM covenant WHERE bloc_id = ? AND year = ?", (bloc.id, year)
        ).fetchone()
        votes = [
            {
                "id": v.id,
                "award": v.award,
                "round": v.round,
                "status": vote_records.tally(conn, v).status,
                "closed": v.closed,
            }
            for v in vote_records.list_votes(conn, bloc, year)
        ]
        if year_end is None:  # the votes' meeting is the year-end meeting, whatever its kind says
            held = conn.execute(
                "SELECT m.date, m.kind FROM vote v JOIN meeting m ON m.id = v.meeting_id "
                "WHERE v.bloc_id = ? AND v.year = ? ORDER BY m.date LIMIT 1",
                (bloc.id, year),
            ).fetchone()
            if held:
                year_end = held[0]
                kinds[held[1]] -= 1
                kinds["tong-ket"] += 1
        proposed = [
            {
                "unit": unit_service.name_on(conn, r[0], None)[0],
                "award": r[1],
                "status": r[2],
                "decision": r[3],
            }
            for r in conn.execute(
                "SELECT p.unit_id, p.award, p.status, d.number FROM proposal p LEFT JOIN decision d "
                "ON d.proposal_id = p.id WHERE p.bloc_id = ? AND p.year = ? ORDER BY p.id",
                (bloc.id, year),
            )
        ]
        gaps = score_service.gap_counts(conn, bloc, year, members)
        scoring = (
            None
            if gaps is None
            else {"self_missing": gaps[0], "verified_missing": gaps[1], "locked": gaps[2]}
        )
        late = due is not None and (year_end is None or dt.date.fromisoformat(year_end) > due)
        rows.append(
            {
                "code": bloc.code,
                "name": bloc.name,
                "kind": profiles.for_year(conn, bloc, year).kind,
                "head": unit_service.name_on(conn, head, None)[0] if head else None,
                "deputy": unit_service.name_on(conn, deputy, None)[0] if deputy else None,
                "members": len(members),
                "meetings": kinds,
                "year_end_meeting": year_end,
                "covenant": cov[0] if cov else None,
                "votes": votes,
                "proposals": proposed,
                "scores": scoring,
                "late": late,
                "parent": bloc.parent,
                "place": bloc.place,
                "ended": bloc_service.ended_during(conn, bloc.id, year),
            }
        )
    counts: dict[int, list[str]] = {}
    for uid, code in conn.execute(
        "SELECT m.unit_id, b.code FROM membership m JOIN bloc b ON b.id = m.bloc_id WHERE m.year = ? ORDER BY b.code",
        (year,),
    ):
        counts.setdefault(uid, []).append(code)
    in_none = [
        unit_service.name_on(conn, uid, None)[0]
        for uid in unit_service.ids_alive_in_year(conn, year)
        if uid not in counts
    ]
    in_two = [
        {"unit": unit_service.name_on(conn, uid, None)[0], "blocs": codes}
        for uid, codes in counts.items()
        if len(codes) > 1
    ]
    return {
        "year": year,
        "deadline": due.isoformat() if due else None,
        "blocs": rows,
        "units_in_no_bloc": in_none,
        "units_in_two_blocs": in_two,
        "late": [r["code"] for r in rows if r["late"]],
    }
