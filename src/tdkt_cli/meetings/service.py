"""Meetings: mid-year and year-end reviews, briefings. Who was present is stored; who was
absent is derived from the year's members, so it can never disagree with them."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Sequence

from ..blocs import service as bloc_service
from ..core.errors import InvalidInput, NotFound, RuleBroken
from ..core.models import Bloc, Meeting, Unit
from ..core.patterns import lazy
from ..text import clean, parse_date
from ..text.words import meeting_kind
from ..units import service as unit_service

# «Họ tên - Chức vụ» or «Họ tên, Chức vụ»: the first separator after the name
_PERSON_SEP = lazy(r"\s+[-–]\s+|,\s+")


def person(text: str | None) -> tuple[str, str]:
    """ "Nguyễn Văn An - Giám đốc Sở Y tế" (or "Nguyễn Văn An, Giám đốc Sở Y tế") → the name and
    the title. Only a name (two to five words, each capitalised) counts as one: "Lãnh đạo Bảo
    hiểm Xã hội tỉnh" is a title and gives ("", text); "Hà Văn Tuấn" gives (name, ""). The one
    place a person typed in one piece is split: `meeting log` stores what it returns and the
    documents read it back."""
    text = (text or "").strip()
    if not text:
        return "", ""
    found = _PERSON_SEP.search(text)
    head, tail = (text[: found.start()], text[found.end() :]) if found else (text, "")
    words = head.split()
    if 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words):
        return head.strip(), tail.strip()
    return "", text


def default_year(kind: str, day: dt.date, school: bool = False) -> int:
    """A year-end review held in the first quarter reviews the year before (seed 001: 08/01/2020).
    A body that counts school years (năm học 01/9–31/8, named by the year it ends): a meeting
    falls in the school year of its day, and a year-end review held by October reviews the
    school year just ended."""
    if school:
        if kind == "tong-ket" and 9 <= day.month <= 10:
            return day.year
        return day.year + 1 if day.month >= 9 else day.year
    if kind == "tong-ket" and day.month <= 3:
        return day.year - 1
    return day.year


def _school(conn: sqlite3.Connection, bloc: Bloc, day: dt.date) -> bool:
    from ..blocs import profiles

    return profiles.of(conn, bloc, day).year == "school"


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
    absent: Sequence[tuple[Unit, str | None]] = (),
    guests: Sequence[str] = (),
    note: str | None = None,
    start: str | None = None,
    end: str | None = None,
    additional: bool = False,
) -> Meeting:
    """Record a meeting; without `present`, every member of the year counts as present but the
    `absent` ones (each with its reason, or None). A second year-end meeting of the bloc-year
    is refused unless it is `additional`."""
    kind = meeting_kind(kind)
    day = parse_date(date)
    year = year if year is not None else default_year(kind, day, _school(conn, bloc, day))
    all_members = _members(conn, bloc, year, day)
    start, end = _times(start, end)
    _one_year_end(conn, bloc, year, kind, additional, None)
    # a unit merged or dissolved by the meeting's day is no longer there
    members = bloc_service.member_ids_on(conn, bloc.id, year, day)
    if present is not None and absent:
        raise InvalidInput(
            "Ghi --present (đơn vị có mặt) hoặc --absent (đơn vị vắng mặt), không ghi cả hai."
        )
    reasons = _absences(bloc, year, all_members, absent)
    if present is None:
        present_ids = [uid for uid in members if uid not in reasons]
        _someone_there(present_ids, reasons)
    else:
        for u in present:
            if u.id not in all_members:
                raise RuleBroken(f"«{u.name}» không phải thành viên khối {bloc.code} năm {year}.")
            unit_service.require_alive(u, day, "dự hội nghị")
        present_ids = [u.id for u in present]
    guest_names = [clean(g, field="khách mời") for g in guests if clean(g)]
    cur = conn.execute(
        "INSERT INTO meeting (bloc_id, year, date, kind, title, place, chair, secretary, note, "
        "start_time, end_time, additional) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            start,
            end,
            int(additional),
        ),
    )
    meeting_id = cur.lastrowid
    _write_reasons(conn, meeting_id, reasons)
    conn.executemany(
        "INSERT INTO meeting_present (meeting_id, unit_id) VALUES (?, ?)",
        [(meeting_id, uid) for uid in present_ids],
    )
    conn.executemany(
        "INSERT INTO meeting_guest (meeting_id, position, name) VALUES (?, ?, ?)",
        [(meeting_id, i, g) for i, g in enumerate(guest_names, 1)],
    )
    return get(conn, meeting_id)


def _absences(
    bloc: Bloc, year: int, members: Sequence[int], absent: Sequence[tuple[Unit, str | None]]
) -> dict[int, str | None]:
    """The absent units by id with their reasons (None: none given), each a member of the year."""
    out: dict[int, str | None] = {}
    for u, reason in absent:
        if u.id not in members:
            raise RuleBroken(
                f"«{u.name}» không phải thành viên khối {bloc.code} năm {year}, "
                "không ghi vắng mặt được."
            )
        if u.id in out:
            raise InvalidInput(f"Đơn vị «{u.name}» được ghi vắng mặt hai lần.")
        out[u.id] = clean(reason, field="lý do vắng mặt") or None if reason is not None else None
    return out


def _someone_there(present_ids: Sequence[int], reasons: dict[int, str | None]) -> None:
    """A meeting that --absent leaves with no member present has no minutes to write (they
    printed «00/11 đơn vị thành viên: .»)."""
    if reasons and not present_ids:
        raise InvalidInput(
            f"Cả {len(reasons)} đơn vị thành viên đều được ghi vắng mặt; "
            "hội nghị cần ít nhất một đơn vị có mặt."
        )


def _write_reasons(
    conn: sqlite3.Connection, meeting_id: int, reasons: dict[int, str | None]
) -> None:
    conn.executemany(
        "INSERT INTO meeting_absence (meeting_id, unit_id, reason) VALUES (?, ?, ?)",
        [(meeting_id, uid, why) for uid, why in reasons.items() if why],
    )


def unflagged_year_ends(conn: sqlite3.Connection) -> list[str]:
    """Sentences for the bloc-years holding more than one year-end meeting none of which is marked
    additional: a file exported before the one-a-year rule (m017) imports so. The documents use
    the first by date; the clerk is told which, and how to mark the others."""
    out = []
    for code, year, ids in conn.execute(
        "SELECT b.code, m.year, group_concat(m.id, ',') FROM ("
        "SELECT id, bloc_id, year FROM meeting WHERE kind = 'tong-ket' AND additional = 0 "
        "ORDER BY date, id) m JOIN bloc b ON b.id = m.bloc_id "
        "GROUP BY m.bloc_id, m.year HAVING count(*) > 1 ORDER BY b.code, m.year"
    ):
        first, *rest = ids.split(",")
        out.append(
            f"Cảnh báo: khối {code} năm {year} có {len(rest) + 1} hội nghị tổng kết năm (mã số "
            f"{', '.join([first, *rest])}); văn bản dùng hội nghị {first}, hãy đánh dấu "
            f"{'hội nghị kia' if len(rest) == 1 else 'các hội nghị còn lại'} là bổ sung: "
            f"«tdkt meeting edit {rest[0]} --additional»."
        )
    return out


def _one_year_end(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    kind: str,
    additional: bool,
    meeting_id: int | None,
) -> None:
    """One year-end meeting per bloc-year: the one the annual report is dated and presented at.
    Another is refused, naming the first, unless the clerk says it is an additional one."""
    if additional and kind != "tong-ket":
        raise InvalidInput(
            "Tùy chọn --additional chỉ dùng cho hội nghị tổng kết năm (--kind tong-ket) bổ sung."
        )
    if kind != "tong-ket" or additional:
        return
    first = conn.execute(
        "SELECT id, date FROM meeting WHERE bloc_id = ? AND year = ? AND kind = 'tong-ket' "
        "AND additional = 0 AND id IS NOT ? ORDER BY date, id LIMIT 1",
        (bloc.id, year, meeting_id),
    ).fetchone()
    if first is not None:
        day = dt.date.fromisoformat(first[1])
        raise RuleBroken(
            f"Khối {bloc.code} đã có hội nghị tổng kết năm {year} (mã số {first[0]}, ngày "
            f"{day:%d/%m/%Y}); nếu đây là hội nghị bổ sung thì ghi thêm --additional (không đổi "
            f"ngày và hội nghị của báo cáo tổng kết), nếu ghi nhầm thì sửa hội nghị {first[0]} "
            f"bằng «tdkt meeting edit {first[0]}»."
        )


def reasons_of(conn: sqlite3.Connection, meeting_id: int) -> dict[int, str]:
    return dict(
        conn.execute(
            "SELECT unit_id, reason FROM meeting_absence WHERE meeting_id = ?", (meeting_id,)
        ).fetchall()
    )


def absent_words(m: Meeting) -> tuple[str, ...]:
    """The absent units as the minutes name them: «Sở Y tế (lý do: đi công tác)»."""
    return tuple(
        f"{name} (lý do: {m.absence_reasons[name]})" if name in m.absence_reasons else name
        for name in m.absent
    )


def not_there(conn: sqlite3.Connection, bloc: Bloc, year: int, day: str | dt.date) -> list[str]:
    """The year's members that do not exist on the meeting's `day` (not founded yet, merged or
    dissolved), one sentence each naming the unit and the date: they are not counted present."""
    out = []
    for uid in bloc_service.member_ids(conn, bloc.id, year):
        problem = unit_service.existence_problem(unit_service.get(conn, uid), day, "dự hội nghị")
        if problem:
            out.append(problem)
    return out


def _opt(value: str | None, field: str) -> str | None:
    return clean(value, field=field) or None if value is not None else None


def get(conn: sqlite3.Connection, meeting_id: int | str) -> Meeting:
    try:
        mid = int(meeting_id)
    except (TypeError, ValueError):
        raise InvalidInput(f"Mã số hội nghị «{meeting_id}» phải là một số.") from None
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
    why = reasons_of(conn, mid)
    absence_reasons = {
        unit_service.name_on(conn, u, day)[0]: why[u]
        for u in members
        if u not in present_ids and u in why
    }
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
        start=row["start_time"],
        end=row["end_time"],
        absence_reasons=absence_reasons,
        additional=bool(row["additional"]),
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


def _members(conn: sqlite3.Connection, bloc: Bloc, year: int, day: dt.date) -> list[int]:
    """The year's members; none is refused, with the likely fix for a January meeting."""
    members = bloc_service.member_ids(conn, bloc.id, year)
    if members:
        return members
    hint = "hãy thêm thành viên trước"
    if day.month == 1 and year == day.year and bloc_service.member_ids(conn, bloc.id, year - 1):
        hint = (
            f"nếu hội nghị tháng 1 này thuộc năm thi đua {year - 1}, "
            f"ghi thêm --year {year - 1}; nếu không, hãy thêm thành viên năm {year} trước"
        )
    raise RuleBroken(f"Khối {bloc.code} chưa có thành viên năm {year}; {hint}.")


