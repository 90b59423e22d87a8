"""tdkt report …: the bloc's documents in docx (default), md, html or pdf."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..core.errors import InvalidInput, RuleBroken, TdktError
from ..files import atomic as files
from .common import BlocOpt, YearOpt, command, emit_json, progress, reading, say, sub_app

app = sub_app()  # its help: catalog.NOUNS

FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="docx (mặc định) | md | html | pdf.")
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help="Tệp ra; «-» in md/html ra stdout. Mặc định: tên dễ đọc trong thư mục hiện tại.",
    ),
]
NarrativeOpt = Annotated[
    Path | None,
    typer.Option(
        "--narrative", help="Tệp YAML các đoạn văn theo mục (results, strengths, tasks…)."
    ),
]
TemplateOpt = Annotated[
    Path | None,
    typer.Option("--template", help="Mẫu riêng (.docx, .md.j2, .html.j2) thay cho mẫu có sẵn."),
]
NumberOpt = Annotated[
    int | None, typer.Option("--number", help="Số văn bản (mặc định để trống cho văn thư ghi).")
]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="Ngày văn bản (mặc định: ngày hội nghị liên quan).")
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có.")]
IdArg = Annotated[int, typer.Argument(metavar="ID", help="Mã số hội nghị hoặc cuộc bỏ phiếu.")]


def _write(req, fmt: str, output: Path | None, template: Path | None, force: bool) -> None:
    from ..documents import default_name, make_with_gaps, warn_missing
    from ..documents.render import FORMATS

    if fmt == "docx" and template is not None and template.suffix != ".docx":
        raise InvalidInput("Mẫu cho định dạng docx phải là tệp .docx.")
    if fmt not in FORMATS:  # before the stdout rule: «-f Md -o -» is a format that does not exist
        raise InvalidInput(f"Định dạng «{fmt}» không có; chọn: {', '.join(FORMATS)}.")
    to_stdout = output is not None and str(output) == "-"
    if to_stdout and fmt not in ("md", "html"):
        raise InvalidInput("Chỉ in được md hoặc html ra stdout; với docx hãy dùng -o TỆP.")
    with reading() as conn:
        name = default_name(req, fmt, conn) if not to_stdout and output is None else None
        target = None if to_stdout else (output or Path(name))
        if target is not None and target.is_dir():
            raise InvalidInput(
                f"«{target}» là thư mục; hãy ghi tên tệp, ví dụ -o {target / default_name(req, fmt, conn)}."
            )
        if target is not None:
            files.check_target(target, force)
        data, gaps = make_with_gaps(conn, req, fmt, template)
    if target is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        files.write(target, data, force)  # a refusal here is the one sentence: no warning before
        say(str(target))
    warn_missing(gaps)


def _req(kind: str, narrative: Path | None = None, **kw):
    from ..documents import Request, read_narrative

    return Request(kind=kind, narrative=read_narrative(narrative), **kw)


@command(app, "semiannual")
def report_semiannual(
    bloc: BlocOpt,
    year: YearOpt,
    format: FormatOpt = "docx",
    output: OutOpt = None,
    narrative: NarrativeOpt = None,
    template: TemplateOpt = None,
    number: NumberOpt = None,
    date: DateOpt = None,
    force: ForceOpt = False,
) -> None:
    """Lập báo cáo sơ kết 6 tháng đầu năm."""
    _write(
        _req("semiannual", narrative, bloc=bloc, year=year, number=number, date=date),
        format,
        output,
        template,
        force,
    )


@command(app, "annual")
def report_annual(
    bloc: BlocOpt,
    year: YearOpt,
    format: FormatOpt = "docx",
    output: OutOpt = None,
    narrative: NarrativeOpt = None,
    template: TemplateOpt = None,
    number: NumberOpt = None,
    date: DateOpt = None,
    force: ForceOpt = False,
) -> None:
    """Lập báo cáo tổng kết năm (kèm kết quả bỏ phiếu, trưởng/phó khối năm sau)."""
    _write(
        _req("annual", narrative, bloc=bloc, year=year, number=number, date=date),
        format,
        output,
        template,
        force,
    )


@command(app, "minutes")
def report_minutes(
    meeting: IdArg,
    format: FormatOpt = "docx",
    output: OutOpt = None,
    narrative: NarrativeOpt = None,
    template: TemplateOpt = None,
    number: NumberOpt = None,
    force: ForceOpt = False,
) -> None:
    """Lập biên bản hội nghị."""
    _write(
        _req("minutes", narrative, record_id=meeting, number=number),
        format,
        output,
        template,
        force,
    )


@command(app, "tally")
def report_tally(
    vote: IdArg,
    format: FormatOpt = "docx",
    output: OutOpt = None,
    template: TemplateOpt = None,
    number: NumberOpt = None,
    force: ForceOpt = False,
) -> None:
    """Lập biên bản kiểm phiếu của một cuộc bỏ phiếu."""
    _write(_req("tally", record_id=vote, number=number), format, output, template, force)


@command(app, "proposal")
def report_proposal(
    bloc: BlocOpt,
    year: YearOpt,
    format: FormatOpt = "docx",
    output: OutOpt = None,
    template: TemplateOpt = None,
    number: NumberOpt = None,
    date: DateOpt = None,
    force: ForceOpt = False,
) -> None:
    """Lập tờ trình đề nghị khen thưởng gửi Chủ tịch UBND tỉnh (qua Sở Nội vụ)."""
    _write(
        _req("proposal", bloc=bloc, year=year, number=number, date=date),
        format,
        output,
        template,
        force,
    )


@command(app, "covenant")
def report_covenant(
    bloc: BlocOpt,
    year: YearOpt,
    format: FormatOpt = "docx",
    output: OutOpt = None,
    narrative: NarrativeOpt = None,
    template: TemplateOpt = None,
    date: DateOpt = None,
    force: ForceOpt = False,
) -> None:
    """Lập bản giao ước thi đua, mỗi đơn vị thành viên một chỗ ký."""
    _write(
        _req("covenant", narrative, bloc=bloc, year=year, date=date),
        format,
        output,
        template,
        force,
    )


@command(app, "ballot")
def report_ballot(
    vote: IdArg,
    format: FormatOpt = "docx",
    output: OutOpt = None,
    template: TemplateOpt = None,
    force: ForceOpt = False,
) -> None:
    """In phiếu bầu với danh sách ứng viên của một cuộc bỏ phiếu."""
    _write(_req("ballot", record_id=vote), format, output, template, force)


@command(app, "check-template")
def report_check_template(
    file: Annotated[Path, typer.Argument(help="Mẫu cần kiểm tra (.docx, .md.j2, .html.j2).")],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="Loại văn bản: semiannual | annual | minutes | tally | proposal | covenant | "
            "ballot; mặc định theo tên tệp (covenant.docx → covenant), không thì loại mà mẫu "
            "khớp nhất.",
        ),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="In JSON.")] = False,
) -> None:
    """Kiểm tra mẫu của người dùng: cú pháp, biến và trường không có trong dữ liệu, thẻ đặt ở
    chỗ Word/LibreOffice xóa khi lưu lại; im lặng khi mẫu ổn."""
    from ..documents import KINDS, context
    from ..documents.render import check_template

    classes = {
        "semiannual": context.ReportContext,
        "annual": context.ReportContext,
        "minutes": context.MinutesContext,
        "tally": context.TallyContext,
        "proposal": context.ProposalContext,
        "covenant": context.CovenantContext,
        "ballot": context.BallotContext,
    }
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"Loại văn bản «{kind}» không có; chọn: {', '.join(KINDS)}.")
    if kind is None:
        # a covenant template checked against the report's data lists every covenant field
        # as missing (issue 23): the kind its file is named after, else the one it fits best
        stem = file.name.split(".")[0].lower()
        named = {"report": "annual", **{k: k for k in classes}}
        kind = named.get(stem)
    if kind is None:
        found = {k: check_template(file, c) for k, c in classes.items() if k != "semiannual"}
        kind = min(found, key=lambda k: len(found[k]))
        problems = found[kind]
    else:
        problems = check_template(file, classes[kind])
    if json_:
        emit_json(problems)
    else:
        for p in problems:
            typer.echo(p, err=True)
    if problems:
        raise typer.Exit(1)


@command(app, "batch")
def report_batch(
    year: YearOpt,
    kind: Annotated[
        str, typer.Option("--kind", help="annual | semiannual | proposal | covenant.")
    ] = "annual",
    out: Annotated[Path, typer.Option("--out", help="Thư mục ghi các văn bản.")] = Path("."),
    format: FormatOpt = "docx",
    force: ForceOpt = False,
) -> None:
    """Lập cùng một loại văn bản cho mọi khối có thành viên trong năm (cho Sở Nội vụ)."""
    from ..blocs import service as bloc_service
    from ..documents import Request, default_name, make

    if kind not in ("annual", "semiannual", "proposal", "covenant"):
        raise InvalidInput("Tùy chọn --kind nhận annual, semiannual, proposal hoặc covenant.")
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"«{out}» là một tệp, không phải thư mục; chọn thư mục khác cho --out.")
    from ..files.windows import FileInUse

    written, failed = [], []
    with reading() as conn, progress("Đang lập văn bản") as update:
        todo = [
            b for b in bloc_service.list_blocs(conn) if bloc_service.member_ids(conn, b.id, year)
        ]
        requests = [Request(kind=kind, bloc=b.code, year=year) for b in todo]
        targets = [out / default_name(r, format, conn) for r in requests]
        existing = [t for t in targets if os.path.lexists(t)]
        for t in existing:
            files.check_target(t, True)
        if existing and not force:
            raise RuleBroken(
                f"Đã có {len(existing)} tệp (ví dụ «{existing[0]}»); dùng --force để ghi đè."
            )
        if requests:  # a folder that does not exist yet is made, as `demo --out` does
            out.mkdir(parents=True, exist_ok=True)
        for i, (req, target) in enumerate(zip(requests, targets, strict=True), 1):
            try:  # one file Word holds open must not stop the others
                files.write(target, make(conn, req, format), force)
            except FileInUse as exc:
                typer.echo(exc.message, err=True)
                failed.append(target)
            else:
                written.append(target)
            update(i, len(requests))
    for path in written:
        say(str(path))
    if failed:
        names = ", ".join(f"«{p.name}»" for p in failed)
        raise TdktError(
            f"Đã lập {len(written)} văn bản; {len(failed)} tệp chưa ghi được vì đang mở: {names}."
        )
