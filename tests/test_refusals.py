"""Issue 26.2 and 28.1: a refused database file is left byte for byte as it was, with its folder
(no -wal, -shm or -journal appears); a database path is a path, never an SQLite URI or memory.
Real files, the real CLI in process and in a subprocess (the fast path)."""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tdkt_cli.store.migrations import STEP_NAMES
from tdkt_cli.store.storage import APPLICATION_ID

ROOT = Path(__file__).parents[1]


def _env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), str(ROOT / "src")) if p)
    return {**os.environ, "PYTHONPATH": path, **extra}


def run(*args: str, cwd: Path, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "tdkt_cli", *args],
        cwd=cwd,
        env=env or _env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the folder: its bytes and its mode (the listing is the keys)."""
    return {
        p.name: (p.read_bytes(), stat.S_IMODE(p.stat().st_mode))
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _sqlite(path: Path, journal: str, *sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    for line in sql:
        conn.execute(line)
    conn.commit()
    conn.close()


def _newer_tdkt(cli, path: Path, journal: str) -> None:
    cli.ok("--db", str(path), "unit", "add", "Sở Y tế")
    _sqlite(path, journal, f"PRAGMA user_version = {len(STEP_NAMES) + 1}")


def _newer_steps(cli, path: Path, journal: str) -> None:
    """A newer tdkt recognised only by a step this one does not know (no higher user_version)."""
    cli.ok("--db", str(path), "unit", "add", "Sở Y tế")
    _sqlite(
        path,
        journal,
        "PRAGMA application_id = 0",
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('tdkt', 'z_from_the_future', '2030-01-01')",
    )


def _other_app(cli, path: Path, journal: str) -> None:
    _sqlite(path, journal, "CREATE TABLE photo (id INTEGER PRIMARY KEY)", "PRAGMA user_version = 3")


def _other_app_id(cli, path: Path, journal: str) -> None:
    _sqlite(path, journal, "CREATE TABLE t (x)", "PRAGMA application_id = 1234")


def _not_sqlite(cli, path: Path, journal: str) -> None:
    path.write_bytes(b"Ten don vi,Ma\nSo Y te,SYT\n" * 10)


def _short_file(cli, path: Path, journal: str) -> None:
    path.write_bytes(b"SQLite format 3\x00")


REFUSED = {
    "newer-schema": (_newer_tdkt, "mới hơn"),
    "newer-steps": (_newer_steps, "mới hơn"),
    "other-app": (_other_app, "ứng dụng khác"),
    "other-app-id": (_other_app_id, "ứng dụng khác"),
    "not-sqlite": (_not_sqlite, "không phải cơ sở dữ liệu SQLite"),
    "short": (_short_file, "không phải cơ sở dữ liệu SQLite"),
}
COMMANDS = [
    ["unit", "add", "Sở Mới"],
    ["unit", "list"],
    ["unit", "list", "--json"],
    ["init"],
    ["db", "check"],
    ["export"],
]


@pytest.mark.parametrize("journal", ["delete", "wal"])
@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_a_refused_file_and_its_folder_are_left_byte_for_byte(cli, tmp_path, kind, journal):
    folder = tmp_path / "box"
    folder.mkdir()
    target = folder / "records.db"
    make, words = REFUSED[kind]
    make(cli, target, journal)
    before = snapshot(folder)
    mtime = target.stat().st_mtime_ns
    for args in COMMANDS:
        r = cli("--db", str(target), *args)
        assert r.exit_code == 1 and words in r.stderr, (args, r.output)
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
        assert snapshot(folder) == before, args
    r = run("--db", str(target), "unit", "list", "--json", cwd=tmp_path)  # the fast path
    assert r.returncode == 1 and words in r.stderr and r.stderr.count("\n") == 1, r.stderr
    r = run("--db", str(target), "unit", "add", "Sở Mới", cwd=tmp_path)  # Typer, own process
    assert r.returncode == 1 and words in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert snapshot(folder) == before
    assert target.stat().st_mtime_ns == mtime


@pytest.mark.parametrize(
    "path",
    [":memory:", "file::memory:", "file:mem.db?mode=memory", "file:other.db", "FILE:other.db"],
)
def test_a_database_path_is_a_path_never_a_uri_or_memory(tmp_path, path):
    for args in (["unit", "add", "Sở Mất Tích"], ["unit", "list", "--json"], ["init"]):
        r = run("--db", path, *args, cwd=tmp_path)
        assert r.returncode == 1, (path, args, r.stdout, r.stderr)
        assert r.stderr.count("\n") == 1 and r.stderr[0].isupper(), r.stderr
        assert ("URI" in r.stderr) or ("bộ nhớ" in r.stderr), r.stderr
        r = run(*args, cwd=tmp_path, env=_env(TDKT_DB=path))
        assert r.returncode == 1 and r.stderr.count("\n") == 1, r.stderr
    assert list(tmp_path.iterdir()) == []  # neither other.db nor a file named after the URI


def test_a_file_named_like_a_uri_is_reached_through_its_folder(tmp_path):
    r = run("--db", "file:other.db", "unit", "add", "Sở Có Thật", cwd=tmp_path)
    full = str(tmp_path / "file:other.db")
    assert full in r.stderr  # the sentence shows the path that works
    r = run("--db", full, "unit", "add", "Sở Có Thật", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["file:other.db"]
    r = run("--db", full, "unit", "list", "--json", cwd=tmp_path)
    assert "Sở Có Thật" in r.stdout


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_a_new_database_is_readable_by_its_owner_only_whatever_the_path(tmp_path, umask):
    folder = tmp_path / "a b" / "sâu"
    folder.mkdir(parents=True)
    for name in ("x.db", "records", "tên có dấu.sqlite", "?#%.db"):
        code = (
            f"import os, sys; os.umask({umask}); sys.argv = ['tdkt', '--db', {name!r}, 'unit', "
            "'add', 'Sở Y tế']; from tdkt_cli.entry import main; main()"
        )
        r = subprocess.run(
            [sys.executable, "-c", code], cwd=folder, env=_env(), capture_output=True, check=False
        )
        assert r.returncode == 0, r.stderr.decode()
        for p in folder.iterdir():
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, (p, oct(p.stat().st_mode))
        (folder / name).unlink()


def test_tdkt_db_pointing_to_a_folder_or_a_device(tmp_path):
    for target, words in ((str(tmp_path), "thư mục"), ("/dev/null", "không phải tệp thường")):
        for args in (["unit", "add", "Sở X"], ["unit", "list", "--json"], ["unit", "list"]):
            r = run(*args, cwd=tmp_path, env=_env(TDKT_DB=target))
            assert r.returncode == 1 and words in r.stderr, (target, args, r.stderr)
            assert r.stderr.count("\n") == 1, r.stderr
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    r = run("unit", "list", cwd=tmp_path, env=_env(TDKT_DB=str(fifo)))
    assert r.returncode == 1 and "không phải tệp thường" in r.stderr, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.db"]


def test_no_home_and_a_c_locale_still_work_in_utf8(tmp_path):
    env = {k: v for k, v in _env().items() if k not in ("HOME", "LANG", "LC_ALL", "LC_CTYPE")}
    env.update(LANG="C", LC_ALL="C", PYTHONUTF8="0", PYTHONIOENCODING="")
    r = run("--db", "x.db", "unit", "add", "Sở Ưu Tiên", cwd=tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    r = run("--db", "x.db", "unit", "list", "--json", cwd=tmp_path, env=env)
    assert "Sở Ưu Tiên" in r.stdout, r.stdout
    r = run("--db", "x.db", "unit", "show", "Sở Không Có", cwd=tmp_path, env=env)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_an_unreadable_database_is_one_sentence(tmp_path, cli):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    db = tmp_path / "locked.db"
    cli.ok("--db", str(db), "unit", "add", "Sở Y tế")
    db.chmod(0)
    r = run("--db", str(db), "unit", "list", cwd=tmp_path)
    assert r.returncode == 1 and "quyền" in r.stderr and r.stderr.count("\n") == 1


def test_the_marker_is_read_from_the_header_as_sqlite_reads_it(cli, tmp_path):
    db = tmp_path / "x.db"
    cli.ok("--db", str(db), "unit", "add", "Sở Y tế")
    header = db.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    assert int.from_bytes(header[60:64], "big") == len(STEP_NAMES)


# --- the attack of issue 26.5: read-only files, a full disk, folders as outputs ---------------


def _as_nobody(*args: str, cwd: Path):
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run as another user")
    return subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m",
         "tdkt_cli", *args],
        cwd=cwd, env=_env(), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def public_folder():
    """A folder another user can reach (pytest's own tmp folders are private to root)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="tdkt-ro-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_read_only_database_reads_and_refuses_a_write_in_one_sentence(cli, public_folder):
    folder = public_folder
    db = folder / "r.db"
    cli.ok("--db", str(db), "unit", "add", "Sở Y tế")
    db.chmod(0o444)
    before = snapshot(folder)
    for args in (["unit", "list"], ["unit", "list", "--json"], ["export"]):
        r = _as_nobody("--db", str(db), *args, cwd="/")
        assert r.returncode == 0 and "Sở Y tế" in r.stdout, (args, r.stderr)
    r = _as_nobody("--db", str(db), "unit", "add", "Sở Mới", cwd="/")
    assert r.returncode == 1 and "chỉ đọc" in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert snapshot(folder) == before


def test_a_full_disk_is_one_sentence_and_leaves_nothing(cli, tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(tmp_path / "gen"), "--blocs", "2",
         "--years", "4", "--ballots", "10"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    cli.ok("import", str(tmp_path / "gen" / "province.yaml"))
    out = tmp_path / "out"
    out.mkdir()
    assert len(cli.ok("export").stdout.encode()) > 100 * 1024 < cli.db.stat().st_size
    for args in (["export", "-o", str(out / "x.yaml")], ["db", "backup", str(out / "b.db")]):
        # 64 KiB: the database opens (its -shm is 32 KiB), the output does not fit
        r = subprocess.run(
            ["bash", "-c", 'ulimit -f 64; exec "$@"', "-", sys.executable, "-m", "tdkt_cli", *args],
            env=_env(TDKT_DB=str(cli.db)), capture_output=True, text=True, timeout=120,
            check=False,
        )  # fmt: skip
        assert r.returncode == 1 and r.stderr.count("\n") == 1, r.stderr
        assert "Không ghi được" in r.stderr and "ổ đầy" in r.stderr, r.stderr
        assert list(out.iterdir()) == [], list(out.iterdir())
    cli.ok("db", "check")


def test_a_folder_as_an_output_is_one_sentence_and_exit_1(vhxh, tmp_path):
    for args in (["export", "-o", str(tmp_path)], ["db", "backup", str(tmp_path)]):
        r = vhxh.fails(*args)
        assert "thư mục" in r.stderr and r.stderr.count("\n") == 1, r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["vote", "list", "--csv", "--json"],
        ["meeting", "list", "--json", "--xlsx", "m.xlsx"],
        ["award", "list", "--json", "--csv"],
        ["province", "-y", "2019", "--json", "--xlsx", "p.xlsx"],
        ["score", "table", "-b", "vhxh", "-y", "2019", "--json", "--csv"],
    ],
)
def test_json_with_a_sheet_is_one_sentence_not_a_silent_skip(vhxh, args):
    """Found by the attack: `vote list --csv --json` printed the JSON and skipped the sheet."""
    r = vhxh.fails(*args)
    assert r.stderr.startswith("Chọn một trong --json hoặc --") and r.stdout == ""
    assert not list(vhxh.db.parent.glob("*.xlsx"))
