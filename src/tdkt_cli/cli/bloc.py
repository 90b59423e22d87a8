"""tdkt bloc …: blocs, their members per year, and the yearly head and deputy."""

from __future__ import annotations

from typing import Annotated

import typer

from ..services import blocs, units
from .common import (
    JsonOpt,
    OptYearOpt,
    YearOpt,
    answer,
    command,
    emit_json,
    reading,
    say,
    sub_app,
    table,
    writing,
)

app = sub_app("Khối thi đua: thêm, thành viên theo năm, trưởng khối và phó khối.")

BlocArg = Annotated[str, typer.Argument(help="Mã hoặc tên khối.")]
ParentOpt = Annotated[
    str | None,
    typer.Option("--parent", help="Cơ quan cấp trên in ở đầu văn bản, ví dụ «UBND TỈNH BẮC KẠN»."),
]
PlaceOpt = Annotated[
    str | None, typer.Option("--place", help="Địa danh của dòng ngày tháng, ví dụ «Bắc Kạn».")
]


@command(app, "add")
def bloc_add(
    name: Annotated[str, typer.Argument(help="Tên khối, ví dụ «Khối thi đua Văn hóa - Xã hội».")],
    code: Annotated[str, typer.Option("--code", help="Mã ngắn dùng trong lệnh, ví dụ «vhxh».")],
    parent: ParentOpt = None,
    place: PlaceOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Thêm một khối thi đua."""
    with writing() as conn:
        bloc = blocs.add(conn, name, code, parent, place)
    if json_:
        emit_json(bloc.as_json())
    else:
        say(bloc.code)


@command(app, "edit")
def bloc_edit(
    bloc: BlocArg,
    name: Annotated[str | None, typer.Option("--name", help="Tên mới của khối.")] = None,
    parent: ParentOpt = None,
    place: PlaceOpt = None,
    doc_code: Annotated[
        str | None,
        typer.Option(
            "--doc-code", help="Ký hiệu trong số văn bản, ví dụ «KVHXH» (Số: 05/BC-KVHXH)."
        ),
    ] = None,
    issue_as: Annotated[
        str | None,
        typer.Option(
            "--issue-as",
            help="Văn bản ban hành dưới tên khối (bloc) hay đơn vị trưởng khối (head).",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Sửa tên, cơ quan cấp trên, địa danh, ký hiệu văn bản của khối."""
    with writing() as conn:
        found = blocs.edit(conn, blocs.resolve(conn, bloc), name, parent, place, doc_code, issue_as)
    if json_:
        emit_json(found.as_json())
    else:
        say(f"{found.code}: {found.name}")


@command(app, "list")
def bloc_list(json_: JsonOpt = False) -> None:
    """Liệt kê các khối."""
    with reading() as conn:
        found = blocs.list_blocs(conn)
    if json_:
        emit_json([b.as_json() for b in found])
        return
    table(
        None,
        ["Mã", "Tên khối", "Cơ quan cấp trên", "Địa danh"],
        [(b.code, b.name, b.parent or "", b.place or "") for b in found],
    )


@command(app, "join")
def bloc_join(
    bloc: BlocArg,
    unit: Annotated[list[str], typer.Argument(help="Các đơn vị, theo thứ tự của khối.")],
    year: YearOpt,
    group: Annotated[
        str | None,
        typer.Option("--group", help='Nhóm trong khối (nếu khối chia nhóm); "" để bỏ nhóm.'),
    ] = None,
    no_group: Annotated[
        bool, typer.Option("--no-group", help="Đưa đơn vị ra khỏi mọi nhóm.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Thêm đơn vị vào khối cho một năm (hoặc đổi nhóm của đơn vị đã ở trong khối)."""
    clear = no_group or (group is not None and not group.strip())
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        done = blocs.join(
            conn,
            found,
            units.resolve_many(conn, unit),
            year,
            None if clear else group,
            clear_group=clear,
        )
    if json_:
        emit_json([{"id": u.id, "name": u.name, "result": what} for u, what in done])
    else:
        for u, what in done:
            say(f"{u.name}: {what}")


@command(app, "leave")
def bloc_leave(
    bloc: BlocArg,
    unit: Annotated[str, typer.Argument(help="Đơn vị rời khối.")],
    year: YearOpt,
    json_: JsonOpt = False,
) -> None:
    """Đưa một đơn vị ra khỏi khối cho một năm."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        member = units.resolve(conn, unit)
        blocs.leave(conn, found, member, year)
    answer(
        json_,
        {"bloc": found.code, "year": year, "left": {"id": member.id, "name": member.name}},
        f"{member.name} không còn là thành viên khối {found.code} năm {year}.",
    )


@command(app, "head")
def bloc_head(
    bloc: BlocArg,
    year: YearOpt,
    head: Annotated[str, typer.Option("--head", help="Đơn vị trưởng khối.")],
    deputy: Annotated[str | None, typer.Option("--deputy", help="Đơn vị phó khối.")] = None,
    signer: Annotated[
        str | None, typer.Option("--signer", help="Họ tên người ký văn bản của khối.")
    ] = None,
    signer_title: Annotated[
        str | None,
        typer.Option(
            "--signer-title", help="Chức vụ người ký, ví dụ «Giám đốc Bảo hiểm Xã hội tỉnh»."
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Ghi trưởng khối (và phó khối, người ký) của một năm; phải là thành viên năm đó."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        blocs.set_head(
            conn,
            found,
            year,
            units.resolve(conn, head),
            units.resolve(conn, deputy) if deputy else None,
            signer,
            signer_title,
        )
        picture = blocs.show(conn, found, year)
    if json_:
        emit_json(picture.as_json())
    else:
        say(f"Năm {year}: trưởng khối {picture.head}; phó khối {picture.deputy or '(chưa có)'}.")


@command(app, "show")
def bloc_show(bloc: BlocArg, year: OptYearOpt = None, json_: JsonOpt = False) -> None:
    """Xem khối trong một năm: trưởng, phó, thành viên và lịch sử bàn giao."""
    with reading() as conn:
        picture = blocs.show(conn, blocs.resolve(conn, bloc), year)
    if json_:
        emit_json(picture.as_json())
        return
    say(f"{picture.name} ({picture.code}), năm {picture.year}")
    say(f"Trưởng khối: {picture.head or '(chưa có)'}; phó khối: {picture.deputy or '(chưa có)'}")
    table(
        None,
        ["STT", "Đơn vị", "Nhóm", "Mã số"],
        [(i, m.name, m.group or "", m.id) for i, m in enumerate(picture.members, 1)],
    )
    if picture.handovers:
        say(
            "Trưởng khối qua các năm: "
            + "; ".join(f"{h['year']}: {h['head'] or '?'}" for h in picture.handovers)
        )


@command(app, "correct")
def bloc_correct(
    bloc: BlocArg,
    code: Annotated[str | None, typer.Option("--code", help="Mã khối đúng.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Tên khối đúng.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Sửa mã hoặc tên khối nhập sai (không giữ lịch sử; đổi tên có hiệu lực từ một ngày: bloc edit)."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        fixed = blocs.correct(conn, found, code, name)
    answer(
        json_,
        fixed.as_json(),
        f"Đã sửa: {found.code} «{found.name}» → {fixed.code} «{fixed.name}».",
    )


@command(app, "remove")
def bloc_remove(bloc: BlocArg, json_: JsonOpt = False) -> None:
    """Xóa một khối nhập nhầm; chỉ được khi khối chưa có bản ghi nào."""
    with writing() as conn:
        gone = blocs.remove(conn, blocs.resolve(conn, bloc))
    answer(json_, {"removed": gone.as_json()}, f"Đã xóa khối {gone.code} «{gone.name}».")
