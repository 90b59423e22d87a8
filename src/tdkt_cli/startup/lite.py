"""A stand-in for the few names of Typer that tdkt's command modules use, for the fast path.

Importing Typer (its vendored Click, completion and Rich glue) costs more than a read command's
whole work. On the fast path (fast.py) this module is installed as `typer` before the command
modules load, so their `Annotated[..., typer.Option(...)]` declarations become plain records that
one generic parser reads, and the very same command functions run. Anything this stand-in cannot
do is the fast path's cue to hand the command line to the real Typer, in a fresh import.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class Param:
    def __init__(self, default: Any = ..., *param_decls: str, **kwargs: Any) -> None:
        if isinstance(default, str) and default.startswith("-"):  # Option("--x") style
            param_decls = (default, *param_decls)
            default = ...
        self.default = default
        self.param_decls = param_decls
        self.kwargs = kwargs


class Option(Param):
    pass


class Argument(Param):
    pass


class Exit(Exception):
    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.exit_code = code


class Abort(Exception):
    pass


class Unsupported(Exception):
    """Something only the real Typer does: hand the command line over."""


def echo(message: Any = None, err: bool = False, nl: bool = True, **_: Any) -> None:
    stream = sys.stderr if err else sys.stdout
    text = "" if message is None else str(message)
    stream.write(text + ("\n" if nl else ""))
    stream.flush()


def confirm(*_: Any, **__: Any) -> bool:
    raise Unsupported("confirm")


class Typer:
    def __init__(self, *_: Any, **kwargs: Any) -> None:
        self.commands: dict[str, Any] = {}
        self.groups: dict[str, Typer] = {}
        self.help = kwargs.get("help")

    def command(self, name: str | None = None, **_: Any):
        def register(func: Any) -> Any:
            self.commands[name or func.__name__.replace("_", "-")] = func
            return func

        return register

    def add_typer(self, sub: Typer, name: str | None = None, **_: Any) -> None:
        self.groups[name or ""] = sub

    def callback(self, *_: Any, **__: Any):
        return lambda func: func


class _Placeholder:
    def __init__(self, *_: Any, **__: Any) -> None:
        pass


def install() -> None:
    """Put this module where `import typer` and `from typer.core import …` look."""
    core = types.ModuleType("typer.core")
    core.TyperCommand = _Placeholder  # type: ignore[attr-defined]
    core.TyperGroup = _Placeholder  # type: ignore[attr-defined]
    sys.modules["typer"] = sys.modules[__name__]
    sys.modules["typer.core"] = core


def uninstall() -> None:
    """Forget the stand-in and every module that was built on it."""
    for name in list(sys.modules):
        if name in ("typer", "typer.core") or name.startswith("tdkt_cli.cli"):
            del sys.modules[name]
