"""Exemplars and activities (per bloc) and movements (at the top) in the export/import document.
Hooked into services.exchange; ids kept, everything checked before anything is written."""

from __future__ import annotations

import sqlite3

from ..exchange.kit import Part, Problems
from ..exchange.kit import date as _date
from ..exchange.kit import drop_none as _drop_none
from ..exchange.kit import get as _get
from ..exchange.kit import lst as _list
from ..exchange.kit import text as _text
from ..text import match_key


def _bloc_extra(conn: sqlite3.Connection, bloc_id: int) -> dict:
    exemplars = [
        _drop_none(
            {k: r[k] for k in ("id", "year", "kind", "name", "movement", "title", "description")}
            | {"unit": r["unit_id"], "count": r["count"] if r["count"] != 1 else None}
        )
        for r in conn.execute("SELECT * FROM exemplar WHERE bloc_id = ? ORDER BY id", (bloc_id,))
    ]
    activities = []
    for r in conn.execute(
        "SELECT * FROM activity WHERE bloc_id = ? ORDER BY id", (bloc_id,)
    ).fetchall():
        contributions = [
            {"unit": c[0], "amount": c[1]}
            for c in conn.execute(
                "SELECT unit_id, amount FROM contribution WHERE activity_id = ? ORDER BY rowid",
                (r["id"],),
            )
        ]
        activities.append(
            _drop_none(
                {
                    k: r[k]
                    for k in ("id", "date", "place", "purpose", "beneficiaries", "beneficiary_note")
                }
                | {"contributions": contributions}
            )
        )
    return {"exemplars": exemplars, "activities": activities}


def _doc_extra(conn: sqlite3.Connection, unit_ids: list[int], bloc_ids: list[int]) -> dict:
    wanted = set(unit_ids)
    out = []
    for m in conn.execute("SELECT * FROM movement ORDER BY id").fetchall():
        units = conn.execute(
            "SELECT unit_id, role FROM movement_unit WHERE movement_id = ? ORDER BY rowid",
            (m["id"],),
        ).fetchall()
        # a movement travels when every unit it names travels too
        if not units or not all(u[0] in wanted for u in units):
            continue
        reports = [
            {"unit": x["unit_id"], "date": x["date"], "summary": x["summary"], "id": x["id"]}
            for x in conn.execute(
                "SELECT * FROM movement_report WHERE movement_id = ? ORDER BY id", (m["id"],)
            )
        ]
        out.append(
            _drop_none(
                {
                    "id": m["id"],
                    "name": m["name"],
                    "launched_by": m["launched_by"],
                    "start": m["start"],
                    "finish": m["finish"],
                    "chair": [u[0] for u in units if u[1] == "chu-tri"],
                    "partners": [u[0] for u in units if u[1] == "phoi-hop"],
                    "reports": reports,
                }
            )
        )
    return {"movements": out}


def _load(conn, doc_or_plan, blocs, known, problems: Problems, phase: str):
    if phase == "write":
        _write(conn, doc_or_plan, blocs)
        return None
    plan: dict[str, list] = {"exemplars": [], "activities": [], "movements": []}
    for b in blocs:
        if not b:
            continue
        for n in _list(b["node"], "exemplars", problems):
            eid, year = _get(n, "id", int, problems, True), _get(n, "year", int, problems, True)
            kind, name = _text(n, "kind", problems, True), _text(n, "name", problems, True)
            if kind and kind not in ("tap-the", "ca-nhan"):
                problems.add(n, f"loại điển hình «{kind}» không có")
            unit = _get(n, "unit", int, problems)
            if unit is not None and unit not in known:
                problems.add(n, f"không có đơn vị mã số {unit}")
            count = _get(n, "count", int, problems) or 1
            if None not in (eid, year, kind, name):
                plan["exemplars"].append(
                    (
                        b,
                        (
                            eid,
                            year,
                            kind,
                            name,
                            unit,
                            _text(n, "movement", problems),
                            _text(n, "title", problems),
                            _text(n, "description", problems),
                            count,
                        ),
                    )
                )
        for n in _list(b["node"], "activities", problems):
            aid, date, purpose = (
                _get(n, "id", int, problems, True),
                _date(n, "date", problems, True),
                _text(n, "purpose", problems, True),
            )
            contributions = []
            for c in _list(n, "contributions", problems):
                unit, amount = (
                    _get(c, "unit", int, problems, True),
                    _get(c, "amount", int, problems, True),
                )
                if unit is not None and unit not in known:
                    problems.add(c, f"không có đơn vị mã số {unit}")
                if amount is not None and amount < 0:
                    problems.add(c, "số tiền không được âm")
                if unit is not None and amount is not None:
                    contributions.append((unit, amount))
            if None not in (aid, date, purpose):
                plan["activities"].append(
                    (
                        b,
                        (
                            aid,
                            date,
                            _text(n, "place", problems),
                            purpose,
                            _get(n, "beneficiaries", int, problems),
                            _text(n, "beneficiary_note", problems),
                        ),
                        contributions,
                    )
                )
    for n in _list(doc_or_plan, "movements", problems):
        mid, name = _get(n, "id", int, problems, True), _text(n, "name", problems, True)
        launched = _text(n, "launched_by", problems, True)
        roles = []
        for role, key in (("chu-tri", "chair"), ("phoi-hop", "partners")):
            for uid in _list(n, key, problems):
                if not isinstance(uid, int) or uid not in known:
                    problems.add(n, f"«{key}»: không có đơn vị mã số {uid}")
                else:
                    roles.append((uid, role))
        reports = []
        for x in _list(n, "reports", problems):
            uid, date, summary = (
                _get(x, "unit", int, problems, True),
                _date(x, "date", problems, True),
                _text(x, "summary", problems, True),
            )
            if None not in (uid, date, summary):
                reports.append((_get(x, "id", int, problems), uid, date, summary))
        if mid is not None and name:
            row = conn.execute(
                "SELECT id FROM movement WHERE key = ? AND id != ?", (match_key(name), mid)
            ).fetchone()
            if row:
                problems.add(n, f"phong trào «{name}» đã có trong cơ sở dữ liệu với mã số {row[0]}")
            plan["movements"].append(
                (
                    (
                        mid,
                        name,
                        match_key(name),
                        launched,
                        _date(n, "start", problems),
                        _date(n, "finish", problems),
                    ),
                    roles,
                    reports,
                )
            )
    return plan


