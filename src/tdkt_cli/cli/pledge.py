"""tdkt pledge …: registrations (đăng ký thi đua) and the covenant (giao ước thi đua)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..blocs import service as blocs
from ..pledges import service as pledges
from ..units import service as units
from .common import (
    BlocOpt,
    DateOpt,
    JsonOpt,
    YearOpt,
    command,
    emit_json,
    progress,
    reading,
    say,
    sub_app,
    table,
    writing,
)

app = sub_app()  # its help: catalog.NOUNS


@command(app, "record")
def pledge_record(
    bloc: BlocOpt,
    year: YearOpt,
    unit: Annotated[str, typer.Option("--unit", help="Đơn vị đăng ký.")],
    title: Annotated[
        str,
        typer.Option(
            "--title",
            help="Danh hiệu đăng ký: một khen thưởng trong danh mục của khối (mã, tên hay phần "
            "đầu tên, ví dụ «Bằng khen»), hoặc Tập thể lao động xuất sắc, tiên tiến.",
        ),
    ],
    target: Annotated[
        list[str] | None, typer.Option("--target", help="Chỉ tiêu (lặp lại).")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Ghi đăng ký thi đua của một thành viên (cùng danh hiệu lần nữa thì thay chỉ tiêu)."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        pledge, replaced = pledges.record(
            conn, found, year, units.resolve(conn, unit), title, target or []
        )
    if json_:
        emit_json(pledge.as_json())
    else:
        say(f"{'Đã cập nhật' if replaced else 'Đã ghi'} đăng ký của {pledge.unit}: {pledge.title}.")


@command(app, "sign")
def pledge_sign(
    bloc: BlocOpt,
    year: YearOpt,
    date: DateOpt,
    meeting: Annotated[
        int | None, typer.Option("--meeting", help="Mã số hội nghị ký giao ước.")
    ] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Ghi đè lần ký đã ghi.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Ghi việc ký giao ước thi đua của năm, do mọi thành viên năm đó ký."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        cov = pledges.sign(conn, found, year, date, meeting, replace)
        gone = pledges.not_signing(conn, found, year, cov.date)
    for line in gone:
        typer.echo(f"Cảnh báo: {line[:-1]}; không có tên trong giao ước.", err=True)
    if json_:
        emit_json(cov.as_json())
    else:
        say(f"Giao ước thi đua năm {year}: {len(cov.signers)} đơn vị ký ngày {cov.date:%d/%m/%Y}.")


@command(app, "list")
def pledge_list(bloc: BlocOpt, year: YearOpt, json_: JsonOpt = False) -> None:
    """Liệt kê đăng ký thi đua và giao ước của một năm."""
    with reading() as conn:
        found = pledges.list_pledges(conn, blocs.resolve(conn, bloc), year)
    if json_:
        emit_json(found.as_json())
        return
    table(
        f"Đăng ký thi đua năm {year} – khối {found.bloc}",
        ["Mã số", "Đơn vị", "Danh hiệu", "Chỉ tiêu"],  # the id pledge edit/remove take
        [(p.id, p.unit, p.title, "; ".join(p.targets)) for p in found.registrations],
    )
    if found.not_registered:
        say(f"Chưa đăng ký: {'; '.join(found.not_registered)}")
    if found.covenant:
        say(
            f"Giao ước ký ngày {found.covenant.date:%d/%m/%Y} ({len(found.covenant.signers)} đơn vị)."
        )
    else:
        say("Chưa ký giao ước.")


PledgeArg = Annotated[
    int, typer.Argument(metavar="ID", help="Mã số đăng ký (cột «Mã số» của pledge list).")
]


@command(app, "edit")
def pledge_edit(
    pledge_id: PledgeArg,
    title: Annotated[str | None, typer.Option("--title", help="Danh hiệu đăng ký đúng.")] = None,
    target: Annotated[
        list[str] | None, typer.Option("--target", help="Chỉ tiêu (lặp lại; thay cả danh sách).")
    ] = None,
    no_targets: Annotated[bool, typer.Option("--no-targets", help="Xóa hết chỉ tiêu.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Sửa danh hiệu hoặc chỉ tiêu của một đăng ký thi đua."""
    with writing() as conn:
        before, after = pledges.edit(conn, pledge_id, title, [] if no_targets else target)
    if json_:
        emit_json({**after.as_json(), "before": before.as_json()})
    else:
        say(
            f"Đã sửa đăng ký {after.id} của {after.unit}: {after.title} ({len(after.targets)} chỉ tiêu)."
        )


