"""The Typer app: the root's options, one sub-app per noun and the top-level commands, joined as
catalog.py lists them.

Start-up matters (scripts call tdkt in loops), so `main()` registers only the sub-app that the
command line names; unknown words get the whole tree, and `build()` with no argument is the whole
tree (what tests use). Documents, YAML and Rich load inside the commands that need them.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from .catalog import APP_HELP, NOUNS, TOP, named
from .common import HELP, VietGroup, command, say, state


def _version(value: bool) -> None:
    if value:
        say(f"tdkt {__version__}")
        raise typer.Exit()


def root(
    db_file: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="TDKT_DB",
            help="Tệp cơ sở dữ liệu SQLite (mặc định: biến TDKT_DB, rồi ./tdkt.db).",
            metavar="TỆP",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            envvar="TDKT_BY",
            help="Người thực hiện, ghi vào nhật ký (mặc định: tài khoản máy).",
            metavar="TÊN",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="In phiên bản.")
    ] = False,
) -> None:
    """Sổ sách và văn bản của khối thi đua."""
    state.db = str(db_file) if db_file else None
    state.by = by


def init() -> None:
    # its help: catalog.TOP["init"], like every top-level command's
    from ..store import storage
    from .common import db_path

    path = Path(db_path() or storage.default_path())
    storage.connect(path).close()
    say(f"Cơ sở dữ liệu: {path.resolve()}")


class _Recording(VietGroup):
    """Keeps the words of the command line, for the audit trail."""

    def list_commands(self, ctx):  # type: ignore[override]
        order = {name: i for i, name in enumerate([*NOUNS, *TOP])}  # nouns first, as listed
        return sorted(super().list_commands(ctx), key=lambda name: order.get(name, len(order)))

    def main(self, args=None, *a, **kw):  # type: ignore[override]
        state.argv = list(sys.argv[1:] if args is None else args)
        from ..startup.failures import bad_argument

        bad = bad_argument([str(arg) for arg in state.argv])
        if bad is not None:  # NUL (only in-process callers can send one), bytes not UTF-8
            typer.echo(bad, err=True)
            sys.exit(2)
        if not state.argv or {"-h", "--help"} & set(state.argv):
            from .usage import translate_help

            translate_help()
        kw["standalone_mode"] = False
        try:
            result = super().main(args, *a, **kw)
        except Exception as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # a group typed alone: show its help
                from .usage import translate_help

                translate_help()
                typer.echo(exc.ctx.get_help())
                sys.exit(0)
            if type(exc).__name__ == "Abort":
                typer.echo("Đã hủy.", err=True)
                sys.exit(1)
            if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
                raise
            from .usage import vietnamese

            ctx = getattr(exc, "ctx", None)
            where = f" Xem hướng dẫn: {ctx.command_path} -h" if ctx is not None else ""
            typer.echo(vietnamese(exc.format_message()) + where, err=True)
            sys.exit(exc.exit_code)
        sys.exit(result if isinstance(result, int) else 0)


def build(only: str | None = None) -> typer.Typer:
    """The command tree of catalog.py; with `only`, just that noun (or top-level command)."""
    app = typer.Typer(
        cls=_Recording,
        name="tdkt",
        help=APP_HELP,
        no_args_is_help=True,
        context_settings=HELP,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    app.callback()(root)
    for noun, entry in NOUNS.items():
        if only in (None, noun):
            sub = importlib.import_module(f"{__package__}.{entry.module}")
            app.add_typer(sub.app, name=noun, help=entry.help)
    for name, top in TOP.items():
        if only in (None, name):
            command(app, name, help=top.help)(top_function(name))
    return app


def top_function(name: str):
    """The function of a top-level command, found as catalog.TOP names it."""
    top = TOP[name]
    if top.module is None:
        return globals()[top.function]
    return getattr(importlib.import_module(f"{__package__}.{top.module}"), top.function)


def main() -> None:
    import os

    if os.environ.get("_TDKT_COMPLETE"):  # a shell asking for completions: the whole tree
        from .completion import prepare

        prepare()
        build()(prog_name="tdkt")
        return
    build(named(sys.argv[1:]))(prog_name="tdkt")
