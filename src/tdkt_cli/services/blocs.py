"""Blocs: their members per year (in the bloc's own order, optionally in groups) and the yearly
head and deputy, whose succession year by year is the handover history."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Ambiguous, InvalidInput, NotFound, RuleBroken
from ..models import Bloc, BlocYear, Member, Unit
from ..text import clean, clean_name, loose_key, match_key
from . import units as unit_service

_CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")


def _bloc(row: sqlite3.Row) -> Bloc:
    return Bloc(
        row["id"],
        row["code"],
        row["name"],
        row["parent"],
        row["place"],
        row["doc_code"],
        row["issue_as"],
    )


def add(
    conn: sqlite3.Connection,
    name: str,
    code: str,
    parent: str | None = None,
    place: str | None = None,
    bloc_id: int | None = None,
) -> Bloc:
    """Add a bloc under a short code that scripts use (lower case letters, digits, - _ .)."""
    name = clean_name(name, field="tên khối")
    code = clean(code, field="mã khối").lower()
    if not _CODE.match(code):
        raise InvalidInput(
            f"Mã khối «{code}» không hợp lệ: chỉ dùng chữ thường không dấu, số và - _ . "
            "(tối đa 40 ký tự), ví dụ «vhxh»."
        )
    row = conn.execute(
        "SELECT code, name FROM bloc WHERE code = ? OR key = ?", (code, match_key(name))
    ).fetchone()
    if row:
        raise RuleBroken(f"Đã có khối «{row['name']}» (mã {row['code']}).")
    cur = conn.execute(
        "INSERT INTO bloc (id, code, name, key, parent, place) VALUES (?, ?, ?, ?, ?, ?)",
        (
            bloc_id,
            code,
            name,
            match_key(name),
            clean(parent, field="cơ quan cấp trên") or None if parent else None,
            clean(place, field="địa danh") or None if place else None,
        ),
    )
    return get(conn, cur.lastrowid)


def edit(
    conn: sqlite3.Connection,
    bloc: Bloc,
    name: str | None = None,
    parent: str | None = None,
    place: str | None = None,
    doc_code: str | None = None,
    issue_as: str | None = None,
) -> Bloc:
    """Change a bloc's name, parent body, place name, number code or issuing style."""
    if doc_code is not None:
        code = clean(doc_code, field="ký hiệu văn bản").upper()
        if not re.match(r"^[A-ZĐ0-9&.-]{1,20}$", code):
            raise InvalidInput(
                f"Ký hiệu «{doc_code}» chỉ gồm chữ in hoa, số, - & . (ví dụ «KVHXH»)."
            )
        conn.execute("UPDATE bloc SET doc_code = ? WHERE id = ?", (code, bloc.id))
    if issue_as is not None:
        if issue_as not in ("bloc", "head"):
            raise InvalidInput(
                "--issue-as nhận «bloc» (ban hành dưới tên khối) hoặc «head» (dưới tên đơn vị trưởng khối)."
            )
        conn.execute("UPDATE bloc SET issue_as = ? WHERE id = ?", (issue_as, bloc.id))
    if name is not None:
        name = clean_name(name, field="tên khối")
        row = conn.execute(
            "SELECT code FROM bloc WHERE key = ? AND id != ?", (match_key(name), bloc.id)
        ).fetchone()
        if row:
            raise RuleBroken(f"Tên «{name}» trùng với khối {row['code']}.")
        conn.execute(
            "UPDATE bloc SET name = ?, key = ? WHERE id = ?", (name, match_key(name), bloc.id)
        )
    if parent is not None:
        conn.execute("UPDATE bloc SET parent = ? WHERE id = ?", (clean(parent) or None, bloc.id))
    if place is not None:
        conn.execute("UPDATE bloc SET place = ? WHERE id = ?", (clean(place) or None, bloc.id))
    return get(conn, bloc.id)


def get(conn: sqlite3.Connection, bloc_id: int) -> Bloc:
    row = conn.execute("SELECT * FROM bloc WHERE id = ?", (bloc_id,)).fetchone()
    if row is None:
        raise NotFound(f"Không có khối mã số {bloc_id}.")
    return _bloc(row)


