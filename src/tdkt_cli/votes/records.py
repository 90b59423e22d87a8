"""A vote as recorded: reading it back, its count under its own rule, what it elected.

The count is `tally.count` (pure); this module feeds it the vote's ballots and candidates.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from ..blocs import profiles
from ..core.errors import InvalidInput, NotFound
from ..core.models import Bloc, Vote
from ..units import service as unit_service
from .ballots import totals, votes_per_unit
from .tally import Candidate, Result, Rule, count, parse_fraction


def get(conn: sqlite3.Connection, vote_id: int | str) -> Vote:
    try:
        vid = int(vote_id)
    except (TypeError, ValueError):
        raise InvalidInput(f"Mã cuộc bỏ phiếu «{vote_id}» phải là một số.") from None
    row = conn.execute(f"{_VOTE_ROWS} WHERE v.id = ?", (vid,)).fetchone()
    if row is None:
        raise NotFound(f"Không có cuộc bỏ phiếu mã số {vid}.")
    return _vote(conn, row)


_VOTE_ROWS = "SELECT v.*, b.code FROM vote v JOIN bloc b ON b.id = v.bloc_id"


def _vote(conn: sqlite3.Connection, row: sqlite3.Row) -> Vote:
    vid = row["id"]
    candidates = tuple(  # today's names (name_on(…, None)), read with the candidates
        (r[0], r[1] if r[1] is not None else unit_service.name_on(conn, r[0], None)[0])
        for r in conn.execute(
            "SELECT c.unit_id, u.name FROM vote_candidate c LEFT JOIN unit u ON u.id = c.unit_id "
            "WHERE c.vote_id = ? ORDER BY c.position",
            (vid,),
        )
    )
    return Vote(
        id=vid,
        bloc=row["code"],
        bloc_id=row["bloc_id"],
        year=row["year"],
        award=row["award"],
        seats=row["seats"],
        meeting=row["meeting_id"],
        members=row["members"],
        present=row["present"],
        base=row["base"],
        threshold=row["threshold"],
        strict=bool(row["strict"]),
        quorum=row["quorum"],
        round=row["round"],
        round_of=row["round_of"],
        mode=row["mode"],
        closed=bool(row["closed"]),
        decided_by=row["decided_by"],
        decision_note=row["decision_note"],
        candidates=candidates,
        committee=tuple(row["committee"].split("\n")) if row["committee"] else (),
        closed_at=row["closed_at"],
        over_quota=row["over_quota"],
    )


def award_name(conn: sqlite3.Connection, vote: Vote) -> str:
    """The printed name of the vote's award, from the bloc's catalogue."""
    return profiles.for_year(conn, vote.bloc_id, vote.year).award_name(vote.award)


def rule_of(vote: Vote) -> Rule:
    return Rule(
        base=vote.base,
        threshold=parse_fraction(vote.threshold),
        strict=vote.strict,
        quorum=parse_fraction(vote.quorum),
    )


def tally(conn: sqlite3.Connection, vote: Vote, day: dt.date | None = None) -> Result:
    """Count the vote; units are named as on `day` (today's names when None)."""
    per = votes_per_unit(conn, vote)
    candidates = [
        Candidate(uid, unit_service.name_on(conn, uid, day)[0] if day else name, per.get(uid, 0))
        for uid, name in vote.candidates
    ]
    return count(
        vote.seats, vote.members, vote.present, totals(conn, vote), candidates, rule_of(vote)
    )


def elected_ids(conn: sqlite3.Connection, vote_id: int) -> list[int]:
    """Units this vote elected: frozen at close, else as counted now, plus any decision."""
    vote = get(conn, vote_id)
    if vote.closed or vote.decided_by:
        return decided_ids(conn, vote)
    return [line.id for line in tally(conn, vote).elected]


def decided_names(conn: sqlite3.Connection, vote: Vote, result: Result) -> list[str]:
    """Tied units that the bloc's rule picked after the last round."""
    tied = {line.id: line.name for line in result.tied}
    return [tied[u] for u in decided_ids(conn, vote) if u in tied]


def decided_ids(conn: sqlite3.Connection, vote: Vote) -> list[int]:
    return [
        r[0] for r in conn.execute("SELECT unit_id FROM vote_elected WHERE vote_id = ?", (vote.id,))
    ]


def list_votes(conn: sqlite3.Connection, bloc: Bloc | None, year: int | None) -> list[Vote]:
    sql, params = f"{_VOTE_ROWS} WHERE 1 = 1", []
    if bloc is not None:
        sql += " AND v.bloc_id = ?"
        params.append(bloc.id)
    if year is not None:
        sql += " AND v.year = ?"
        params.append(year)
    return [_vote(conn, r) for r in conn.execute(sql + " ORDER BY v.id", params).fetchall()]
