"""Blocs: their members per year (in the bloc's own order, optionally in groups) and the yearly
head and deputy, whose succession year by year is the handover history."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from ..core import clock, dated
from ..core.errors import Ambiguous, InvalidInput, NotFound, RuleBroken
from ..core.models import Bloc, BlocYear, Member, Unit
from ..core.patterns import lazy
from ..text import clean, clean_name, clean_optional_name, loose_key, match_key, parse_date
from ..text.names import skeleton, twin_key
from ..units import service as unit_service

_CODE = lazy(r"^[a-z0-9][a-z0-9_.-]{0,39}$")


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
    force: bool = False,
) -> Bloc:
    """Add a bloc under a short code that scripts use (lower case letters, digits, - _ .);
    refuse a name that prints like another bloc's (unless `force`)."""
    name = clean_name(name, field="tên khối")
    code = clean(code, field="mã khối").lower()
    from ..audit.integrity import bloc_code_problem

    if bloc_code_problem(code):
        raise InvalidInput(
            f"Mã khối «{code}» không hợp lệ: chỉ dùng chữ thường không dấu, số và - _ . "
            "(tối đa 40 ký tự), ví dụ «vhxh»."
        )
    row = conn.execute(
        "SELECT code, name FROM bloc WHERE code = ? OR key = ?", (code, match_key(name))
    ).fetchone()
    if row:
        raise RuleBroken(f"Đã có khối «{row['name']}» (mã {row['code']}).")
    _refuse_twins(conn, name, None, force)
    cur = conn.execute(
        "INSERT INTO bloc (id, code, name, key, parent, place) VALUES (?, ?, ?, ?, ?, ?)",
        (
            bloc_id,
            code,
            name,
            match_key(name),
            # printed in every header and date line: one script, as a name (text/names.py)
            clean_optional_name(parent, field="cơ quan cấp trên") if parent else None,
            clean_optional_name(place, field="địa danh") if place else None,
        ),
    )
    _sync_attrs(conn, cur.lastrowid, seed=True)
    return get(conn, cur.lastrowid)


_ATTRS = ("name", "parent", "place", "doc_code", "issue_as")
ATTR_LABELS = {
    "name": "tên khối",
    "parent": "cơ quan cấp trên",
    "place": "địa danh",
    "doc_code": "ký hiệu văn bản",
    "issue_as": "cách ban hành",
}


def _clean_attrs(
    conn: sqlite3.Connection,
    bloc: Bloc,
    name: str | None,
    parent: str | None,
    place: str | None,
    doc_code: str | None,
    issue_as: str | None,
    force: bool = False,
) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    if doc_code is not None:
        code = clean(doc_code, field="ký hiệu văn bản").upper()
        if not re.match(r"^[A-ZĐ0-9&.-]{1,20}$", code):
            raise InvalidInput(
                f"Ký hiệu «{doc_code}» chỉ gồm chữ in hoa, số, - & . (ví dụ «KVHXH»)."
            )
        out["doc_code"] = code
    if issue_as is not None:
        if issue_as not in ("bloc", "head"):
            raise InvalidInput(
                "Tùy chọn --issue-as nhận «bloc» (ban hành dưới tên khối) hoặc «head» (dưới tên đơn vị trưởng khối)."
            )
        out["issue_as"] = issue_as
    if name is not None:
        out["name"] = _unique_name(conn, bloc, name, force)
    if parent is not None:
        out["parent"] = clean_optional_name(parent, field="cơ quan cấp trên")
    if place is not None:
        out["place"] = clean_optional_name(place, field="địa danh")
    return out


def attr_rows(conn: sqlite3.Connection, bloc_id: int) -> list[dict]:
    """Every period of the bloc's dated attributes, oldest first (valid_from None: since always)."""
    return [
        dict(r)
        for r in conn.execute(
            "SELECT valid_from, name, parent, place, doc_code, issue_as FROM bloc_attr "
            "WHERE bloc_id = ? ORDER BY ifnull(valid_from, '')",
            (bloc_id,),
        )
    ]


def _sync_attrs(conn: sqlite3.Connection, bloc_id: int, seed: bool = False) -> None:
    """Keep the bloc row equal to its latest period (or, `seed`, start the history from it)."""
    if seed:
        conn.execute(
            "INSERT INTO bloc_attr (bloc_id, valid_from, name, parent, place, doc_code, issue_as) "
            "SELECT id, NULL, name, parent, place, doc_code, issue_as FROM bloc WHERE id = ?",
            (bloc_id,),
        )
        return
    latest = dated.as_of(attr_rows(conn, bloc_id), None)
    if latest is not None:
        conn.execute(
            "UPDATE bloc SET name = ?, key = ?, parent = ?, place = ?, doc_code = ?, issue_as = ? "
            "WHERE id = ?",
            (
                latest["name"],
                match_key(latest["name"]),
                latest["parent"],
                latest["place"],
                latest["doc_code"],
                latest["issue_as"],
                bloc_id,
            ),
        )


