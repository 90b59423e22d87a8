"""The `tdkt` command: one Typer sub-app per noun, joined here.

Only typer and the light modules are imported at start-up; documents, YAML and Rich load inside
the commands that need them, because scripts call tdkt in loops.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import __version__
from . import award, bloc, data, db, meeting, pledge, report, unit, vote
from .common import HELP, command, say, state

app = typer.Typer(
    name="tdkt",
    help="Sổ sách và văn bản của khối thi đua: đơn vị, khối, hội nghị, giao ước, bỏ phiếu, báo cáo.",
    no_args_is_help=True,
    context_settings=HELP,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        say(f"tdkt {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db_file: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="TDKT_DB",
            help="Tệp cơ sở dữ liệu SQLite (mặc định: biến TDKT_DB, rồi ./tdkt.db).",
            dir_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="In phiên bản.")
    ] = False,
) -> None:
    """Sổ sách và văn bản của khối thi đua."""
    state.db = str(db_file) if db_file else None


app.add_typer(unit.app, name="unit")
app.add_typer(bloc.app, name="bloc")
app.add_typer(meeting.app, name="meeting")
app.add_typer(pledge.app, name="pledge")
app.add_typer(vote.app, name="vote")
app.add_typer(award.app, name="award")
app.add_typer(report.app, name="report")
app.add_typer(db.app, name="db")
data.register(app)


@command(app, "init")
def init() -> None:
    """Tạo (hoặc nâng cấp) tệp cơ sở dữ liệu và cho biết nó nằm ở đâu."""
    from .. import storage
    from .common import db_path

    path = Path(db_path() or storage.default_path())
    storage.connect(path).close()
    say(f"Cơ sở dữ liệu: {path.resolve()}")


def main() -> None:
    app()
