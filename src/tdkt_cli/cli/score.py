"""tdkt score …: criteria, self and verified scores, completeness, lock, ranking."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from ..blocs import service as blocs
from ..core.errors import InvalidInput
from ..core.models import COMBINE
from ..scores import service as scores
from ..units import service as units
from .common import (
    BlocOpt,
    JsonOpt,
    YearOpt,
    answer,
    command,
    emit_json,
    progress,
    reading,
    say,
    sub_app,
    table,
    writing,
)
from .sheetopts import CsvOpt, CsvOutOpt, SheetForceOpt, XlsxOpt, one_output, sheet_out

app = sub_app()  # its help: catalog.NOUNS

SOURCE = {
    "verified": "đã thẩm định",
    "self": "tự chấm",
    "mixed": "một phần đã thẩm định",
    "none": "chưa chấm",
}
ByOpt = Annotated[
    str | None, typer.Option("--by", help="Người thực hiện (mặc định: tài khoản máy).")
]


@command(app, "criteria")
def score_criteria(
    bloc: BlocOpt,
    year: YearOpt,
    file: Annotated[
        Path | None, typer.Argument(help="Tệp YAML tiêu chí; bỏ trống để xem tiêu chí đã nạp.")
    ] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Xóa tiêu chí đã nạp nhầm (khi chưa có điểm).")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Nạp (hoặc xem, hoặc xóa với --remove) tiêu chí chấm điểm của khối trong một năm."""
    if remove:
        if file is not None:
            raise InvalidInput("Tùy chọn --remove không đi kèm tệp tiêu chí.")
        with writing() as conn:
            gone = scores.remove_criteria(conn, blocs.resolve(conn, bloc), year)
        answer(
            json_,
            {"removed": gone.as_json()},
            f"Đã xóa {len(gone.criteria)} tiêu chí năm {year}.",
        )
        return
    if file is not None:
        from ..files import yamlio

        crit = scores.check_criteria(yamlio.read(file))
        with writing() as conn:
            crit = scores.set_criteria(conn, blocs.resolve(conn, bloc), year, crit)
    else:
        with reading() as conn:
            crit = scores.get_criteria(conn, blocs.resolve(conn, bloc), year)
    if json_:
        emit_json(crit.as_json())
        return
    from ..text import decimal

    rows = [
        (c.code, c.group_title or scores.KIND_LABEL[c.kind], c.title, f"{decimal(c.max_points)}")
        for c in crit.criteria
    ]
    table(
        f"Tiêu chí chấm điểm năm {year} (tối đa {decimal(crit.maximum)} điểm cơ bản)",
        ["Mã", "Nhóm", "Tiêu chí", "Tối đa"],
        rows,
    )
    caps = []
    if crit.bonus_cap is not None:
        caps.append(f"điểm thưởng tối đa {decimal(crit.bonus_cap)}")
    if crit.penalty_cap is not None:
        caps.append(f"điểm trừ tối đa {decimal(crit.penalty_cap)}")
    if caps:
        say("Trần: " + "; ".join(caps) + ".")
    if crit.bands:
        say(
            "Xếp loại: "
            + "; ".join(f"{b.name} từ {decimal(b.min_points)}" for b in crit.bands)
            + "."
        )
    say(
        f"Kết hợp với bỏ phiếu: {COMBINE[crit.combine]}."
        + (" Điểm đã khóa." if crit.locked else "")
    )


