"""Rules that both the commands and `tdkt import` enforce, and `db check` verifies on stored data:
merger chains without loops, bloc codes that are safe in file names (names printing alike:
text/names.py, checked by units/ and blocs/, listed by audit/checks.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from ..core.patterns import lazy

_CODE = lazy(r"^[a-z0-9][a-z0-9_.-]{0,39}$")


def bloc_code_problem(code: str) -> str | None:
    """Why `code` cannot be a bloc code (it names files and appears in commands), or None."""
    if not _CODE.match(code) or ".." in code:
        return (
            f"mã khối «{code}» không hợp lệ: chỉ dùng chữ thường không dấu, số và - _ . "
            "(không dấu cách, «/» hay «..»), tối đa 40 ký tự"
        )
    return None


def merger_problems(merged_into: Mapping[int, int | None]) -> list[str]:
    """Units merged into themselves, and loops of mergers (A into B, B into A)."""
    out: list[str] = []
    reported: set[int] = set()
    for start in sorted(merged_into):
        if merged_into[start] == start:
            out.append(f"đơn vị mã số {start} sáp nhập vào chính nó")
            reported.add(start)
            continue
        seen = [start]
        current = merged_into.get(start)
        while current is not None and current not in reported:
            if current in seen:
                loop = seen[seen.index(current) :]
                if not reported & set(loop):
                    out.append(
                        "vòng sáp nhập: " + " → ".join(f"mã số {u}" for u in [*loop, current])
                    )
                reported.update(loop)
                break
            seen.append(current)
            current = merged_into.get(current)
    return out


def stored_mergers(conn: sqlite3.Connection) -> dict[int, int | None]:
    return {r[0]: r[1] for r in conn.execute("SELECT id, merged_into FROM unit")}


# --- the calls tdkt import makes (services/exchange.py) ---------------------------------------


def check_import_units(conn: sqlite3.Connection, units: Mapping[int, dict], problems) -> None:
    """The file's mergers over the stored ones: no unit into itself, no loop."""
    merged = stored_mergers(conn)
    merged.update({uid: u["merged_into"] for uid, u in units.items()})
    for message in merger_problems(merged):
        problems.add(None, message)


def check_import_code(node, code: str, problems) -> None:
    message = bloc_code_problem(code)
    if message:
        problems.add(node, message)