_TIME = lazy(r"^(\d{1,2})\s*(?:[:hg]|giờ)\s*(\d{2})?\s*(?:phút)?$", re.IGNORECASE)


def parse_time(value: str | None, field: str) -> str | None:
    """ "8:30", "08:30", "8h30", "8h", "14 giờ 00" → "08:30"; "" clears."""
    if value is None or not value.strip():
        return None
    m = _TIME.match(value.strip())
    if m is None or int(m[1]) > 23 or int(m[2] or 0) > 59:
        raise InvalidInput(f"Giờ {field} «{value}» không đọc được; ghi như 08:00 hoặc 14:30.")
    return f"{int(m[1]):02d}:{int(m[2] or 0):02d}"


def _times(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    start, end = parse_time(start, "bắt đầu"), parse_time(end, "kết thúc")
    if start and end and end <= start:
        raise RuleBroken(f"Giờ kết thúc ({end}) phải sau giờ bắt đầu ({start}).")
    return start, end


_KEEP = object()  # an option that was not given: the recorded value stays


def _used_by(conn: sqlite3.Connection, meeting_id: int) -> list[str]:
    used = [
        f"cuộc bỏ phiếu {r[0]}"
        for r in conn.execute("SELECT id FROM vote WHERE meeting_id = ? ORDER BY id", (meeting_id,))
    ]
    used += [
        f"giao ước năm {r[0]}"
        for r in conn.execute("SELECT year FROM covenant WHERE meeting_id = ?", (meeting_id,))
    ]
    used += [
        f"đề nghị khen thưởng {r[0]}"
        for r in conn.execute(
            "SELECT id FROM proposal WHERE meeting_id = ? ORDER BY id", (meeting_id,)
        )
    ]
    return used


def edit(
    conn: sqlite3.Connection,
    meeting_id: int | str,
    *,
    bloc: Bloc | None = None,
    date: str | dt.date | None = None,
    kind: str | None = None,
    year: int | None = None,
    title: str | None = None,
    place: str | None = None,
    chair: str | None = None,
    secretary: str | None = None,
    present: Sequence[Unit] | None = None,
    absent: Sequence[tuple[Unit, str | None]] | None = None,
    guests: Sequence[str] | None = None,
    note: str | None = None,
    start: str | None = None,
    end: str | None = None,
    additional: bool | None = None,
) -> tuple[Meeting, list[str]]:
    """Correct a recorded meeting with the checks of `log`. An option not given keeps its value;
    an empty text clears it; --present and --guest replace the lists. Returns the meeting and
    the names of the fields that changed."""
    old = get(conn, meeting_id)
    row = conn.execute("SELECT * FROM meeting WHERE id = ?", (old.id,)).fetchone()
    new_bloc = bloc or bloc_service.resolve(conn, old.bloc)
    new_kind = meeting_kind(kind) if kind is not None else old.kind
    day = parse_date(date) if date is not None else old.date
    new_year = year if year is not None else old.year
    if year is None and (date is not None or kind is not None):
        new_year = default_year(new_kind, day, _school(conn, new_bloc, day))
    moved = new_bloc.id != row["bloc_id"] or new_year != old.year
    if moved and _used_by(conn, old.id):
        raise RuleBroken(
            f"Hội nghị {old.id} đã gắn với {', '.join(_used_by(conn, old.id))}; "
            "không đổi khối hoặc năm thi đua được."
        )
    members = _members(conn, new_bloc, new_year, day)
    new_additional = old.additional if additional is None else additional
    if new_additional and new_kind != "tong-ket" and additional is None:
        new_additional = False  # no longer a year-end meeting: nothing to be additional to
    if moved or new_kind != old.kind or new_additional != old.additional:
        _one_year_end(conn, new_bloc, new_year, new_kind, new_additional, old.id)
    if present is not None and absent is not None:
        raise InvalidInput(
            "Ghi --present (đơn vị có mặt) hoặc --absent (đơn vị vắng mặt), không ghi cả hai."
        )
    old_reasons = reasons_of(conn, old.id)
    reasons = dict(old_reasons)
    if absent is not None:
        reasons = _absences(new_bloc, new_year, members, absent)
        chosen = [
            uid
            for uid in bloc_service.member_ids_on(conn, new_bloc.id, new_year, day)
            if uid not in reasons
        ]
        _someone_there(chosen, reasons)
    elif present is not None:
        for u in present:
            if u.id not in members:
                raise RuleBroken(
                    f"«{u.name}» không phải thành viên khối {new_bloc.code} năm {new_year}."
                )
            unit_service.require_alive(u, day, "dự hội nghị")
        chosen = [u.id for u in present]
    elif moved:
        chosen = bloc_service.member_ids_on(conn, new_bloc.id, new_year, day)
    else:
        chosen = present_ids(conn, old.id)
    start_v, end_v = _times(
        start if start is not None else row["start_time"],
        end if end is not None else row["end_time"],
    )
    values = {
        "bloc_id": new_bloc.id,
        "year": new_year,
        "date": day.isoformat(),
        "kind": new_kind,
        "title": _opt(title, "tiêu đề") if title is not None else row["title"],
        "place": _opt(place, "địa điểm") if place is not None else row["place"],
        "chair": _opt(chair, "chủ trì") if chair is not None else row["chair"],
        "secretary": _opt(secretary, "thư ký") if secretary is not None else row["secretary"],
        "note": (clean(note, field="ghi chú", multiline=True) or None)
        if note is not None
        else row["note"],
        "start_time": start_v,
        "end_time": end_v,
        "additional": int(new_additional),
    }
    changed = [k for k, v in values.items() if row[k] != v]
    conn.execute(
        "UPDATE meeting SET " + ", ".join(f"{k} = ?" for k in values) + " WHERE id = ?",
        (*values.values(), old.id),
    )
    if set(chosen) != set(present_ids(conn, old.id)):
        changed.append("present")
        conn.execute("DELETE FROM meeting_present WHERE meeting_id = ?", (old.id,))
        conn.executemany(
            "INSERT INTO meeting_present (meeting_id, unit_id) VALUES (?, ?)",
            [(old.id, uid) for uid in chosen],
        )
    reasons = {uid: why for uid, why in reasons.items() if uid not in chosen and why}
    if reasons != old_reasons:
        changed.append("absence_reasons")
        conn.execute("DELETE FROM meeting_absence WHERE meeting_id = ?", (old.id,))
        _write_reasons(conn, old.id, reasons)
    if guests is not None:
        names = [clean(g, field="khách mời") for g in guests if clean(g)]
        if tuple(names) != old.guests:
            changed.append("guests")
            conn.execute("DELETE FROM meeting_guest WHERE meeting_id = ?", (old.id,))
            conn.executemany(
                "INSERT INTO meeting_guest (meeting_id, position, name) VALUES (?, ?, ?)",
                [(old.id, i, g) for i, g in enumerate(names, 1)],
            )
    if not changed:
        raise RuleBroken(f"Không có gì thay đổi ở hội nghị {old.id}.")
    return get(conn, old.id), changed


def remove(conn: sqlite3.Connection, meeting_id: int | str) -> Meeting:
    """Remove a meeting logged by mistake; refused while a vote or a covenant refers to it."""
    m = get(conn, meeting_id)
    used = _used_by(conn, m.id)
    if used:
        raise RuleBroken(
            f"Không thể xóa hội nghị {m.id}: đã gắn với {', '.join(used)}. Hãy xóa hoặc sửa các bản ghi đó trước."
        )
    conn.execute("DELETE FROM meeting_present WHERE meeting_id = ?", (m.id,))
    conn.execute("DELETE FROM meeting_absence WHERE meeting_id = ?", (m.id,))
    conn.execute("DELETE FROM meeting_guest WHERE meeting_id = ?", (m.id,))
    conn.execute("DELETE FROM meeting WHERE id = ?", (m.id,))
    return m