@command(app, "remove")
def pledge_remove(pledge_id: PledgeArg, json_: JsonOpt = False) -> None:
    """Xóa một đăng ký thi đua ghi nhầm."""
    with writing() as conn:
        gone = pledges.remove(conn, pledge_id)
    if json_:
        emit_json({"removed": gone.as_json()})
    else:
        say(f"Đã xóa đăng ký {gone.id} của {gone.unit}: {gone.title}.")


@command(app, "unsign")
def pledge_unsign(bloc: BlocOpt, year: YearOpt, json_: JsonOpt = False) -> None:
    """Xóa việc ký giao ước thi đua đã ghi của một năm (ghi nhầm hoặc sai ngày)."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        gone = pledges.unsign(conn, found, year)
    if json_:
        emit_json({"removed": gone.as_json()})
    else:
        say(
            f"Đã xóa việc ký giao ước năm {year} của khối {found.code} (ngày {gone.date:%d/%m/%Y})."
        )


OutOpt = Annotated[Path, typer.Option("--out", help="Thư mục ghi phiếu (tạo mới nếu chưa có).")]
MANY_FILES = 5  # from this many files on, a progress bar on a terminal


@command(app, "forms")
def pledge_forms(
    bloc: BlocOpt,
    year: YearOpt,
    out: OutOpt,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè phiếu đã có.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Ghi mỗi thành viên một phiếu đăng ký thi đua .xlsx (danh mục danh hiệu của khối)."""
    from ..pledges import forms

    with reading() as conn:
        made = forms.make_forms(conn, blocs.resolve(conn, bloc), year, out, force)
    if json_:
        emit_json([{"unit": m.unit, "file": str(m.path)} for m in made])
        return
    table(
        f"Phiếu đăng ký thi đua năm {year}: {len(made)} tệp trong {out}",
        ["Đơn vị", "Tệp"],
        [(m.unit, m.path.name) for m in made],
    )


@command(app, "collect")
def pledge_collect(
    bloc: BlocOpt,
    year: YearOpt,
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Các phiếu .xlsx đơn vị gửi lại, hoặc thư mục chứa chúng (tên tệp tùy ý).",
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Chỉ kiểm tra và cho xem sẽ thay đổi gì; không ghi.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Đọc các phiếu đăng ký thi đua đơn vị gửi lại; kiểm tra hết mọi tệp rồi mới ghi, một lần."""
    from ..pledges import forms

    with progress("Đọc phiếu") as tick:

        def show(done: int, total: int) -> None:
            if total >= MANY_FILES:
                tick(done, total)

        if dry_run:
            with reading() as conn:
                found = blocs.resolve(conn, bloc)
                result = forms.collect(conn, found, year, paths, progress=show)
        else:
            with writing() as conn:
                found = blocs.resolve(conn, bloc)
                result = forms.collect(conn, found, year, paths, progress=show)
                forms.apply(conn, found, year, result)
    if json_:
        emit_json(result.as_json(found, year, dry_run))
        return
    table(
        f"Phiếu đã nhận: {len(result.lines)} đơn vị",
        ["Đơn vị", "Tệp", "Đăng ký", "Số chỉ tiêu", "Người ký", "Thay đổi"],
        [
            (
                line.unit,
                "; ".join(Path(f).name for f in line.files),
                "; ".join(line.awards),
                line.targets,
                line.signer,
                f"{line.changes}" if line.changes else "không",
            )
            for line in result.lines
        ],
    )
    words = {"add": "đăng ký mới", "update": "sửa chỉ tiêu", "remove": "bỏ đăng ký"}
    if result.changes:
        table(
            "Sẽ thay đổi" if dry_run else "Đã thay đổi",
            ["Đơn vị", "Danh hiệu", "Thay đổi", "Chỉ tiêu cũ → mới"],
            [
                (
                    c.unit,
                    c.title,
                    words[c.action],
                    f"{len(c.old_targets)} → {len(c.targets)}" if c.action == "update" else "",
                )
                for c in result.changes
            ],
        )
    for name in result.blank:
        say(f"Phiếu «{Path(name).name}» chưa chọn danh hiệu nào; bỏ qua.")
    count = len(result.changes)
    if dry_run:
        say(
            f"Chạy thử: sẽ ghi {count} thay đổi; chưa ghi gì."
            if count
            else "Chạy thử: không có gì thay đổi."
        )
    else:
        say(f"Đã ghi {count} thay đổi đăng ký thi đua." if count else "Không có gì thay đổi.")
