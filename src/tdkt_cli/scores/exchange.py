"""Criteria, scores and the score lock in the export/import document (per bloc-year:
`criteria`, `scores`, `scores_locked`, `score_lock_log`). Hooked into services.exchange."""

from __future__ import annotations

import sqlite3

from ..core.errors import InvalidInput
from ..exchange.kit import Part, Problems
from ..exchange.kit import drop_none as _drop_none
from ..exchange.kit import get as _get
from ..exchange.kit import lst as _list
from ..exchange.kit import text as _text
from . import service as score_service


def _year_extra(conn: sqlite3.Connection, bloc_id: int, year: int) -> dict:
    if not score_service.has_criteria(conn, bloc_id, year):
        return {}
    from ..blocs import service as blocs

    bloc = blocs.get(conn, bloc_id)
    crit = score_service.get_criteria(conn, bloc, year)
    rows = conn.execute(
        "SELECT s.* FROM score s JOIN criterion c ON c.bloc_id = s.bloc_id AND c.year = s.year "
        "AND c.code = s.code WHERE s.bloc_id = ? AND s.year = ? ORDER BY s.unit_id, c.position",
        (bloc_id, year),
    ).fetchall()
    return {
        "criteria": crit.as_json(),
        "scores": [
            _drop_none(
                {
                    "unit": r["unit_id"],
                    "code": r["code"],
                    "self": score_service.plain_number(r["self_points"]),
                    "self_note": r["self_note"],
                    "verified": score_service.plain_number(r["verified_points"]),
                    "verified_note": r["verified_note"],
                }
            )
            for r in rows
        ],
        "scores_locked": crit.locked or None,
        "score_lock_log": [_drop_none(e) for e in score_service.lock_log(conn, bloc, year)],
    }


_NUMBER = (int, float)  # exactly: a bool, a text or a NaN takes the checked way, as before


def _load(conn, doc_or_plan, blocs, known, problems: Problems, phase: str):
    if phase == "check":
        plan = []
        for b in blocs:
            if not b:
                continue
            for y in b["years"]:
                node = _get(y["node"], "criteria", dict, problems)
                if node is None:
                    continue
                try:
                    crit = score_service.check_criteria(node)
                except InvalidInput as exc:
                    problems.add(node, exc.message)
                    continue
                codes = crit.by_code()
                cells = []
                for s in _list(y["node"], "scores", problems):
                    # the common case checked directly: 80,000 cells in a province file
                    uid = s.get("unit") if isinstance(s, dict) else None
                    code = s.get("code") if isinstance(s, dict) else None
                    if type(uid) is not int or uid not in known:
                        problems.add(s, f"«unit»: không có đơn vị mã số {uid}")
                        continue
                    criterion = codes.get(code) if isinstance(code, str) else None
                    if criterion is None:
                        problems.add(s, f"không có tiêu chí «{code}»")
                        continue
                    values = []
                    for key in ("self", "verified"):
                        v = s.get(key)
                        if type(v) in _NUMBER and 0 <= v <= criterion.max_points:
                            v = float(v)  # the common case: what check_points passes unchanged
                        elif v is not None:
                            try:
                                v = score_service.check_points(criterion, float(v))
                            except (InvalidInput, TypeError, ValueError) as exc:
                                problems.add(s, getattr(exc, "message", f"«{key}» phải là số"))
                                v = None
                        values.append(v)
                    self_note, verified_note = s.get("self_note"), s.get("verified_note")
                    if self_note is not None:
                        self_note = _text(s, "self_note", problems)
                    if verified_note is not None:
                        verified_note = _text(s, "verified_note", problems)
                    cells.append((uid, code, values[0], self_note, values[1], verified_note))
                log = [
                    (str(e.get("action")), str(e.get("at")), e.get("by"), e.get("reason"))
                    for e in _list(y["node"], "score_lock_log", problems)
                    if isinstance(e, dict)
                ]
                locked = bool(y["node"].get("scores_locked"))
                plan.append((b, y["year"], crit, cells, locked, log))
        return plan
    for b, year, crit, cells, locked, log in doc_or_plan:
        bid = b["id"]
        for table in ("score", "score_band", "criterion", "score_setup", "score_lock_log"):
            conn.execute(f"DELETE FROM {table} WHERE bloc_id = ? AND year = ?", (bid, year))
        from ..blocs import service as bloc_service

        score_service.set_criteria(conn, bloc_service.get(conn, bid), year, crit)
        conn.executemany(
            "INSERT INTO score (bloc_id, year, unit_id, code, self_points, self_note, verified_points, "
            "verified_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(bid, year, *cell) for cell in cells],
        )
        conn.executemany(
            "INSERT INTO score_lock_log (bloc_id, year, action, at, by, reason) VALUES (?, ?, ?, ?, ?, ?)",
            [(bid, year, *entry) for entry in log],
        )
        conn.execute(
            "UPDATE score_setup SET locked = ? WHERE bloc_id = ? AND year = ?",
            (int(locked), bid, year),
        )
    return None


PART = Part(
    "scores",
    year=_year_extra,
    load=_load,
    refs=(("blocs.*.years.*.scores.*.unit", "unit"),),
)
