"""One way to hold a value that changes over time.

Unit names, bloc attributes (name, parent, place, document code, profile, issuing style), unit
lifecycles and the legal basis are the same problem: a value that holds from a date until the
next value's date. A dated value is stored as rows that each carry `valid_from` (an ISO date
"YYYY-MM-DD", or None for "since always"); a row's end is the next row's `valid_from`, so periods
can neither overlap nor leave gaps. Everything that prints "the value on a date" goes through
`as_of`; nothing else picks rows by date.

Lifecycles (a unit founded on a date, ended on another) are the one interval shape: `alive`.

Dates are compared as ISO strings, which order as dates do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def _default_start(row: Any) -> str | None:
    if isinstance(row, Mapping):
        return row.get("valid_from")
    return row.valid_from


def _order(start: str | None) -> str:
    # None ("since always") sorts before every real date.
    return start or ""


def as_of(
    rows: Iterable[T], on: str | None, start: Callable[[T], str | None] = _default_start
) -> T | None:
    """The row in force on date `on`: the latest `valid_from` on or before it.

    `on=None` means "now, whatever the date": the latest row. A row without `valid_from` holds
    since always. Returns None when every row starts after `on`.
    """
    best: T | None = None
    best_key: str | None = None
    for row in rows:
        key = _order(start(row))
        if on is not None and key and key > on:
            continue
        if best_key is None or key >= best_key:
            best, best_key = row, key
    return best


@dataclass(frozen=True)
class Period(Generic[T]):
    """One row of a history with the dates it holds: [valid_from, until), until exclusive."""

    value: T
    valid_from: str | None
    until: str | None


def history(
    rows: Iterable[T], start: Callable[[T], str | None] = _default_start
) -> list[Period[T]]:
    """The rows in date order, each with the day its successor starts (None for the last)."""
    ordered = sorted(rows, key=lambda r: _order(start(r)))
    out: list[Period[T]] = []
    for i, row in enumerate(ordered):
        nxt = start(ordered[i + 1]) if i + 1 < len(ordered) else None
        out.append(Period(row, start(row), nxt))
    return out


def problems(rows: Sequence[T], start: Callable[[T], str | None] = _default_start) -> list[str]:
    """What is wrong with a history, in Vietnamese: two rows from the same date."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for row in rows:
        key = _order(start(row))
        seen[key] = seen.get(key, 0) + 1
    for key, count in sorted(seen.items()):
        if count > 1:
            when = "từ đầu" if not key else f"từ ngày {key}"
            out.append(f"có {count} giá trị cùng hiệu lực {when}")
    return out


def alive(founded: str | None, ended: str | None, on: str | None) -> bool:
    """Whether something founded on `founded` and ended on `ended` exists on date `on`.

    `ended` is the first day it no longer exists (a merger "on 01/7/2025" ends the unit that day).
    """
    if on is None:
        return ended is None
    if founded and on < founded:
        return False
    return not (ended and on >= ended)
