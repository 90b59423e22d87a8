"""Export/import of what issue 13 made dated: a bloc's attribute history (`history:` under the
bloc) and a unit's lifecycle (`founded_on`, `end_reason`). Registered in services.exchange as a Part.

A bloc's top-level name, parent, place, doc_code and issue_as are its current values; `history`
lists every period (`from`: None for "since always") and is written only when the bloc has more
than the one period "since always". On import the history replaces the bloc's periods; without it
the bloc has one period, its top-level values.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..blocs import service as bloc_service
from ..core import dated
from ..exchange.kit import Part, Problems
from ..exchange.kit import date as _date
from ..exchange.kit import lst as _list
from ..exchange.kit import text as _text
from ..text import match_key
from . import service as unit_service

_ATTRS = ("name", "parent", "place", "doc_code", "issue_as")


def _bloc_extra(conn: sqlite3.Connection, bloc_id: int) -> dict:
    rows = bloc_service.attr_rows(conn, bloc_id)
    if len(rows) <= 1 and not (rows and rows[0]["valid_from"]):
        return {}
    history = []
    for r in rows:
        item: dict[str, Any] = {"from": r["valid_from"]}
        item.update(
            {a: r[a] for a in _ATTRS if r[a] is not None and (a, r[a]) != ("issue_as", "bloc")}
        )
        history.append(item)
    return {"history": history}


def unit_extra(conn: sqlite3.Connection, unit_id: int) -> dict:
    """The lifecycle fields of a unit's entry (none when not set)."""
    row = conn.execute(
        "SELECT founded_on, end_reason FROM unit WHERE id = ?", (unit_id,)
    ).fetchone()
    return {k: row[k] for k in ("founded_on", "end_reason") if row[k]}


def write_names(conn: sqlite3.Connection, unit: dict) -> None:
    """A unit's name periods from the file's former names (each valid until the day before
    `until`) and its current name."""
    former = sorted(unit["former"], key=lambda f: f["until"])
    starts = [None, *(f["until"] for f in former)]
    names = [*((f["name"], f["short"]) for f in former), (unit["name"], unit["short"])]
    unit_service.set_names(
        conn,
        unit["id"],
        [
            {"valid_from": s, "name": n, "short": sh}
            for s, (n, sh) in zip(starts, names, strict=True)
        ],
    )


def check_unit(node: Any, problems: Problems) -> dict:
    return {
        "founded_on": _date(node, "founded_on", problems),
        "end_reason": _text(node, "end_reason", problems),
    }


def write_unit(conn: sqlite3.Connection, unit: dict) -> None:
    conn.execute(
        "UPDATE unit SET founded_on = ?, end_reason = ? WHERE id = ?",
        (unit.get("founded_on"), unit.get("end_reason"), unit["id"]),
    )


def _check(conn, doc, blocs, known, problems: Problems) -> list:
    plan = []
    for b in blocs:
        if not b:
            continue
        periods = []
        for n in _list(b["node"], "history", problems):
            if not isinstance(n, dict):
                problems.add(n, "mỗi dòng «history» phải là một bảng")
                continue
            name = _text(n, "name", problems, required=True)
            issue_as = _text(n, "issue_as", problems) or "bloc"
            if issue_as not in ("bloc", "head"):
                problems.add(n, f"«issue_as» phải là bloc hoặc head, không phải «{issue_as}»")
            periods.append(
                {
                    "valid_from": _date(n, "from", problems),
                    "name": name,
                    "parent": _text(n, "parent", problems),
                    "place": _text(n, "place", problems),
                    "doc_code": _text(n, "doc_code", problems),
                    "issue_as": issue_as,
                }
            )
        if periods:
            for p in dated.problems(periods):
                problems.add(b["node"], f"«history» {p}")
            latest = dated.as_of(periods, None)
            if latest and any(latest[a] != b[a] for a in _ATTRS):
                problems.add(
                    b["node"],
                    "giá trị hiện hành của khối phải trùng với dòng mới nhất trong «history»",
                )
        plan.append((b, periods))
    return plan


def _write(conn, plan) -> None:
    for b, periods in plan:
        bloc_id = b["id"]
        conn.execute("DELETE FROM bloc_attr WHERE bloc_id = ?", (bloc_id,))
        rows = periods or [{"valid_from": None, **{a: b[a] for a in _ATTRS}}]
        conn.executemany(
            "INSERT INTO bloc_attr (bloc_id, valid_from, name, parent, place, doc_code, issue_as) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(bloc_id, r["valid_from"], *(r[a] for a in _ATTRS)) for r in rows],
        )
        conn.execute("UPDATE bloc SET key = ? WHERE id = ?", (match_key(b["name"]), bloc_id))


def _load(conn, doc_or_plan, blocs, known, problems: Problems, phase: str):
    if phase == "check":
        return _check(conn, doc_or_plan, blocs, known, problems)
    _write(conn, doc_or_plan)
    return None


PART = Part("time", bloc=_bloc_extra, load=_load)
