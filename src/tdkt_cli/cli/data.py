"""tdkt export, import and demo: the records as YAML, and the sample data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .common import JsonOpt, OptBlocOpt, answer, command, progress, reading, say, writing

OutOpt = Annotated[
    Path | None, typer.Option("-o", "--output", help="Tệp ra (mặc định: stdout).", dir_okay=False)
]


def register(app: typer.Typer) -> None:
    command(app, "export")(export)
    command(app, "import")(import_)
    command(app, "demo")(demo)


def export(
    bloc: OptBlocOpt = None,
    output: OutOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có.")] = False,
) -> None:
    """Xuất mọi dữ liệu (hoặc một khối) ra YAML; định dạng mô tả trong README."""
    from .. import yamlio
    from ..services import exchange

    with reading() as conn:
        text = yamlio.dumps(exchange.dump(conn, bloc))
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    from .. import files

    files.write(output, text.encode("utf-8"), force)
    say(f"Đã xuất ra {output}")


def import_(
    file: Annotated[Path, typer.Argument(help="Tệp YAML do «tdkt export» tạo.")],
    json_: JsonOpt = False,
) -> None:
    """Nhập tệp YAML; kiểm tra toàn bộ trước khi ghi, nhập lại cùng tệp không thay đổi gì."""
    from .. import yamlio
    from ..services import exchange

    doc = yamlio.read(file)
    with writing() as conn, progress("Đang nhập") as update:
        counts = exchange.load(conn, doc, update)
    answer(
        json_,
        counts,
        f"Đã nhập {counts['units']} đơn vị, {counts['blocs']} khối, {counts['meetings']} hội nghị từ {file}.",
    )


def demo(
    out: Annotated[
        Path, typer.Option("--out", help="Thư mục ghi cơ sở dữ liệu mẫu và văn bản.")
    ] = Path("tdkt-demo"),
    force: Annotated[
        bool, typer.Option("--force", help="Thay cơ sở dữ liệu mẫu và văn bản đã có trong thư mục.")
    ] = False,
) -> None:
    """Nạp dữ liệu mẫu (từ các bài báo về khối thi đua) vào cơ sở dữ liệu mới, rồi lập văn bản."""
    from .. import demo as demo_module

    for line in demo_module.run(out, force):
        say(line)
