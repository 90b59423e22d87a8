"""Open the bloc's database: create it owner-only, migrate it, and set it up for several writers.

Decisions:
- The connection runs in autocommit mode and every write command takes `BEGIN IMMEDIATE`, so two
  processes (a cron import and a clerk) queue on the write lock instead of failing half-way with
  "database is locked" when a read transaction tries to upgrade.
- WAL lets readers go on while one process writes; the busy timeout is long because a cron job
  waiting a few seconds is better than a refused command.
- The file carries a marker: `PRAGMA application_id = 0x74646B74` ("tdkt" in ASCII,
  APPLICATION_ID) and `PRAGMA user_version` = the number of schema steps applied. Before anything
  is written, even the journal mode, `_check_ours` reads the file: a SQLite file of another
  application (another application_id, or none and no tdkt migrations table) or of a newer tdkt
  (unknown steps, a higher user_version) is refused and left byte-for-byte as it was. A file of an
  earlier tdkt (the migrations table, no marker) is ours and gets the marker when it is upgraded.
- Every refusal comes before SQLite opens the file for writing (`_refuse_before_opening`): a path
  SQLite would not store as that exact file (`:memory:`, a `file:` URI, which would keep the data
  in memory or write another file), a folder or a device, a file that is not SQLite, and the 100
  header bytes' application_id and user_version, read with a plain `open()`. Only a file without
  a marker (another application's, or a tdkt from before the marker) is looked into further, by
  an `immutable=1` connection that creates no -wal, -shm or -journal and takes no lock. So a
  refused file and its folder are left byte for byte as they were, WAL or not.
- Pending migrations are found with plain sqlite3; sqlite-utils (slow to import) is loaded only
  when a step must actually run.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from ..core.errors import TdktError
from .steps import STEP_NAMES

BUSY_TIMEOUT_MS = 30_000
APPLICATION_ID = 0x74646B74  # "tdkt"


class _State:
    """Whether this process rolled a write back (a broken stdout then exits 1, not 0)."""

    rolled_back = False


state = _State()


def default_path() -> str:
    return os.environ.get("TDKT_DB") or "tdkt.db"


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _refuse_path(target: str) -> None:
    """A database path is a path: refuse what SQLite would not store as that very file."""
    if target == "":
        raise TdktError("Đường dẫn cơ sở dữ liệu đang để trống; hãy ghi tên tệp, ví dụ tdkt.db.")
    if target.lower() == ":memory:":
        raise TdktError(
            "Đường dẫn «:memory:» không phải tệp: SQLite giữ dữ liệu trong bộ nhớ và mất khi lệnh xong; "
            "hãy ghi tên tệp, ví dụ tdkt.db."
        )
    if target[:5].lower() == "file:":
        raise TdktError(
            f"Đường dẫn «{target}» là một URI của SQLite, không phải đường dẫn tệp (dữ liệu có thể nằm trong "
            "bộ nhớ hoặc ở tệp khác); hãy ghi đường dẫn của tệp, ví dụ "
            f"{os.path.abspath(target)}."
        )


def _uri(target: str, query: str) -> str:
    full = os.path.abspath(target)
    if os.name == "nt":  # pragma: no cover - file:///C:/…
        full = "/" + full.replace("\\", "/")
    quoted = full.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{quoted}?{query}"


def _immutable(target: str) -> sqlite3.Connection:
    """A read-only look that writes nothing beside the file (no -wal, -shm, -journal, no lock)."""
    return sqlite3.connect(_uri(target, "immutable=1"), uri=True)


def _read_only(target: str) -> bool:
    """An existing file tdkt may not write (its mode, or a folder where -wal/-shm cannot be
    made): it is opened read-only, so reads work and a write is one sentence."""
    if not os.path.exists(target):
        return False
    folder = os.path.dirname(os.path.abspath(target))
    return not os.access(target, os.W_OK) or (
        not os.access(folder, os.W_OK) and not os.path.exists(target + "-wal")
    )


def describe(exc: sqlite3.Error) -> str:
    """SQLite's English for what a machine can do to a file, in Vietnamese words."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return "tệp chỉ đọc (không có quyền ghi tệp hoặc thư mục của nó)"
    if "disk is full" in text or "disk I/O error" in text:
        return "lỗi ghi đĩa (ổ đầy, vượt giới hạn kích thước tệp, hoặc đĩa hỏng)"
    if "not a database" in text or "malformed" in text:
        return "tệp hỏng, không còn đọc được như cơ sở dữ liệu SQLite"
    if "unable to open" in text:
        return "không mở được tệp (đường dẫn hoặc quyền)"
    return text