def resolve(conn: sqlite3.Connection, text: str) -> Bloc:
    """Find a bloc by its code or its name (case, accents and spacing folded)."""
    raw = str(text).strip()
    if not raw:
        raise InvalidInput("Tên hoặc mã khối không được để trống.")
    row = conn.execute("SELECT * FROM bloc WHERE code = ?", (raw.lower(),)).fetchone()
    if row:
        return _bloc(row)
    rows = conn.execute("SELECT * FROM bloc WHERE key = ?", (match_key(raw),)).fetchall()
    if not rows:
        loose = loose_key(raw)
        rows = [r for r in conn.execute("SELECT * FROM bloc") if loose_key(r["name"]) == loose]
    if len(rows) == 1:
        return _bloc(rows[0])
    if rows:
        names = "; ".join(f"{r['name']} (mã {r['code']})" for r in rows)
        raise Ambiguous(f"«{raw}» khớp với nhiều khối: {names}. Hãy dùng mã khối.")
    codes = ", ".join(r[0] for r in conn.execute("SELECT code FROM bloc ORDER BY code"))
    hint = (
        f" Các khối đang có: {codes}." if codes else " Chưa có khối nào; thêm bằng «tdkt bloc add»."
    )
    raise NotFound(f"Không tìm thấy khối «{raw}».{hint}")


def list_blocs(conn: sqlite3.Connection) -> list[Bloc]:
    return [_bloc(r) for r in conn.execute("SELECT * FROM bloc ORDER BY code")]


@dataclass(frozen=True)
class MemberRow:
    unit_id: int
    position: int
    group: str | None


def member_rows(conn: sqlite3.Connection, bloc_id: int, year: int) -> list[MemberRow]:
    return [
        MemberRow(r[0], r[1], r[2])
        for r in conn.execute(
            "SELECT unit_id, position, grp FROM membership WHERE bloc_id = ? AND year = ? "
            "ORDER BY position, unit_id",
            (bloc_id, year),
        )
    ]


def member_ids(conn: sqlite3.Connection, bloc_id: int, year: int) -> list[int]:
    return [m.unit_id for m in member_rows(conn, bloc_id, year)]


def require_member(conn: sqlite3.Connection, bloc: Bloc, unit: Unit, year: int) -> None:
    if unit.id not in member_ids(conn, bloc.id, year):
        raise RuleBroken(f"«{unit.name}» không phải thành viên khối {bloc.code} năm {year}.")


def _check_year(year: int) -> int:
    if not 1945 <= year <= 2200:
        raise InvalidInput(f"Năm {year} không hợp lệ.")
    return year


def join(
    conn: sqlite3.Connection,
    bloc: Bloc,
    members: Sequence[Unit],
    year: int,
    group: str | None = None,
    *,
    clear_group: bool = False,
) -> list[tuple[Unit, str]]:
    """Add units to the bloc for `year`, after the current members; returns (unit, what happened).
    A member given a new group (or, with `clear_group`, none) is moved, and the answer says from
    which group to which."""
    _check_year(year)
    group = clean(group, field="nhóm") or None if group is not None else None
    if group is None and clear_group:
        group = ""  # the sentinel for "no group", stored as NULL
    done = []
    position = conn.execute(
        "SELECT COALESCE(MAX(position), 0) FROM membership WHERE bloc_id = ? AND year = ?",
        (bloc.id, year),
    ).fetchone()[0]
    for unit in members:
        if unit.ended_on is not None and unit.ended_on.year < year:
            raise RuleBroken(
                f"«{unit.name}» đã sáp nhập từ {unit.ended_on:%d/%m/%Y}; không thể vào khối năm {year}."
            )
        row = conn.execute(
            "SELECT grp FROM membership WHERE bloc_id = ? AND year = ? AND unit_id = ?",
            (bloc.id, year, unit.id),
        ).fetchone()
        if row is not None:
            if group is not None and row["grp"] != (group or None):
                conn.execute(
                    "UPDATE membership SET grp = ? WHERE bloc_id = ? AND year = ? AND unit_id = ?",
                    (group or None, bloc.id, year, unit.id),
                )
                before = f"nhóm «{row['grp']}»" if row["grp"] else "không thuộc nhóm nào"
                after = f"nhóm «{group}»" if group else "không thuộc nhóm nào"
                done.append((unit, f"đổi nhóm: từ {before} sang {after}"))
            else:
                done.append((unit, "đã là thành viên"))
            continue
        position += 1
        conn.execute(
            "INSERT INTO membership (bloc_id, year, unit_id, position, grp) VALUES (?, ?, ?, ?, ?)",
            (bloc.id, year, unit.id, position, group or None),
        )
        done.append((unit, "đã thêm"))
    return done


