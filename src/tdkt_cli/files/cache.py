"""Where tdkt keeps what it compiles, as Python keeps bytecode (startup/warm.py: the dataclasses'
methods; documents/compiled.py: the templates): the package's `__pycache__`, or the same place
under `sys.pycache_prefix`. Only os and sys: start-up reads it on every command."""

from __future__ import annotations

import os
import sys


def folder() -> str:
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if sys.pycache_prefix:
        return os.path.join(sys.pycache_prefix, package.lstrip(os.sep), "__pycache__")
    return os.path.join(package, "__pycache__")
