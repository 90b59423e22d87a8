"""tdkt award …: proposals, the province's decisions, and each unit's award history."""

from __future__ import annotations

from typing import Annotated

import typer

from ..awards import service as awards
from ..blocs import service as blocs
from ..core.models import AWARD_RANK
from ..units import service as units
from ..votes import rules as vote_rules
from .common import (
    BlocOpt,
    JsonOpt,
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
from .sheetopts import CsvOpt, CsvOutOpt, SheetForceOpt, XlsxOpt, one_output, sheet_out

app = sub_app()  # its help: catalog.NOUNS

UnitOpt = Annotated[str, typer.Option("--unit", help="Đơn vị.")]
AwardOpt = Annotated[
    str,
    typer.Option(
        "--award",
        help=" | ".join(AWARD_RANK) + ", hoặc mã trong danh mục của khối (tdkt bloc profile).",
    ),
]
STATUS = {"proposed": "đề nghị", "cut": "không được chấp thuận", "decided": "đã khen thưởng"}


@command(app, "list")
def award_list(
    bloc: Annotated[str | None, typer.Option("--bloc", "-b", help="Mã hoặc tên khối.")] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Năm.")] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Đơn vị (lịch sử qua các năm).")
    ] = None,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
    output: CsvOutOpt = None,
    xlsx: XlsxOpt = None,
    force: SheetForceOpt = False,
) -> None:
    """Liệt kê đề nghị và quyết định khen thưởng (theo khối, năm hoặc đơn vị)."""
    one_output(json_, csv_, xlsx)
    with reading() as conn:
        found = awards.history(
            conn,
            blocs.resolve(conn, bloc) if bloc else None,
            year,
            units.resolve(conn, unit) if unit else None,
        )
    if json_:
        emit_json([r.as_json() for r in found])
        return
    rows = []
    for r in found:
        detail = ""
        if r.decision_number:
            detail = f"QĐ {r.decision_number} ngày {r.decision_date:%d/%m/%Y} của {r.body}"
        elif r.cut_reason:
            detail = r.cut_reason
        rows.append((r.year, r.unit, r.award_name, STATUS[r.status], detail))
    headers = ["Năm", "Đơn vị", "Hình thức", "Tình trạng", "Quyết định / lý do"]
    if sheet_out(csv_, output, xlsx, force, "Khen thưởng", headers, rows):
        return
    table(None, headers, rows)


@command(app, "propose")
def award_propose(
    bloc: BlocOpt,
    year: YearOpt,
    unit: UnitOpt,
    award: AwardOpt,
    how: Annotated[
        str | None,
        typer.Option(
            "--how",
            help="Khối quyết định thế nào: consensus (thống nhất đề nghị) | hands (biểu quyết "
            "giơ tay, cần --agree, --present); bỏ phiếu kín thì dùng «tdkt vote».",
        ),
    ] = None,
    agree: Annotated[
        int | None, typer.Option("--agree", help="Số đơn vị đồng ý (giơ tay).")
    ] = None,
    present: Annotated[
        int | None, typer.Option("--present", help="Số đơn vị có mặt (giơ tay).")
    ] = None,
    over: Annotated[
        bool,
        typer.Option(
            "--over-quota",
            help="Khối đã thống nhất đề nghị vượt chỉ tiêu (cần --reason; được ghi và in ra).",
        ),
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Lý do vượt chỉ tiêu (với --over-quota).")
    ] = None,
    meeting: Annotated[
        int | None,
        typer.Option(
            "--meeting",
            help="Mã số hội nghị đã thống nhất hoặc biểu quyết đề nghị này (cùng khối, cùng năm; "
            "mặc định: hội nghị tổng kết năm).",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Ghi một đề nghị khen thưởng không qua bỏ phiếu kín (thống nhất, giơ tay), với một hình thức
    trong danh mục khen thưởng của khối."""
    over_reason = vote_rules.override(over, reason)
    with writing() as conn:
        found = units.resolve(conn, unit)
        the_bloc = blocs.resolve(conn, bloc)
        proposal_id = awards.propose(
            conn, the_bloc, year, found, award, how, agree, present, over_reason, meeting
        )
        made = awards.proposal(conn, proposal_id)
    data = {
        "id": proposal_id,
        "unit": found.name,
        "year": year,
        "award": made.award,
        "how": how,
        "agree": agree,
        "present": present,
        "over_quota": made.over_quota,
        "meeting": meeting,
    }
    message = f"Đã ghi đề nghị {made.award_name} năm {year} cho {found.name}"
    over_words = f" (vượt chỉ tiêu: {made.over_quota})." if made.over_quota else "."
    answer(json_, data, message + over_words)


@command(app, "cut")
def award_cut(
    year: YearOpt,
    unit: UnitOpt,
    award: AwardOpt,
    reason: Annotated[str, typer.Option("--reason", help="Lý do không được chấp thuận.")],
    json_: JsonOpt = False,
) -> None:
    """Ghi việc tỉnh không chấp thuận một đề nghị của khối."""
    with writing() as conn:
        found = units.resolve(conn, unit)
        awards.cut(conn, found, year, award, reason)
    data = {"unit": found.name, "year": year, "award": award, "status": "cut", "reason": reason}
    answer(
        json_,
        data,
        f"Đề nghị {AWARD_RANK.get(award, award)} năm {year} của {found.name}: không được chấp thuận.",
    )


@command(app, "decide")
def award_decide(
    year: YearOpt,
    unit: UnitOpt,
    award: AwardOpt,
    number: Annotated[str, typer.Option("--number", help="Số quyết định, ví dụ 1234/QĐ-UBND.")],
    date: Annotated[str, typer.Option("--date", help="Ngày quyết định.")],
    body: Annotated[
        str | None,
        typer.Option("--body", help="Cơ quan/người ký (mặc định: Chủ tịch Ủy ban nhân dân tỉnh)."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="Tên hình thức khen thưởng như ghi trong quyết định."),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Ghi quyết định khen thưởng (số, ngày, cơ quan); gắn với đề nghị của khối nếu có."""
    with writing() as conn:
        found = units.resolve(conn, unit)
        decision_id = awards.decide(conn, found, year, award, number, date, body, name)
    if json_:
        emit_json(
            {"id": decision_id, "unit": found.name, "year": year, "award": award, "number": number}
        )
    else:
        say(f"Đã ghi quyết định {number} cho {found.name}.")


@command(app, "withdraw")
def award_withdraw(year: YearOpt, unit: UnitOpt, award: AwardOpt, json_: JsonOpt = False) -> None:
    """Xóa một đề nghị khen thưởng ghi nhầm (đề nghị do bỏ phiếu thì sửa bằng vote reopen)."""
    with writing() as conn:
        gone = awards.withdraw(conn, units.resolve(conn, unit), year, award)
    answer(
        json_,
        {"removed": gone},
        f"Đã xóa đề nghị {gone['award_name']} năm {year} của {gone['unit']}.",
    )


@command(app, "undecide")
def award_undecide(year: YearOpt, unit: UnitOpt, award: AwardOpt, json_: JsonOpt = False) -> None:
    """Xóa một quyết định khen thưởng nhập nhầm (nhập lại bằng award decide)."""
    with writing() as conn:
        gone = awards.undecide(conn, units.resolve(conn, unit), year, award)
    answer(
        json_,
        {"removed": gone},
        f"Đã xóa quyết định {gone['number']} ({gone['award_name']} năm {year}) của {gone['unit']}.",
    )
