"""Export and import of bloc profiles and of how proposals were agreed (a Part of services.exchange).

In the file a bloc may carry
    profile: [{from: 2025-07-01, system: dang, overrides: {kind: cum, addressee: …}}]
    proposals_agreed: [{year: 2015, award: co-thi-dua, how: consensus}]
A bloc without `profile` is a provincial state khối, as before profiles.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import InvalidInput
from ..core.models import Bloc
from ..exchange.kit import Part, Problems
from . import profiles

_HOW = ("consensus", "hands", "ballot")


def _bloc_extra(conn, bloc_id: int) -> dict:
    out: dict[str, Any] = {}
    items = profiles.dump(conn, bloc_id)
    if items:
        out["profile"] = items
    agreed = [
        {
            k: v
            for k, v in {
                "year": r[0],
                "award": r[1],
                "how": r[2],
                "agree": r[3],
                "present": r[4],
            }.items()
            if v is not None
        }
        for r in conn.execute(
            "SELECT year, award, how, agree, present FROM proposal_how WHERE bloc_id = ? "
            "ORDER BY year, award",
            (bloc_id,),
        )
    ]
    if agreed:
        out["proposals_agreed"] = agreed
    return out


def _load(conn, doc_or_plan, blocs, known, problems: Problems, phase: str):
    if phase == "check":
        plan = []
        for b in blocs:
            if not b:
                continue
            node = b["node"]
            source = f"Khối {b['code']}"
            try:
                items = profiles.check_items(node.get("profile"), source)
            except InvalidInput as exc:
                problems.add(node, exc.message)
                continue
            agreed = node.get("proposals_agreed") or []
            ok = isinstance(agreed, list) and all(
                isinstance(a, dict)
                and isinstance(a.get("year"), int)
                and isinstance(a.get("award"), str)
                and a.get("how") in _HOW
                for a in agreed
            )
            if not ok:
                problems.add(
                    node,
                    f"{source}: «proposals_agreed» phải là danh sách {{year, award, how "
                    f"({' | '.join(_HOW)}), agree, present}}",
                )
                continue
            plan.append((b, items, agreed))
        return plan
    for b, items, agreed in doc_or_plan:
        bloc = Bloc(b["id"], b["code"], b["name"], b["parent"], b["place"])
        if items:  # the file's profile replaces the bloc's; a file without one leaves it
            conn.execute("DELETE FROM bloc_profile WHERE bloc_id = ?", (b["id"],))
        profiles.load(conn, bloc, items, f"Khối {b['code']}")
        for a in agreed:
            conn.execute(
                "INSERT INTO proposal_how (bloc_id, year, award, how, agree, present) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (bloc_id, year, award) DO UPDATE SET "
                "how = excluded.how, agree = excluded.agree, present = excluded.present",
                (b["id"], a["year"], a["award"], a["how"], a.get("agree"), a.get("present")),
            )
    return None


PART = Part("profiles", bloc=_bloc_extra, load=_load)
