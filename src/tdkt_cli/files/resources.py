"""Where the bundled templates and sample data are: inside the installed package (hatchling's
force-include puts them there), or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} is missing from the installation")


def templates_dir() -> Path:
    return _find("templates")


def sample_dir() -> Path:
    return _find("sample_data")