def leave(conn: sqlite3.Connection, bloc: Bloc, unit: Unit, year: int) -> None:
    """Take a unit out of the bloc for `year`; refused while it heads or deputises."""
    require_member(conn, bloc, unit, year)
    row = conn.execute(
        "SELECT head_id, deputy_id FROM bloc_year WHERE bloc_id = ? AND year = ?", (bloc.id, year)
    ).fetchone()
    if row and unit.id in (row["head_id"], row["deputy_id"]):
        role = "trưởng khối" if unit.id == row["head_id"] else "phó khối"
        raise RuleBroken(
            f"«{unit.name}» đang là {role} năm {year}; hãy chọn {role} khác trước khi rời khối."
        )
    conn.execute(
        "DELETE FROM membership WHERE bloc_id = ? AND year = ? AND unit_id = ?",
        (bloc.id, year, unit.id),
    )


def set_head(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    head: Unit,
    deputy: Unit | None = None,
    signer: str | None = None,
    signer_title: str | None = None,
) -> None:
    """Record the year's head (and deputy, and who signs for the head); members only."""
    _check_year(year)
    require_member(conn, bloc, head, year)
    if deputy is not None:
        require_member(conn, bloc, deputy, year)
        if deputy.id == head.id:
            raise RuleBroken("Trưởng khối và phó khối phải là hai đơn vị khác nhau.")
    elif head_ids(conn, bloc.id, year)[1] == head.id:
        raise RuleBroken(
            f"«{head.name}» đang là phó khối năm {year}; hãy ghi phó khối mới cùng lúc (--deputy)."
        )
    conn.execute(
        "INSERT INTO bloc_year (bloc_id, year, head_id, deputy_id, signer, signer_title) "
        "VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (bloc_id, year) DO UPDATE SET head_id = excluded.head_id, "
        "deputy_id = COALESCE(excluded.deputy_id, bloc_year.deputy_id), "
        "signer = COALESCE(excluded.signer, bloc_year.signer), "
        "signer_title = COALESCE(excluded.signer_title, bloc_year.signer_title)",
        (
            bloc.id,
            year,
            head.id,
            deputy.id if deputy else None,
            clean(signer, field="người ký") or None if signer else None,
            clean(signer_title, field="chức vụ người ký") or None if signer_title else None,
        ),
    )


def signer(conn: sqlite3.Connection, bloc_id: int, year: int) -> tuple[str | None, str | None]:
    row = conn.execute(
        "SELECT signer, signer_title FROM bloc_year WHERE bloc_id = ? AND year = ?", (bloc_id, year)
    ).fetchone()
    return (row["signer"], row["signer_title"]) if row else (None, None)


def head_ids(conn: sqlite3.Connection, bloc_id: int, year: int) -> tuple[int | None, int | None]:
    row = conn.execute(
        "SELECT head_id, deputy_id FROM bloc_year WHERE bloc_id = ? AND year = ?", (bloc_id, year)
    ).fetchone()
    return (row["head_id"], row["deputy_id"]) if row else (None, None)


def latest_year(conn: sqlite3.Connection, bloc_id: int) -> int | None:
    return conn.execute(
        "SELECT MAX(year) FROM (SELECT year FROM membership WHERE bloc_id = ? "
        "UNION SELECT year FROM bloc_year WHERE bloc_id = ?)",
        (bloc_id, bloc_id),
    ).fetchone()[0]


