"""Excel forms sent to members and read back when they return: the shared layout and the reading.

A bloc sends each member a workbook to fill in (the self-scoring sheet, the registration form)
and gets it back by mail or Zalo, renamed as often as not. So:
- A form says what it is inside itself: a hidden sheet «tdkt» (key, value rows; the workbook's
  structure is protected so it is not unhidden by accident) holds the form kind, bloc, year, unit
  and a checksum of what the form asks; the visible sheet repeats unit, bloc and year for people.
  A returned file is identified by that, never by its file name.
- Only the cells to fill are unlocked; the sheet is protected without a password (a member may
  resize rows and columns), data validation keeps Excel from accepting a wrong value.
- It prints as a Vietnamese office prints: Times New Roman, A4 portrait fitted to the page width,
  the header row repeated on every page, the bloc and year in the page header, page numbers below.
- Reading goes through files.sheets.open_workbook (one door, so the hostile-file hardening there
  applies) in read-only mode with formulas kept: a value typed by hand is read as is, a formula
  is found as such, and only then is the workbook read again for the formula's cached value.

openpyxl is imported inside the functions: a `tdkt unit list` never pays for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput

FONT = "Times New Roman"
META_SHEET = "tdkt"
FORM_VERSION = "1"
SUFFIXES = (".xlsx", ".xlsm")


def checksum(items: Any) -> str:
    """A short fingerprint of what a form asks (criteria codes and maxima, award codes)."""
    text = json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def column_width(texts: Iterable[str], least: int, most: int) -> int:
    """A width (in characters) at which wrapped text never cuts a word: at least the longest word."""
    longest = max((len(w) for t in texts for w in str(t).split()), default=0)
    return max(least, min(most, longest + 2))


def lines_needed(text: str, width: float) -> int:
    """How many lines `text` takes when wrapped at word boundaries in a column `width` wide."""
    usable = max(1, int(width) - 2)
    lines, used = 1, 0
    for word in str(text).split():
        need = len(word) + (1 if used else 0)
        if used and used + need > usable:
            lines, used = lines + 1, len(word)
        else:
            used += need
    return lines


class Sheet:
    """One form sheet being built: styles, a header block, rows, protection, page setup."""

    def __init__(self, title: str, widths: Sequence[float]) -> None:
        from openpyxl import Workbook

        self.book = Workbook()
        self.ws = self.book.active
        self.ws.title = title[:31]
        self.widths = list(widths)
        self.columns = len(widths)
        for i, width in enumerate(widths, 1):
            self.ws.column_dimensions[self._letter(i)].width = width
        self.row = 0
        self._validations: dict[tuple, Any] = {}

    @staticmethod
    def _letter(col: int) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(col)

    def font(self, *, bold: bool = False, italic: bool = False, size: float = 12) -> Any:
        from openpyxl.styles import Font

        return Font(name=FONT, size=size, bold=bold, italic=italic)

    def line(
        self,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: float = 12,
        center: bool = True,
    ) -> int:
        """A line across the whole width (merged), wrapped, for titles and instructions."""
        from openpyxl.styles import Alignment

        self.row += 1
        cell = self.ws.cell(self.row, 1, text)
        _as_text(cell)
        cell.font = self.font(bold=bold, italic=italic, size=size)
        cell.alignment = Alignment(
            horizontal="center" if center else "left", vertical="center", wrap_text=True
        )
        if self.columns > 1:
            self.ws.merge_cells(
                start_row=self.row, start_column=1, end_row=self.row, end_column=self.columns
            )
        lines = lines_needed(text, sum(self.widths) * (12 / size))
        self.ws.row_dimensions[self.row].height = max(1, lines) * size * 1.35
        return self.row

    def blank(self) -> None:
        self.row += 1

    def table_row(
        self,
        values: Sequence[Any],
        *,
        bold: bool = False,
        header: bool = False,
        fill: Sequence[int] = (),
        span: int | None = None,
    ) -> int:
        """A bordered table row; columns in `fill` (1-based) are unlocked for the member; with
        `span`, that column's cell runs to the last column (one wide cell to write in)."""
        from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side

        self.row += 1
        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        lines = 1
        for col, value in enumerate(values, 1):
            cell = self.ws.cell(self.row, col, value)
            _as_text(cell)
            cell.font = self.font(bold=bold or header)
            cell.border = border
            wrap = isinstance(value, str)
            cell.alignment = Alignment(
                horizontal="center" if header or not wrap else "left",
                vertical="center",
                wrap_text=True,
            )
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = "0.##"
            if header:
                cell.fill = PatternFill("solid", fgColor="D9D9D9")
            if isinstance(value, str):
                lines = max(lines, lines_needed(value, self.widths[col - 1]))
        for col in fill:
            cell = self.ws.cell(self.row, col)
            cell.protection = Protection(locked=False)
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        if span is not None and span < self.columns:
            self.ws.merge_cells(
                start_row=self.row, start_column=span, end_row=self.row, end_column=self.columns
            )
        self.ws.row_dimensions[self.row].height = lines * 18
        return self.row

    def formula(self, col: int, text: str) -> None:
        cell = self.ws.cell(self.row, col, text)
        cell.number_format = "0.##"
        cell.font = self.font(bold=True)

    def validate_decimal(self, coordinate: str, maximum: float, label: str) -> None:
        """Excel refuses anything but a number from 0 to `maximum` in the cell."""
        from openpyxl.worksheet.datavalidation import DataValidation

        key = ("decimal", maximum)
        dv = self._validations.get(key)
        if dv is None:
            shown = number_text(maximum)
            dv = DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2=repr(float(maximum)),
                allow_blank=True,
                showErrorMessage=True,
                showInputMessage=True,
                errorTitle="Điểm không hợp lệ",
                error=f"{label} phải là số từ 0 đến {shown}.",
                promptTitle="Điểm",
                prompt=f"Số từ 0 đến {shown}",
            )
            self.ws.add_data_validation(dv)
            self._validations[key] = dv
        dv.add(coordinate)

    def validate_list(self, coordinate: str, choices: Sequence[str]) -> None:
        """A drop-down with `choices`; Excel refuses anything else."""
        from openpyxl.worksheet.datavalidation import DataValidation

        key = ("list", tuple(choices))
        dv = self._validations.get(key)
        if dv is None:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Giá trị không hợp lệ",
                error=f"Chọn một trong: {', '.join(choices)}.",
            )
            self.ws.add_data_validation(dv)
            self._validations[key] = dv
        dv.add(coordinate)

    def finish(self, page_header: str, title_rows: tuple[int, int], meta: dict[str, str]) -> bytes:
        """Protect, lay out for A4, add the hidden identity sheet; the workbook's bytes."""
        from openpyxl.worksheet.properties import PageSetupProperties

        ws = self.ws
        ws.protection.sheet = True  # no password: the lock guards against slips, not people
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        ws.protection.selectLockedCells = False
        ws.protection.selectUnlockedCells = False
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins.left = ws.page_margins.right = 0.6
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        ws.print_options.horizontalCentered = True
        ws.print_area = f"A1:{self._letter(self.columns)}{self.row}"
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
        ws.oddHeader.center.text = page_header
        ws.oddHeader.center.font = f"{FONT},Regular"
        ws.oddHeader.center.size = 10
        ws.oddFooter.center.text = "Trang &P/&N"
        ws.oddFooter.center.font = f"{FONT},Regular"
        ws.oddFooter.center.size = 10
        info = self.book.create_sheet(META_SHEET)
        for key, value in meta.items():
            info.append([key, value])
        info.sheet_state = "hidden"
        info.protection.sheet = True
        self.book.security.lockStructure = True  # the hidden sheet stays hidden
        self.book.active = 0
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def _as_text(cell: Any) -> None:
    """A title or name that begins with "=" is shown as typed, never run as a formula."""
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"


