"""`db check`: consistency checks as pure queries returning problems; silent when all is well."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..text import is_nfc, loose_key, match_key


@dataclass(frozen=True)
class Problem:
    """One inconsistency `db check` found: the table, the row and what is wrong."""

    table: str
    row: str
    message: str

    def __str__(self) -> str:
        return f"{self.table} {self.row}: {self.message}"


# (table, key columns, text columns) whose text must be NFC
_TEXT_COLUMNS = {
    "unit": ("id", ["name", "short"]),
    "unit_alias": ("unit_id", ["alias"]),
    "unit_name_period": ("unit_id", ["name", "short"]),
    "bloc": ("code", ["name", "parent", "place"]),
    "bloc_attr": ("bloc_id", ["name", "parent", "place"]),
    "meeting": ("id", ["title", "place", "chair", "secretary", "note"]),
    "meeting_guest": ("meeting_id", ["name"]),
    "meeting_absence": ("meeting_id", ["reason"]),
    "pledge": ("id", ["title"]),
    "pledge_target": ("pledge_id", ["text"]),
    "exemplar": ("id", ["name", "movement", "title", "description"]),
    "activity": ("id", ["place", "purpose", "beneficiary_note"]),
    "movement": ("id", ["name", "launched_by"]),
    "movement_report": ("id", ["summary"]),
}


def integrity(conn: sqlite3.Connection) -> list[Problem]:
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if [r[0] for r in rows] == ["ok"]:
        return []
    return [Problem("sqlite", "-", r[0]) for r in rows]


def orphans(conn: sqlite3.Connection) -> list[Problem]:
    return [
        Problem(r[0], f"dòng {r[1]}", f"trỏ tới {r[2]} không tồn tại")
        for r in conn.execute("PRAGMA foreign_key_check")
    ]


def heads_are_members(conn: sqlite3.Connection) -> list[Problem]:
    out = []
    for role, col in (("trưởng khối", "head_id"), ("phó khối", "deputy_id")):
        for r in conn.execute(
            f"SELECT b.code, y.year, y.{col} FROM bloc_year y JOIN bloc b ON b.id = y.bloc_id "
            f"WHERE y.{col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM membership m WHERE "
            f"m.bloc_id = y.bloc_id AND m.year = y.year AND m.unit_id = y.{col})"
        ):
            out.append(
                Problem(
                    "bloc_year", f"{r[0]} {r[1]}", f"{role} (mã số {r[2]}) không phải thành viên"
                )
            )
    for r in conn.execute(
        "SELECT b.code, y.year FROM bloc_year y JOIN bloc b ON b.id = y.bloc_id "
        "WHERE y.head_id = y.deputy_id"
    ):
        out.append(Problem("bloc_year", f"{r[0]} {r[1]}", "trưởng khối và phó khối trùng nhau"))
    return out


def present_are_members(conn: sqlite3.Connection) -> list[Problem]:
    return [
        Problem(
            "meeting_present",
            f"hội nghị {r[0]}",
            f"đơn vị mã số {r[1]} không phải thành viên năm {r[2]}",
        )
        for r in conn.execute(
            "SELECT p.meeting_id, p.unit_id, m.year FROM meeting_present p JOIN meeting m ON "
            "m.id = p.meeting_id WHERE NOT EXISTS (SELECT 1 FROM membership s WHERE "
            "s.bloc_id = m.bloc_id AND s.year = m.year AND s.unit_id = p.unit_id)"
        )
    ]


def ended_members(conn: sqlite3.Connection) -> list[Problem]:
    """Members of a bloc in a year that began after they were merged or dissolved: they did not
    exist that year. (One that ended during the year was a member until then: not a problem.)"""
    from ..units import service as unit_service

    out = []
    for code, year, unit_id in conn.execute(
        "SELECT b.code, m.year, m.unit_id FROM membership m JOIN bloc b ON b.id = m.bloc_id "
        "JOIN unit u ON u.id = m.unit_id WHERE u.ended_on IS NOT NULL "
        "AND u.ended_on <= printf('%04d-01-01', m.year) ORDER BY b.code, m.year, m.position"
    ).fetchall():
        unit = unit_service.get(conn, unit_id)
        sentence = f"năm {year}: thành viên «{unit.name}» đã {unit_service.gone_words(unit)}"
        out.append(Problem("membership", f"{code} {year}", sentence))
    return out


def bloc_history(conn: sqlite3.Connection) -> list[Problem]:
    """A bloc's dated attributes must not hold two values from the same day."""
    from ..core import dated

    out = []
    for bloc_id, code in conn.execute("SELECT id, code FROM bloc").fetchall():
        rows = conn.execute(
            "SELECT valid_from FROM bloc_attr WHERE bloc_id = ?", (bloc_id,)
        ).fetchall()
        for p in dated.problems([dict(r) for r in rows]):
            out.append(Problem("bloc_attr", code, p))
    return out


