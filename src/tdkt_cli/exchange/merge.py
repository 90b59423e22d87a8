"""Import one or several secretariats' files into one database (a bloc's file, or a province's).

Each secretariat numbers its own records from 1, so a file's ids mean nothing here until they are
matched. For each file, in order, before anything is checked:

- a unit is the unit here with the same stable identifier (`uid`); else the one with the same
  official electronic identifier (`official`, current or former); else the one unit whose name,
  short name or alias has the same match key as the file's name — two such units is a problem the
  office resolves with a mapping file; else the one unit whose name prints like it or differs by
  marks only (units.twins_of: a look-alike is not a new unit; the map can still say «mới»); else
  a new unit;
- a bloc is the bloc with the same `uid`, else the one with the same code (a bloc with the same
  code and another `uid` is a different bloc: a problem, resolved by renaming the code in the map);
- meetings, votes, proposals and decisions are matched by `uid`; records without one (files made
  before stable identifiers) keep the old rule: the same id, if that id is free or belongs to the
  same bloc;
- every id that does not match keeps its number when it is free here, else gets the next free one,
  and every reference in the file follows (the paths are declared by each record kind's Part).

Then the file is checked and written as one import. Within one command, two files that carry the
same bloc-year with different content (two heads, or edits in both) are a problem unless the map
says which file wins. Every problem of every file is listed with its file and line, and nothing is
written. Re-importing a bloc's updated file later replaces that bloc's years and matched records;
other blocs are untouched.

The mapping file (`tdkt import --map FILE`), YAML:

    units:                      # a name as written in a file → a unit here (its id), or "mới"
      "Huyện ủy Lắk": 12
      "Sở Y tế": mới
    blocs:                      # a bloc code in a file → the code to use here
      vhxh: vhxh-bk
    prefer:                     # "bloc-code year" → the file whose version wins
      "vhxh 2024": khoi-vhxh-2024.yaml
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from ..audit import trail
from ..core.errors import InvalidInput
from ..text import match_key
from ..units import service as unit_service
from . import registry as exchange
from .kit import Problems, walk
from .load import check_and_write

NEW = {"mới", "moi", "new"}


def read_map(doc: Any) -> dict:
    """Check a mapping file's content; an empty file means no choices."""
    if doc is None:
        return {"units": {}, "blocs": {}, "prefer": {}}
    if not isinstance(doc, dict) or set(doc) - {"units", "blocs", "prefer"}:
        raise InvalidInput("Tệp ánh xạ chỉ có các mục «units», «blocs», «prefer».")
    out = {}
    for key in ("units", "blocs", "prefer"):
        value = doc.get(key) or {}
        if not isinstance(value, dict):
            raise InvalidInput(f"Mục «{key}» của tệp ánh xạ phải là bảng «tên: giá trị».")
        out[key] = {str(k): v for k, v in value.items()}
    out["units"] = {match_key(k): v for k, v in out["units"].items()}
    return out


def load_files(
    conn: sqlite3.Connection,
    files: list[tuple[str | None, Any]],
    mapping: dict | None = None,
    progress: Any = None,
) -> dict[str, int]:
    """Renumber, check and write each (name, document) in turn; raise with every problem found
    (the caller's transaction then writes nothing)."""
    mapping = mapping or read_map(None)
    problems = Problems()
    totals = {"units": 0, "blocs": 0, "meetings": 0, "removed": 0}
    seen: dict[tuple[str, int], tuple[str, str | None, Any, Any, Any]] = {}
    with trail.logged_in_bulk(conn):  # a new file: the trail in one go after the rows
        for source, doc in files:
            exchange.check_version(doc)
            problems.source = source if len(files) > 1 else None
            before = len(problems.items)
            renumber(conn, doc, mapping, problems)
            _same_years(doc, source or "", seen, mapping, problems, len(files) > 1)
            if len(problems.items) > before:
                continue
            chosen = frozenset(
                (code, int(year))
                for code, year in (k.rsplit(" ", 1) for k in mapping["prefer"] if " " in k)
                if year.isdecimal()
                and Path(str(mapping["prefer"][f"{code} {year}"])).name == Path(source or "").name
            )
            counts = check_and_write(conn, doc, problems, progress, chosen)
            for k, v in (counts or {}).items():
                totals[k] += v
        problems.raise_if_any()
    return totals


