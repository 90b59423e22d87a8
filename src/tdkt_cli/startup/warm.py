"""Two things Python does on every start of `tdkt` that need not be redone each time.

A read command's own work (one query, a page of JSON) is a few milliseconds; the rest is start-up,
and bench/README.md ("Where the time goes") shows two costs that are not tdkt's code at all:

- **The methods of the dataclasses.** The records are frozen dataclasses, and `dataclasses` makes
  each class's `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__` and `__delattr__` by
  writing their source and compiling it, every time the class is created, which is every start:
  about 1 ms a class, 20–40 ms a read command. The compiled code depends only on that source and
  on the interpreter, so `cache_dataclass_methods()` keeps it the way Python keeps a module's
  bytecode: in a `__pycache__` file beside the package (or under `sys.pycache_prefix`), named by
  the interpreter's cache tag and checked against its magic number, written only when Python may
  write bytecode. The functions are still made by `dataclasses` itself, from the very code object
  `compile()` would return for the same text, so the classes are the same; a missing, stale or
  unreadable cache only means compiling, as before. (Python 3.13 builds all of a class's methods
  in one `exec`, and this still applies.)
- **`inspect`, which `dataclasses` imports** (with `ast`, `dis`, `tokenize`, `linecache`) for one
  use, a docstring for a class that has none, `ipaddress`, which `pathlib` pulls in through
  `urllib.parse` for URLs nobody here parses, and `tempfile`, which Jinja's bytecode-cache
  module imports for caches tdkt does not use. `lazy_inspect()` puts a stand-in
  module in their place that imports the real one on the first use of any of its names.

Only the console script (entry.py) calls these; importing tdkt_cli as a library changes nothing.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import sys

_compiled: dict[str, object] = {}  # source text → code object, as loaded from the cache
_new: dict[str, object] = {}  # compiled in this process, not yet in the cache
_path: str | None = None


LAZY = (
    "inspect",  # dataclasses' import, for a docstring of a class that has none (ours all have)
    "ipaddress",  # urllib.parse's, which pathlib imports; used only for a URL's [IPv6] host
    # jinja2.bccache's, for its own file caches (tdkt's is documents/compiled.py's): it brings
    # shutil, bz2, lzma and random with it
    "tempfile",
)


def lazy_inspect() -> None:
    """Make `import inspect` (and the other modules of LAZY) cheap until a name of it is used."""
    for name in LAZY:
        _lazy(name)


def _lazy(module: str) -> None:
    if module in sys.modules:
        return
    import types

    stand_in = types.ModuleType(module, f"Loads the real {module} module on first use.")

    def __getattr__(name: str):  # PEP 562: only names the stand-in does not have
        if sys.modules.get(module) is stand_in:
            del sys.modules[module]
        real = __import__(module)
        return getattr(real, name)

    stand_in.__getattr__ = __getattr__  # type: ignore[attr-defined]
    sys.modules[module] = stand_in


def _cache_file() -> str | None:
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    from ..files.cache import folder

    return os.path.join(folder(), f"dataclass-methods.{tag}.marshal")


def _magic() -> bytes:
    from importlib.util import MAGIC_NUMBER

    return MAGIC_NUMBER


def _load(path: str) -> dict[str, object]:
    import marshal

    try:
        with open(path, "rb") as f:
            data = f.read()
        magic = _magic()
        if not data.startswith(magic):
            return {}
        table = marshal.loads(data[len(magic) :])
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict):
        return {}
    code_type = type(_load.__code__)
    return {k: v for k, v in table.items() if isinstance(k, str) and isinstance(v, code_type)}


def _exec(source, globals=None, locals=None, /, **kwargs):
    """`exec` as `dataclasses` calls it, with the compiled code of a text seen before."""
    if not isinstance(source, str) or kwargs:
        return builtins.exec(source, globals, locals, **kwargs)
    code = _compiled.get(source)
    if code is None:
        # dont_inherit: compiled as dataclasses' own exec would (this module's
        # `from __future__ import annotations` must not reach the generated methods)
        code = compile(source, "<string>", "exec", dont_inherit=True)
        _compiled[source] = _new[source] = code
    return builtins.exec(code, globals, locals)


def cache_dataclass_methods() -> None:
    """Install the cache (before any dataclass of tdkt is created)."""
    global _path
    import dataclasses

    if getattr(dataclasses, "exec", builtins.exec) is not builtins.exec:
        return  # someone else's exec already: leave it
    _path = _cache_file()
    if _path is not None:
        _compiled.update(_load(_path))
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # found before the builtin


def save() -> None:
    """Write the methods compiled in this run into the cache (at exit; never fails a command)."""
    if not _new or _path is None or sys.dont_write_bytecode:
        return
    import marshal

    table = _compiled if len(_compiled) < 4000 else _new  # a cache that only grows: start anew
    tmp = f"{_path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(_path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(_magic() + marshal.dumps(table))
        os.replace(tmp, _path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _new.clear()
