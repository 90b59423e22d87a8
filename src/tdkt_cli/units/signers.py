"""Who signs for a unit, as dated data (issue 22): each signer holds from `valid_from` (None:
since always) until the next one's, read through core/dated.as_of like every dated value.

Documents call `signer_on(conn, unit_id, day)`; a unit without a signer on that day gives None,
and the document keeps an honest blank to fill.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from ..core import dated
from ..core.errors import InvalidInput, RuleBroken, TdktError
from ..core.models import Signer, Unit
from ..text import clean, clean_name, loose_key, parse_date
from . import service as unit_service

# Party bodies sign «T/M» (Hướng dẫn 36-HD/VPTW of 03/4/2018 on Party documents); state bodies,
# associations and mass organisations «TM.» (Nghị định 30/2020/NĐ-CP, Phụ lục I).
_PARTY_WORDS = (
    "ban thuong vu",
    "ban chap hanh",
    "dang uy",
    "tinh uy",
    "thanh uy",
    "huyen uy",
    "quan uy",
    "thi uy",
    "chi uy",
    "chi bo",
    "ban can su dang",
    "dang doan",
)


def authority_of(for_body: str | None) -> str | None:
    """«T/M» for a Party body, «TM.» for any other collective body, None when none is given."""
    if not for_body:
        return None
    key = loose_key(for_body)
    return "T/M" if any(w in key for w in _PARTY_WORDS) else "TM."


def as_signer(row: sqlite3.Row | dict) -> Signer:
    return Signer(
        name=row["name"],
        title=row["title"],
        for_body=row["for_body"],
        deputy_of=row["deputy_of"],
        valid_from=dt.date.fromisoformat(row["valid_from"]) if row["valid_from"] else None,
        authority=row["authority"],
    )


def _rows(conn: sqlite3.Connection, unit_id: int) -> list[dict]:
    return [
        dict(r)
        for r in conn.execute(
            "SELECT * FROM unit_signer WHERE unit_id = ? ORDER BY ifnull(valid_from, '')",
            (unit_id,),
        )
    ]


def signers(conn: sqlite3.Connection, unit_id: int) -> list[Signer]:
    """Every signer of the unit, oldest first."""
    return [as_signer(r) for r in _rows(conn, unit_id)]


def periods(conn: sqlite3.Connection, unit_id: int) -> list[dated.Period[Signer]]:
    """The unit's signers with the dates each holds ([valid_from, until), ISO strings)."""
    return [
        dated.Period(as_signer(p.value), p.valid_from, p.until)
        for p in dated.history(_rows(conn, unit_id))
    ]


def signer_on(conn: sqlite3.Connection, unit_id: int, day: dt.date | str | None) -> Signer | None:
    """The signer in force for the unit on `day` (the latest when `day` is None), or None."""
    stamp = day.isoformat() if isinstance(day, dt.date) else day
    row = dated.as_of(_rows(conn, unit_id), stamp)
    return as_signer(row) if row is not None else None


def _when(day: dt.date | None) -> str:
    return f"từ ngày {day:%d/%m/%Y}" if day else "từ đầu"


def check(
    unit: Unit,
    name: str,
    title: str,
    for_body: str | None = None,
    deputy_of: str | None = None,
    valid_from: str | dt.date | None = None,
) -> dict:
    """A signer's row, cleaned and checked against the unit's lifetime (raises on bad input)."""
    name = clean_name(name, field="tên người ký")
    title = clean_name(title, field="chức vụ người ký")
    for_body = clean(for_body, field="cơ quan thay mặt") or None if for_body is not None else None
    deputy_of = clean(deputy_of, field="chức vụ ký thay") or None if deputy_of is not None else None
    day = parse_date(valid_from) if valid_from not in (None, "") else None
    if day is not None:
        if unit.founded_on is not None and day < unit.founded_on:
            raise RuleBroken(
                f"«{unit.name}» thành lập từ ngày {unit.founded_on:%d/%m/%Y}; không thể có người "
                f"ký từ ngày {day:%d/%m/%Y}."
            )
        if unit.ended_on is not None and day >= unit.ended_on:
            raise RuleBroken(
                f"«{unit.name}» đã {unit_service.gone_words(unit)}; không thể có người ký từ "
                f"ngày {day:%d/%m/%Y}."
            )
    return {
        "unit_id": unit.id,
        "valid_from": day.isoformat() if day else None,
        "name": name,
        "title": title,
        "for_body": for_body,
        "deputy_of": deputy_of,
        "authority": authority_of(for_body),
    }


_COLS = ("unit_id", "valid_from", "name", "title", "for_body", "deputy_of", "authority")


def _same_day(conn: sqlite3.Connection, unit_id: int, valid_from: str | None) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM unit_signer WHERE unit_id = ? AND ifnull(valid_from, '') = ?",
        (unit_id, valid_from or ""),
    ).fetchone()


def write(conn: sqlite3.Connection, row: dict) -> None:
    conn.execute(
        f"INSERT INTO unit_signer ({', '.join(_COLS)}) VALUES ({', '.join('?' * len(_COLS))})",
        [row[c] for c in _COLS],
    )


def refuse_same_day(conn: sqlite3.Connection, unit: Unit, row: dict, where: str = "") -> bool:
    """True when the very same signer is already recorded (nothing to do); refuses another one
    from the same day."""
    old = _same_day(conn, unit.id, row["valid_from"])
    if old is None:
        return False
    if all(old[c] == row[c] for c in _COLS):
        return True
    day = dt.date.fromisoformat(row["valid_from"]) if row["valid_from"] else None
    raise RuleBroken(
        f"{where}«{unit.name}» đã có người ký {_when(day)}: {old['name']} ({old['title']}); "
        "dùng --replace để thay bằng người mới, hoặc chọn ngày khác."
    )