def number_text(x: float) -> str:
    """97.5 → "97,5", 40.0 → "40", as a person reads it in a cell."""
    from ..text import decimal

    return decimal(x)


def write_all(files: Sequence[tuple[Path, bytes]], force: bool) -> None:
    """Write every form atomically, after checking that none would replace a file unasked."""
    from . import atomic

    for path, _ in files:
        atomic.check_target(path, force)
    for path, data in files:
        atomic.write(path, data, force)


def out_folder(folder: Path) -> Path:
    """The folder forms go to: made when missing, refused when it is a file."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(
            f"«{folder}» là một tệp, không phải thư mục; hãy chọn thư mục cho --out."
        )
    return folder


# --- reading ----------------------------------------------------------------------------------


def returned_files(
    paths: Sequence[Path], suffixes: Sequence[str] = (*SUFFIXES, ".csv")
) -> list[Path]:
    """Every returned file under `paths` (folders searched to any depth), whatever its name.

    Excel's lock files («~$…») and hidden files are skipped in folders; a file named on the
    command line is taken as it is, and one tdkt cannot read is refused by name.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (
                    child.is_file()
                    and child.suffix.lower() in suffixes
                    and not child.name.startswith(("~$", "."))
                ):
                    found.append(child)
        elif path.is_file():
            if path.suffix.lower() == ".xls":
                raise InvalidInput(
                    f"Tệp «{path}» là dạng Excel 97-2003 (.xls); hãy mở trong Excel và lưu lại "
                    "dạng .xlsx rồi chạy lại."
                )
            if path.suffix.lower() not in suffixes:
                raise InvalidInput(
                    f"Tệp «{path}» không phải .xlsx hay .csv; tdkt chỉ đọc biểu mẫu .xlsx và bảng .csv."
                )
            found.append(path)
        else:
            raise InvalidInput(f"Không tìm thấy tệp hay thư mục «{path}».")
    unique: list[Path] = []
    seen: set[Path] = set()
    for path in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    if not unique:
        shown = ", ".join(f"«{p}»" for p in paths)
        raise InvalidInput(f"Không có tệp .xlsx hay .csv nào trong {shown}.")
    return unique