def edit(
    conn: sqlite3.Connection,
    bloc: Bloc,
    name: str | None = None,
    parent: str | None = None,
    place: str | None = None,
    doc_code: str | None = None,
    issue_as: str | None = None,
    valid_from: str | None = None,
    force: bool = False,
) -> Bloc:
    """Change a bloc's name, parent body, place name, number code or issuing style.

    With `valid_from` the change holds from that date and every earlier day keeps the values then
    in force (a new period, or the period starting that very day corrected). Without it, the value
    in force now is corrected, history unchanged.
    """
    changes = _clean_attrs(conn, bloc, name, parent, place, doc_code, issue_as, force)
    if not changes:
        return get(conn, bloc.id)
    rows = attr_rows(conn, bloc.id)
    if not rows:  # a bloc written without a history (older import): start one
        _sync_attrs(conn, bloc.id, seed=True)
        rows = attr_rows(conn, bloc.id)
    if valid_from is None:
        target = dated.as_of(rows, clock.today().isoformat()) or rows[-1]
        key = target["valid_from"]
    else:
        key = parse_date(valid_from).isoformat()
        base = dated.as_of(rows, key) or rows[0]
        if not any(r["valid_from"] == key for r in rows):
            conn.execute(
                "INSERT INTO bloc_attr (bloc_id, valid_from, name, parent, place, doc_code, "
                "issue_as) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (bloc.id, key, *(base[a] for a in _ATTRS)),
            )
    sets = ", ".join(f"{a} = ?" for a in changes)
    conn.execute(
        f"UPDATE bloc_attr SET {sets} WHERE bloc_id = ? AND ifnull(valid_from, '') = ?",
        (*changes.values(), bloc.id, key or ""),
    )
    _sync_attrs(conn, bloc.id)
    return get(conn, bloc.id)


def on(conn: sqlite3.Connection, bloc: Bloc, day: dt.date | str | None) -> Bloc:
    """The bloc with the name, parent, place, document code and issuing style in force on `day`
    (the current ones when `day` is None)."""
    if day is None:
        return bloc
    stamp = day if isinstance(day, str) else day.isoformat()
    rows = attr_rows(conn, bloc.id)
    row = dated.as_of(rows, stamp) or (rows[0] if rows else None)
    if row is None:
        return bloc
    return Bloc(bloc.id, bloc.code, *(row[a] for a in _ATTRS))


def attr_history(conn: sqlite3.Connection, bloc_id: int) -> list[dict]:
    """Each period with what changed from the one before: {from, until, changes: {attr: value}}."""
    out = []
    previous: dict | None = None
    for period in dated.history(attr_rows(conn, bloc_id)):
        row = period.value
        changes = {a: row[a] for a in _ATTRS if previous is None or row[a] != previous[a]}
        out.append({"from": period.valid_from, "until": period.until, "changes": changes})
        previous = row
    return out


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
    if not rows:  # look-alike letters, or a space lost to a pasted invisible character
        ids = {bid for bid, _, _ in twins_of(conn, raw)}
        rows = [r for r in conn.execute("SELECT * FROM bloc ORDER BY code") if r["id"] in ids]
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
    """A member of a bloc-year as stored: the unit, its place in the list and its group."""

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


def member_ids_on(
    conn: sqlite3.Connection, bloc_id: int, year: int, day: dt.date | str | None
) -> list[int]:
    """The year's members that exist on `day` (all of them when `day` is None): a unit merged or
    dissolved by then is no longer present, voter or candidate."""
    ids = member_ids(conn, bloc_id, year)
    if day is None:
        return ids
    return [u for u in ids if unit_service.alive_on(unit_service.get(conn, u), day)]


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
        if not unit_service.alive_in_year(unit, year):
            if unit.ended_on is not None and unit.ended_on <= dt.date(year, 1, 1):
                why = "đã " + unit_service.gone_words(unit)
            else:
                why = f"thành lập từ ngày {unit.founded_on:%d/%m/%Y}"
            raise RuleBroken(f"«{unit.name}» {why}; không thể vào khối năm {year}.")
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
        done.append((unit, "đã thêm" + _ends_within(conn, unit, year)))
    return done


