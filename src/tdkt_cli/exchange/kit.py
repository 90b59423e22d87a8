"""What every record kind of the export/import document shares: the problem list, the readers
of checked values, and `Part`, the description a kind registers with services.exchange.

Nothing here imports a record kind, so kinds import this module and never each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import InvalidInput
from ..text import clean, clean_name, parse_date


@dataclass(frozen=True)
class Part:
    """One record kind in the document, owning its dump, its check and its write.

    - `doc(conn, unit_ids, bloc_ids) -> dict`: keys at the top of the document;
    - `bloc(conn, bloc_id) -> dict`: keys inside a bloc; `year(conn, bloc_id, year) -> dict`:
      keys inside a bloc-year;
    - `load(conn, doc_or_plan, blocs, known_units, problems, phase)`: phase "check" returns a
      plan (nothing written), phase "write" writes that plan;
    - `ids`: where the kind defines records, as (path, kind, table, scope) — path like
      "blocs.*.votes.*.id", scope "bloc" when the table has a bloc_id — so a merge renumbers them;
    - `refs`: where it points at records, as (path, kind), e.g. ("blocs.*.votes.*.candidates", "unit").
    """

    name: str
    doc: Callable | None = None
    bloc: Callable | None = None
    year: Callable | None = None
    load: Callable | None = None
    ids: tuple = field(default=())
    refs: tuple = field(default=())


def drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != {}}


class Problems:
    """Collects every problem in a document, so the user fixes them all in one go."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.source: str | None = None  # the file being read, when several are merged

    def add(self, node: Any, message: str) -> None:
        line = getattr(node, "line", 0)
        where = f"dòng {line}" if line else ""
        if self.source:
            where = f"tệp {self.source}" + (f", {where}" if where else "")
        item = f"{where}: {message}" if where else message
        if item not in self.items:  # one fault met twice (a shape checked by two kinds)
            self.items.append(item)

    def raise_if_any(self) -> None:
        if self.items:
            shown = "; ".join(self.items[:10])
            more = f" (và {len(self.items) - 10} lỗi khác)" if len(self.items) > 10 else ""
            raise InvalidInput(f"Tệp nhập có lỗi, chưa ghi gì: {shown}{more}.")


def get(node: Any, key: str, kind: type | tuple, problems: Problems, required: bool = False) -> Any:
    if not isinstance(node, dict):
        if node is not None:  # a list or a number where a record (key: value) belongs
            problems.add(node, not_a_mapping(node, key))
        return None
    value = node.get(key)
    if value is None:
        if required:
            problems.add(node, f"thiếu «{key}»")
        return None
    if kind is int and isinstance(value, bool):
        problems.add(node, f"«{key}» phải là số")
        return None
    if not isinstance(value, kind):
        names = {int: "số", str: "chữ", list: "danh sách", dict: "bảng"}
        want = names.get(kind, "giá trị khác") if isinstance(kind, type) else "giá trị khác"
        problems.add(node, f"«{key}» phải là {want}")
        return None
    return value


def text(node: Any, key: str, problems: Problems, required: bool = False) -> str | None:
    value = get(node, key, (str, int, float), problems, required)
    if value is None:
        return None
    try:
        return (
            clean_name(str(value), field=key)
            if required
            else (clean(str(value), field=key) or None)
        )
    except InvalidInput as exc:
        problems.add(node, exc.message)
        return None


def date(node: Any, key: str, problems: Problems, required: bool = False) -> str | None:
    value = node.get(key) if isinstance(node, dict) else None
    if value is None:
        if required:
            problems.add(node, f"thiếu «{key}»")
        return None
    try:
        return parse_date(value if isinstance(value, dt.date) else str(value)).isoformat()
    except InvalidInput as exc:
        problems.add(node, exc.message)
        return None


def lst(node: Any, key: str, problems: Problems) -> list:
    return get(node, key, list, problems) or []


def walk(node: Any, keys: list[str], bloc: Any = None):
    """Yield (container, last key, enclosing bloc node) for a path like blocs.*.votes.*.id: the
    places a Part's `ids` and `refs` name (the merge renumbers them, an import prunes by them)."""
    if not keys:
        return
    head, rest = keys[0], keys[1:]
    if head == "*":
        if isinstance(node, list):
            for item in node:
                yield from walk(item, rest, bloc)
        return
    if not isinstance(node, dict):
        return
    if not rest:
        yield node, head, bloc
        return
    child = node.get(head)
    if head == "blocs":
        for item in child if isinstance(child, list) else []:
            yield from walk(item, rest[1:], item)
        return
    yield from walk(child, rest, bloc)


def not_a_mapping(node: object, key: str) -> str:
    shown = str(node)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    return f"cần một mục dạng «khóa: giá trị» nhưng gặp «{shown}»"