def _parts() -> list:
    return [exchange.CORE, *exchange.parts()]


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def renumber(conn: sqlite3.Connection, doc: Any, mapping: dict, problems: Problems) -> None:
    """Rewrite `doc`'s ids and references to this database's numbering (see the module doc)."""
    if not isinstance(doc, dict):
        return
    _match_blocs(conn, doc, mapping, problems)
    known_units = {r[0] for r in conn.execute("SELECT id FROM unit")}
    maps: dict[str, dict[int, int]] = {}
    twins: dict[str, list[int]] = {}  # units.twin_index, built on the first unmatched name
    for part in _parts():
        for path, kind, table, scope in part.ids:
            sites = [(c, k, b) for c, k, b in walk(doc, path.split(".")) if type(c.get(k)) is int]
            if not sites:
                continue
            cols = _columns(conn, table)
            top = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
            nxt = max([top, *(c[k] for c, k, _ in sites)]) + 1
            kind_map = maps.setdefault(kind, {})
            taken: set[int] = set()
            for node, key, bloc in sites:
                old = node[key]
                new = _match(
                    conn, kind, table, scope, cols, node, bloc, maps, mapping, problems, twins
                )
                if new == -1:  # the map says: a new record
                    new, nxt = nxt, nxt + 1
                elif new is None:
                    free = (
                        old not in taken
                        and not conn.execute(
                            f"SELECT 1 FROM {table} WHERE id = ?", (old,)
                        ).fetchone()
                    )
                    if free:
                        new = old
                    else:
                        new, nxt = nxt, nxt + 1
                if new in taken and kind == "unit":
                    problems.add(node, f"hai đơn vị trong tệp cùng khớp đơn vị mã số {new} ở đây")
                taken.add(new)
                if (kind == "unit" and new != old) or (kind == "unit" and new in known_units):
                    _keep_name_here(conn, node, new)
                kind_map.setdefault(old, new)
                node[key] = new
    for part in _parts():
        for path, kind in part.refs:
            kind_map = maps.get(kind)
            if not kind_map or all(old == new for old, new in kind_map.items()):
                continue  # nothing renumbered (a file into a new one): no reference to rewrite
            for node, key, _ in walk(doc, path.split(".")):
                value = node.get(key)
                if type(value) is int:
                    node[key] = kind_map.get(value, value)
                elif isinstance(value, list):
                    node[key] = [kind_map.get(v, v) if type(v) is int else v for v in value]


def _keep_name_here(conn: sqlite3.Connection, node: dict, unit_id: int) -> None:
    """A file that calls a unit by a name this database knows as its alias or former name is
    older or looser than the database: the unit keeps its name here."""
    row = conn.execute("SELECT name, short FROM unit WHERE id = ?", (unit_id,)).fetchone()
    name = node.get("name")
    if row is None or not isinstance(name, str) or match_key(name) == match_key(row[0]):
        return
    known = conn.execute(
        "SELECT 1 FROM unit_lookup WHERE unit_id = ? AND key = ?", (unit_id, match_key(name))
    ).fetchone()
    if known:
        node["name"], node["short"] = row[0], row[1]


def _match_blocs(conn: sqlite3.Connection, doc: dict, mapping: dict, problems: Problems) -> None:
    for node in doc.get("blocs") or []:
        if not isinstance(node, dict) or not isinstance(node.get("code"), str):
            continue
        code = str(mapping["blocs"].get(node["code"], node["code"])).lower()
        uid = node.get("uid")
        row = (
            conn.execute("SELECT code FROM bloc WHERE uid = ?", (str(uid),)).fetchone()
            if uid
            else None
        )
        if row:
            code = row[0]
        else:
            here = conn.execute("SELECT uid FROM bloc WHERE code = ?", (code,)).fetchone()
            if here and uid and here[0] and here[0] != uid:
                problems.add(
                    node,
                    f"khối mã «{code}» trong tệp là một khối khác với khối «{code}» ở đây "
                    "(định danh khác); đổi mã khối trong tệp ánh xạ («blocs»)",
                )
        node["code"] = code


def _match(
    conn, kind, table, scope, cols, node, bloc, maps, mapping, problems, twins
) -> int | None:
    uid = node.get("uid")
    if uid and "uid" in cols:
        row = conn.execute(f"SELECT id FROM {table} WHERE uid = ?", (str(uid),)).fetchone()
        if row:
            return row[0]
    if kind == "unit":
        return _match_unit(conn, node, mapping, problems, twins)
    if kind == "movement" and isinstance(node.get("name"), str):
        row = conn.execute(
            "SELECT id FROM movement WHERE key = ?", (match_key(node["name"]),)
        ).fetchone()
        if row:
            return row[0]
    old = node.get("id")
    row = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (old,)).fetchone()
    if row is None:
        return None
    if uid and "uid" in cols and row["uid"]:
        return None  # the number is taken by another record
    if scope == "bloc":
        code = conn.execute("SELECT code FROM bloc WHERE id = ?", (row["bloc_id"],)).fetchone()[0]
        return old if bloc is not None and code == bloc.get("code") else None
    if kind == "decision":
        unit = maps.get("unit", {}).get(node.get("unit"), node.get("unit"))
        return old if row["unit_id"] == unit else None
    if kind == "movement":
        return None
    return old