def _ends_within(conn: sqlite3.Connection, unit: Unit, year: int) -> str:
    """A warning for a unit that merges or ends during `year`, naming its successor: it is a
    member only until then."""
    if unit.ended_on is None or unit.ended_on.year != year:
        return ""
    if unit.merged_into is not None:
        into = unit_service.get(conn, unit.merged_into)
        how = f"sáp nhập vào «{into.name}» từ ngày {unit.ended_on:%d/%m/%Y}"
        after = f"; từ ngày đó «{into.name}» là đơn vị kế thừa"
    else:
        how, after = f"giải thể từ ngày {unit.ended_on:%d/%m/%Y}", ""
    return f" (cảnh báo: đơn vị {how}, chỉ là thành viên đến trước ngày đó{after})"


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
    # a unit recorded as present at the year's meetings was a member that year: leaving would
    # leave those meetings with a present non-member (db check), so the clerk decides first
    met = conn.execute(
        "SELECT m.id, m.date FROM meeting m JOIN meeting_present p ON p.meeting_id = m.id "
        "WHERE m.bloc_id = ? AND m.year = ? AND p.unit_id = ? ORDER BY m.date, m.id",
        (bloc.id, year, unit.id),
    ).fetchall()
    if met:
        listed = ", ".join(
            f"số {r['id']} ngày {r['date'][8:10]}/{r['date'][5:7]}/{r['date'][:4]}" for r in met
        )
        raise RuleBroken(
            f"«{unit.name}» được ghi có mặt ở hội nghị {listed} của khối năm {year}; "
            "hãy bỏ đơn vị khỏi danh sách có mặt trước khi rời khối."
        )
    conn.execute(
        "DELETE FROM membership WHERE bloc_id = ? AND year = ? AND unit_id = ?",
        (bloc.id, year, unit.id),
    )


def _require_whole_year(unit: Unit, year: int, role: str) -> None:
    """A head or deputy must exist on the first day of its year (or be founded during it)."""
    first = dt.date(year, 1, 1)
    if unit.founded_on is not None and unit.founded_on > first:
        first = unit.founded_on
    if unit.ended_on is not None and unit.ended_on <= first:
        raise RuleBroken(
            f"«{unit.name}» đã {unit_service.gone_words(unit)}; không thể làm {role} năm {year}."
        )
    if unit.founded_on is not None and unit.founded_on.year > year:
        raise RuleBroken(
            f"«{unit.name}» thành lập từ ngày {unit.founded_on:%d/%m/%Y}; không thể làm {role} "
            f"năm {year}."
        )


def copy_year(
    conn: sqlite3.Connection, bloc: Bloc, year: int, same_as: int
) -> tuple[list[Unit], list[Unit]]:
    """Start `year` with the members, order and groups of `same_as`; units that no longer exist
    in `year` are left out. Returns (copied, skipped)."""
    _check_year(year)
    _check_year(same_as)
    if year == same_as:
        raise InvalidInput("Năm mới và năm lấy theo phải khác nhau.")
    source = member_rows(conn, bloc.id, same_as)
    if not source:
        raise RuleBroken(f"Khối {bloc.code} chưa có thành viên năm {same_as} để lấy theo.")
    if member_rows(conn, bloc.id, year):
        raise RuleBroken(
            f"Khối {bloc.code} đã có thành viên năm {year}; «--same-as» chỉ dùng cho năm chưa có "
            "thành viên."
        )
    copied, skipped = [], []
    for m in source:
        unit = unit_service.get(conn, m.unit_id)
        if not unit_service.alive_in_year(unit, year):
            skipped.append(unit)
            continue
        copied.append(unit)
        conn.execute(
            "INSERT INTO membership (bloc_id, year, unit_id, position, grp) VALUES (?, ?, ?, ?, ?)",
            (bloc.id, year, unit.id, len(copied), m.group),
        )
    return copied, skipped


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
    _require_whole_year(head, year, "trưởng khối")
    if deputy is not None:
        require_member(conn, bloc, deputy, year)
        _require_whole_year(deputy, year, "phó khối")
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
            clean_optional_name(signer, field="người ký") if signer else None,
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
    today = clock.today()
    day = min(dt.date(year, 12, 31), today) if year <= today.year else dt.date(year, 12, 31)
    dated_bloc = on(conn, bloc, day)
    members = []
    for m in member_rows(conn, bloc.id, year):
        name, short = unit_service.name_on(conn, m.unit_id, day)
        members.append(Member(m.unit_id, name, short, m.group))

    def _name(uid: int | None) -> str | None:
        return unit_service.name_on(conn, uid, day)[0] if uid else None

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
        name=dated_bloc.name,
        year=year,
        head=_name(head),
        deputy=_name(deputy),
        members=tuple(members),
        parent=dated_bloc.parent,
        place=dated_bloc.place,
        history=tuple(attr_history(conn, bloc.id)),
        as_of=day.isoformat(),
        warnings=tuple(ended_during(conn, bloc.id, year)),
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


