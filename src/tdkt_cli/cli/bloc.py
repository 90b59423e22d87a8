"""tdkt bloc …: blocs, their members per year, and the yearly head and deputy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import InvalidInput
from ..services import blocs, units
from .common import (
    JsonOpt,
    OptYearOpt,
    YearOpt,
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
    unit: Annotated[
        list[str] | None, typer.Argument(help="Các đơn vị, theo thứ tự của khối.")
    ] = None,
    year: OptYearOpt = None,  # required; optional here only to follow the list of units
    group: Annotated[
        str | None, typer.Option("--group", help="Nhóm trong khối (nếu khối chia nhóm).")
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Danh sách thành viên từ tệp CSV hoặc Excel .xlsx: dòng tiêu đề, rồi mỗi dòng "
            "một đơn vị ở cột đầu; cột «nhóm» (nếu có) ghi nhóm.",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Thêm đơn vị vào khối cho một năm (gõ tên, hoặc lấy từ tệp CSV/Excel)."""
    if year is None:
        raise InvalidInput("Thiếu tùy chọn --year.")
    if bool(unit) == (from_file is not None):
        raise InvalidInput("Hãy nêu các đơn vị, hoặc dùng --from TỆP (không dùng cả hai).")
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        if from_file is None:
            done = blocs.join(conn, found, units.resolve_many(conn, unit or []), year, group)
        else:
            done = []
            for members, in_group in _members_from(conn, from_file, group):
                done += blocs.join(conn, found, members, year, in_group)
    if json_:
        emit_json([{"id": u.id, "name": u.name, "result": what} for u, what in done])
    else:
        for u, what in done:
            say(f"{u.name}: {what}")


def _members_from(conn, path: Path, group: str | None) -> list[tuple[list, str | None]]:
    """(units, group) runs from a member list laid out as `unit[,nhóm]` under a header row."""
    from ..errors import NotFound
    from ..sheets import read_rows
    from ..text import match_key

    rows = read_rows(path)
    if len(rows) < 2:
        raise InvalidInput(f"Tệp {path.name} cần một dòng tiêu đề và ít nhất một đơn vị.")
    header = [match_key(h) for h in rows[0]]
    group_col = next((i for i, h in enumerate(header) if h in (match_key("nhóm"), "group")), None)
    runs: list[tuple[list, str | None]] = []
    seen: set[int] = set()
    for number, row in enumerate(rows[1:], 2):
        if not row or not row[0].strip():
            continue
        try:
            member = units.resolve(conn, row[0])
        except (NotFound, InvalidInput) as exc:
            raise InvalidInput(f"Tệp {path.name}, dòng {number}: {exc.message}") from None
        if member.id in seen:
            raise InvalidInput(f"Tệp {path.name}, dòng {number}: «{member.name}» có hai lần.")
        seen.add(member.id)
        in_group = group
        if group_col is not None and group_col < len(row) and row[group_col].strip():
            in_group = row[group_col].strip()
        if runs and runs[-1][1] == in_group:
            runs[-1][0].append(member)
        else:
            runs.append(([member], in_group))
    return runs


@command(app, "leave")
def bloc_leave(
    bloc: BlocArg, unit: Annotated[str, typer.Argument(help="Đơn vị rời khối.")], year: YearOpt
) -> None:
    """Đưa một đơn vị ra khỏi khối cho một năm."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        member = units.resolve(conn, unit)
        blocs.leave(conn, found, member, year)
    say(f"{member.name} không còn là thành viên khối {found.code} năm {year}.")


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