def set_signer(
    conn: sqlite3.Connection,
    unit: Unit,
    name: str,
    title: str,
    *,
    for_body: str | None = None,
    deputy_of: str | None = None,
    valid_from: str | dt.date | None = None,
    replace: bool = False,
) -> tuple[Signer, Signer | None]:
    """Record who signs for `unit` from `valid_from`; returns (the signer, the one it replaced
    on the same day with `replace`, else None). Another signer from the same day is refused
    unless `replace` (a correction of what was typed)."""
    row = check(unit, name, title, for_body, deputy_of, valid_from)
    old = _same_day(conn, unit.id, row["valid_from"])
    if old is not None and replace:
        conn.execute(
            "DELETE FROM unit_signer WHERE unit_id = ? AND ifnull(valid_from, '') = ?",
            (unit.id, row["valid_from"] or ""),
        )
        write(conn, row)
        return as_signer(row), as_signer(old)
    if not refuse_same_day(conn, unit, row):
        write(conn, row)
    return as_signer(row), None


def remove_signer(conn: sqlite3.Connection, unit: Unit, valid_from: str | dt.date | None) -> Signer:
    """Take off the signer recorded from `valid_from` (None: the one since always)."""
    day = parse_date(valid_from) if valid_from not in (None, "") else None
    old = _same_day(conn, unit.id, day.isoformat() if day else None)
    if old is None:
        listed = "; ".join(f"{s.name} {_when(s.valid_from)}" for s in signers(conn, unit.id))
        raise InvalidInput(
            f"«{unit.name}» không có người ký {_when(day)} (đã ghi: {listed or 'chưa có ai'})."
        )
    conn.execute(
        "DELETE FROM unit_signer WHERE unit_id = ? AND ifnull(valid_from, '') = ?",
        (unit.id, old["valid_from"] or ""),
    )
    return as_signer(old)


# Column headers a clerk may use, by their accent-free key.
_HEADERS = {
    "unit": ("unit", "don vi", "ten don vi"),
    "name": ("name", "ho ten", "ho va ten", "nguoi ky", "ten nguoi ky"),
    "title": ("title", "chuc vu", "chuc danh"),
    "for": ("for", "thay mat", "tm", "co quan"),
    "deputy_of": ("deputy of", "deputy_of", "ky thay", "kt"),
    "from": ("from", "tu ngay", "ngay", "hieu luc tu"),
}


def read_file(
    conn: sqlite3.Connection, path: Path, replace: bool = False
) -> list[tuple[Unit, dict, bool]]:
    """The signers of a CSV or .xlsx (columns unit, name, title, for, from; deputy_of optional),
    every line checked before anything is written: (unit, row, already recorded) each. A bad line
    is refused naming the file and the line."""
    from ..files import sheets

    if not path.exists():
        raise InvalidInput(f"Không có tệp «{path}».")
    rows = sheets.read_rows(path)
    if not rows:
        raise InvalidInput(f"Tệp {path.name} không có dòng nào.")
    header = [loose_key(h or "").replace("_", " ") for h in rows[0]]
    where_col: dict[str, int] = {}
    for key, names in _HEADERS.items():
        for i, h in enumerate(header):
            if h in {n.replace("_", " ") for n in names}:
                where_col[key] = i
                break
    missing = [k for k in ("unit", "name", "title") if k not in where_col]
    if missing:
        raise InvalidInput(
            f"Tệp {path.name} thiếu cột {', '.join(missing)} (cần các cột unit, name, title, "
            "và nếu có: for, deputy_of, from)."
        )

    def cell(line: Sequence[str], key: str) -> str | None:
        i = where_col.get(key)
        value = line[i] if i is not None and i < len(line) else None
        return value.strip() if value and value.strip() else None

    out: list[tuple[Unit, dict, bool]] = []
    seen: set[tuple[int, str]] = set()
    for n, line in enumerate(rows[1:], 2):
        if not any((c or "").strip() for c in line):
            continue
        where = f"Tệp {path.name}, dòng {n}"
        try:
            unit = unit_service.resolve(conn, cell(line, "unit") or "")
            row = check(
                unit,
                cell(line, "name") or "",
                cell(line, "title") or "",
                cell(line, "for"),
                cell(line, "deputy_of"),
                cell(line, "from"),
            )
        except TdktError as exc:
            raise InvalidInput(f"{where}: {exc.message}") from None
        key = (unit.id, row["valid_from"] or "")
        if key in seen:
            raise InvalidInput(
                f"{where}: «{unit.name}» có hai người ký {_when(parse_date(key[1]) if key[1] else None)}."
            )
        seen.add(key)
        old = _same_day(conn, unit.id, row["valid_from"])
        same = old is not None and all(old[c] == row[c] for c in _COLS)
        if old is not None and not same and not replace:
            try:
                refuse_same_day(conn, unit, row)
            except RuleBroken as exc:
                raise InvalidInput(f"{where}: {exc.message}") from None
        out.append((unit, row, same))
    return out


def write_file_rows(conn: sqlite3.Connection, plan: list[tuple[Unit, dict, bool]]) -> int:
    """Write what read_file checked; returns how many signers were written (the same signer
    already recorded is left as it is, so a second run changes nothing)."""
    written = 0
    for unit, row, same in plan:
        if same:
            continue
        conn.execute(
            "DELETE FROM unit_signer WHERE unit_id = ? AND ifnull(valid_from, '') = ?",
            (unit.id, row["valid_from"] or ""),
        )
        write(conn, row)
        written += 1
    return written