def _unique_name(conn: sqlite3.Connection, bloc: Bloc, name: str, force: bool = False) -> str:
    """`name` cleaned, refused when another bloc already goes by it (or by a name printing like
    it, unless `force`)."""
    name = clean_name(name, field="tên khối")
    row = conn.execute(
        "SELECT code FROM bloc WHERE key = ? AND id != ?", (match_key(name), bloc.id)
    ).fetchone()
    if row:
        raise RuleBroken(f"Tên «{name}» trùng với khối {row['code']}.")
    _refuse_twins(conn, name, bloc.id, force)
    return name


def twins_of(
    conn: sqlite3.Connection, name: str, exclude: int | None = None
) -> list[tuple[int, str, str]]:
    """(id, code, name) of the blocs (but `exclude`) whose name, now or in an earlier period,
    prints like `name` or differs from it only by marks, punctuation or spaces (text/names.py)."""
    key = twin_key(name)
    if not key:
        return []
    rows = conn.execute(
        "SELECT id, code, name, name FROM bloc UNION SELECT a.bloc_id, b.code, b.name, a.name "
        "FROM bloc_attr a JOIN bloc b ON b.id = a.bloc_id ORDER BY 2"
    ).fetchall()
    out: dict[int, tuple[int, str, str]] = {}
    for bid, code, current, other in rows:
        if bid != exclude and twin_key(other) == key:
            out.setdefault(bid, (bid, code, current))
    return list(out.values())


def _refuse_twins(conn: sqlite3.Connection, name: str, exclude: int | None, force: bool) -> None:
    """Refuse a name printing like another bloc's: always when the skeletons are equal (they
    would print alike), else unless `force`."""
    found = twins_of(conn, name, exclude)
    same = [f for f in found if skeleton(f[2]) == skeleton(name)]
    if same:
        listed = "; ".join(f"«{n}» (mã {c})" for _, c, n in same)
        raise RuleBroken(
            f"Tên «{name}» in ra giống hệt tên của khối đã có {listed}; hai khối không thể mang "
            "tên in ra như nhau, hãy dùng khối đó hoặc đặt tên khác."
        )
    if found and not force:
        listed = "; ".join(f"«{n}» (mã {c})" for _, c, n in found)
        raise RuleBroken(
            f"Tên «{name}» gần như trùng với khối đã có {listed}, chỉ khác dấu, khoảng trắng "
            "hoặc chữ trông giống nhau; hãy dùng khối đó, hoặc thêm --force nếu đây thật là "
            "một khối khác."
        )


def correct(
    conn: sqlite3.Connection,
    bloc: Bloc,
    code: str | None = None,
    name: str | None = None,
    force: bool = False,
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
        name = _unique_name(conn, bloc, name, force)
        conn.execute(
            "UPDATE bloc SET name = ?, key = ? WHERE id = ?", (name, match_key(name), bloc.id)
        )
    return get(conn, bloc.id)


def ended_during(conn: sqlite3.Connection, bloc_id: int, year: int) -> list[str]:
    """Sentences for a bloc-year whose head, deputy or members ended (merged, dissolved) during
    that year or before it."""
    ended = {
        r[0]
        for r in conn.execute(
            "SELECT m.unit_id FROM membership m JOIN unit u ON u.id = m.unit_id "
            "WHERE m.bloc_id = ? AND m.year = ? AND u.ended_on IS NOT NULL",
            (bloc_id, year),
        )
    }
    if not ended:  # the common case, in one query (a province's overview asks for every bloc)
        return []
    head, deputy = head_ids(conn, bloc_id, year)
    out = []
    for m in member_rows(conn, bloc_id, year):
        if m.unit_id not in ended:
            continue
        unit = unit_service.get(conn, m.unit_id)
        if unit.ended_on is None or unit.ended_on.year > year:
            continue
        role = "trưởng khối" if m.unit_id == head else "phó khối" if m.unit_id == deputy else ""
        who = f"{role} «{unit.name}»" if role else f"thành viên «{unit.name}»"
        out.append(f"năm {year}: {who} đã {unit_service.gone_words(unit)}")
    return out
