"""Units: names, aliases, dated renames and mergers, and matching what a user types.

History is never rewritten: a rename stores the old name with the day the new one starts, so a
record dated before it still prints the old name (`name_on`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence

from ..core import dated
from ..core.errors import Ambiguous, InvalidInput, NotFound, RuleBroken
from ..core.models import FormerName, Unit
from ..text import (
    clean,
    clean_name,
    clean_optional_name,
    loose_key,
    match_key,
    parse_date,
    sort_key,
)
from ..text.names import skeleton, twin_key


def _unit_from_row(conn: sqlite3.Connection, row: sqlite3.Row) -> Unit:
    aliases = tuple(
        r[0]
        for r in conn.execute(
            "SELECT alias FROM unit_alias WHERE unit_id = ? ORDER BY position", (row["id"],)
        )
    )
    former = tuple(
        FormerName(p.value["name"], p.value["short"], dt.date.fromisoformat(p.until))
        for p in dated.history(name_rows(conn, row["id"]))
        if p.until is not None
    )
    return Unit(
        id=row["id"],
        name=row["name"],
        short=row["short"],
        aliases=aliases,
        former=former,
        merged_into=row["merged_into"],
        ended_on=dt.date.fromisoformat(row["ended_on"]) if row["ended_on"] else None,
        founded_on=dt.date.fromisoformat(row["founded_on"]) if row["founded_on"] else None,
        end_reason=row["end_reason"],
    )


def get(conn: sqlite3.Connection, unit_id: int) -> Unit:
    row = conn.execute("SELECT * FROM unit WHERE id = ?", (unit_id,)).fetchone()
    if row is None:
        raise NotFound(f"Không có đơn vị mã số {unit_id}.")
    return _unit_from_row(conn, row)


def _names_of(conn: sqlite3.Connection, unit_id: int) -> list[tuple[str, str]]:
    row = conn.execute("SELECT name, short FROM unit WHERE id = ?", (unit_id,)).fetchone()
    names = [(row["name"], "name")]
    if row["short"]:
        names.append((row["short"], "short"))
    names += [
        (r[0], "alias")
        for r in conn.execute("SELECT alias FROM unit_alias WHERE unit_id = ?", (unit_id,))
    ]
    for r in name_rows(conn, unit_id)[:-1]:
        names.append((r["name"], "former"))
        if r["short"]:
            names.append((r["short"], "former"))
    return names


def answered_names(conn: sqlite3.Connection) -> dict[int, set[str]]:
    """`_names_of` for every unit at once, as sets of names (db check's lookup check): its name
    and short name, its aliases, and the names of its periods but the latest (the unit row)."""
    names: dict[int, set[str]] = {}
    for uid, name, short in conn.execute("SELECT id, name, short FROM unit ORDER BY id"):
        names[uid] = {name, short} if short else {name}
    for uid, alias in conn.execute("SELECT unit_id, alias FROM unit_alias"):
        if uid in names:
            names[uid].add(alias)
    periods: dict[int, list[tuple[str, str | None]]] = {}
    for uid, name, short in conn.execute(
        "SELECT unit_id, name, short FROM unit_name_period ORDER BY unit_id, ifnull(valid_from, '')"
    ):
        periods.setdefault(uid, []).append((name, short))
    for uid, rows in periods.items():
        if uid in names:
            for name, short in rows[:-1]:
                names[uid].update((name, short) if short else (name,))
    return names


def reindex(conn: sqlite3.Connection, unit_id: int) -> None:
    """Write the unit's lookup keys again from the names it answers to (`_names_of`)."""
    conn.execute("DELETE FROM unit_lookup WHERE unit_id = ?", (unit_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO unit_lookup (unit_id, key, loose, source) VALUES (?, ?, ?, ?)",
        [(unit_id, match_key(n), loose_key(n), src) for n, src in _names_of(conn, unit_id)],
    )


def _taken(conn: sqlite3.Connection, names: Iterable[str], exclude: int | None = None) -> None:
    """Refuse a name that another unit already answers to."""
    for name in names:
        row = conn.execute(
            "SELECT u.id, u.name FROM unit_lookup l JOIN unit u ON u.id = l.unit_id "
            "WHERE l.key = ? AND u.id IS NOT ?",
            (match_key(name), exclude),
        ).fetchone()
        if row:
            raise RuleBroken(
                f"Tên «{name}» trùng với đơn vị đã có: {row['name']} (mã số {row['id']})."
            )


# every name a unit answers to, current or former, with the unit's id
_ALL_NAMES = (
    "SELECT id, name FROM unit UNION ALL SELECT id, short FROM unit WHERE short IS NOT NULL "
    "UNION ALL SELECT unit_id, alias FROM unit_alias "
    "UNION ALL SELECT unit_id, name FROM unit_name_period "
    "UNION ALL SELECT unit_id, short FROM unit_name_period WHERE short IS NOT NULL"
)


def twin_index(conn: sqlite3.Connection) -> dict[str, list[int]]:
    """Every name's twin key (text/names.py) → the units answering to such a name, in id order;
    for callers that look up many names against an unchanging table (an import's matching)."""
    index: dict[str, set[int]] = {}
    for uid, other in conn.execute(_ALL_NAMES):
        index.setdefault(twin_key(other), set()).add(uid)
    return {k: sorted(v) for k, v in index.items()}


def twins_of(
    conn: sqlite3.Connection,
    name: str,
    exclude: int | None = None,
    index: dict[str, list[int]] | None = None,
) -> list[int]:
    """Units (but `exclude`) answering to a name that prints like `name` or differs from it only
    by marks, punctuation or spaces (text/names.py, twin_key), in id order."""
    key = twin_key(name)
    if not key:
        return []
    if index is not None:
        return [uid for uid in index.get(key, ()) if uid != exclude]
    found = {
        uid for uid, other in conn.execute(_ALL_NAMES) if uid != exclude and twin_key(other) == key
    }
    return sorted(found)


def _refuse_twins(
    conn: sqlite3.Connection, new: Iterable[str], exclude: int | None, force: bool
) -> None:
    """Refuse a new name that would print like another unit's (see twins_of): always when the
    skeletons are equal, else unless `force`."""
    for name in new:
        ids = twins_of(conn, name, exclude)
        same = [i for i in ids if any(skeleton(n) == skeleton(name) for n, _ in _names_of(conn, i))]
        if same:
            raise RuleBroken(
                f"Tên «{name}» in ra giống hệt tên của đơn vị đã có {_describe(conn, same)}; hai "
                "đơn vị không thể mang tên in ra như nhau, hãy dùng đơn vị đó hoặc đặt tên khác."
            )
        if ids and not force:
            raise RuleBroken(
                f"Tên «{name}» gần như trùng với đơn vị đã có {_describe(conn, ids)}, chỉ khác "
                "dấu, khoảng trắng hoặc chữ trông giống nhau; hãy dùng đơn vị đó, hoặc thêm "
                "--force nếu đây thật là một đơn vị khác."
            )


def add(
    conn: sqlite3.Connection,
    name: str,
    short: str | None = None,
    aliases: Sequence[str] = (),
    unit_id: int | None = None,
    founded: str | dt.date | None = None,
    force: bool = False,
) -> Unit:
    """Add a unit; refuse a name, short name or alias that another unit already answers to, or
    one that prints like it (unless `force`: a real second unit)."""
    name = clean_name(name, field="tên đơn vị")
    short = clean_optional_name(short, field="tên viết tắt")
    aliases = _dedupe([clean_name(a, field="tên gọi khác") for a in aliases], {match_key(name)})
    _taken(conn, [name, *([short] if short else []), *aliases])
    _refuse_twins(conn, [name, *aliases], None, force)
    cur = conn.execute(
        "INSERT INTO unit (id, name, short, founded_on) VALUES (?, ?, ?, ?)",
        (unit_id, name, short, parse_date(founded).isoformat() if founded else None),
    )
    new_id = cur.lastrowid
    set_names(conn, new_id, [{"valid_from": None, "name": name, "short": short}])
    conn.executemany(
        "INSERT INTO unit_alias (unit_id, position, alias) VALUES (?, ?, ?)",
        [(new_id, i, a) for i, a in enumerate(aliases, 1)],
    )
    reindex(conn, new_id)
    return get(conn, new_id)


def _dedupe(names: list[str], seen: set[str]) -> list[str]:
    out = []
    for n in names:
        k = match_key(n)
        if k not in seen:
            seen.add(k)
            out.append(n)
    return out


def add_alias(conn: sqlite3.Connection, unit: Unit, aliases: Sequence[str]) -> Unit:
    """Give a unit more names to be found by (see add_alias_report for what was dropped)."""
    return add_alias_report(conn, unit, aliases)[0]


def add_alias_report(
    conn: sqlite3.Connection, unit: Unit, aliases: Sequence[str], force: bool = False
) -> tuple[Unit, list[str]]:
    """Give a unit more names; returns the unit and the names dropped because the unit
    already answers to them (or they were typed twice)."""
    cleaned = [clean_name(a, field="tên gọi khác") for a in aliases]
    _taken(conn, cleaned, exclude=unit.id)
    _refuse_twins(conn, cleaned, unit.id, force)
    known = {match_key(n) for n, _ in _names_of(conn, unit.id)}
    start = conn.execute(
        "SELECT COALESCE(MAX(position), 0) FROM unit_alias WHERE unit_id = ?", (unit.id,)
    ).fetchone()[0]
    fresh = _dedupe(cleaned, known)
    conn.executemany(
        "INSERT INTO unit_alias (unit_id, position, alias) VALUES (?, ?, ?)",
        [(unit.id, start + i, a) for i, a in enumerate(fresh, 1)],
    )
    reindex(conn, unit.id)
    fresh_keys = {match_key(n) for n in fresh}
    dropped = []
    for n in cleaned:
        if match_key(n) in fresh_keys:
            fresh_keys.discard(match_key(n))
        else:
            dropped.append(n)
    return get(conn, unit.id), dropped


def _describe(conn: sqlite3.Connection, ids: Iterable[int]) -> str:
    rows = [conn.execute("SELECT id, name FROM unit WHERE id = ?", (i,)).fetchone() for i in ids]
    rows.sort(key=lambda r: sort_key(r["name"]))
    return "; ".join(f"{r['name']} (mã số {r['id']})" for r in rows)


def resolve(conn: sqlite3.Connection, text: str) -> Unit:
    """Find the one unit that `text` names: id, name, short name, alias or former name."""
    raw = str(text).strip()
    if not raw:
        raise InvalidInput("Tên đơn vị không được để trống.")
    if raw.isdecimal():
        row = conn.execute("SELECT * FROM unit WHERE id = ?", (int(raw),)).fetchone()
        if row:
            return _unit_from_row(conn, row)
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT unit_id FROM unit_lookup WHERE key = ?", (match_key(raw),)
        )
    ]
    if not ids:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT unit_id FROM unit_lookup WHERE loose = ?", (loose_key(raw),)
            )
        ]
    if not ids:  # typed with look-alike letters, or a space lost to a pasted invisible one
        ids = twins_of(conn, raw)
    if len(ids) == 1:
        return get(conn, ids[0])
    if len(ids) > 1:
        raise Ambiguous(
            f"«{raw}» khớp với nhiều đơn vị: {_describe(conn, ids)}. Hãy ghi rõ tên hoặc mã số."
        )
    near = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT unit_id FROM unit_lookup WHERE loose LIKE ? ESCAPE '\\' LIMIT 5",
            (
                "%"
                + loose_key(raw).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%",
            ),
        )
    ]
    hint = f" Có phải: {_describe(conn, near)}?" if near else ""
    raise NotFound(f"Không tìm thấy đơn vị «{raw}».{hint}")