def _match_unit(conn, node, mapping, problems, twins) -> int | None:
    name = node.get("name")
    key = match_key(str(name)) if name is not None else None
    chosen = mapping["units"].get(key) if key else None
    if chosen is not None:
        if str(chosen).strip().lower() in NEW:
            return -1  # a new unit: the caller numbers it
        if (
            type(chosen) is int
            and conn.execute("SELECT 1 FROM unit WHERE id = ?", (chosen,)).fetchone()
        ):
            return chosen
        problems.add(node, f"tệp ánh xạ chỉ «{name}» tới đơn vị «{chosen}» không có")
        return None
    codes = [node.get("official")] + [
        f.get("code") for f in node.get("former_official") or [] if isinstance(f, dict)
    ]
    for code in codes:
        if code:
            row = conn.execute(
                "SELECT unit_id FROM unit_code WHERE code = ?", (str(code),)
            ).fetchone()
            if row:
                return row[0]
    if key is None:
        return None
    # a current name is unique here; a former name may have been two units' (a split)
    for current in (True, False):
        found = [
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT unit_id FROM unit_lookup WHERE key = ? AND "
                f"source {'!=' if current else '='} 'former' ORDER BY unit_id",
                (key,),
            )
        ]
        if len(found) > 1:
            names = ", ".join(str(f) for f in found)
            problems.add(
                node,
                f"«{name}» khớp nhiều đơn vị ở đây (mã số {names}); "
                "chọn một trong tệp ánh xạ («units»)",
            )
            return None
        if found:
            return found[0]
    # a name printing like one here, or typed without its marks: the same unit, as lookups have it
    if "" not in twins:  # built once a file: nothing is written while a file is matched
        twins.update(unit_service.twin_index(conn), **{"": []})
    found = unit_service.twins_of(conn, str(name), index=twins)
    if len(found) > 1:
        problems.add(
            node,
            f"«{name}» gần như trùng tên nhiều đơn vị ở đây (mã số "
            f"{', '.join(str(t) for t in found)}); chọn một trong tệp ánh xạ («units»)",
        )
        return None
    return found[0] if found else None


def _text(ynode: Any) -> str:
    return json.dumps(ynode, sort_keys=True, default=str, ensure_ascii=False)


def _same_years(doc, source, seen, mapping, problems, many: bool = True) -> None:
    """Two files of one command that carry the same bloc-year must agree, or the map chooses
    (`many`: more files follow this one)."""
    for bnode in doc.get("blocs") or [] if isinstance(doc, dict) else []:
        if not isinstance(bnode, dict):
            continue
        years = bnode.get("years")
        if not isinstance(years, list):
            continue
        kept = []
        for ynode in years:
            year = ynode.get("year") if isinstance(ynode, dict) else None
            key = (bnode.get("code"), year)
            other = seen.get(key)
            # the text only to compare: a bloc-year seen first needs none unless files follow
            # (their records are written, and may change, before the next file is read)
            text = _text(ynode) if other is not None or many else None
            if other is not None and other[1] is None:  # seen earlier in this same file
                other = (other[0], _text(other[4]), *other[2:])
            if other is None or other[1] == text:
                seen[key] = (source, text, ynode.get("head"), getattr(ynode, "line", 0), ynode)
                kept.append(ynode)
                continue
            prefer = mapping["prefer"].get(f"{key[0]} {year}")
            if prefer is not None and Path(str(prefer)).name == Path(other[0]).name:
                continue  # the earlier file wins: this one's year is left out
            if prefer is not None and Path(str(prefer)).name == Path(source).name:
                seen[key] = (source, text, ynode.get("head"), getattr(ynode, "line", 0), ynode)
                kept.append(ynode)
                continue
            if other[0] == source:  # twice in one file: no map can choose between them
                problems.add(
                    ynode,
                    f"khối {key[0]} năm {year} có hai lần trong tệp (lần đầu ở dòng {other[3]}); "
                    "hãy giữ một",
                )
                kept.append(ynode)
                continue
            if other[2] != ynode.get("head"):
                what = f"hai trưởng khối cho khối {key[0]} năm {year}"
            else:
                what = f"khối {key[0]} năm {year} được sửa ở cả hai tệp"
            problems.add(
                ynode,
                f"{what} (khác tệp {other[0]}, dòng {other[3]}); chọn tệp trong tệp ánh xạ "
                f'(«prefer: {{"{key[0]} {year}": tên-tệp}}»)',
            )
            kept.append(ynode)
        bnode["years"] = kept
