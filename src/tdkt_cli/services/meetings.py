"""Meetings: mid-year and year-end reviews, briefings. Who was present is stored; who was
absent is derived from the year's members, so it can never disagree with them."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence

from ..errors import InvalidInput, NotFound, RuleBroken
from ..models import MEETING_KINDS, Bloc, Meeting, Unit
from ..text import clean, parse_date
from . import blocs as bloc_service
from . import units as unit_service


def default_year(kind: str, day: dt.date) -> int:
    """A year-end review held in the first quarter reviews the year before (seed 001: 08/01/2020)."""
    if kind == "tong-ket" and day.month <= 3:
        return day.year - 1
    return day.year


def log(
    conn: sqlite3.Connection,
    bloc: Bloc,
    date: str | dt.date,
    kind: str,
    *,
    year: int | None = None,
    title: str | None = None,
    place: str | None = None,
    chair: str | None = None,
    secretary: str | None = None,
    present: Sequence[Unit] | None = None,
    guests: Sequence[str] = (),
    note: str | None = None,
) -> Meeting:
    """Record a meeting; without `present`, every member of the year counts as present."""
    if kind not in MEETING_KINDS:
        raise InvalidInput(
            f"Loại hội nghị «{kind}» không có; chọn một trong: {', '.join(MEETING_KINDS)}."
        )
    day = parse_date(date)
    year = year if year is not None else default_year(kind, day)
    all_members = bloc_service.member_ids(conn, bloc.id, year)
    if not all_members:
        raise RuleBroken(
            f"Khối {bloc.code} chưa có thành viên năm {year}; hãy thêm thành viên trước."
        )
    # a unit merged or dissolved by the meeting's day is no longer there
    members = bloc_service.member_ids_on(conn, bloc.id, year, day)
    if present is None:
        present_ids = members
    else:
        for u in present:
            if u.id not in all_members:
                raise RuleBroken(f"«{u.name}» không phải thành viên khối {bloc.code} năm {year}.")
            unit_service.require_alive(u, day, "dự hội nghị")
        present_ids = [u.id for u in present]
    guest_names = [clean(g, field="khách mời") for g in guests if clean(g)]
    cur = conn.execute(
        "INSERT INTO meeting (bloc_id, year, date, kind, title, place, chair, secretary, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            bloc.id,
            year,
            day.isoformat(),
            kind,
            _opt(title, "tiêu đề"),
            _opt(place, "địa điểm"),
            _opt(chair, "chủ trì"),
            _opt(secretary, "thư ký"),
            clean(note, field="ghi chú", multiline=True) or None if note else None,
        ),
    )
    meeting_id = cur.lastrowid
    conn.executemany(
        "INSERT INTO meeting_present (meeting_id, unit_id) VALUES (?, ?)",
        [(meeting_id, uid) for uid in present_ids],
    )
    conn.executemany(
        "INSERT INTO meeting_guest (meeting_id, position, name) VALUES (?, ?, ?)",
        [(meeting_id, i, g) for i, g in enumerate(guest_names, 1)],
    )
    return get(conn, meeting_id)


def _opt(value: str | None, field: str) -> str | None:
    return clean(value, field=field) or None if value is not None else None


def get(conn: sqlite3.Connection, meeting_id: int | str) -> Meeting:
    try:
        mid = int(meeting_id)
    except (TypeError, ValueError):
        raise InvalidInput(f"Mã hội nghị «{meeting_id}» phải là một số.") from None
    row = conn.execute(
        "SELECT m.*, b.code FROM meeting m JOIN bloc b ON b.id = m.bloc_id WHERE m.id = ?", (mid,)
    ).fetchone()
    if row is None:
        raise NotFound(f"Không có hội nghị mã số {mid}.")
    day = dt.date.fromisoformat(row["date"])
    present_ids = {
        r[0]
        for r in conn.execute("SELECT unit_id FROM meeting_present WHERE meeting_id = ?", (mid,))
    }
    members = bloc_service.member_ids_on(conn, row["bloc_id"], row["year"], day)
    # members first in the bloc's order, then any present unit that has since left the bloc
    ordered = members + sorted(present_ids - set(members))
    present = tuple(unit_service.name_on(conn, u, day)[0] for u in ordered if u in present_ids)
    absent = tuple(unit_service.name_on(conn, u, day)[0] for u in members if u not in present_ids)
    guests = tuple(
        r[0]
        for r in conn.execute(
            "SELECT name FROM meeting_guest WHERE meeting_id = ? ORDER BY position", (mid,)
        )
    )
    return Meeting(
        id=mid,
        bloc=row["code"],
        year=row["year"],
        date=day,
        kind=row["kind"],
        title=row["title"],
        place=row["place"],
        chair=row["chair"],
        secretary=row["secretary"],
        note=row["note"],
        present=present,
        absent=absent,
        guests=guests,
    )


def present_ids(conn: sqlite3.Connection, meeting_id: int) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT unit_id FROM meeting_present WHERE meeting_id = ?", (meeting_id,)
        )
    ]


def list_meetings(
    conn: sqlite3.Connection, bloc: Bloc | None = None, year: int | None = None
) -> list[Meeting]:
    sql = "SELECT id FROM meeting WHERE 1 = 1"
    params: list = []
    if bloc is not None:
        sql += " AND bloc_id = ?"
        params.append(bloc.id)
    if year is not None:
        sql += " AND year = ?"
        params.append(year)
    sql += " ORDER BY date, id"
    return [get(conn, r[0]) for r in conn.execute(sql, params)]