def resolve_part(conn: sqlite3.Connection, text: str) -> Unit:
    """`resolve`, and failing that the one unit whose name (or short name, alias, former name)
    holds `text` as whole words: «thanh son» is «UBND Xã Thanh Sơn» when no other unit's name
    holds it. For reading commands (`unit show`), where a wrong guess changes nothing."""
    try:
        return resolve(conn, text)
    except NotFound:
        words = f" {loose_key(str(text).strip())} "
        ids = {
            r[0]
            for r in conn.execute("SELECT unit_id, loose FROM unit_lookup")
            if words.strip() and words in f" {r[1]} "
        }
        if len(ids) == 1:
            return get(conn, ids.pop())
        raise


def resolve_many(conn: sqlite3.Connection, texts: Sequence[str]) -> list[Unit]:
    units = [resolve(conn, t) for t in texts]
    seen: set[int] = set()
    for u in units:
        if u.id in seen:
            raise InvalidInput(f"Đơn vị «{u.name}» được nêu hai lần.")
        seen.add(u.id)
    return units


def name_rows(conn: sqlite3.Connection, unit_id: int) -> list[dict]:
    """The unit's names as dated rows (valid_from None: since always), oldest first; the last is
    the current name, the one on the unit row."""
    rows = [
        dict(r)
        for r in conn.execute(
            "SELECT valid_from, name, short FROM unit_name_period WHERE unit_id = ? "
            "ORDER BY ifnull(valid_from, '')",
            (unit_id,),
        )
    ]
    row = conn.execute("SELECT name, short FROM unit WHERE id = ?", (unit_id,)).fetchone()
    if not rows:  # written without periods (an older import): the current name, since always
        rows = [{"valid_from": None, "name": row["name"], "short": row["short"]}]
    # the unit row is the current name: a correction made there holds for the latest period
    rows[-1].update(name=row["name"], short=row["short"])
    return rows


