"""The options of the tables people pass around in Excel: --csv, -o FILE.csv, --xlsx FILE."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from ..core.errors import InvalidInput

CsvOpt = Annotated[
    bool, typer.Option("--csv", help="In CSV (UTF-8; với -o TỆP.csv có BOM để Excel mở đúng).")
]
CsvOutOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Ghi CSV vào tệp (kèm --csv) thay vì in ra stdout."),
]
# a folder is refused by write_xlsx in a sentence (exit 1), not by Click's usage error (exit 2)
XlsxOpt = Annotated[Path | None, typer.Option("--xlsx", help="Ghi bảng ra tệp Excel .xlsx.")]
SheetForceOpt = Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có.")]


def one_output(json_: bool, csv_: bool, xlsx: Path | None) -> None:
    """--json with --csv or --xlsx would print the one and silently skip the other: refused."""
    if json_ and (csv_ or xlsx is not None):
        raise InvalidInput(f"Chọn một trong --json hoặc {'--csv' if csv_ else '--xlsx'}.")


def sheet_out(
    csv_: bool,
    output: Path | None,
    xlsx: Path | None,
    force: bool,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> bool:
    """Write the table as CSV or .xlsx when asked; True when it was written (nothing else to do)."""
    from ..files import sheets
    from .common import say

    if output is not None and not csv_:
        if output.suffix.lower() == ".xlsx":
            raise InvalidInput(f"Để ghi tệp Excel hãy dùng --xlsx {output}.")
        raise InvalidInput("Tùy chọn -o chỉ dùng kèm --csv; với Excel hãy dùng --xlsx TỆP.xlsx.")
    if csv_ and xlsx is not None:
        raise InvalidInput("Chọn một trong --csv hoặc --xlsx.")
    if xlsx is not None:
        sheets.write_xlsx(xlsx, title, headers, rows, force)
        say(str(xlsx))
        return True
    if csv_:
        sheets.write_csv(headers, rows, output, force)
        if output is not None and str(output) != "-":
            say(str(output))
        return True
    return False
