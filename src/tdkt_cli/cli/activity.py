"""tdkt activity …: joint activities paid for by member contributions."""

from __future__ import annotations

from typing import Annotated

import typer

from ..activities import service as activities
from ..blocs import service as blocs
from ..core.errors import InvalidInput
from ..text import group_digits
from ..units import service as units
from .common import (
    BlocOpt,
    DateOpt,
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
def activity_add(
    bloc: BlocOpt,
    date: DateOpt,
    purpose: Annotated[
        str,
        typer.Option(
            "--purpose", help="Mục đích, ví dụ «Thăm, tặng quà gia đình chính sách nhân ngày 27/7»."
        ),
    ],
    place: Annotated[str | None, typer.Option("--place", help="Địa điểm.")] = None,
    beneficiaries: Annotated[
        int | None, typer.Option("--beneficiaries", help="Số người hoặc phần quà.")
    ] = None,
    beneficiary_note: Annotated[
        str | None, typer.Option("--beneficiary-note", help="Mô tả người nhận.")
    ] = None,
    contribution: Annotated[
        list[str] | None,
        typer.Option(
            "--contribution", help="«Đơn vị=số tiền» (lặp lại), ví dụ «Ban Dân tộc=2.000.000»."
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Ghi một hoạt động chung và số tiền mỗi thành viên đóng góp; in mã số."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        pairs = []
        for item in contribution or []:
            name, sep, amount = item.rpartition("=")
            if not sep:
                raise InvalidInput(f"«{item}» phải có dạng «Đơn vị=số tiền».")
            pairs.append((units.resolve(conn, name), activities.parse_amount(amount)))
        act = activities.add_activity(
            conn, found, date, purpose, place, beneficiaries, beneficiary_note, pairs
        )
    if json_:
        emit_json(act.as_json())
    else:
        say(str(act.id))


@command(app, "list")
def activity_list(
    bloc: BlocOpt,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Năm.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Liệt kê hoạt động chung, tổng tiền và số tiền bằng chữ."""
    with reading() as conn:
        found = activities.list_activities(conn, blocs.resolve(conn, bloc), year)
    if json_:
        emit_json([a.as_json() for a in found])
        return
    table(
        None,
        ["Mã số", "Ngày", "Mục đích", "Địa điểm", "Người nhận", "Tổng (đồng)"],
        [
            (
                a.id,
                f"{a.date:%d/%m/%Y}",
                a.purpose,
                a.place or "",
                a.beneficiaries or "",
                group_digits(a.total),
            )
            for a in found
        ],
    )
    for a in found:
        say(f"Hoạt động {a.id}: {a.as_json()['total_words']}.")


@command(app, "statement")
def activity_statement(bloc: BlocOpt, year: YearOpt, json_: JsonOpt = False) -> None:
    """Bảng kê đóng góp của từng thành viên trong năm."""
    with reading() as conn:
        rows = activities.statement(conn, blocs.resolve(conn, bloc), year)
    if json_:
        emit_json(rows)
        return
    table(
        f"Đóng góp năm {year}",
        ["Đơn vị", "Số hoạt động", "Tổng (đồng)", "Bằng chữ"],
        [(r["unit"], len(r["items"]), r["total_text"], r["total_words"]) for r in rows],
    )


ActivityArg = Annotated[int, typer.Argument(metavar="ID", help="Mã số hoạt động.")]


@command(app, "remove")
def activity_remove(activity_id: ActivityArg, json_: JsonOpt = False) -> None:
    """Xóa một hoạt động chung ghi nhầm, cùng các khoản đóng góp."""
    with writing() as conn:
        gone = activities.remove_activity(conn, activity_id)
    if json_:
        emit_json({"removed": gone.as_json()})
    else:
        say(
            f"Đã xóa hoạt động {gone.id}: {gone.purpose} ({len(gone.contributions)} khoản đóng góp)."
        )


@command(app, "contribute")
def activity_contribute(
    activity_id: ActivityArg,
    unit: Annotated[str, typer.Argument(help="Đơn vị đóng góp.")],
    amount: Annotated[
        str | None, typer.Argument(help="Số tiền đúng, ví dụ 2.000.000 (bỏ trống khi --remove).")
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Xóa khoản đóng góp này.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Sửa (hoặc thêm, hoặc xóa với --remove) khoản đóng góp của một đơn vị cho một hoạt động."""
    if remove == (amount is not None):
        raise InvalidInput("Cần số tiền, hoặc --remove để xóa khoản đóng góp.")
    with writing() as conn:
        member = units.resolve(conn, unit)
        value = None if remove else activities.parse_amount(amount or "")
        act, before = activities.set_contribution(conn, activity_id, member, value)
    if json_:
        emit_json({**act.as_json(), "unit": member.name, "before": before, "amount": value})
        return
    old = "chưa có" if before is None else f"{group_digits(before)} đồng"
    new = "xóa" if value is None else f"{group_digits(value)} đồng"
    say(f"Hoạt động {act.id}, {member.name}: {old} → {new}.")
