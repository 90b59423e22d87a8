"""Export/import of who signs for a unit (`signers:` at the top of the document, one entry per
dated signer: unit, from, name, title, for, deputy_of). Registered in exchange/registry.py.

On import the signers listed for a unit replace that unit's signers here (the file is the newer
word on the units it names); a unit the list does not name keeps its own. The province merge
renumbers `unit` like every reference to a unit.
"""

from __future__ import annotations

import sqlite3

from ..core import dated
from ..exchange.kit import Part, Problems, drop_none
from ..exchange.kit import date as _date
from ..exchange.kit import get as _get
from ..exchange.kit import lst as _list
from ..exchange.kit import text as _text
from .signers import authority_of


def _doc(conn: sqlite3.Connection, unit_ids: list[int], bloc_ids: list[int]) -> dict:
    wanted = set(unit_ids)
    out = []
    for r in conn.execute(
        "SELECT * FROM unit_signer ORDER BY unit_id, ifnull(valid_from, '')"
    ).fetchall():
        if r["unit_id"] not in wanted:
            continue
        out.append(
            drop_none(
                {
                    "unit": r["unit_id"],
                    "from": r["valid_from"],
                    "name": r["name"],
                    "title": r["title"],
                    "for": r["for_body"],
                    "deputy_of": r["deputy_of"],
                }
            )
        )
    return {"signers": out}


def _check(conn, doc, known, problems: Problems) -> list[dict]:
    plan: list[dict] = []
    for n in _list(doc, "signers", problems):
        if not isinstance(n, dict):
            problems.add(n, "mỗi dòng «signers» phải là một bảng")
            continue
        unit = _get(n, "unit", int, problems, required=True)
        if unit is not None and unit not in known:
            problems.add(n, f"không có đơn vị mã số {unit}")
        row = {
            "unit_id": unit,
            "valid_from": _date(n, "from", problems),
            "name": _text(n, "name", problems, required=True),
            "title": _text(n, "title", problems, required=True),
            "for_body": _text(n, "for", problems),
            "deputy_of": _text(n, "deputy_of", problems),
            "node": n,
        }
        row["authority"] = authority_of(row["for_body"])
        plan.append(row)
    by_unit: dict[int, list[dict]] = {}
    for row in plan:
        if row["unit_id"] is not None:
            by_unit.setdefault(row["unit_id"], []).append(row)
    for rows in by_unit.values():
        for p in dated.problems(rows):
            problems.add(rows[0]["node"], f"người ký của đơn vị mã số {rows[0]['unit_id']}: {p}")
    return plan


def _write(conn: sqlite3.Connection, plan: list[dict]) -> None:
    for uid in sorted({r["unit_id"] for r in plan}):
        conn.execute("DELETE FROM unit_signer WHERE unit_id = ?", (uid,))
    conn.executemany(
        "INSERT INTO unit_signer (unit_id, valid_from, name, title, for_body, deputy_of, "
        "authority) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r["unit_id"],
                r["valid_from"],
                r["name"],
                r["title"],
                r["for_body"],
                r["deputy_of"],
                r["authority"],
            )
            for r in plan
        ],
    )


def _load(conn, doc_or_plan, blocs, known, problems: Problems, phase: str):
    if phase == "check":
        return _check(conn, doc_or_plan, known, problems)
    _write(conn, doc_or_plan)
    return None


PART = Part("signers", doc=_doc, load=_load, refs=(("signers.*.unit", "unit"),))
