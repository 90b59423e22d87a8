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
    if path.is_dir():
        raise InvalidInput(
            f"«{path}» là thư mục; hãy ghi tên tệp, ví dụ --xlsx {path / 'bang.xlsx'}."
        )
    if path.suffix.lower() != ".xlsx":
        raise InvalidInput(f"Tệp Excel phải có đuôi .xlsx («{path}»).")
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


# Limits of what tdkt reads from a spreadsheet: a bloc's member list or score sheet is a few
# hundred rows; a province's, a few thousand. Far past that a file is a mistake or an attack.
MAX_ROWS = 20_000
MAX_CELLS = 1_000_000
MAX_FILE_BYTES = 50 * 1024 * 1024  # on disk, CSV or .xlsx
MAX_XLSX_UNPACKED = 200 * 1024 * 1024  # every part of an .xlsx, as its zip directory declares
MAX_XLSX_PARTS = 10_000
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an .xlsx locked with a password


def read_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV or of an .xlsx's first sheet, every cell as text, numbers as a person
    would type them (97.5, 10). The one way tdkt reads a spreadsheet: whatever the file holds,
    the answer is rows or one Vietnamese sentence naming the file (InvalidInput).

    CSV: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1258 or -1252 when the bytes
    say so; "," or ";"; LF, CRLF or CR alone (Excel's «CSV (Macintosh)»).
    .xlsx: see `_read_xlsx`. An .xls or a password-protected workbook gets a sentence saying
    what to do; what the file is comes from its first bytes, not its name.
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"Không tìm thấy tệp «{path}».")
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise InvalidInput(f"Không đọc được tệp «{path.name}»: {exc.strerror}.") from None
    if size > MAX_FILE_BYTES:
        raise InvalidInput(
            f"Tệp «{path.name}» lớn quá {MAX_FILE_BYTES // (1024 * 1024)} MiB; "
            "tdkt không đọc bảng lớn như vậy."
        )
    if head.startswith(_OLE_MAGIC):
        raise InvalidInput(_ole_sentence(path))
    if head.startswith(_ZIP_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _limit(path, _read_xlsx(path))
    if path.suffix.lower() == ".xls":
        raise InvalidInput(
            f"Tệp «{path.name}» không phải tệp Excel .xls đọc được; "
            "hãy mở trong Excel và lưu dạng .xlsx hoặc «CSV UTF-8»."
        )
    text = decode_text(path.read_bytes(), path.name)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # newline="": lines end at LF, CRLF or a lone CR, and a cell's own line break stays in it
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        raise InvalidInput(
            f"Tệp «{path.name}», dòng {reader.line_num}: không đọc được dạng CSV ({exc})."
        ) from None
    return _limit(path, rows)


def _limit(path: Path, rows: list[list[str]]) -> list[list[str]]:
    if len(rows) > MAX_ROWS:
        raise InvalidInput(
            f"Tệp «{path.name}» có hơn {MAX_ROWS:,} dòng".replace(",", ".")
            + "; tdkt chỉ đọc bảng tới ngần ấy dòng, hãy chia tệp hoặc bỏ các dòng thừa."
        )
    return rows


def decode_text(raw: bytes, name: str) -> str:
    """A text file's bytes as text: UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1258
    (Vietnamese, what old Excel on a Vietnamese Windows saves) or Windows-1252 when the bytes read
    as letters in it; anything else is one sentence saying how to save the file."""
    import codecs
    import unicodedata

    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        if b"\x00" not in raw:
            for encoding in ("cp1258", "cp1252"):
                try:
                    text = unicodedata.normalize("NFC", raw.decode(encoding))
                except UnicodeDecodeError:
                    continue
                if _reads_as_letters(text, vietnamese=encoding == "cp1258"):
                    return text
    raise InvalidInput(
        f"Tệp «{name}» không phải văn bản UTF-8 (cũng không nhận ra được bảng mã khác); "
        "trong Excel hãy lưu dạng «CSV UTF-8» hoặc dùng thẳng tệp .xlsx."
    )


def _reads_as_letters(text: str, vietnamese: bool) -> bool:
    """Every character past ASCII is a letter (no tone mark left alone after NFC, no symbol);
    for Windows-1258, at least one letter only Vietnamese has."""
    import unicodedata

    seen_viet = False
    for ch in text:
        if ch < "\x80":
            continue
        if not unicodedata.category(ch).startswith("L"):
            return False
        if ch in "ĂăĐđƠơƯư" or "\u1ea0" <= ch <= "\u1ef9":
            seen_viet = True
    return seen_viet or not vietnamese


def _ole_sentence(path: Path) -> str:
    with open(path, "rb") as f:
        sample = f.read(1024 * 1024)
    if "EncryptionInfo".encode("utf-16-le") in sample or b"EncryptedPackage" in sample:
        return (
            f"Tệp «{path.name}» được khoá bằng mật khẩu; hãy mở trong Excel, bỏ mật khẩu "
            "(Tệp › Thông tin › Bảo vệ sổ làm việc) rồi lưu lại dạng .xlsx."
        )
    return (
        f"Tệp «{path.name}» là tệp Excel cũ (.xls); hãy mở trong Excel và lưu dạng .xlsx "
        "hoặc «CSV UTF-8»."
    )


class _Unreadable(Exception):
    """A part of the .xlsx that tdkt refuses to read; the message says what is wrong."""


def _check_zip(path: Path) -> None:
    """Before openpyxl reads a byte: the directory's declared sizes (a zip bomb is refused here;
    zipfile stops at the declared size and checks the CRC, so a part cannot unpack to more) and
    no DOCTYPE or entity in any XML part (never expanded, never fetched)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_XLSX_PARTS:
                raise _Unreadable(f"có {len(parts)} phần bên trong, quá nhiều cho một bảng tính")
            total = sum(p.file_size for p in parts)
            if total > MAX_XLSX_UNPACKED:
                raise _Unreadable(
                    f"giải nén ra {total // (1024 * 1024):,} MiB".replace(",", ".")
                    + f" (tdkt đọc tới {MAX_XLSX_UNPACKED // (1024 * 1024)} MiB), có thể là "
                    "«bom zip»"
                )
            names = {p.filename for p in parts}
            if "EncryptionInfo" in names or "EncryptedPackage" in names:
                raise _Unreadable(
                    "tệp bị khoá bằng mật khẩu; hãy bỏ mật khẩu trong Excel rồi lưu lại"
                )
            if "[Content_Types].xml" not in names:
                raise _Unreadable("thiếu [Content_Types].xml, không phải sổ làm việc Excel")
            for part in parts:
                if part.filename.lower().startswith("xl/worksheets/"):
                    _count_rows(archive, part)
                if part.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with archive.open(part) as f:
                        prolog = f.read(64 * 1024)
                    if _declares_entities(prolog):
                        raise _Unreadable(
                            f"phần {part.filename} có khai báo DOCTYPE/ENTITY (thực thể XML), "
                            "tdkt không mở loại tệp này"
                        )
    except _Unreadable:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        raise _Unreadable("tệp nén hỏng, bị cắt hoặc không phải .xlsx") from None
    except Exception:  # zipfile's own slips on a hand-made directory (ValueError, zlib.error)
        raise _Unreadable("tệp nén hỏng, bị cắt hoặc không phải .xlsx") from None


_ROW_OR_CELL = None


def _count_rows(archive: Any, part: Any) -> None:
    """Rows and cells of a sheet, counted in its bytes before openpyxl parses them (which would
    take a minute over a million rows, and scans the whole sheet when it has no dimension)."""
    import re

    global _ROW_OR_CELL
    if _ROW_OR_CELL is None:
        _ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s/>]")
    rows = cells = 0
    tail = b""
    with archive.open(part) as f:
        while chunk := f.read(4 * 1024 * 1024):
            data = tail + chunk
            cut = max(data.rfind(b"<"), len(data) - 64)  # a tag cut in two is counted next time
            for match in _ROW_OR_CELL.finditer(data, 0, cut):
                if match.group(1) == b"row":
                    rows += 1
                else:
                    cells += 1
            tail = data[cut:]
            if rows > MAX_ROWS:
                raise _Unreadable(
                    f"có hơn {MAX_ROWS:,} dòng".replace(",", ".")
                    + " ở trang tính, tdkt chỉ đọc bảng tới ngần ấy dòng; hãy chia tệp"
                )
            if cells > MAX_CELLS:
                raise _Unreadable(
                    f"có hơn {MAX_CELLS:,} ô".replace(",", ".")
                    + ", tdkt không đọc bảng lớn như vậy"
                )
    for match in _ROW_OR_CELL.finditer(tail):
        rows += match.group(1) == b"row"
    if rows > MAX_ROWS:
        raise _Unreadable(
            f"có hơn {MAX_ROWS:,} dòng".replace(",", ".")
            + " ở trang tính, tdkt chỉ đọc bảng tới ngần ấy dòng; hãy chia tệp"
        )


def _what_is_wrong(exc: BaseException) -> str:
    """What an exception from openpyxl says of the file, in words; openpyxl wraps the parser's
    error in a ValueError («could not read strings»), so the whole chain is looked at."""
    import zipfile

    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and seen not in chain and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    for e in chain:
        if type(e).__name__ in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"):
            return "có khai báo DOCTYPE/ENTITY (thực thể XML), tdkt không mở loại tệp này"
    for e in chain:
        if isinstance(e, SyntaxError):  # xml.etree's ParseError, lxml's XMLSyntaxError
            where = getattr(e, "position", None) or (getattr(e, "lineno", None), None)
            at = f" (dòng {where[0]}, cột {where[1]})" if where[0] and where[1] else ""
            return f"có phần XML hỏng hoặc bị cắt giữa chừng{at}"
        if isinstance(e, IndexError):
            return "một ô trỏ tới chuỗi dùng chung (shared string) không có, tệp đã hỏng"
        if isinstance(e, zipfile.BadZipFile | EOFError):
            return "tệp nén hỏng, bị cắt hoặc không phải .xlsx"
        if isinstance(e, MemoryError):
            return "lớn quá bộ nhớ khi đọc"
    if isinstance(exc, TypeError | ValueError | KeyError | AttributeError):
        return "tệp hỏng hoặc không đúng định dạng .xlsx (có giá trị sai kiểu hoặc phần bị thiếu)"
    return f"tệp hỏng hoặc không đúng định dạng .xlsx ({type(exc).__name__})"


def _declares_entities(prolog: bytes) -> bool:
    text = prolog
    if prolog.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = prolog.decode("utf-16", "ignore").encode("ascii", "ignore")
    else:
        text = prolog.replace(b"\x00", b"")
    text = text.upper()
    return b"<!DOCTYPE" in text or b"<!ENTITY" in text


def _read_xlsx(path: Path) -> list[list[str]]:
    try:
        return _read_xlsx_unsafe(path)
    except _Unreadable as exc:
        raise InvalidInput(f"Tệp Excel «{path.name}» không đọc được: {exc}.") from None


def _read_xlsx_unsafe(path: Path) -> list[list[str]]:
    import warnings

    _check_zip(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True, data_only=True)
            try:
                if not book.worksheets:
                    raise _Unreadable("sổ làm việc không có trang tính nào")
                sheet = book.worksheets[0]
                sheet.reset_dimensions()  # the rows there are, not the ones the file claims
                rows: list[list[str]] = []
                cells = 0
                for row in sheet.iter_rows(values_only=True):
                    rows.append([cell_text(v) for v in row])
                    cells += len(row)
                    if len(rows) > MAX_ROWS:
                        break
                    if cells > MAX_CELLS:
                        raise _Unreadable(
                            f"có hơn {MAX_CELLS:,} ô".replace(",", ".")
                            + ", tdkt không đọc bảng lớn như vậy"
                        )
            finally:
                book.close()
        except _Unreadable:
            raise
        except Exception as exc:  # openpyxl meeting a file no Excel wrote: say it, never crash
            raise _Unreadable(_what_is_wrong(exc)) from None
    for warning in caught:
        text = str(warning.message)
        if "outside the limits for dates" in text:
            cell = text.split("Cell ", 1)[-1].split(" ", 1)[0]
            raise _Unreadable(
                f"có ô {cell} ghi ngày ngoài lịch (sau năm 9999 hoặc âm); hãy sửa ô ấy"
            )
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def open_workbook(path: Path, *, data_only: bool = True) -> Any:
    """A workbook opened read-only: the one door through which tdkt reads a returned .xlsx as
    cells (the members' forms), behind the same guards as `read_rows` (size, .xls and locked
    files from their first bytes, the zip directory and XML prolog checked before openpyxl reads
    a byte, any parser error said in words). `data_only=False` keeps formulas as their text
    ("=SUM(D7:D9)") instead of the value Excel last computed."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"Không tìm thấy tệp «{path}».")
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise InvalidInput(f"Không đọc được tệp «{path.name}»: {exc.strerror}.") from None
    if size > MAX_FILE_BYTES:
        raise InvalidInput(
            f"Tệp «{path.name}» lớn quá {MAX_FILE_BYTES // (1024 * 1024)} MiB; "
            "tdkt không đọc bảng lớn như vậy."
        )
    if head.startswith(_OLE_MAGIC) or path.suffix.lower() == ".xls":
        raise InvalidInput(_ole_sentence(path))
    try:
        _check_zip(path)
        try:
            from openpyxl import load_workbook

            return load_workbook(path, read_only=True, data_only=data_only)
        except Exception as exc:  # a file no Excel wrote: say it, never crash
            raise _Unreadable(_what_is_wrong(exc)) from None
    except _Unreadable as exc:
        raise InvalidInput(f"Tệp Excel «{path.name}» không đọc được: {exc}.") from None