def _refuse_before_opening(target: str) -> None:
    """Every check that can refuse an existing file, before SQLite may write a byte of it."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise TdktError(f"Không dùng được đường dẫn «{target}»: {exc.strerror}.") from None
    import stat

    if stat.S_ISDIR(info.st_mode):
        raise TdktError(f"«{target}» là một thư mục, không phải tệp cơ sở dữ liệu.")
    if not stat.S_ISREG(info.st_mode):
        raise TdktError(
            f"Đường dẫn «{target}» không phải tệp thường (thiết bị, ống hay socket); "
            "hãy ghi tên một tệp cơ sở dữ liệu, ví dụ tdkt.db."
        )
    if info.st_size == 0:
        return  # empty: SQLite makes it a new database, as if it had not existed
    try:
        with open(target, "rb") as f:
            header = f.read(100)
    except PermissionError:
        raise TdktError(f"Không có quyền đọc tệp «{target}»; hãy kiểm tra quyền của tệp.") from None
    except OSError as exc:
        raise TdktError(f"Không đọc được tệp «{target}»: {exc.strerror}.") from None
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise TdktError(
            f"Tệp «{target}» không phải cơ sở dữ liệu SQLite (cũng không phải của tdkt); "
            "tdkt không mở và không sửa nó."
        )
    version = int.from_bytes(header[60:64], "big", signed=True)
    app_id = int.from_bytes(header[68:72], "big", signed=True)
    if app_id == APPLICATION_ID and version <= len(STEP_NAMES):
        return  # ours, of this schema or an older one (the common case: 100 bytes read)
    if app_id != 0:
        _check_ours_values(app_id, version, set(), target)  # raises
    try:
        look = _immutable(target)
        try:
            _check_ours(look, target)
            _pending(look)  # unknown steps of a newer tdkt
        finally:
            look.close()
    except sqlite3.DatabaseError as exc:
        raise TdktError(f"Không mở được cơ sở dữ liệu «{target}»: {describe(exc)}.") from None


def _create_private(path: str) -> None:
    """Create an empty file readable by its owner only (a bloc's records are not for everyone)."""
    if os.path.exists(path):
        return
    parent = os.path.dirname(path)
    if parent and not os.path.isdir(parent):
        raise TdktError(f"Thư mục «{parent}» không tồn tại; không thể tạo cơ sở dữ liệu.")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def _pending(conn: sqlite3.Connection) -> bool:
    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'tdkt'"
        ).fetchall()
    except sqlite3.OperationalError:
        return True
    applied = {r[0] for r in rows}
    unknown = applied - set(STEP_NAMES)
    if unknown:
        raise TdktError(
            "Tệp cơ sở dữ liệu do một phiên bản tdkt mới hơn tạo ra "
            f"(có bước {', '.join(sorted(unknown))}); hãy cập nhật tdkt."
        )
    return len(applied) < len(STEP_NAMES)


