"""Regular expressions compiled when first used, not when their module is imported.

A read command imports the text helpers, the meetings' and the blocs' services, and each module
compiled its patterns on import: ten patterns of `text/` alone cost more instructions than
answering the read. `lazy(pattern)` stands in for `re.compile(pattern)`: the first method call
compiles it, and keeps the compiled pattern's bound methods on the stand-in, so every later
`.sub`, `.match`, … is an ordinary attribute lookup, as fast as on the compiled pattern itself.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """`re.compile(pattern, flags)`, done on the first use of any of its attributes."""

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only for names not yet on the stand-in
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(re.compile(*self._source), name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r})"


def lazy(pattern: str | bytes, flags: int = 0) -> Any:
    """A pattern used like `re.compile(pattern, flags)` and compiled on first use."""
    return LazyPattern(pattern, flags)
