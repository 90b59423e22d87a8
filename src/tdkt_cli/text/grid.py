"""People's tables, drawn without Rich.

Scripts call tdkt in loops and a read command's time is mostly start-up; importing Rich to draw
one table cost ~70 ms, more than the rest of the command (bench/README.md, "Start-up"). A table
here is a title and rows of text, so it is drawn directly, in Rich's own look (a heavy header
rule, light body), cells wrapped to fit the terminal as Rich's overflow="fold" does.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..core.terminal import columns


def cell_width(text: str) -> int:
    """Columns a string takes on a terminal: wide (CJK) characters two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_width(text))


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrap between words by terminal columns (textwrap counts characters, so a wide
    character would push the border out); a word longer than the column is cut."""
    lines: list[str] = []
    for part in text.splitlines() or [""]:
        line = ""
        for word in part.split():
            while cell_width(word) > width:  # fold it, as Rich does
                cut = 0
                while cut < len(word) and cell_width(word[: cut + 1]) <= width:
                    cut += 1
                cut = max(cut, 1)
                if line:
                    lines.append(line)
                    line = ""
                lines.append(word[:cut])
                word = word[cut:]
            if not word:
                continue
            candidate = f"{line} {word}" if line else word
            if cell_width(candidate) <= width:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def _fit(natural: list[int], floor: list[int], room: int) -> list[int]:
    """Shrink the widest columns, one column of characters at a time, until the table fits."""
    widths = list(natural)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: (widths[i] - floor[i], widths[i]))
        if widths[widest] <= floor[widest]:
            break
        widths[widest] -= 1
    return widths


def render(
    title: str | None, headers: Sequence[str], rows: Sequence[Sequence[Any]], width: int
) -> str:
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    n = len(headers)
    natural = [
        max([cell_width(headers[i])] + [cell_width(r[i]) for r in cells if i < len(r)])
        for i in range(n)
    ]
    # a column may shrink to its longest heading word (at least 4), never below what it needs
    floor = [
        min(natural[i], max([4] + [cell_width(w) for w in headers[i].split()])) for i in range(n)
    ]
    widths = _fit(natural, floor, width - (3 * n + 1))

    def line(left: str, fill: str, mid: str, right: str) -> str:
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def block(values: Sequence[str], bar: str) -> list[str]:
        wrapped = [_wrap(values[i] if i < len(values) else "", widths[i]) for i in range(n)]
        height = max(len(w) for w in wrapped)
        out = []
        for k in range(height):
            parts = [_pad(w[k] if k < len(w) else "", widths[i]) for i, w in enumerate(wrapped)]
            out.append(bar + bar.join(f" {p} " for p in parts) + bar)
        return out

    out = [title] if title else []
    out.append(line("┏", "━", "┳", "┓"))
    out += block(list(headers), "┃")
    out.append(line("┡", "━", "╇", "┩"))
    for row in cells:
        out += block(row, "│")
    out.append(line("└", "─", "┴", "┘"))
    return "\n".join(out) + "\n"


def print_table(title: str | None, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """As wide as the terminal (or $COLUMNS); to a file or a pipe, up to 200 columns."""
    asked = sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit()
    width = columns(200) if asked else 200
    sys.stdout.write(render(title, headers, rows, max(width, 20)))