def _check_ours(conn: sqlite3.Connection, target: str) -> bool:
    """Refuse a file that is not a tdkt database (see the module's decisions); True when the file
    holds no schema at all yet (new)."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if app_id == 0 and "_sqlite_migrations" in tables:
        known = conn.execute(
            "SELECT count(*) FROM _sqlite_migrations WHERE migration_set = 'tdkt'"
        ).fetchone()[0]
        if known:
            return False
    return _check_ours_values(app_id, version, tables, target)


def _check_ours_values(app_id: int, version: int, tables: set[str], target: str) -> bool:
    if app_id == APPLICATION_ID:
        if version > len(STEP_NAMES):
            raise TdktError(
                f"Tệp «{target}» do một phiên bản tdkt mới hơn tạo ra "
                f"(lược đồ {version}, bản này biết {len(STEP_NAMES)}); hãy cập nhật tdkt."
            )
        return False
    if app_id == 0 and not tables and version == 0:
        return True
    raise TdktError(
        f"Tệp «{target}» là cơ sở dữ liệu SQLite của một ứng dụng khác, không phải của tdkt; "
        "tdkt không mở và không sửa nó."
    )


def _migrate(conn: sqlite3.Connection) -> None:
    # Hold the write lock for the whole upgrade, so two processes opening a new file at once
    # do not both try to create the tables; the steps themselves nest as savepoints.
    conn.execute("BEGIN IMMEDIATE")
    try:
        empty = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
        if not (empty and _fresh(conn)):  # a new file gets the steps' schema in one go
            from sqlite_utils import Database

            from .migrations import build

            build().apply(Database(conn))
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {len(STEP_NAMES)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _fresh(conn: sqlite3.Connection) -> bool:
    """Make an empty file's schema from the snapshot (fresh.py); False when the snapshot is not
    that of these steps, and the steps must run."""
    from . import fresh

    try:
        fresh.create(conn)
    except LookupError:
        return False
    return True


def connect(
    path: str | os.PathLike[str] | None = None, *, migrate: bool = True
) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at `path`."""
    # os.path rather than pathlib: pathlib costs ~6 ms of start-up on every command
    target = os.fspath(path) if path is not None else default_path()
    _refuse_path(target)
    _refuse_before_opening(target)
    if os.path.islink(target) and not os.path.exists(target):
        raise TdktError(
            f"«{target}» là liên kết tới một tệp không tồn tại; hãy kiểm tra đường dẫn."
        )
    if _read_only(target):
        return _connect_read_only(target, migrate)
    _create_private(target)
    try:
        conn = sqlite3.connect(target, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        fresh = _check_ours(conn, target)
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        if migrate and (fresh or _pending(conn)):
            _migrate(conn)
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise TdktError(f"Không mở được cơ sở dữ liệu «{target}»: {describe(exc)}.") from None
    return conn


def _connect_read_only(target: str, migrate: bool) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(
            _uri(target, "mode=ro"), uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
        )
        try:
            fresh = _check_ours(conn, target)
        except sqlite3.OperationalError:
            # a WAL file read-only in a folder where -shm cannot be made: with no -wal beside it
            # the file itself is the whole database, which immutable=1 reads without a lock
            if os.path.exists(target + "-wal"):
                raise
            conn.close()
            conn = sqlite3.connect(_uri(target, "immutable=1"), uri=True, isolation_level=None)
            fresh = _check_ours(conn, target)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if migrate and (fresh or _pending(conn)):
            conn.close()
            raise TdktError(
                f"Tệp «{target}» chỉ đọc mà cần nâng cấp lên lược đồ của bản tdkt này; "
                "hãy cho phép ghi tệp (và thư mục của nó) một lần."
            )
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise TdktError(f"Không mở được cơ sở dữ liệu «{target}»: {describe(exc)}.") from None
    return conn


@contextmanager
def transaction(
    conn: sqlite3.Connection, argv: str | None = None, by: str | None = None
) -> Iterator[sqlite3.Connection]:
    """One write command = one transaction: all of it or nothing.

    With `argv`, the transaction is an audited command: every row it changes is logged under
    the command line and `by` (else the system user), for `tdkt log` and `tdkt undo`.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        command_id = None
        if argv is not None:
            from ..audit import trail as audit

            command_id = audit.begin(conn, argv, by)
        yield conn
        if command_id is not None:
            audit.end(conn, command_id)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
            state.rolled_back = True
        raise
    else:
        conn.execute("COMMIT")