def set_names(conn: sqlite3.Connection, unit_id: int, periods: Sequence[dict]) -> None:
    """Replace a unit's name periods (each {valid_from, name, short}); the latest is its name."""
    conn.execute("DELETE FROM unit_name_period WHERE unit_id = ?", (unit_id,))
    conn.executemany(
        "INSERT INTO unit_name_period (unit_id, valid_from, name, short) VALUES (?, ?, ?, ?)",
        [(unit_id, p["valid_from"], p["name"], p["short"]) for p in periods],
    )


def name_on(conn: sqlite3.Connection, unit_id: int, day: dt.date | None) -> tuple[str, str | None]:
    """The unit's (name, short name) valid on `day`; the current one when `day` is None."""
    if day is None:  # the latest period, which is the unit row (name_rows says why): one query
        row = conn.execute("SELECT name, short FROM unit WHERE id = ?", (unit_id,)).fetchone()
        if row is not None:
            return row[0], row[1]
    rows = name_rows(conn, unit_id)
    row = dated.as_of(rows, day.isoformat() if day else None) or rows[0]
    return row["name"], row["short"]


def alive_on(unit: Unit, day: dt.date | str | None) -> bool:
    """Whether the unit exists on `day` (founded by then, not yet merged or dissolved)."""
    stamp = day.isoformat() if isinstance(day, dt.date) else day
    return dated.alive(
        unit.founded_on.isoformat() if unit.founded_on else None,
        unit.ended_on.isoformat() if unit.ended_on else None,
        stamp,
    )


