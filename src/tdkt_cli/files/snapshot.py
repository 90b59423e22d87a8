"""Bundled YAML data read without PyYAML: each data folder of templates/ may hold `_parsed.json`,
the files as parsed with each file's length and CRC-32 (`digest`). A file whose bytes differ from
what is recorded is read as YAML, so an edited file is never shadowed by a stale snapshot. Reading
the snapshot spares every read command PyYAML's import (~28 ms)."""

from __future__ import annotations

import json
import zlib
from functools import cache
from pathlib import Path
from typing import Any

NAME = "_parsed.json"


def digest(data: bytes) -> str:
    """What tells an edited file from the one a snapshot was made of: its length and CRC-32.
    Not a defence against someone forging a file, which nobody needs here, and ~4 ms cheaper
    than hashlib's import (OpenSSL) on every read command."""
    return f"{len(data)}-{zlib.crc32(data):08x}"


@cache
def _load(folder: str) -> dict[str, Any]:
    try:
        data = json.loads((Path(folder) / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read(path: Path) -> Any:
    """The file's data: from its folder's snapshot when the bytes match, else parsed as YAML."""
    entry = _load(str(path.parent)).get(path.name)
    if entry is not None:
        try:
            if digest(path.read_bytes()) == entry.get("digest"):
                return entry.get("data")
        except OSError:
            pass
    from .yamlio import read as read_yaml

    return read_yaml(path)


def write(folder: Path) -> Path:
    """Parse every YAML file of `folder` and write the snapshot `read` uses."""
    from .yamlio import read as read_yaml

    out = {
        p.name: {"digest": digest(p.read_bytes()), "data": read_yaml(p)}
        for p in sorted(folder.glob("*.yaml"))
    }
    target = folder / NAME
    target.write_text(
        json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True, default=_iso) + "\n",
        encoding="utf-8",
    )
    _load.cache_clear()
    return target


def _iso(value: Any) -> str:
    """Dates in the YAML (valid_from: 2025-07-01) as the ISO text the readers accept."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON data")