@command(app, "set")
def score_set(
    bloc: BlocOpt,
    year: YearOpt,
    unit: Annotated[str, typer.Option("--unit", help="Đơn vị.")],
    criterion: Annotated[str, typer.Option("--criterion", "-c", help="Mã tiêu chí, ví dụ A1.")],
    self_points: Annotated[
        float | None, typer.Option("--self", help="Điểm đơn vị tự chấm.")
    ] = None,
    verified: Annotated[
        float | None, typer.Option("--verified", help="Điểm trưởng, phó khối thẩm định.")
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", help="Ghi chú; bắt buộc khi điểm thẩm định khác điểm tự chấm."),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Ghi điểm tự chấm và/hoặc điểm thẩm định của một đơn vị cho một tiêu chí."""
    if self_points is None and verified is None:
        raise InvalidInput("Cần --self hoặc --verified (hoặc cả hai).")
    with writing() as conn:
        found = units.resolve(conn, unit)
        scores.set_score(
            conn,
            blocs.resolve(conn, bloc),
            year,
            found.id,
            criterion,
            self_points=self_points,
            verified=verified,
            note=note,
        )
    data = {
        "unit": found.name,
        "criterion": criterion.upper(),
        "self": self_points,
        "verified": verified,
    }
    answer(json_, data, f"Đã ghi điểm {criterion.upper()} của {found.name}.")


@command(app, "import")
def score_import(
    bloc: BlocOpt,
    year: YearOpt,
    file: Annotated[
        Path, typer.Argument(help="CSV: cột đầu là đơn vị, các cột sau là mã tiêu chí.")
    ],
    verified: Annotated[
        bool,
        typer.Option(
            "--verified", help="Các điểm trong tệp là điểm thẩm định (mặc định: tự chấm)."
        ),
    ] = False,
    note: Annotated[
        str | None, typer.Option("--note", help="Lý do chung khi điểm thẩm định khác điểm tự chấm.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Nhập điểm từ CSV (mỗi dòng một đơn vị, mỗi cột một tiêu chí); kiểm tra hết trước khi ghi."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        cells = scores.read_score_csv(conn, found, year, file)
        for uid, code, value, where in cells:
            if verified:
                scores.set_score(
                    conn, found, year, uid, code, verified=value, note=note, where=where
                )
            else:
                scores.set_score(conn, found, year, uid, code, self_points=value, where=where)
    kind = "verified" if verified else "self"
    answer(
        json_,
        {"imported": len(cells), "kind": kind},
        f"Đã nhập {len(cells)} điểm {'thẩm định' if verified else 'tự chấm'} từ {file}.",
    )


@command(app, "missing")
def score_missing(
    bloc: BlocOpt,
    year: YearOpt,
    self_only: Annotated[
        bool,
        typer.Option("--self", help="Chỉ đơn vị chưa tự chấm (chưa gửi lại biểu mẫu)."),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Đơn vị nào chưa tự chấm, chưa được thẩm định tiêu chí nào; im lặng khi đã đủ."""
    with reading() as conn:
        found = scores.missing(conn, blocs.resolve(conn, bloc), year)
    if self_only:
        found = [replace(m, verified_missing=()) for m in found if m.self_missing]
    if json_:
        emit_json(
            [
                {"unit": m.unit, "self": list(m.self_missing), "verified": list(m.verified_missing)}
                for m in found
            ]
        )
        if found:
            raise typer.Exit(1)
        return
    if found:
        table(
            None,
            ["Đơn vị", "Chưa tự chấm", "Chưa thẩm định"],
            [(m.unit, ", ".join(m.self_missing), ", ".join(m.verified_missing)) for m in found],
        )
    if found:  # exit 1 so that cron notices; the list above says what is missing
        raise typer.Exit(1)


@command(app, "lock")
def score_lock(bloc: BlocOpt, year: YearOpt, by: ByOpt = None, json_: JsonOpt = False) -> None:
    """Khóa điểm của năm sau khi thẩm định xong; mọi thay đổi sau đó bị từ chối."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        scores.lock(conn, found, year, by)
        log = scores.lock_log(conn, found, year)
        gaps = scores.missing(conn, found, year)
    unscored = [m.unit for m in gaps if m.self_missing]
    unverified = [m.unit for m in gaps if not m.self_missing]
    if unscored:
        typer.echo(
            f"Cảnh báo: {len(unscored)} đơn vị còn thiếu điểm tự chấm "
            f"({'; '.join(unscored)}); xem «tdkt score missing».",
            err=True,
        )
    if unverified:  # scored, but the verification is missing: say that, not «thiếu điểm»
        typer.echo(
            f"Cảnh báo: {len(unverified)} đơn vị đã tự chấm nhưng chưa được thẩm định "
            f"({'; '.join(unverified)}); xem «tdkt score missing».",
            err=True,
        )
    answer(
        json_,
        {
            "bloc": found.code,
            "year": year,
            "locked": True,
            "log": log,
            "missing": [m.unit for m in gaps],
        },
        f"Đã khóa điểm năm {year}.",
    )


@command(app, "unlock")
def score_unlock(
    bloc: BlocOpt,
    year: YearOpt,
    reason: Annotated[str, typer.Option("--reason", help="Lý do mở khóa (được ghi lại).")],
    by: ByOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Mở khóa điểm của năm, ghi lại lý do và người mở."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        scores.unlock(conn, found, year, reason, by)
        log = scores.lock_log(conn, found, year)
    answer(
        json_,
        {"bloc": found.code, "year": year, "locked": False, "log": log},
        f"Đã mở khóa điểm năm {year}.",
    )


@command(app, "table")
def score_table(
    bloc: BlocOpt,
    year: YearOpt,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
    output: CsvOutOpt = None,
    xlsx: XlsxOpt = None,
    force: SheetForceOpt = False,
) -> None:
    """Bảng xếp hạng theo tổng điểm (trong từng nhóm nếu khối chia nhóm), kèm xếp loại."""
    one_output(json_, csv_, xlsx)
    from ..text import decimal

    with reading() as conn:
        found = blocs.resolve(conn, bloc)
        standings = scores.table(conn, found, year)
        crit = scores.get_criteria(conn, found, year)
    if json_:
        emit_json(
            {
                "bloc": found.code,
                "year": year,
                "locked": crit.locked,
                "standings": [s.as_json() for s in standings],
            }
        )
        return
    headers = [
        "Nhóm",
        "Hạng",
        "Đơn vị",
        "Điểm cơ bản",
        "Điểm thưởng",
        "Điểm trừ",
        "Tổng",
        "Xếp loại",
        "Nguồn điểm",
    ]

    rows = [
        [
            s.group or "",
            s.rank if s.rank is not None else "chưa chấm",
            s.unit,
            s.base,
            s.bonus,
            s.penalty,
            s.total,
            s.band or "",
            SOURCE[s.source],
        ]
        for s in standings
    ]
    title = f"Xếp hạng năm {year}{' (đã khóa)' if crit.locked else ''}"
    # a sheet also has a column per criterion: the points counted (verified, else self-assessed)
    each = [f"{c.code}. {c.title}" for c in crit.criteria]
    sheet = [
        [*row, *(s.points.get(c.code, "") for c in crit.criteria)]
        for row, s in zip(rows, standings, strict=True)
    ]
    if sheet_out(csv_, output, xlsx, force, f"{found.code} {year}", [*headers, *each], sheet):
        return
    people = [[*r[:3], *(decimal(v) for v in r[3:7]), *r[7:]] for r in rows]
    table(title, headers, people)


@command(app, "unset")
def score_unset(
    bloc: BlocOpt,
    year: YearOpt,
    unit: Annotated[str, typer.Option("--unit", help="Đơn vị.")],
    criterion: Annotated[str, typer.Option("--criterion", "-c", help="Mã tiêu chí, ví dụ A1.")],
    self_only: Annotated[bool, typer.Option("--self", help="Chỉ xóa điểm tự chấm.")] = False,
    verified_only: Annotated[
        bool, typer.Option("--verified", help="Chỉ xóa điểm thẩm định.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Xóa điểm đã ghi nhầm của một đơn vị cho một tiêu chí (mặc định cả tự chấm và thẩm định)."""
    both = not self_only and not verified_only
    with writing() as conn:
        found = units.resolve(conn, unit)
        removed = scores.unset_score(
            conn,
            blocs.resolve(conn, bloc),
            year,
            found.id,
            criterion,
            self_points=both or self_only,
            verified=both or verified_only,
        )
    answer(
        json_,
        {"unit": found.name, "removed": removed},
        f"Đã xóa điểm {removed['code']} của {found.name}.",
    )


OutOpt = Annotated[Path, typer.Option("--out", help="Thư mục ghi biểu mẫu (tạo mới nếu chưa có).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Ghi đè biểu mẫu đã có.")]
ReturnedArg = Annotated[
    list[Path],
    typer.Argument(
        help="Các tệp .xlsx/.csv đơn vị gửi lại, hoặc thư mục chứa chúng (tên tệp tùy ý).",
    ),
]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Chỉ kiểm tra và cho xem sẽ thay đổi gì; không ghi.")
]
MANY_FILES = 5  # from this many files on, a progress bar on a terminal


@command(app, "forms")
def score_forms(
    bloc: BlocOpt, year: YearOpt, out: OutOpt, force: ForceOpt = False, json_: JsonOpt = False
) -> None:
    """Ghi mỗi thành viên một biểu tự chấm điểm .xlsx theo tiêu chí của năm, để gửi đi."""
    from ..scores import forms

    with reading() as conn:
        made = forms.make_forms(conn, blocs.resolve(conn, bloc), year, out, force)
    if json_:
        emit_json([{"unit": m.unit, "file": str(m.path)} for m in made])
        return
    table(
        f"Biểu tự chấm điểm năm {year}: {len(made)} tệp trong {out}",
        ["Đơn vị", "Tệp"],
        [(m.unit, m.path.name) for m in made],
    )


@command(app, "collect")
def score_collect(
    bloc: BlocOpt,
    year: YearOpt,
    paths: ReturnedArg,
    verified: Annotated[
        bool,
        typer.Option(
            "--verified", help="Điểm trong các tệp là điểm thẩm định (mặc định: tự chấm)."
        ),
    ] = False,
    note: Annotated[
        str | None,
        typer.Option("--note", help="Lý do chung khi điểm thẩm định khác điểm tự chấm."),
    ] = None,
    dry_run: DryRunOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Đọc các biểu tự chấm điểm đơn vị gửi lại; kiểm tra hết mọi tệp rồi mới ghi, một lần."""
    from ..scores import forms

    with progress("Đọc biểu mẫu") as tick:

        def show(done: int, total: int) -> None:
            if total >= MANY_FILES:
                tick(done, total)

        if dry_run:
            with reading() as conn:
                found = blocs.resolve(conn, bloc)
                result = forms.collect(
                    conn, found, year, paths, verified=verified, note=note, progress=show
                )
        else:
            with writing() as conn:
                found = blocs.resolve(conn, bloc)
                result = forms.collect(
                    conn, found, year, paths, verified=verified, note=note, progress=show
                )
                forms.apply(conn, found, year, result)
    if json_:
        emit_json(result.as_json(found, year, dry_run))
        return
    _collect_summary(result, dry_run, "thẩm định" if verified else "tự chấm")


def _collect_summary(result: Any, dry_run: bool, kind: str) -> None:
    from ..text import decimal

    table(
        f"Biểu mẫu đã nhận: {len(result.lines)} đơn vị",
        ["Đơn vị", "Tệp", "Số tiêu chí đã điền", "Tổng", "Thay đổi"],
        [
            (
                line.unit,
                "; ".join(Path(f).name for f in line.files),
                line.filled,
                decimal(line.total),
                f"{line.changes} điểm" if line.changes else "không",
            )
            for line in result.lines
        ],
    )
    # a dry run shows every cell it would write; a real run the corrections of earlier scores
    shown = result.changes if dry_run else [c for c in result.changes if c.old is not None]
    if shown:
        table(
            "Sẽ thay đổi (cũ → mới)" if dry_run else "Điểm sửa lại (cũ → mới)",
            ["Đơn vị", "Tiêu chí", "Cũ → mới"],
            [
                (
                    c.unit,
                    c.code,
                    f"{decimal(c.old) if c.old is not None else 'trống'} → {decimal(c.new)}",
                )
                for c in shown
            ],
        )
    for name in result.blank:
        say(f"Tệp «{Path(name).name}» chưa điền điểm nào; bỏ qua.")
    count = len(result.changes)
    if dry_run:
        say(
            f"Chạy thử: sẽ ghi {count} điểm {kind}; chưa ghi gì."
            if count
            else "Chạy thử: không có gì thay đổi."
        )
    else:
        say(f"Đã ghi {count} điểm {kind}." if count else "Không có gì thay đổi.")
