"""The quick path: read commands and the groups' help without importing Typer.

Importing Typer and building its command tree costs more than a read command's whole work, and
scripts call tdkt in loops. So `run()` answers:
- the help of the root and of every noun (fasthelp.py), in the same words as Typer's groups;
- every command that cli/catalog.py marks as never writing the database (reads, and the
  documents made from it): it installs a stand-in for Typer
  (lite.py), imports only the one command module the command line names, reads each parameter
  from the command function's own `Annotated` signature (`describe`: one generic parser for all
  commands, no second description of any) and calls the very function Typer would.
Any command line this parser is not sure of (help, unknown options, a value that does not convert,
`--opt=…` on a flag, `--`) goes to Typer untouched, which says what is wrong in its own words.
tests/test_fast.py runs both doors on the same command lines and compares their output, and checks
for every command that both read the same names, options and help.
"""

from __future__ import annotations

import contextlib
import os
import sys
import typing
from typing import Any


class _NotMine(Exception):
    """Not a command line for the quick path."""


def _root(argv: list[str]) -> tuple[str | None, list[str]]:
    db = None
    args = list(argv)
    while args and args[0].startswith("--"):
        if args[0] == "--db" and len(args) > 1:
            db, args = args[1], args[2:]
        elif args[0].startswith("--db="):
            db, args = args[0][5:], args[1:]
        elif args[0] == "--by" and len(args) > 1:
            args = args[2:]
        elif args[0].startswith("--by="):
            args = args[1:]
        else:
            raise _NotMine
    if db is not None and (db == "" or os.path.isdir(db)):
        raise _NotMine
    return db, args


def _target(args: list[str]) -> tuple[Any, list[str]]:
    """The function of the read command argv names, and the words after it."""
    from ..cli.catalog import NOUNS, TOP

    if not args:
        raise _NotMine
    top = TOP.get(args[0])
    if top is not None and top.reads and top.module:
        module = __import__(f"tdkt_cli.cli.{top.module}", fromlist=[top.function])
        return getattr(module, top.function), args[1:]
    noun = NOUNS.get(args[0])
    if noun is not None and len(args) >= 2 and args[1] in noun.reads:
        module = __import__(f"tdkt_cli.cli.{noun.module}", fromlist=["app"])
        func = module.app.commands.get(args[1])
        if func is None:
            raise _NotMine
        return func, args[2:]
    raise _NotMine


class Param:
    """One parameter of a command function as Click will see it, read from its signature."""

    __slots__ = (
        "decls",
        "default",
        "dir_okay",
        "help",
        "kind",
        "metavar",
        "multiple",
        "name",
        "secondary",
        "type",
        "unsupported",
    )

    def __init__(self, **values: Any) -> None:
        for key in self.__slots__:
            setattr(self, key, values.get(key))

    @property
    def required(self) -> bool:
        return self.default is ...


# what a declaration may say and the quick parser still read exactly as Click does
_PLAIN = {"help", "metavar", "dir_okay", "show_default"}


def describe(func: Any) -> list[Param]:
    """Every parameter of a command function: its name, kind (option/argument), declarations as
    Click gets them (`opts`, and `secondary` for `--x/--no-x`), type, whether it repeats, default,
    help and metavar; `unsupported` says why the quick parser leaves it to Typer (else None)."""
    from . import lite

    original = getattr(func, "__wrapped__", func)
    module = sys.modules[original.__module__]
    hints = typing.get_type_hints(original, globalns=vars(module), include_extras=True)
    code = original.__code__
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    defaults = dict(zip(names[::-1], (original.__defaults__ or ())[::-1], strict=False))
    defaults.update(original.__kwdefaults__ or {})
    out = []
    for name in names:
        hint = hints[name]
        info = None
        if typing.get_origin(hint) is typing.Annotated:
            hint, *extras = typing.get_args(hint)
            info = next((e for e in extras if isinstance(e, lite.Param)), None)
        kwargs = info.kwargs if info is not None else {}
        unsupported = None
        if set(kwargs) - _PLAIN:
            unsupported = "callbacks, envvars, ranges: " + ", ".join(sorted(set(kwargs) - _PLAIN))
        base, multiple = _base(hint)
        if base is None:
            unsupported = f"type {hint!r}"
        default = defaults.get(name, ...)
        kind = "argument" if isinstance(info, lite.Argument) else "option"
        if info is None and default is ...:
            kind = "argument"
        decls = list(info.param_decls) if info is not None else []
        secondary: list[str] = []
        if kind == "argument":
            decls = [name]
        elif not decls:
            decls = ["--" + name.replace("_", "-")]
            if base is bool:  # Typer adds --no-NAME
                secondary = ["--no-" + name.replace("_", "-")]
                unsupported = unsupported or "a flag without a declaration (--no-…)"
        elif any("/" in d for d in decls):
            pairs = [d.split("/", 1) for d in decls if "/" in d]
            decls = [d for d in decls if "/" not in d] + [a.strip() for a, _ in pairs]
            secondary = [b.strip() for _, b in pairs if b.strip()]
            unsupported = unsupported or "a --x/--no-x flag"
        out.append(
            Param(
                name=name,
                kind=kind,
                decls=decls,
                secondary=secondary,
                type=base,
                multiple=multiple,
                default=default,
                dir_okay=kwargs.get("dir_okay", True),
                help=kwargs.get("help") or "",
                metavar=kwargs.get("metavar"),
                unsupported=unsupported,
            )
        )
    return out


def _spec(func: Any) -> list[Param]:
    spec = describe(func)
    if any(p.unsupported for p in spec):
        raise _NotMine
    return spec


