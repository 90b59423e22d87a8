"""tdkt movement …: emulation movements, who chairs and co-runs them, and their reports."""

from __future__ import annotations

from typing import Annotated

import typer

from ..activities import service as activities
from ..units import service as units
from .common import (
    DateOpt,
    JsonOpt,
    answer,
    command,
    emit_json,
    reading,
    say,
    sub_app,
    table,
    writing,
)

app = sub_app()  # its help: catalog.NOUNS


@command(app, "add")
def movement_add(
    name: Annotated[str, typer.Argument(help="Tên phong trào.")],
    launched_by: Annotated[
        str,
        typer.Option("--launched-by", help="Cấp phát động: «Thủ tướng Chính phủ», «UBND tỉnh»…"),
    ],
    chair: Annotated[
        list[str] | None, typer.Option("--chair", help="Đơn vị chủ trì (lặp lại).")
    ] = None,
    partner: Annotated[
        list[str] | None, typer.Option("--partner", help="Đơn vị phối hợp (lặp lại).")
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="Ngày bắt đầu.")] = None,
    finish: Annotated[str | None, typer.Option("--to", help="Ngày kết thúc.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Ghi một phong trào thi đua; in mã số."""
    with writing() as conn:
        m = activities.add_movement(
            conn,
            name,
            launched_by,
            units.resolve_many(conn, chair or []),
            units.resolve_many(conn, partner or []),
            start,
            finish,
        )
    if json_:
        emit_json(m.as_json())
    else:
        say(str(m.id))


@command(app, "report")
def movement_report(
    movement: Annotated[str, typer.Argument(help="Mã số hoặc tên phong trào.")],
    unit: Annotated[str, typer.Option("--unit", help="Đơn vị báo cáo (chủ trì hoặc phối hợp).")],
    date: DateOpt,
    summary: Annotated[str, typer.Option("--summary", help="Tóm tắt nội dung báo cáo.")],
    json_: JsonOpt = False,
) -> None:
    """Ghi báo cáo định kỳ của đơn vị chủ trì hoặc phối hợp về một phong trào."""
    with writing() as conn:
        m = activities.report_movement(
            conn,
            activities.resolve_movement(conn, movement),
            units.resolve(conn, unit),
            date,
            summary,
        )
    answer(json_, m.as_json(), f"Đã ghi báo cáo phong trào «{m.name}» ({len(m.reports)} báo cáo).")


@command(app, "list")
def movement_list(
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="Chỉ các phong trào đơn vị này chủ trì hoặc phối hợp."),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Liệt kê phong trào: ai chủ trì, ai phối hợp, số báo cáo."""
    with reading() as conn:
        found = activities.list_movements(conn, units.resolve(conn, unit) if unit else None)
    if json_:
        emit_json([m.as_json() for m in found])
        return
    table(
        None,
        ["Mã số", "Phong trào", "Phát động", "Chủ trì", "Phối hợp", "Báo cáo"],
        [
            (m.id, m.name, m.launched_by, "; ".join(m.chair), "; ".join(m.partners), len(m.reports))
            for m in found
        ],
    )


@command(app, "remove")
def movement_remove(
    movement: Annotated[str, typer.Argument(help="Mã số hoặc tên phong trào.")],
    json_: JsonOpt = False,
) -> None:
    """Xóa một phong trào nhập nhầm (khi chưa có báo cáo nào)."""
    with writing() as conn:
        gone = activities.remove_movement(conn, activities.resolve_movement(conn, movement))
    answer(json_, {"removed": gone.as_json()}, f"Đã xóa phong trào «{gone.name}».")


@command(app, "unreport")
def movement_unreport(
    report_id: Annotated[
        int, typer.Argument(metavar="ID", help="Mã số báo cáo (movement list --json).")
    ],
    json_: JsonOpt = False,
) -> None:
    """Xóa một báo cáo phong trào ghi nhầm."""
    with writing() as conn:
        m, gone = activities.remove_report(conn, report_id)
    answer(
        json_,
        {"removed": gone, "movement": m.as_json()},
        f"Đã xóa báo cáo {gone['id']} của {gone['unit']} về phong trào «{m.name}».",
    )
