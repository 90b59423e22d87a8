"""tdkt serve: the file read-only in the browser (Datasette, an optional extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.errors import RuleBroken
from ..store import storage
from .common import db_path, say


def serve(
    port: Annotated[int, typer.Option("--port", help="Cổng trên 127.0.0.1.")] = 8001,
) -> None:
    # its help: catalog.TOP["serve"]
    from ..store import datasette as web

    path = Path(db_path() or "tdkt.db")
    if not path.exists():
        raise RuleBroken(f"Không có tệp cơ sở dữ liệu «{path}».")
    storage.connect(str(path)).close()  # bring an older file's schema (and views) up to date
    say(f"Đang mở {path} chỉ đọc tại http://127.0.0.1:{port}/ (Ctrl+C để dừng)")
    web.serve(path, port)
