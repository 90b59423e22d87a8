"""Templates compiled once, kept like bytecode.

Jinja turns a template into Python source and compiles it on every render: for the annual report
in Markdown that is ~40 % of the command (lexing, parsing, code generation and `compile`). Jinja's
own bytecode cache keeps the compiled code of a template keyed by its name and checked against a
checksum of its source; `Cache` keeps it in tdkt's `__pycache__` (files/cache.py), adds
to the key what else shapes the code (Jinja's version, the environment's options, the filters and
tests the sandbox has), writes only when Python may write bytecode, atomically, and treats any
file it cannot read as absent. A clerk's template (`--template`) is cached the same way: an edited
file has another checksum, so it is compiled again.

docxtpl also cleans every XML part of a .docx before Jinja sees it (`patch_xml`: two regular
expressions over the whole part, ~20 ms for the annual report's 58 kB body, with their
compilation). The cleaned text depends only on the part and on docxtpl's version, so
`patched()` keeps it the same way, in a file named by the part's length and CRC-32 that holds the
part itself, which must be equal, character for character, for the file to be used.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import types
from collections.abc import Callable
from typing import Any

from jinja2 import BytecodeCache
from jinja2.sandbox import SandboxedEnvironment

from ..files.cache import folder as cache_folder


class Cache(BytecodeCache):
    """Compiled templates in files `jinja-KEY.cache` under the cache folder."""

    def __init__(self, folder: str | None = None) -> None:
        self.folder = folder or cache_folder()
        self.tag = ""

    def shaped_by(self, env: Any) -> Cache:
        """Name in the key everything of `env` that changes the code Jinja generates."""
        import jinja2

        options = (
            env.autoescape,
            env.trim_blocks,
            env.lstrip_blocks,
            env.keep_trailing_newline,
            type(env).__name__,
            getattr(env.undefined, "__name__", type(env.undefined).__name__),
        )
        self.tag = "|".join(
            (
                jinja2.__version__,
                repr(options),
                ",".join(sorted(env.filters)),
                ",".join(sorted(env.tests)),
            )
        )
        return self

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.tag}\0{name}", filename)

    def _file(self, bucket: Any) -> str:
        return os.path.join(self.folder, f"jinja-{bucket.key}.cache")

    def load_bytecode(self, bucket: Any) -> None:
        try:
            with open(self._file(bucket), "rb") as f:
                bucket.load_bytecode(f)
        except Exception:  # unreadable, damaged (a pickle raises its own errors), another build
            bucket.reset()  # compiled again
        if bucket.code is not None and not isinstance(bucket.code, types.CodeType):
            bucket.reset()  # a damaged file can marshal to any value: Jinja would exec it

    def dump_bytecode(self, bucket: Any) -> None:
        if bucket.code is not None:
            _keep(self.folder, self._file(bucket), bucket.write_bytecode)


def _keep(folder: str, target: str, write: Callable[[Any], object]) -> None:
    """Write a cache file atomically (`write(f)` fills it), only when Python may write
    bytecode; a folder we may not write means the work is done again next time, as before."""
    if sys.dont_write_bytecode:
        return
    from ..files.atomic import exclusive

    tmp = None
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = exclusive(folder, ".cache-", ".tmp")
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, target)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def patched(source: str, patch: Callable[[str], str], folder: str | None = None) -> str:
    """`patch(source)` (docxtpl's cleaning of an XML part), kept in the cache folder: used only
    when the kept part is `source` exactly and docxtpl's version is the same."""
    import marshal
    import zlib

    import docxtpl

    folder = folder or cache_folder()
    data = source.encode("utf-8", "surrogatepass")
    target = os.path.join(folder, f"docxtpl-{len(data)}-{zlib.crc32(data):08x}.xml.cache")
    tag = f"docxtpl {docxtpl.__version__}"
    try:
        with open(target, "rb") as f:
            kept = marshal.loads(f.read())
        if (
            isinstance(kept, tuple)
            and len(kept) == 3
            and kept[0] == tag
            and kept[1] == source
            and isinstance(kept[2], str)
        ):
            return kept[2]
    except (OSError, EOFError, ValueError, TypeError):
        pass  # absent, damaged or another build's: cleaned again
    out = patch(source)
    _keep(folder, target, lambda f: f.write(marshal.dumps((tag, source, out))))
    return out


def cached(env: Any) -> Any:
    """`env` with a bytecode cache keyed by what shapes its code (after its filters are in)."""
    env.bytecode_cache = Cache().shaped_by(env)
    return env


def template_from(env: Any, source: str, name: str) -> Any:
    """`env.from_string(source)`, through the bytecode cache of `env` when it has one (`name`
    only keys the cache; the template itself stays nameless, as from_string makes it)."""
    cache = env.bytecode_cache
    if cache is None:  # what from_string does (which, in CachedSandbox, comes here)
        code = env.compile(source)
    else:
        bucket = cache.get_bucket(env, name, None, source)
        if bucket.code is None:
            bucket.code = env.compile(source)
            cache.set_bucket(bucket)
        code = bucket.code
    return env.template_class.from_code(env, code, env.make_globals(None), None)


class CachedSandbox(SandboxedEnvironment):
    """The sandbox whose `from_string` goes through its bytecode cache: docxtpl compiles each XML
    part of a .docx with `from_string`, ~15 % of a .docx report."""

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        import zlib

        data = source.encode("utf-8", "surrogatepass")
        return template_from(self, source, f"xml:{len(data)}:{zlib.crc32(data):08x}")


@functools.cache
def docx_template() -> type:
    """docxtpl's DocxTemplate whose cleaning of each XML part goes through `patched` (made on
    first use: docxtpl, python-docx and lxml load for a .docx only)."""
    from docxtpl import DocxTemplate

    class CachedDocxTemplate(DocxTemplate):
        """docxtpl's template, its XML parts cleaned once and kept (`patched`)."""

        def patch_xml(self, src_xml: str) -> str:
            return patched(src_xml, super().patch_xml)

    return CachedDocxTemplate
