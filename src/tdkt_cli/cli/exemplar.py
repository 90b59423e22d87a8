"""tdkt exemplar …: collectives and individuals held up as examples (điển hình tiên tiến)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..activities import service as activities
from ..blocs import service as blocs
from ..units import service as units
from .common import (
    BlocOpt,
    JsonOpt,
    YearOpt,
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
def exemplar_add(
    bloc: BlocOpt,
    year: YearOpt,
    kind: Annotated[str, typer.Option("--kind", help="tap-the (tập thể) | ca-nhan (cá nhân).")],
    name: Annotated[str, typer.Option("--name", help="Tên tập thể hoặc họ tên cá nhân.")],
    unit: Annotated[
        str | None, typer.Option("--unit", help="Đơn vị thành viên có điển hình.")
    ] = None,
    movement: Annotated[
        str | None,
        typer.Option(
            "--movement",
            help="Phong trào, ví dụ «Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh».",
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Danh hiệu đã có (Chiến sĩ thi đua cơ sở…).")
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="Mô tả ngắn thành tích.")
    ] = None,
    count: Annotated[
        int,
        typer.Option(
            "--count", help="Số điển hình dòng này đại diện (khi chỉ có số liệu tổng hợp)."
        ),
    ] = 1,
    json_: JsonOpt = False,
) -> None:
    """Ghi một điển hình tiên tiến; in mã số."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        ex = activities.add_exemplar(
            conn,
            found,
            year,
            kind,
            name,
            units.resolve(conn, unit) if unit else None,
            movement,
            title,
            description,
            count,
        )
    if json_:
        emit_json(ex.as_json())
    else:
        say(str(ex.id))


@command(app, "list")
def exemplar_list(bloc: BlocOpt, year: YearOpt, json_: JsonOpt = False) -> None:
    """Liệt kê điển hình của khối trong năm, kèm số lượng theo loại và phong trào."""
    with reading() as conn:
        found = blocs.resolve(conn, bloc)
        items = activities.list_exemplars(conn, found, year)
        counts = activities.count_exemplars(conn, found, year)
    if json_:
        emit_json({"exemplars": [e.as_json() for e in items], "counts": counts.as_json()})
        return
    table(
        None,
        ["Mã số", "Loại", "Tên", "Đơn vị", "Phong trào", "Số lượng"],
        [
            (e.id, activities.KINDS[e.kind], e.name, e.unit or "", e.movement or "", e.count)
            for e in items
        ],
    )
    say(f"Tổng: {counts.sentence()}.")


@command(app, "remove")
def exemplar_remove(
    exemplar_id: Annotated[int, typer.Argument(metavar="ID", help="Mã số điển hình.")],
    json_: JsonOpt = False,
) -> None:
    """Xóa một điển hình tiên tiến ghi nhầm."""
    with writing() as conn:
        gone = activities.remove_exemplar(conn, exemplar_id)
    if json_:
        emit_json({"removed": gone.as_json()})
    else:
        say(f"Đã xóa điển hình {gone.id}: {gone.name}.")
