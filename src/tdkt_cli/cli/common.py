"""What every command shares: options, the database session, errors turned into exit codes,
and output as JSON or for people.

Rich is imported only when a table is printed: `--json` and one-line answers never pay for it.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from ..core.errors import TdktError
from ..store import storage
from .catalog import HELP_OPTION, HELP_OPTION_TEXT

F = TypeVar("F", bound=Callable[..., Any])

JsonOpt = Annotated[bool, typer.Option("--json", help="In JSON ra stdout (UTF-8).")]
YearOpt = Annotated[int, typer.Option("--year", "-y", help="Năm thi đua, ví dụ 2019.")]
OptYearOpt = Annotated[int | None, typer.Option("--year", "-y", help="Năm thi đua, ví dụ 2019.")]
BlocOpt = Annotated[str, typer.Option("--bloc", "-b", help="Mã hoặc tên khối.")]
OptBlocOpt = Annotated[str | None, typer.Option("--bloc", "-b", help="Mã hoặc tên khối.")]
DateOpt = Annotated[str, typer.Option("--date", help="Ngày: 08/01/2020, 8/1/2020 hoặc 2020-01-08.")]
YesOpt = Annotated[bool, typer.Option("--yes", help="Không hỏi xác nhận.")]

HELP = {"help_option_names": list(HELP_OPTION)}


_USAGE_WORDS = (("[OPTIONS]", "[TÙY CHỌN]"), ("COMMAND [ARGS]...", "LỆNH [THAM SỐ]..."))


class _Vietnamese:
    """The two English lines Click still writes on a help screen, said in Vietnamese."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = " ".join(self.collect_usage_pieces(ctx))  # type: ignore[attr-defined]
        for english, ours in _USAGE_WORDS:
            pieces = pieces.replace(english, ours)
        formatter.write_usage(ctx.command_path, pieces, prefix="Cách dùng: ")

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option


class VietCommand(_Vietnamese, TyperCommand):
    pass


class VietGroup(_Vietnamese, TyperGroup):
    """A group's help screen (`tdkt -h`, `tdkt unit -h`) is plain text from the same function as
    the quick path's (startup/fasthelp.py), so the two doors print the same bytes."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from ..startup.fasthelp import option_words, screen

        options = []
        helper = self.get_help_option(ctx)
        for param in self.get_params(ctx):
            if param is helper:  # Click keeps its names in a set: say them in our order
                options.append((option_words(HELP_OPTION, None), HELP_OPTION_TEXT))
            elif param.param_type_name == "option" and not param.hidden:
                metavar = None if param.is_flag else param.metavar
                options.append((option_words(param.opts, metavar), param.help or ""))
        commands = []
        for name in self.list_commands(ctx):
            sub = self.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                commands.append((name, sub.short_help or sub.help or ""))
        formatter.write(screen(ctx.command_path, self.help or "", options, commands))


def sub_app() -> typer.Typer:
    """A noun's sub-app; its help is the noun's in catalog.NOUNS, given where the tree is built."""
    return typer.Typer(cls=VietGroup, no_args_is_help=True, context_settings=HELP)


def fail(message: str, code: int = 1) -> None:
    """Print one sentence on stderr and stop with `code`."""
    typer.echo(message, err=True)
    raise typer.Exit(code)


def handle(func: F) -> F:
    """Turn domain errors into one Vietnamese sentence and exit 1; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..startup.failures import explain, pipe_gone

        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            code = pipe_gone(not storage.state.rolled_back)
            if code:
                typer.echo(
                    "Đầu ra đã đóng trước khi lệnh ghi xong; không có gì được ghi.", err=True
                )
            raise typer.Exit(code) from None
        except (typer.Exit, typer.Abort):
            raise
        except BaseException as exc:
            said = explain(exc)
            if said is not None and (
                isinstance(exc, TdktError) or not os.environ.get("TDKT_DEBUG")
            ):
                fail(*said)
            # usage errors raised by the parser carry their own exit code (2): let them through
            if not isinstance(exc, Exception) or said is not None:
                raise
            if os.environ.get("TDKT_DEBUG") or (hasattr(exc, "show") and hasattr(exc, "exit_code")):
                raise
            fail(f"Lỗi không mong đợi ({type(exc).__name__}: {exc}); không có gì được ghi.")

    return wrapper  # type: ignore[return-value]


def command(app: typer.Typer, name: str, **kwargs: Any) -> Callable[[F], F]:
    """Register `func` as `name` on `app`, wrapped by handle()."""

    def register(func: F) -> F:
        app.command(name, cls=VietCommand, **kwargs)(handle(func))
        return func

    return register


class _State:
    """What the root read from the command line (`--db`, `--by`, the words typed), for the
    command it runs and the audit trail."""

    db: str | None = None
    by: str | None = None
    argv: list[str] = []  # noqa: RUF012 - one process, one command


state = _State()


def db_path() -> str | None:
    return state.db


@contextmanager
def writing() -> Iterator[sqlite3.Connection]:
    """A connection inside one write transaction: the command does all it says or nothing."""
    import shlex

    conn = storage.connect(db_path())
    try:
        with storage.transaction(conn, shlex.join(["tdkt", *state.argv]), state.by):
            yield conn
    finally:
        conn.close()


@contextmanager
def reading() -> Iterator[sqlite3.Connection]:
    """A connection with a consistent snapshot for the length of the command."""
    conn = storage.connect(db_path())
    try:
        conn.execute("BEGIN")
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def say(message: str) -> None:
    typer.echo(message)


def answer(json_: bool, data: Any, message: str) -> None:
    """The result of a write: JSON for scripts, one line for people."""
    if json_:
        emit_json(data)
    else:
        say(message)


def table(title: str | None, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A table for people, in plain text (no colour), drawn without Rich (see grid.py)."""
    from ..text.grid import print_table

    print_table(title, headers, rows)


def confirm(question: str, yes: bool) -> bool:
    """Ask only when a person is at the terminal; scripts get a refusal unless --yes."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise TdktError(f"{question} Chạy lại với --yes để xác nhận.")
    return typer.confirm(question, default=False)


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on stderr for people; nothing at all when stderr is not a terminal."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