@dataclass(frozen=True)
class Form:
    """A returned workbook as read: its identity (the hidden sheet) and the main sheet's cells."""

    path: Path
    meta: dict[str, str]
    rows: tuple[tuple[Any, ...], ...]  # row 1 first; formulas as "=…" text

    def cell(self, row: int, col: int) -> Any:
        if row < 1 or row > len(self.rows):
            return None
        values = self.rows[row - 1]
        return values[col - 1] if col <= len(values) else None


META_ROWS = 100  # the identity sheet has a dozen rows; more is not a form of ours


def read_form(path: Path, columns: int, last_row: Callable[[dict[str, str]], int]) -> Form | None:
    """The form in `path`, or None when the workbook has no tdkt identity sheet. Only the rows
    up to `last_row(meta)` of the main sheet are read: a returned sheet padded with a million
    rows costs no more than the form it holds."""
    from .sheets import open_workbook

    book = open_workbook(path, data_only=False)
    try:
        if META_SHEET not in book.sheetnames:
            return None
        meta: dict[str, str] = {}
        for row in book[META_SHEET].iter_rows(max_row=META_ROWS, max_col=2, values_only=True):
            if row and row[0] is not None:
                meta[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
        main = book.worksheets[0]
        last = max(1, last_row(meta))
        rows = tuple(
            tuple(r) for r in main.iter_rows(max_row=last, max_col=columns, values_only=True)
        )
    finally:
        book.close()
    return Form(path, meta, rows)


def last_row_named(meta: dict[str, str], *keys: str) -> int:
    """The highest row number written in the identity sheet's `keys` ("8=A1;9=A2", "13,14")."""
    import re

    numbers = [int(n) for key in keys for n in re.findall(r"(?:^|[;,])(\d+)", meta.get(key, ""))]
    return max(numbers, default=1)


def cached_values(path: Path, cells: Sequence[tuple[int, int]]) -> dict[tuple[int, int], Any]:
    """What Excel last computed for formula cells (None when the file was never recalculated)."""
    from .sheets import open_workbook

    book = open_workbook(path, data_only=True)
    last = max((r for r, _ in cells), default=1)
    try:
        rows = list(book.worksheets[0].iter_rows(max_row=last, values_only=True))
    finally:
        book.close()
    out = {}
    for r, c in cells:
        values = rows[r - 1] if r <= len(rows) else ()
        out[(r, c)] = values[c - 1] if c <= len(values) else None
    return out


def is_formula(value: Any) -> bool:
    """A cell read with formulas kept: "=…" text, or an array formula (openpyxl's object)."""
    if isinstance(value, str):
        return value.startswith("=") and len(value) > 1
    return hasattr(value, "text") and hasattr(value, "ref")  # ArrayFormula


def formula_text(value: Any) -> str:
    return value if isinstance(value, str) else f"{{{value.text}}}"


def coordinate(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


class NotANumber(ValueError):
    """A cell that should hold a number holds something else; the message says what."""


def number_in(value: Any) -> float | None:
    """A filled number cell as a float, None when blank; NotANumber says why a value is none."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(f"«{'TRUE' if value else 'FALSE'}» không phải số")
    if isinstance(value, dt.datetime | dt.date):
        shown = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)
        raise NotANumber(f"«{shown}» là ngày tháng, không phải số điểm")
    if isinstance(value, dt.time | dt.timedelta):
        raise NotANumber(f"«{value}» là giờ, không phải số điểm")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise NotANumber(f"«{text}» không phải số") from None
    if math.isnan(number) or math.isinf(number):
        raise NotANumber(f"«{value}» không phải số")
    return number


def text_in(value: Any) -> str:
    """A free-text cell as clean text ("" when blank); numbers as a person typed them."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())
