"""The registry of record kinds of the exchange (YAML export and import).

Units, blocs and their years, meetings and registrations are the core (exchange/dump.py writes
them out, exchange/load.py checks and writes them back). Every other record kind is the
`exchange` module of its own domain package (votes/exchange.py, scores/exchange.py …), defining
`PART = Part(...)` (exchange/kit.py says what a Part holds: its dump at the document, bloc or
bloc-year level, its check-then-write loader, where it defines and references ids); it imports
only exchange/kit.py and its own domain. Adding a kind is ONE line: its module in PART_MODULES.
Kinds never import each other, this package's other modules, or anyone's private names.

Arrows: dump, load and merge import this module; this module imports none of them.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..core.errors import InvalidInput
from .kit import Part

# One line per record kind (a domain's exchange module defining PART); order is load order.
PART_MODULES = (
    "tdkt_cli.activities.exchange",
    "tdkt_cli.blocs.exchange",
    "tdkt_cli.scores.exchange",
    "tdkt_cli.units.exchange",
    "tdkt_cli.units.signer_exchange",
    "tdkt_cli.votes.exchange",
)

FORMAT = 1


_PARTS: list[Part] = []


def parts() -> list[Part]:
    """The registered record kinds, imported on first use (start-up stays light)."""
    if not _PARTS:
        for name in PART_MODULES:
            _PARTS.append(importlib.import_module(name).PART)
    return _PARTS


def check_version(doc: Any) -> None:
    if not isinstance(doc, dict) or "tdkt" not in doc:
        raise InvalidInput("Tệp nhập không phải dữ liệu tdkt (thiếu khóa «tdkt» ở đầu tệp).")
    if type(doc.get("tdkt")) is not int or doc.get("tdkt") != FORMAT:  # `tdkt: true` == 1
        raise InvalidInput(
            f"Tệp nhập theo định dạng {doc.get('tdkt')!r}; tdkt này đọc định dạng {FORMAT}."
        )


# Where the core defines and references records, for the merge's renumbering (see Part).
CORE = Part(
    "core",
    ids=(
        ("units.*.id", "unit", "unit", None),
        ("blocs.*.meetings.*.id", "meeting", "meeting", "bloc"),
    ),
    refs=(
        ("units.*.merged_into", "unit"),
        ("blocs.*.years.*.head", "unit"),
        ("blocs.*.years.*.deputy", "unit"),
        ("blocs.*.years.*.members.*.unit", "unit"),
        ("blocs.*.years.*.registrations.*.unit", "unit"),
        ("blocs.*.years.*.covenant.signers", "unit"),
        ("blocs.*.years.*.covenant.meeting", "meeting"),
        ("blocs.*.meetings.*.present", "unit"),
        ("blocs.*.meetings.*.absence_reasons.*.unit", "unit"),
    ),
)