def text_is_nfc(conn: sqlite3.Connection) -> list[Problem]:
    out = []
    for table, (key, columns) in _TEXT_COLUMNS.items():
        for col in columns:
            for r in conn.execute(f"SELECT {key}, {col} FROM {table} WHERE {col} IS NOT NULL"):
                if not is_nfc(r[1]):
                    out.append(Problem(table, str(r[0]), f"cột {col} chưa chuẩn hóa NFC: «{r[1]}»"))
    return out


def lookup_is_current(conn: sqlite3.Connection) -> list[Problem]:
    """Each unit's lookup keys are those of the names it answers to."""
    from ..units.service import answered_names

    have: dict[int, set[tuple[str, str]]] = {}
    for uid, key, loose in conn.execute("SELECT unit_id, key, loose FROM unit_lookup"):
        have.setdefault(uid, set()).add((key, loose))
    out = []
    for uid, names in answered_names(conn).items():
        if {(match_key(n), loose_key(n)) for n in names} != have.get(uid, set()):
            out.append(Problem("unit_lookup", str(uid), "chỉ mục tên đơn vị lệch với tên đang lưu"))
    return out


def mergers(conn: sqlite3.Connection) -> list[Problem]:
    from .integrity import merger_problems, stored_mergers

    return [Problem("unit", "-", m) for m in merger_problems(stored_mergers(conn))]


def _alike(rows: list[tuple]) -> list[tuple[tuple, tuple]]:
    """Every pair of (id, label, name) rows of two records whose names print alike (the same
    UTS #39 skeleton, text/names.py), each pair once, in id order."""
    from ..text.names import skeleton

    groups: dict[str, dict] = {}
    for rid, label, name in rows:
        groups.setdefault(skeleton(name), {}).setdefault(rid, (rid, label, name))
    pairs = []
    for found in groups.values():
        ordered = sorted(found.values())
        pairs += [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]
    return sorted(set(pairs))


def unit_twins(conn: sqlite3.Connection) -> list[Problem]:
    """Two units answering to names (current name, short name or alias) that print alike."""
    rows = conn.execute(
        "SELECT id, id, name FROM unit UNION SELECT id, id, short FROM unit "
        "WHERE short IS NOT NULL UNION SELECT unit_id, unit_id, alias FROM unit_alias"
    ).fetchall()
    return [
        Problem(
            "unit",
            f"{a[0]} và {b[0]}",
            f"hai đơn vị có tên in ra giống nhau: «{a[2]}» và «{b[2]}»",
        )
        for a, b in _alike([tuple(r) for r in rows])
    ]


def bloc_twins(conn: sqlite3.Connection) -> list[Problem]:
    """Two blocs whose current names print alike."""
    rows = conn.execute("SELECT id, code, name FROM bloc").fetchall()
    return [
        Problem(
            "bloc", f"{a[1]} và {b[1]}", f"hai khối có tên in ra giống nhau: «{a[2]}» và «{b[2]}»"
        )
        for a, b in _alike([tuple(r) for r in rows])
    ]


def names_are_clean(conn: sqlite3.Connection) -> list[Problem]:
    """Stored names with invisible characters or mixed scripts (written by an older tdkt or by
    hand), naming the character and its place."""
    from ..text.names import describe, foreign_letter, invisible_in

    out = []
    for table, key, col in (
        ("unit", "id", "name"),
        ("unit", "id", "short"),
        ("unit_alias", "unit_id", "alias"),
        ("bloc", "code", "name"),
    ):
        for rid, value in conn.execute(f"SELECT {key}, {col} FROM {table} WHERE {col} IS NOT NULL"):
            hidden = invisible_in(value)
            if hidden:
                pos, ch = hidden[0]
                out.append(
                    Problem(
                        table, str(rid), f"«{value}» có ký tự vô hình {describe(ch)} ở vị trí {pos}"
                    )
                )
            elif foreign_letter(value):
                pos, ch = foreign_letter(value)  # type: ignore[misc]
                out.append(
                    Problem(
                        table,
                        str(rid),
                        f"«{value}» trộn chữ Latin với chữ {describe(ch)} ở vị trí {pos}",
                    )
                )
    return out


CHECKS = [
    integrity,
    orphans,
    heads_are_members,
    present_are_members,
    text_is_nfc,
    lookup_is_current,
    mergers,
    unit_twins,
    bloc_twins,
    names_are_clean,
    ended_members,
    bloc_history,
]


def profiles_are_valid(conn: sqlite3.Connection) -> list[Problem]:
    from ..blocs import profiles

    return [Problem("bloc_profile", "", message) for message in profiles.problems(conn)]


CHECKS.append(profiles_are_valid)


def run(conn: sqlite3.Connection) -> list[Problem]:
    problems: list[Problem] = []
    for check in CHECKS:
        problems += check(conn)
    return problems