def alive_in_year(unit: Unit, year: int) -> bool:
    """Whether the unit exists on some day of `year`."""
    return _alive_in_year(unit.founded_on, unit.ended_on, year)


def _alive_in_year(founded_on: dt.date | None, ended_on: dt.date | None, year: int) -> bool:
    founded_ok = founded_on is None or founded_on.year <= year
    return founded_ok and (ended_on is None or ended_on > dt.date(year, 1, 1))


def ids_alive_in_year(conn: sqlite3.Connection, year: int) -> list[int]:
    """Every unit that exists on some day of `year` (alive_in_year), in id order, read from the
    unit rows alone."""

    def day(text: str | None) -> dt.date | None:
        return dt.date.fromisoformat(text) if text else None

    return [
        r[0]
        for r in conn.execute("SELECT id, founded_on, ended_on FROM unit ORDER BY id")
        if _alive_in_year(day(r[1]), day(r[2]), year)
    ]


def gone_words(unit: Unit) -> str:
    """How the unit ended, for a sentence: "sáp nhập từ ngày 01/07/2025"."""
    if unit.ended_on is None:
        return ""
    how = "sáp nhập" if unit.merged_into is not None else "giải thể"
    return f"{how} từ ngày {unit.ended_on:%d/%m/%Y}"


def existence_problem(unit: Unit, day: dt.date | str | None, what: str = "có mặt") -> str | None:
    """Why `unit` cannot `what` on `day`, as one Vietnamese sentence naming the unit and the
    date; None when it exists that day (or no day is given). Pure: the one rule for meetings,
    pledges, scores, covenants and votes."""
    if day is None or alive_on(unit, day):
        return None
    stamp = parse_date(day)
    if unit.founded_on is not None and stamp < unit.founded_on:
        return (
            f"«{unit.name}» thành lập từ ngày {unit.founded_on:%d/%m/%Y}; ngày {stamp:%d/%m/%Y} "
            f"chưa thể {what}."
        )
    return f"«{unit.name}» đã {gone_words(unit)}; ngày {stamp:%d/%m/%Y} không thể {what}."