def _write(conn: sqlite3.Connection, plan: dict, blocs) -> None:
    for b, (eid, year, kind, name, unit, movement, title, description, count) in plan["exemplars"]:
        conn.execute(
            "INSERT INTO exemplar (id, bloc_id, year, kind, name, unit_id, movement, title, description, count) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET bloc_id = excluded.bloc_id, "
            "year = excluded.year, kind = excluded.kind, name = excluded.name, unit_id = excluded.unit_id, "
            "movement = excluded.movement, title = excluded.title, description = excluded.description, "
            "count = excluded.count",
            (eid, b["id"], year, kind, name, unit, movement, title, description, count),
        )
    for b, (aid, date, place, purpose, beneficiaries, note), contributions in plan["activities"]:
        conn.execute(
            "INSERT INTO activity (id, bloc_id, date, place, purpose, beneficiaries, beneficiary_note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET bloc_id = excluded.bloc_id, "
            "date = excluded.date, place = excluded.place, purpose = excluded.purpose, "
            "beneficiaries = excluded.beneficiaries, beneficiary_note = excluded.beneficiary_note",
            (aid, b["id"], date, place, purpose, beneficiaries, note),
        )
        conn.execute("DELETE FROM contribution WHERE activity_id = ?", (aid,))
        conn.executemany(
            "INSERT INTO contribution (activity_id, unit_id, amount) VALUES (?, ?, ?)",
            [(aid, u, a) for u, a in contributions],
        )
    for (mid, name, key, launched, start, finish), roles, reports in plan["movements"]:
        conn.execute(
            "INSERT INTO movement (id, name, key, launched_by, start, finish) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, key = excluded.key, "
            "launched_by = excluded.launched_by, start = excluded.start, finish = excluded.finish",
            (mid, name, key, launched, start, finish),
        )
        conn.execute("DELETE FROM movement_unit WHERE movement_id = ?", (mid,))
        conn.execute("DELETE FROM movement_report WHERE movement_id = ?", (mid,))
        conn.executemany(
            "INSERT INTO movement_unit (movement_id, unit_id, role) VALUES (?, ?, ?)",
            [(mid, u, r) for u, r in roles],
        )
        conn.executemany(
            "INSERT INTO movement_report (id, movement_id, unit_id, date, summary) VALUES (?, ?, ?, ?, ?)",
            [(rid, mid, u, d, s) for rid, u, d, s in reports],
        )


PART = Part(
    "activities",
    doc=_doc_extra,
    bloc=_bloc_extra,
    load=_load,
    ids=(
        ("blocs.*.exemplars.*.id", "exemplar", "exemplar", "bloc"),
        ("blocs.*.activities.*.id", "activity", "activity", "bloc"),
        ("movements.*.id", "movement", "movement", None),
        ("movements.*.reports.*.id", "movement_report", "movement_report", None),
    ),
    refs=(
        ("blocs.*.exemplars.*.unit", "unit"),
        ("blocs.*.activities.*.contributions.*.unit", "unit"),
        ("movements.*.chair", "unit"),
        ("movements.*.partners", "unit"),
        ("movements.*.reports.*.unit", "unit"),
    ),
)
