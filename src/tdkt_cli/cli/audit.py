"""tdkt log and tdkt undo: the audit trail of every write, and reverting a command."""

from __future__ import annotations

from typing import Annotated

import typer

from ..services import audit, blocs, units
from .common import (
    JsonOpt,
    YesOpt,
    answer,
    command,
    confirm,
    emit_json,
    reading,
    table,
    writing,
)


def register(app: typer.Typer) -> None:
    command(app, "log")(log)
    command(app, "undo")(undo)


def log(
    since: Annotated[str | None, typer.Option("--since", help="Từ ngày.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Đến ngày.")] = None,
    bloc: Annotated[
        str | None, typer.Option("--bloc", "-b", help="Chỉ thao tác chạm tới khối này.")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Chỉ thao tác chạm tới đơn vị này.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Số dòng tối đa.")] = 50,
    show: Annotated[
        int | None, typer.Option("--show", help="Xem chi tiết các dòng dữ liệu của một thao tác.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Nhật ký mọi thao tác ghi: lúc nào, ai, lệnh gì, dữ liệu cũ và mới."""
    with reading() as conn:
        if show is not None:
            detail = audit.changes(conn, show)
            if json_:
                emit_json(detail)
                return
            table(
                f"Thao tác số {show}",
                ["Bảng", "Thao tác", "Cũ", "Mới"],
                [(c["table"], c["op"], c["old"] or "", c["new"] or "") for c in detail],
            )
            return
        entries = audit.log(
            conn,
            since,
            until,
            blocs.resolve(conn, bloc).id if bloc else None,
            units.resolve(conn, unit).id if unit else None,
            limit,
        )
    if json_:
        emit_json([e.as_json() for e in entries])
        return
    table(
        None,
        ["Số", "Lúc", "Người", "Lệnh", "Dòng đổi", "Hoàn tác bởi"],
        [(e.id, e.at, e.by, e.argv, e.changes, e.undone_by or "") for e in entries],
    )


def undo(
    to: Annotated[
        int | None, typer.Option("--to", help="Hoàn tác mọi thao tác sau thao tác số này.")
    ] = None,
    yes: YesOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Hoàn tác thao tác ghi gần nhất (hoặc mọi thao tác sau --to) như một bước, có ghi nhật ký."""
    question = (
        "Hoàn tác thao tác gần nhất?"
        if to is None
        else f"Hoàn tác mọi thao tác sau thao tác số {to}?"
    )
    confirm(question, yes)
    with writing() as conn:
        reverted = audit.undo(conn, to)
    answer(
        json_, {"reverted": reverted}, f"Đã hoàn tác thao tác số {', '.join(map(str, reverted))}."
    )