def require_alive(unit: Unit, day: dt.date | str | None, what: str) -> None:
    """Refuse a unit that does not exist on `day`, naming the date; `what` says what it can't do."""
    problem = existence_problem(unit, day, what)
    if problem:
        raise RuleBroken(problem)


def end(conn: sqlite3.Connection, unit: Unit, on: str | dt.date, reason: str | None = None) -> Unit:
    """Record that the unit was dissolved from `on` (no successor); its history stays."""
    day = parse_date(on)
    if unit.ended_on is not None:
        raise RuleBroken(f"«{unit.name}» đã {gone_words(unit)}.")
    if unit.founded_on is not None and day <= unit.founded_on:
        raise RuleBroken(
            f"«{unit.name}» thành lập ngày {unit.founded_on:%d/%m/%Y}; ngày giải thể phải sau ngày đó."
        )
    _refuse_member_after(conn, [unit], day, "giải thể")
    conn.execute(
        "UPDATE unit SET ended_on = ?, end_reason = ? WHERE id = ?",
        (
            day.isoformat(),
            clean(reason, field="lý do") or None if reason else None,
            unit.id,
        ),
    )
    return get(conn, unit.id)


def _refuse_member_after(
    conn: sqlite3.Connection, units: Sequence[Unit], day: dt.date, how: str
) -> None:
    """A unit that ends on `day` does not exist in a year that starts on or after it: being a
    member of a bloc in such a year would be a record `db check` rejects. (A unit that ends
    mid-year was a member until then, and stays one.)"""
    for u in units:
        rows = conn.execute(
            "SELECT b.code, m.year FROM membership m JOIN bloc b ON b.id = m.bloc_id "
            "WHERE m.unit_id = ? AND printf('%04d-01-01', m.year) >= ? ORDER BY m.year, b.code",
            (u.id, day.isoformat()),
        ).fetchall()
        if rows:
            listed = ", ".join(f"khối {code} năm {year}" for code, year in rows)
            code, year = rows[0]
            raise RuleBroken(
                f"«{u.name}» là thành viên {listed}, những năm đơn vị không còn nếu {how} từ ngày "
                f"{day:%d/%m/%Y}; cho đơn vị rời khối trước («tdkt bloc leave {code} "
                f'"{u.name}" --year {year}») hoặc chọn ngày khác.'
            )


def affected(conn: sqlite3.Connection, unit_ids: Sequence[int], day: dt.date) -> list[str]:
    """The bloc-years touched by these units ending on `day`: membership, head or deputy in the
    year of `day` or later, one sentence each."""
    out = []
    for uid in unit_ids:
        name = conn.execute("SELECT name FROM unit WHERE id = ?", (uid,)).fetchone()[0]
        for r in conn.execute(
            "SELECT b.code, m.year, y.head_id, y.deputy_id FROM membership m "
            "JOIN bloc b ON b.id = m.bloc_id LEFT JOIN bloc_year y ON y.bloc_id = m.bloc_id "
            "AND y.year = m.year WHERE m.unit_id = ? AND m.year >= ? ORDER BY b.code, m.year",
            (uid, day.year),
        ):
            role = (
                "trưởng khối"
                if r["head_id"] == uid
                else "phó khối"
                if r["deputy_id"] == uid
                else "thành viên"
            )
            out.append(f"{name}: {role} khối {r['code']} năm {r['year']}")
    return out


def list_units(
    conn: sqlite3.Connection, bloc_id: int | None = None, year: int | None = None
) -> list[Unit]:
    """Units in Vietnamese order, or a bloc's members of a year in the bloc's order."""
    if bloc_id is not None:
        sql = "SELECT u.* FROM membership m JOIN unit u ON u.id = m.unit_id WHERE m.bloc_id = ?"
        params: list = [bloc_id]
        if year is not None:
            sql += " AND m.year = ?"
            params.append(year)
        sql += " GROUP BY u.id ORDER BY MIN(m.position), u.id"
        return [_unit_from_row(conn, r) for r in conn.execute(sql, params)]
    if year is not None:
        rows = conn.execute(
            "SELECT DISTINCT u.* FROM membership m JOIN unit u ON u.id = m.unit_id WHERE m.year = ?",
            (year,),
        ).fetchall()
    else:
        rows = conn.execute("SELECT * FROM unit").fetchall()
    units = [_unit_from_row(conn, r) for r in rows]
    units.sort(key=lambda u: sort_key(u.name))
    return units


