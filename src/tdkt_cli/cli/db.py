"""tdkt db …: check and back up the database file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ..audit import checks
from ..core.errors import RuleBroken
from .common import JsonOpt, command, db_path, emit_json, reading, say, sub_app

app = sub_app()  # its help: catalog.NOUNS


@command(app, "check")
def db_check(json_: JsonOpt = False) -> None:
    """Kiểm tra tính nhất quán; im lặng và thoát 0 khi không có vấn đề."""
    with reading() as conn:
        problems = checks.run(conn)
    if json_:
        emit_json([p.__dict__ for p in problems])
    else:
        for p in problems:
            typer.echo(str(p), err=True)
    if problems:
        if not json_:
            typer.echo(f"Có {len(problems)} vấn đề.", err=True)
        raise typer.Exit(1)


@command(app, "backup")
def db_backup(
    path: Annotated[Path, typer.Argument(help="Tệp sao lưu sẽ tạo.")],
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có.")] = False,
) -> None:
    """Sao lưu nhất quán cơ sở dữ liệu, kể cả khi tiến trình khác đang ghi."""
    import sqlite3

    from ..files import atomic as files
    from ..store import storage

    source = Path(db_path() or storage.default_path())
    if str(path) and path.resolve() == source.resolve():
        raise RuleBroken("Tệp sao lưu phải khác tệp cơ sở dữ liệu.")
    with reading() as conn, files.replacing(path, force) as tmp:
        # an absolute path: a folder named «file:…» is never read as an SQLite URI
        target = sqlite3.connect(os.path.abspath(tmp))
        try:
            # one step: the copy is one snapshot, whatever others write meanwhile
            conn.backup(target, pages=-1)
        finally:
            target.close()
    say(f"Đã sao lưu vào {path}")
