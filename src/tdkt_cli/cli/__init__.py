"""The `tdkt` command: one Typer sub-app per noun, joined here.

Start-up matters (scripts call tdkt in loops), so:
- `main()` registers only the sub-app that the command line names; `tdkt --help` and unknown words
  get the whole tree. `app` (the full tree) is what tests and `python -m tdkt_cli` use.
- Documents, YAML and Rich load inside the commands that need them.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from .common import HELP, VietGroup, command, say, state

NOUNS = {
    "unit": "unit",
    "bloc": "bloc",
    "body": "body",
    "meeting": "meeting",
    "pledge": "pledge",
    "vote": "vote",
    "award": "award",
    "score": "score",
    "exemplar": "exemplar",
    "activity": "activity",
    "movement": "movement",
    "report": "report",
    "db": "db",
}
# top-level commands → the module whose register(app) adds them
TOP = {
    "export": "data",
    "import": "data",
    "demo": "data",
    "log": "audit",
    "undo": "audit",
    "redo": "audit",
    "province": "province",
    "serve": "web",
    "completion": "completion",
    "init": None,
}


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
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            envvar="TDKT_BY",
            help="Người thực hiện, ghi vào nhật ký (mặc định: tài khoản máy).",
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
    """Tạo (hoặc nâng cấp) tệp cơ sở dữ liệu và cho biết nó nằm ở đâu."""
    from ..store import storage
    from .common import db_path

    path = Path(db_path() or storage.default_path())
    storage.connect(path).close()
    say(f"Cơ sở dữ liệu: {path.resolve()}")


class _Recording(VietGroup):
    """Keeps the words of the command line, for the audit trail."""

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
    """The command tree; with `only`, just that noun (or top-level command) is registered."""
    app = typer.Typer(
        cls=_Recording,
        name="tdkt",
        help="Sổ sách và văn bản của khối thi đua: đơn vị, khối, hội nghị, giao ước, bỏ phiếu, báo cáo.",
        no_args_is_help=True,
        context_settings=HELP,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    app.callback()(root)
    for noun, module in NOUNS.items():
        if only in (None, noun):
            sub = importlib.import_module(f".{module}", __name__)
            app.add_typer(sub.app, name=noun)
    for module in sorted({m for m in TOP.values() if m}):
        if only is None or TOP.get(only) == module:
            importlib.import_module(f".{module}", __name__).register(app)
    if only in (None, "init"):
        command(app, "init")(init)
    return app


def _named(argv: list[str]) -> str | None:
    """The noun or top-level command in argv, skipping the root's own options."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg == "--db":
            skip = True
        elif arg.startswith("-"):
            continue
        else:
            return arg if arg in NOUNS or arg in TOP else None
    return None


def __getattr__(name: str):
    if name == "app":  # the whole tree, built on first use
        globals()["app"] = build()
        return globals()["app"]
    raise AttributeError(name)


def main() -> None:
    import os

    if os.environ.get("_TDKT_COMPLETE"):  # a shell asking for completions: the whole tree
        from .completion import prepare

        prepare()
        build()(prog_name="tdkt")
        return
    build(_named(sys.argv[1:]))(prog_name="tdkt")