def rename(
    conn: sqlite3.Connection,
    unit: Unit,
    new_name: str,
    on: str | dt.date,
    short: str | None = None,
    force: bool = False,
) -> Unit:
    """Rename from `on`; the old name stays the unit's name for every day before it."""
    day = parse_date(on)
    new_name = clean_name(new_name, field="tên mới")
    new_short = (
        clean_optional_name(short, field="tên viết tắt") if short is not None else unit.short
    )
    last = name_rows(conn, unit.id)[-1]["valid_from"]
    if last and day.isoformat() <= last:
        raise RuleBroken(
            f"Đơn vị «{unit.name}» đã đổi tên từ ngày {last}; lần đổi tên mới phải sau ngày đó."
        )
    if match_key(new_name) == match_key(unit.name) and new_short == unit.short:
        raise RuleBroken(f"Đơn vị đã mang tên «{unit.name}».")
    _taken(conn, [new_name], exclude=unit.id)
    _refuse_twins(conn, [new_name], unit.id, force)
    if not conn.execute("SELECT 1 FROM unit_name_period WHERE unit_id = ?", (unit.id,)).fetchone():
        set_names(conn, unit.id, name_rows(conn, unit.id))
    conn.execute(
        "INSERT INTO unit_name_period (unit_id, valid_from, name, short) VALUES (?, ?, ?, ?)",
        (unit.id, day.isoformat(), new_name, new_short or None),
    )
    conn.execute(
        "UPDATE unit SET name = ?, short = ? WHERE id = ?", (new_name, new_short or None, unit.id)
    )
    reindex(conn, unit.id)
    return get(conn, unit.id)


def resolve_listed(conn: sqlite3.Connection, text: str, where: str, seen: set[int]) -> Unit:
    """A unit named on a line of a file (a member list, a score sheet): resolved, and refused when
    the file named it already; `where` says the file and line ("Tệp x.csv, dòng 3")."""
    try:
        unit = resolve(conn, text)
    except (NotFound, InvalidInput) as exc:
        raise InvalidInput(f"{where}: {exc.message}") from None
    if unit.id in seen:
        raise InvalidInput(f"{where}: «{unit.name}» xuất hiện hai lần.")
    seen.add(unit.id)
    return unit


def merge(
    conn: sqlite3.Connection, units: Sequence[Unit], into: Unit, on: str | dt.date
) -> list[Unit]:
    """Record that `units` were merged into `into` from `on`; their history stays."""
    day = parse_date(on)
    for u in units:
        if u.id == into.id:
            raise RuleBroken(f"Không thể sáp nhập «{u.name}» vào chính nó.")
        if u.merged_into is not None:
            target = get(conn, u.merged_into)
            raise RuleBroken(f"«{u.name}» đã sáp nhập vào «{target.name}» từ {u.ended_on}.")
        if u.ended_on is not None:
            raise RuleBroken(f"«{u.name}» đã {gone_words(u)}.")
    if into.merged_into is not None:
        raise RuleBroken(f"«{into.name}» đã sáp nhập vào đơn vị khác; không nhận sáp nhập được.")
    require_alive(into, day, "nhận sáp nhập")
    _refuse_member_after(conn, units, day, "sáp nhập")
    for u in units:
        conn.execute(
            "UPDATE unit SET merged_into = ?, ended_on = ? WHERE id = ?",
            (into.id, day.isoformat(), u.id),
        )
    return [get(conn, u.id) for u in units]


def lineage(conn: sqlite3.Connection, unit_id: int) -> list[Unit]:
    """Units that were merged into this one, directly or through others."""
    found: list[Unit] = []
    frontier = [unit_id]
    seen = {unit_id}  # a loop of mergers (bad imported data, found by db check) ends here
    while frontier:
        current = frontier.pop()
        for r in conn.execute("SELECT id FROM unit WHERE merged_into = ?", (current,)):
            if r[0] in seen:
                continue
            seen.add(r[0])
            found.append(get(conn, r[0]))
            frontier.append(r[0])
    return found


# --- corrections: fix what was typed wrong, without history ----------------------------------


