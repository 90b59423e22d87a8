"""tdkt export, import and demo: the records as YAML, and the sample data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .common import JsonOpt, OptBlocOpt, answer, progress, reading, say, writing

OutOpt = Annotated[Path | None, typer.Option("-o", "--output", help="Tệp ra (mặc định: stdout).")]


def export(
    bloc: OptBlocOpt = None,
    output: OutOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có.")] = False,
) -> None:
    # its help: catalog.TOP["export"]
    from ..exchange import dump as exchange
    from ..files import yamlio

    with reading() as conn:
        text = yamlio.dumps(exchange.dump(conn, bloc))
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        return
    from ..files import atomic as files

    files.write(output, text.encode("utf-8"), force)
    say(f"Đã xuất ra {output}")


def import_(
    files: Annotated[
        list[Path], typer.Argument(help="Một hay nhiều tệp YAML do «tdkt export» tạo.")
    ],
    map_: Annotated[
        Path | None,
        typer.Option(
            "--map", help="Tệp ánh xạ (YAML) chọn đơn vị, mã khối, tệp thắng khi các tệp khác nhau."
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    # its help: catalog.TOP["import"]
    from ..exchange import merge
    from ..files import yamlio

    docs = [(str(f), yamlio.read(f)) for f in files]
    mapping = merge.read_map(yamlio.read(map_) if map_ else None)
    from ..meetings import service as meetings

    with writing() as conn, progress("Đang nhập") as update:
        counts = merge.load_files(conn, docs, mapping, update)
        doubled = meetings.unflagged_year_ends(conn)
    names = ", ".join(str(f) for f in files)
    removed = (
        f" Bỏ {counts['removed']} bản ghi của các năm ấy không còn trong tệp."
        if counts.get("removed")
        else ""
    )
    answer(
        json_,
        counts,
        f"Đã nhập {counts['units']} đơn vị, {counts['blocs']} khối, {counts['meetings']} hội nghị "
        f"từ {names}.{removed}",
    )
    for sentence in doubled:
        typer.echo(sentence, err=True)


def demo(
    out: Annotated[
        Path, typer.Option("--out", help="Thư mục ghi cơ sở dữ liệu mẫu và văn bản.")
    ] = Path("tdkt-demo"),
    force: Annotated[
        bool, typer.Option("--force", help="Thay cơ sở dữ liệu mẫu và văn bản đã có trong thư mục.")
    ] = False,
) -> None:
    # its help: catalog.TOP["demo"]
    from .. import demo as demo_module

    for line in demo_module.run(out, force):
        say(line)
