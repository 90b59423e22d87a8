"""What any command may meet that is not its own business, said in one Vietnamese sentence.

Both the Typer commands (cli.common.handle) and the Typer-free fast path (fast.py) call
`explain()`, so they catch exactly the same things and say them the same way.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys

from ..core.errors import TdktError
from ..core.patterns import lazy

_YEAR_OUT = lazy(r"year -?\d+ is out of range")


class Stopped(KeyboardInterrupt):
    """SIGTERM, SIGINT or SIGHUP (what `timeout`, cron, a shutdown or Ctrl-C send), raised where
    the program is: every `finally` runs, so a write transaction rolls back and a temporary file
    is removed instead of being left beside the target (the default SIGTERM kills at once)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Signals:
    stopping = False


def stop_on_signals() -> None:
    """Install the handler; a second signal while cleaning up is ignored so the cleanup ends."""
    import signal

    def handler(signum: int, frame: object) -> None:
        if _Signals.stopping:
            return
        _Signals.stopping = True
        raise Stopped(signum)

    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            with contextlib.suppress(ValueError, OSError):  # not the main thread, or Windows
                signal.signal(number, handler)


def explain(exc: BaseException) -> tuple[str, int] | None:
    """(sentence, exit code) for an exception a user's input or machine can cause; None when it
    is a bug that must surface."""
    if isinstance(exc, TdktError):
        return exc.message, exc.exit_code
    if isinstance(exc, sqlite3.OperationalError):
        if "locked" in str(exc) or "busy" in str(exc):
            return "Cơ sở dữ liệu đang bận (một tiến trình khác đang ghi quá lâu); hãy thử lại.", 1
        from ..store.storage import describe

        return f"Không ghi được cơ sở dữ liệu: {describe(exc)}; không có gì thay đổi.", 1
    if isinstance(exc, sqlite3.IntegrityError):
        return f"Dữ liệu không nhất quán, không ghi gì cả: {exc}.", 1
    if isinstance(exc, sqlite3.DatabaseError):
        return f"Tệp cơ sở dữ liệu hỏng hoặc không phải SQLite: {exc}.", 1
    if isinstance(exc, ValueError) and _YEAR_OUT.fullmatch(str(exc)):
        # datetime's own words for a year outside 1..9999: only a typed year or a file's gets here
        year = str(exc).split()[1]
        return f"Năm {year} không có trong lịch; hãy ghi năm như 2024.", 1
    if isinstance(exc, OverflowError):
        return "Một số trong lệnh quá lớn (SQLite chỉ giữ số nguyên tới 9223372036854775807).", 1
    if isinstance(exc, UnicodeError):
        return "Dữ liệu vào có byte không phải văn bản UTF-8; hãy lưu tệp hoặc gõ lại ở UTF-8.", 1
    csv = sys.modules.get("csv")  # a csv.Error needs csv imported; reads need not import it
    if csv is not None and isinstance(exc, csv.Error):
        return f"Tệp CSV không đọc được: {exc}.", 1
    if isinstance(exc, RecursionError):
        return "Dữ liệu lồng nhau quá sâu; tdkt không đọc được.", 1
    if isinstance(exc, MemoryError):
        return "Không đủ bộ nhớ cho yêu cầu này; dữ liệu vào quá lớn.", 1
    if isinstance(exc, OSError):
        return f"Lỗi đọc/ghi tệp: {exc.strerror or exc} ({exc.filename or ''}).", 1
    if isinstance(exc, KeyboardInterrupt):
        signum = getattr(exc, "signum", 2)
        return "Đã dừng; không có gì được ghi dở.", 128 + signum
    return None


def utf8_argv(argv: list[str]) -> list[str]:
    """The words as typed, in UTF-8, even where Python decoded them in ASCII (LC_ALL=C with
    PYTHONUTF8=0: "Sở" arrives as surrogates); a word that is not UTF-8 either stays as it was."""
    out = []
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            with contextlib.suppress(UnicodeError):
                arg = os.fsencode(arg).decode("utf-8")
        out.append(arg)
    return out


def bad_argument(argv: list[str]) -> str | None:
    """A sentence when a word of the command line cannot be text (NUL, bytes that are not UTF-8)."""
    for arg in argv:
        if "\x00" in arg:
            return "Tham số chứa ký tự NUL (\\x00); hãy gõ lại lệnh."
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            return f"Tham số «{shown}» có byte không phải UTF-8; hãy gõ lại lệnh ở UTF-8."
    return None


def utf8_streams() -> None:
    """tdkt writes UTF-8 whatever the code page (a redirected stdout on Windows uses cp1258)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(encoding="utf-8")


def pipe_gone(committed: bool) -> int:
    """stdout's reader went away: stop quietly. The exit status says whether the records changed:
    0 for a read or a write that committed, 1 for a write that was rolled back."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0 if committed else 1
