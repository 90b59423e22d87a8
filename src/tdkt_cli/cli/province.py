"""tdkt province: every bloc of the file for a year, as the provincial emulation office sees it."""

from __future__ import annotations

from typing import Annotated

import typer

from ..province import view as province_service
from .common import JsonOpt, YearOpt, emit_json, reading, say, table
from .sheetopts import CsvOpt, CsvOutOpt, SheetForceOpt, XlsxOpt, one_output, sheet_out


def province(
    year: YearOpt,
    deadline: Annotated[
        str | None,
        typer.Option(
            "--deadline", help="Hạn tổ chức hội nghị tổng kết; khối chưa họp trước hạn bị nêu."
        ),
    ] = None,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
    output: CsvOutOpt = None,
    xlsx: XlsxOpt = None,
    force: SheetForceOpt = False,
) -> None:
    # its help: catalog.TOP["province"]
    one_output(json_, csv_, xlsx)
    with reading() as conn:
        view = province_service.overview(conn, year, deadline)
    if json_:
        emit_json(view)
        return
    headers = [
        "Khối",
        *_head_words({b["kind"] for b in view["blocs"]}),
        "Thành viên",
        "Sơ kết",
        "Tổng kết",
        "Giao ban",
        "Giao ước",
        "Bỏ phiếu",
        "Đề nghị",
        "Quyết định",
        "Chấm điểm",
    ]
    rows = []
    for b in view["blocs"]:
        scoring = b["scores"]
        score_text = (
            ""
            if scoring is None
            else (
                "đã khóa"
                if scoring["locked"]
                else f"thiếu tự chấm {scoring['self_missing']}, thẩm định {scoring['verified_missing']}"
            )
        )
        rows.append(
            [
                b["code"],
                b["head"] or "",
                b["deputy"] or "",
                b["members"],
                b["meetings"]["so-ket"],
                b["meetings"]["tong-ket"],
                b["meetings"]["giao-ban"],
                "có" if b["covenant"] else "chưa",
                "; ".join(_vote_words(v) for v in b["votes"]),
                sum(1 for p in b["proposals"] if p["status"] == "proposed"),
                sum(1 for p in b["proposals"] if p["decision"]),
                score_text,
            ]
        )
    if sheet_out(csv_, output, xlsx, force, f"Các khối năm {year}", headers, rows):
        return
    table(f"Các khối thi đua năm {year}", headers, rows)
    if view["units_in_two_blocs"]:
        say(
            "Đơn vị ở hai khối: "
            + "; ".join(
                f"{u['unit']} ({', '.join(u['blocs'])})" for u in view["units_in_two_blocs"]
            )
        )
    if view["units_in_no_bloc"]:
        say(f"Đơn vị không thuộc khối nào năm {year}: {len(view['units_in_no_bloc'])}")
    for b in view["blocs"]:
        for sentence in b["ended"]:
            say(f"Khối {b['code']}, {sentence}.")
    if deadline and view["late"]:
        say(f"Chưa tổ chức hội nghị tổng kết trước {deadline}: {', '.join(view['late'])}")


def _head_words(kinds: set[str]) -> tuple[str, str]:
    """The head's and deputy's column words for the blocs shown: khối, cụm, or both."""
    if kinds == {"cum"}:
        return "Cụm trưởng", "Cụm phó"
    if "cum" in kinds:
        return "Trưởng khối, cụm", "Phó khối, cụm"
    return "Trưởng khối", "Phó khối"


def _vote_words(vote: dict) -> str:
    """ "Bằng khen …: đã có kết quả", not "bang-khen:decided": the view is read by people."""
    from ..core.models import AWARD_RANK
    from .vote import STATUS

    return f"{AWARD_RANK.get(vote['award'], vote['award'])}: {STATUS.get(vote['status'], vote['status'])}"
