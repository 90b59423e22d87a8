"""The fast path: read commands and `--help` without importing Typer.

Importing Typer and building its command tree costs more than a read command's whole work, and
scripts call tdkt in loops. So, for the read commands (READ_VERBS), `run()` installs a stand-in
for Typer (lite.py), imports only the one command module named on the command line, reads each
parameter's declaration from the command function's own signature (one generic parser for all
commands, no second description of any command) and calls the very function Typer would. Any
command line this parser is not sure of (help, unknown options, a value that does not convert,
`--opt=…` on a flag, `--`) goes to Typer untouched, which says what is wrong in its own words.
tests/test_fast.py runs both paths on the same command lines and compares their output.

`tdkt --help` and `tdkt NOUN --help` are rendered here too, from the same declarations, as plain
text: no Rich, no Typer.
"""

from __future__ import annotations

import contextlib
import os
import sys
import typing
from pathlib import Path
from typing import Any

# commands that only read (each opens `reading()`); the fast path never runs a write
READ_VERBS = {"list", "show", "tally", "table", "missing"}
READ_TOP = {"log", "province"}
# nouns whose verbs of those names write (`report tally` writes a document): always Typer
WRITING_NOUNS = {"report"}


class _NotMine(Exception):
    """Not a command line for the fast path."""


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
    """The command function argv names, and the words after it."""
    from ..cli import NOUNS, TOP

    if not args:
        raise _NotMine
    if args[0] in READ_TOP:
        module = __import__(f"tdkt_cli.cli.{TOP[args[0]]}", fromlist=["register"])
        from . import lite

        app = lite.Typer()
        module.register(app)
        return app.commands[args[0]], args[1:]
    if (
        len(args) >= 2
        and args[0] in NOUNS
        and args[0] not in WRITING_NOUNS
        and args[1] in READ_VERBS
    ):
        module = __import__(f"tdkt_cli.cli.{NOUNS[args[0]]}", fromlist=["app"])
        func = module.app.commands.get(args[1])
        if func is None:
            raise _NotMine
        return func, args[2:]
    raise _NotMine


def _spec(func: Any) -> list[dict[str, Any]]:
    """Each parameter: name, kind (option/argument), declarations, type, multiple, default."""
    from . import lite

    original = getattr(func, "__wrapped__", func)
    module = sys.modules[original.__module__]
    hints = typing.get_type_hints(original, globalns=vars(module), include_extras=True)
    import inspect

    out = []
    for name, param in inspect.signature(original).parameters.items():
        hint = hints[name]
        info = None
        if typing.get_origin(hint) is typing.Annotated:
            hint, *extras = typing.get_args(hint)
            info = next((e for e in extras if isinstance(e, lite.Param)), None)
        if info is not None and (
            set(info.kwargs) - {"help", "metavar", "dir_okay", "show_default"}
        ):
            raise _NotMine  # callbacks, envvars, ranges: Typer's business
        base, multiple = _base(hint)
        default = param.default if param.default is not inspect.Parameter.empty else ...
        kind = "argument" if isinstance(info, lite.Argument) else "option"
        if info is None and default is ...:
            kind = "argument"
        decls = list(info.param_decls) if info is not None else []
        if kind == "option" and not decls:
            decls = ["--" + name.replace("_", "-")]
        flags = [d for d in decls if "/" not in d]
        if kind == "option" and base is bool and len(flags) != len(decls):
            raise _NotMine
        if kind == "option" and base is bool and (info is None or not info.param_decls):
            raise _NotMine  # Typer would add --no-NAME
        out.append(
            {
                "name": name,
                "kind": kind,
                "decls": decls,
                "type": base,
                "multiple": multiple,
                "default": default,
                "dir_okay": info.kwargs.get("dir_okay", True) if info is not None else True,
            }
        )
    return out


def _base(hint: Any) -> tuple[type, bool]:
    if isinstance(hint, str):
        raise _NotMine
    origin = typing.get_origin(hint)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1:
            raise _NotMine
        return _base(args[0])
    if origin is list:
        (inner,) = typing.get_args(hint)
        base, _ = _base(inner)
        return base, True
    if hint in (str, int, float, bool, Path):
        return hint, False
    raise _NotMine


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
    if kind is Path:
        if not dir_okay and os.path.isdir(value):
            raise _NotMine
        return Path(value)
    return value


def parse(func: Any, words: list[str]) -> dict[str, Any]:
    """Keyword arguments for `func` from the words after the command, as Click would read them."""
    spec = _spec(func)
    by_decl = {d: p for p in spec if p["kind"] == "option" for d in p["decls"]}
    arguments = [p for p in spec if p["kind"] == "argument"]
    values: dict[str, Any] = {}
    positional: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("-h", "--help", "--") or "\x00" in word:
            raise _NotMine
        if word.startswith("-") and len(word) > 1 and not word.lstrip("-").isdigit():
            name, eq, inline = word.partition("=")
            p = by_decl.get(name)
            if p is None or (eq and not name.startswith("--")):
                raise _NotMine
            if p["type"] is bool:
                if eq or p["name"] in values:
                    raise _NotMine
                values[p["name"]] = True
            else:
                if eq:
                    raw = inline
                elif i + 1 < len(words):
                    i += 1
                    raw = words[i]
                else:
                    raise _NotMine
                value = _convert(raw, p["type"], p["dir_okay"])
                if p["multiple"]:
                    values.setdefault(p["name"], []).append(value)
                elif p["name"] in values:
                    raise _NotMine  # Click lets the last win; keep the rare case with Click
                else:
                    values[p["name"]] = value
        else:
            positional.append(word)
        i += 1
    for p in arguments:
        if p["multiple"]:
            values[p["name"]] = [_convert(w, p["type"], p["dir_okay"]) for w in positional]
            positional = []
        elif positional:
            values[p["name"]] = _convert(positional.pop(0), p["type"], p["dir_okay"])
    if positional:
        raise _NotMine
    for p in spec:
        if p["name"] not in values:
            if p["default"] is ...:
                raise _NotMine  # missing: Typer says so
            values[p["name"]] = p["default"]
    return values


@contextlib.contextmanager
def _stand_in():
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
    """Whether the fast path would answer argv (for tests)."""
    if not argv or os.environ.get("_TDKT_COMPLETE") or {"-h", "--help"} & set(argv):
        return False
    with _stand_in():
        try:
            _prepare(argv)
        except _NotMine:
            return False
    return True


def run(argv: list[str]) -> int | None:
    """Answer argv on the fast path; None means "not mine, ask Typer"."""
    if argv in (["-h"], ["--help"]) and not os.environ.get("_TDKT_COMPLETE"):
        from . import fasthelp

        return fasthelp.run(argv)
    if not argv or os.environ.get("_TDKT_COMPLETE") or {"-h", "--help"} & set(argv):
        return None
    from .failures import explain, pipe_gone

    with _stand_in() as lite:
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
        except BrokenPipeError:  # only reads run here: nothing was left half-written
            return pipe_gone(True)
        except BaseException as exc:  # exactly what cli.common.handle catches, said the same way
            said = explain(exc)
            if said is None:
                raise
            sys.stderr.write(said[0] + "\n")
            return said[1]
        return result if isinstance(result, int) else 0