def correct(
    conn: sqlite3.Connection,
    unit: Unit,
    new_name: str,
    short: str | None = None,
    force: bool = False,
) -> tuple[Unit, str]:
    """Fix the spelling of a unit's current name (and short name): no former name is kept, so
    every document, past ones included, prints the corrected spelling. Returns the unit and the
    spelling it replaced."""
    new_name = clean_name(new_name, field="tên mới")
    new_short = (
        clean_optional_name(short, field="tên viết tắt") if short is not None else unit.short
    )
    if new_name == unit.name and new_short == unit.short:
        raise RuleBroken(f"Đơn vị đã mang đúng tên «{unit.name}».")
    _taken(conn, [new_name, *([new_short] if new_short else [])], exclude=unit.id)
    _refuse_twins(conn, [new_name], unit.id, force)
    conn.execute("UPDATE unit SET name = ?, short = ? WHERE id = ?", (new_name, new_short, unit.id))
    # the current period takes the corrected spelling too (name_rows reads it from the unit row)
    set_names(conn, unit.id, name_rows(conn, unit.id))
    # an alias equal to the corrected name is now redundant
    for alias in unit.aliases:
        if match_key(alias) == match_key(new_name):
            conn.execute("DELETE FROM unit_alias WHERE unit_id = ? AND alias = ?", (unit.id, alias))
    reindex(conn, unit.id)
    return get(conn, unit.id), unit.name


def remove_alias(conn: sqlite3.Connection, unit: Unit, aliases: Sequence[str]) -> Unit:
    """Take names off a unit's aliases; each must be one of them."""
    for text in aliases:
        key = match_key(text)
        found = [a for a in unit.aliases if match_key(a) == key]
        if not found:
            listed = "; ".join(unit.aliases) or "không có"
            raise NotFound(
                f"«{text}» không phải tên gọi khác của {unit.name} (các tên gọi khác: {listed})."
            )
        conn.execute("DELETE FROM unit_alias WHERE unit_id = ? AND alias = ?", (unit.id, found[0]))
    reindex(conn, unit.id)
    return get(conn, unit.id)


# Where a unit can be named, and how to say it: a unit named anywhere cannot be removed.
_USES = (
    ("membership", "unit_id", "là thành viên của khối"),
    ("bloc_year", "head_id", "là trưởng khối"),
    ("bloc_year", "deputy_id", "là phó khối"),
    ("meeting_present", "unit_id", "có tên trong hội nghị"),
    ("meeting_absence", "unit_id", "có lý do vắng mặt ở hội nghị"),
    ("pledge", "unit_id", "có đăng ký thi đua"),
    ("covenant_signer", "unit_id", "đã ký giao ước"),
    ("vote_candidate", "unit_id", "là ứng viên bỏ phiếu"),
    ("vote_count", "unit_id", "có số phiếu"),
    ("vote_elected", "unit_id", "được bầu"),
    ("ineligible", "unit_id", "có ghi nhận không đủ điều kiện"),
    ("proposal", "unit_id", "có đề nghị khen thưởng"),
    ("decision", "unit_id", "có quyết định khen thưởng"),
    ("score", "unit_id", "có điểm chấm"),
    ("exemplar", "unit_id", "có điển hình tiên tiến"),
    ("contribution", "unit_id", "có đóng góp"),
    ("movement_unit", "unit_id", "có phong trào thi đua"),
    ("movement_report", "unit_id", "có báo cáo phong trào"),
    ("unit", "merged_into", "đã nhận sáp nhập"),
)


def uses(conn: sqlite3.Connection, unit_id: int) -> list[str]:
    """What still names the unit, in words (empty when nothing does)."""
    found = []
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, column, words in _USES:
        if (
            table in tables
            and conn.execute(
                f"SELECT 1 FROM {table} WHERE {column} = ? LIMIT 1", (unit_id,)
            ).fetchone()
        ):
            found.append(words)
    return found


def remove(conn: sqlite3.Connection, unit: Unit) -> Unit:
    """Remove a unit entered by mistake; refused while any record names it."""
    used = uses(conn, unit.id)
    if used:
        raise RuleBroken(
            f"Không thể xóa «{unit.name}»: đơn vị này {', '.join(used)}. "
            "Hãy sửa hoặc xóa các bản ghi đó trước."
        )
    conn.execute("DELETE FROM unit_lookup WHERE unit_id = ?", (unit.id,))
    conn.execute("DELETE FROM unit_alias WHERE unit_id = ?", (unit.id,))
    conn.execute("DELETE FROM unit_name_period WHERE unit_id = ?", (unit.id,))
    conn.execute("DELETE FROM unit_signer WHERE unit_id = ?", (unit.id,))
    conn.execute("DELETE FROM unit WHERE id = ?", (unit.id,))
    return unit
