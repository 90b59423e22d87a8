"""Tables for Excel: CSV that opens right, .xlsx out and in.

Secretariats pass the score table, the province view and award history around in Excel, and keep
scores and member lists there. So:
- CSV written to a file (`-o FILE.csv`) starts with a UTF-8 BOM, without which Excel reads the
  bytes in the Windows code page and garbles every diacritic; CSV on stdout stays plain UTF-8
  for scripts. Numbers are plain numerals (no exponent, no grouping) so Excel reads numbers.
- `--xlsx FILE` writes real numbers in real cells (openpyxl, imported only here).
- `.xlsx` input is read as the CSV is: the first sheet, a header row, then one row per record.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput


def cell_text(value: Any) -> str:
    """A CSV cell: numbers as numerals Excel reads (97.5, 100), never 1e+02."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:.10f}".rstrip("0").rstrip(".")
        return text
    return str(value)


def _write_atomic(path: Path, data: bytes, force: bool) -> None:
    # private temp file, rename, no symlinks or devices, Word-held targets
    from . import atomic as files

    files.write(path, data, force)


def _check_target(path: Path, force: bool) -> None:
    from . import atomic as files

    files.check_target(path, force)


def write_csv(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    output: Path | None = None,
    force: bool = False,
) -> None:
    """CSV to stdout (plain UTF-8) or to `output` (UTF-8 with BOM, for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if output else "\n")
    from .atomic import spreadsheet_cell  # "=cmd|…" stays text in Excel, never a formula

    writer.writerow([spreadsheet_cell(cell_text(h)) for h in headers])
    writer.writerows([[spreadsheet_cell(cell_text(v)) for v in row] for row in rows])
    if output is None or str(output) == "-":
        sys.stdout.write(buffer.getvalue())
        return
    _check_target(output, force)
    _write_atomic(output, buffer.getvalue().encode("utf-8-sig"), force)


def write_xlsx(
    path: Path,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    force: bool = False,
) -> None:
    """One sheet: a bold header row, frozen, then the rows; numbers stay numbers."""
    if path.suffix.lower() != ".xlsx":
        raise InvalidInput(f"Tệp Excel phải có đuôi .xlsx («{path.name}»).")
    _check_target(path, force)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(title)
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "A2"
    for i, header in enumerate(headers, 1):
        width = max([len(str(header))] + [len(cell_text(r[i - 1])) for r in rows]) + 2
        sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(width, 60)
    buffer = io.BytesIO()
    book.save(buffer)
    _write_atomic(path, buffer.getvalue(), force)


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title.strip()[:31] or "tdkt"


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | float) or value is None:
        return value
    return str(value)


def read_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV (UTF-8 with or without BOM, "," or ";") or of an .xlsx's first sheet,
    every cell as text, numbers as a person would type them (97.5, 10)."""
    if not path.is_file():
        raise InvalidInput(f"Không tìm thấy tệp «{path}».")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            f"Tệp «{path.name}» không phải văn bản UTF-8; trong Excel hãy lưu dạng "
            "«CSV UTF-8» hoặc dùng thẳng tệp .xlsx."
        ) from None
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _read_xlsx(path: Path) -> list[list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(
            f"Tệp «{path.name}» không phải tệp Excel .xlsx đọc được ({exc})."
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return rows


def open_workbook(path: Path, *, data_only: bool = True) -> Any:
    """A workbook opened read-only: the one door through which tdkt reads a returned .xlsx, so
    that what guards against hostile files here guards every reader. `data_only=False` keeps
    formulas as their text ("=SUM(D7:D9)") instead of the value Excel last computed."""
    import zipfile

    from openpyxl import load_workbook

    if path.suffix.lower() == ".xls":
        raise InvalidInput(
            f"Tệp «{path.name}» là dạng Excel 97-2003 (.xls); hãy lưu lại dạng .xlsx rồi chạy lại."
        )
    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(
            f"Tệp «{path.name}» không phải tệp Excel .xlsx đọc được ({exc})."
        ) from None