def _base(hint: Any) -> tuple[type | None, bool]:
    """The plain type of a hint (str, int, float, bool, Path) and whether it is a list; None for
    any other type."""
    if isinstance(hint, str):
        return None, False
    origin = typing.get_origin(hint)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1:
            return None, False
        return _base(args[0])
    if origin is list:
        (inner,) = typing.get_args(hint)
        base, _ = _base(inner)
        return base, True
    if hint in (str, int, float, bool) or hint is _path():
        return hint, False
    return None, False


def _path() -> Any:
    """pathlib.Path if a module already imported it (a hint can only be Path then)."""
    pathlib = sys.modules.get("pathlib")
    return pathlib.Path if pathlib is not None else None


def _convert(value: str, kind: type, dir_okay: bool) -> Any:
    if kind is int:
        text = value.strip()
        if not text.lstrip("+-").isdecimal() or len(text) > 18:
            raise _NotMine
        return int(text)
    if kind is float:
        try:
            number = float(value)
        except ValueError:
            raise _NotMine from None
        if number != number or number in (float("inf"), float("-inf")):
            raise _NotMine
        return number
    if kind is _path():
        if not dir_okay and os.path.isdir(value):
            raise _NotMine
        return kind(value)
    return value


def parse(func: Any, words: list[str]) -> dict[str, Any]:
    """Keyword arguments for `func` from the words after the command, as Click would read them."""
    spec = _spec(func)
    by_decl = {d: p for p in spec if p.kind == "option" for d in p.decls}
    arguments = [p for p in spec if p.kind == "argument"]
    values: dict[str, Any] = {}
    positional: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("-h", "--help", "--") or "\x00" in word:
            raise _NotMine
        if word.startswith("-") and len(word) > 1:  # «-1» too: Click reads it as an option
            name, eq, inline = word.partition("=")
            p = by_decl.get(name)
            if p is None or (eq and not name.startswith("--")):
                raise _NotMine
            if p.type is bool:
                if eq or p.name in values:
                    raise _NotMine
                values[p.name] = True
            else:
                if eq:
                    raw = inline
                elif i + 1 < len(words):
                    i += 1
                    raw = words[i]
                else:
                    raise _NotMine
                value = _convert(raw, p.type, p.dir_okay)
                if p.multiple:
                    values.setdefault(p.name, []).append(value)
                elif p.name in values:
                    raise _NotMine  # Click lets the last win; keep the rare case with Click
                else:
                    values[p.name] = value
        else:
            positional.append(word)
        i += 1
    for p in arguments:
        if p.multiple:
            values[p.name] = [_convert(w, p.type, p.dir_okay) for w in positional]
            positional = []
        elif positional:
            values[p.name] = _convert(positional.pop(0), p.type, p.dir_okay)
    if positional:
        raise _NotMine
    for p in spec:
        if p.name not in values:
            if p.default is ...:
                raise _NotMine  # missing: Typer says so
            values[p.name] = p.default
    return values


@contextlib.contextmanager
def stand_in():
    """Typer's stand-in for the length of the call; the modules as they were afterwards (a
    process that goes on to the real Typer, or a test, sees nothing of it)."""
    from . import lite

    def ours(name: str) -> bool:
        return name in ("typer", "typer.core") or name.startswith("tdkt_cli.cli")

    before = {k: v for k, v in sys.modules.items() if ours(k)}
    package = sys.modules["tdkt_cli"]
    had_cli = getattr(package, "cli", None)
    lite.install()
    for name in [k for k in sys.modules if k.startswith("tdkt_cli.cli")]:
        del sys.modules[name]
    try:
        yield lite
    finally:
        for name in [k for k in sys.modules if ours(k)]:
            del sys.modules[name]
        sys.modules.update(before)
        if had_cli is not None:
            package.cli = had_cli
        elif hasattr(package, "cli"):
            del package.cli


def _prepare(argv: list[str]) -> tuple[str | None, Any, dict[str, Any]]:
    db, args = _root(argv)
    func, words = _target(args)
    return db, func, parse(func, words)


def claims(argv: list[str]) -> bool:
    """Whether the quick path would run argv as a read command (for tests)."""
    if not argv or os.environ.get("_TDKT_COMPLETE") or {"-h", "--help"} & set(argv):
        return False
    with stand_in():
        try:
            _prepare(argv)
        except _NotMine:
            return False
    return True


def run(argv: list[str]) -> int | None:
    """Answer argv on the quick path; None means "not mine, ask Typer"."""
    if os.environ.get("_TDKT_COMPLETE"):  # a shell asking for completions: Typer's business
        return None
    if len(argv) <= 2:
        from . import fasthelp

        code = fasthelp.run(argv)
        if code is not None:
            return code
    if not argv or {"-h", "--help"} & set(argv):
        return None
    from .failures import explain, pipe_gone

    with stand_in() as lite:
        try:
            db, func, kwargs = _prepare(argv)
        except (_NotMine, lite.Unsupported):
            return None
        from ..cli.common import state

        state.db, state.argv = db, list(argv)
        try:
            result = func(**kwargs)
            sys.stdout.flush()
        except lite.Exit as exc:
            return exc.exit_code
        except lite.Abort:
            sys.stderr.write("Đã hủy.\n")
            return 1
        except BrokenPipeError:  # no write to the database runs here; files are written whole
            return pipe_gone(True)
        except BaseException as exc:  # exactly what cli.common.handle catches, said the same way
            said = explain(exc)
            if said is None:
                raise
            sys.stderr.write(said[0] + "\n")
            return said[1]
        return result if isinstance(result, int) else 0