def show(conn: sqlite3.Connection, bloc: Bloc, year: int | None = None) -> BlocYear:
    """The bloc's picture for a year (the latest recorded year by default)."""
    if year is None:
        year = latest_year(conn, bloc.id)
        if year is None:
            raise NotFound(
                f"Khối {bloc.code} chưa có thành viên năm nào; thêm bằng «tdkt bloc join»."
            )
    members = []
    for m in member_rows(conn, bloc.id, year):
        name, short = unit_service.name_on(conn, m.unit_id, None)
        members.append(Member(m.unit_id, name, short, m.group))

    def _name(uid: int | None) -> str | None:
        return unit_service.name_on(conn, uid, None)[0] if uid else None

    head, deputy = head_ids(conn, bloc.id, year)
    handovers = tuple(
        {"year": r["year"], "head": _name(r["head_id"]), "deputy": _name(r["deputy_id"])}
        for r in conn.execute(
            "SELECT year, head_id, deputy_id FROM bloc_year WHERE bloc_id = ? ORDER BY year",
            (bloc.id,),
        )
    )
    return BlocYear(
        code=bloc.code,
        name=bloc.name,
        year=year,
        head=_name(head),
        deputy=_name(deputy),
        members=tuple(members),
        parent=bloc.parent,
        place=bloc.place,
        handovers=handovers,
        signer=signer(conn, bloc.id, year)[0],
        signer_title=signer(conn, bloc.id, year)[1],
    )


# --- corrections ------------------------------------------------------------------------------

# Tables that hold a bloc's records, and how to say them: a bloc with any cannot be removed.
_BLOC_RECORDS = (
    ("membership", "thành viên"),
    ("meeting", "hội nghị"),
    ("pledge", "đăng ký thi đua"),
    ("covenant", "giao ước"),
    ("vote", "cuộc bỏ phiếu"),
    ("proposal", "đề nghị khen thưởng"),
    ("criterion", "tiêu chí chấm điểm"),
    ("exemplar", "điển hình tiên tiến"),
    ("activity", "hoạt động chung"),
)


def remove(conn: sqlite3.Connection, bloc: Bloc) -> Bloc:
    """Remove a bloc entered by mistake; refused while it holds any record."""
    held = [
        words
        for table, words in _BLOC_RECORDS
        if conn.execute(f"SELECT 1 FROM {table} WHERE bloc_id = ? LIMIT 1", (bloc.id,)).fetchone()
    ]
    if held:
        raise RuleBroken(
            f"Không thể xóa khối {bloc.code}: khối còn {', '.join(held)}. "
            "Hãy xóa các bản ghi đó trước."
        )
    # rules, score setup and the like carry no record of their own; they go with the bloc
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in (
        "bloc_year",
        "vote_rules",
        "ineligible",
        "score_band",
        "score_setup",
        "score_lock_log",
    ):
        if table in tables:
            conn.execute(f"DELETE FROM {table} WHERE bloc_id = ?", (bloc.id,))
    conn.execute("DELETE FROM bloc WHERE id = ?", (bloc.id,))
    return bloc


def correct(
    conn: sqlite3.Connection, bloc: Bloc, code: str | None = None, name: str | None = None
) -> Bloc:
    """Fix a bloc's code or name typed wrong: no history, the same checks as `bloc add`."""
    if code is None and name is None:
        raise InvalidInput("Cần --code hoặc --name để sửa.")
    if code is not None:
        code = clean(code, field="mã khối").lower()
        if not _CODE.match(code):
            raise InvalidInput(
                f"Mã khối «{code}» không hợp lệ: chỉ dùng chữ thường không dấu, số và - _ . "
                "(tối đa 40 ký tự), ví dụ «vhxh»."
            )
        row = conn.execute(
            "SELECT name FROM bloc WHERE code = ? AND id != ?", (code, bloc.id)
        ).fetchone()
        if row:
            raise RuleBroken(f"Mã {code} đã là mã của khối «{row['name']}».")
        conn.execute("UPDATE bloc SET code = ? WHERE id = ?", (code, bloc.id))
    if name is not None:
        name = clean_name(name, field="tên khối")
        row = conn.execute(
            "SELECT code FROM bloc WHERE key = ? AND id != ?", (match_key(name), bloc.id)
        ).fetchone()
        if row:
            raise RuleBroken(f"Tên «{name}» trùng với khối {row['code']}.")
        conn.execute(
            "UPDATE bloc SET name = ?, key = ? WHERE id = ?", (name, match_key(name), bloc.id)
        )
    return get(conn, bloc.id)
