"""Every file tdkt writes (reports, exports, backups, the demo) goes through `replacing()`.

Promises, each tested in tests/test_safety.py:
- The data goes to a temporary file created exclusively (as mkstemp does: O_EXCL, O_NOFOLLOW,
  mode 0600, a random name; `exclusive`, without importing tempfile) in the target's own
  folder, is flushed to disk, then renamed onto the target: a reader sees the old
  file or the new one, never half of it. Outputs are readable by their owner only, like the
  database.
- Nothing else is touched: no fixed `X.part` name is used, so an existing `X.part` (or a symlink
  named so) is neither written through nor deleted.
- Without `force` an existing target is refused; with `force` only a regular file is replaced:
  never a directory, a device, a pipe or a symlink (which would write into whatever it points to).
- A failed write (disk full, file too large) leaves neither a 0-byte target nor the temporary file.
- A target another program holds open (Word on Windows refuses the rename) is left as it was and
  said in one sentence (windows.FileInUse), so `report batch` can go on with the other files.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from ..core.errors import InvalidInput, RuleBroken, TdktError


def check_target(path: str | os.PathLike[str], force: bool) -> None:
    """Refuse a target that may not be (re)placed; see the module's promises."""
    name = os.fspath(path)
    if name == "":
        raise InvalidInput("Đường dẫn tệp ra đang để trống; hãy ghi tên tệp.")
    try:
        info = os.lstat(name)
    except FileNotFoundError:
        folder = os.path.dirname(name) or "."
        if not os.path.isdir(folder):
            raise InvalidInput(
                f"Thư mục «{folder}» không tồn tại; không ghi được «{name}»."
            ) from None
        return
    except OSError as exc:
        raise InvalidInput(f"Không dùng được đường dẫn «{name}»: {exc.strerror}.") from None
    if stat.S_ISLNK(info.st_mode):
        raise RuleBroken(
            f"«{name}» là một liên kết tượng trưng; tdkt không ghi qua liên kết, hãy chọn tên khác."
        )
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput(f"«{name}» là một thư mục; hãy ghi tên tệp.")
    if not stat.S_ISREG(info.st_mode):
        raise RuleBroken(
            f"«{name}» không phải tệp thường (thiết bị hoặc ống); tdkt không ghi vào đó."
        )
    if not force:
        raise RuleBroken(f"Tệp «{name}» đã có; dùng --force để ghi đè.")


_FLAGS = (
    os.O_RDWR
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NOINHERIT", 0)
    | getattr(os, "O_BINARY", 0)
)


def exclusive(folder: str, prefix: str, suffix: str) -> tuple[int, str]:
    """tempfile.mkstemp(prefix=…, suffix=…, dir=folder), the same flags and mode, for the cost
    of os.urandom: importing tempfile (shutil, bz2, lzma, random) was a tenth of a document."""
    for _ in range(100):
        tmp = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(tmp, _FLAGS, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


@contextmanager
def replacing(path: str | os.PathLike[str], force: bool = False) -> Iterator[str]:
    """Yield a fresh private temporary path beside `path`; on success it becomes `path`."""
    name = os.fspath(path)
    check_target(name, force)
    folder = os.path.dirname(name) or "."
    tmp = ""
    try:
        try:
            # an absolute name: SQLite (a backup, the demo) never reads a folder «file:…» as a URI
            fd, tmp = exclusive(os.path.abspath(folder), f".{os.path.basename(name)}.", ".tmp")
        except OSError as exc:
            raise TdktError(f"Không tạo được tệp trong «{folder}»: {exc.strerror}.") from None
        os.close(fd)
        yield tmp
        _fsync(tmp)
        check_target(name, force)  # the target may have appeared while we wrote
        from pathlib import Path

        from .windows import replace  # a target Word holds open: one sentence, temp file gone

        replace(Path(tmp), Path(name))
    except BaseException as exc:
        # a database backup written into `tmp` leaves its own journal beside it on failure; the
        # names derive from our random temporary name, so nothing of the user's is touched
        # (a SIGTERM or Ctrl-C arrives here as failures.Stopped, so it is removed then too)
        for leftover in (tmp, tmp + "-journal", tmp + "-wal", tmp + "-shm") if tmp else ():
            with suppress(FileNotFoundError):
                os.unlink(leftover)
        if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
            import errno

            why = exc.strerror or str(exc)
            if exc.errno in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", -1)):
                why = "ổ đầy hoặc vượt giới hạn kích thước tệp"
            elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                why = "không có quyền ghi vào đó"
            raise TdktError(
                f"Không ghi được «{name}»: {why}; tệp cũ (nếu có) vẫn nguyên."
            ) from None
        if isinstance(exc, sqlite3.OperationalError):  # a backup that ran out of room
            why = str(exc)
            if "disk" in why or "full" in why:
                why = "ổ đầy hoặc vượt giới hạn kích thước tệp"
            raise TdktError(
                f"Không ghi được «{name}»: {why}; tệp cũ (nếu có) vẫn nguyên."
            ) from None
        raise
    _fsync_dir(folder)


def write(path: str | os.PathLike[str], data: bytes, force: bool = False) -> None:
    """Write `data` to `path` atomically (see the module's promises)."""
    with replacing(path, force) as tmp, open(tmp, "wb") as f:
        f.write(data)


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def csv_writer(stream: Any) -> Any:
    """A csv.writer whose cells a spreadsheet shows as text, never runs as a formula.

    A cell that begins with = + - @ (or tab / carriage return, which some spreadsheets skip
    before looking for one) gets a leading apostrophe, as OWASP advises for CSV injection; a plain
    number such as -2.5 stays as it is (it is a number, not a formula).
    """
    import csv

    writer = csv.writer(stream, lineterminator="\n")

    class _Safe:
        def writerow(self, row: Any) -> Any:
            return writer.writerow([spreadsheet_cell(v) for v in row])

        def writerows(self, rows: Any) -> None:
            for row in rows:
                self.writerow(row)

    return _Safe()


def spreadsheet_cell(value: Any) -> Any:
    if not isinstance(value, str) or not value or value[0] not in "=+-@\t\r":
        return value
    try:
        float(value)
        return value
    except ValueError:
        return "'" + value
