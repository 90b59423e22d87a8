"""Issue 28.3: SIGTERM (what `timeout`, cron and a shutdown send) and SIGINT (Ctrl-C) stop a
command cleanly: no temporary file or journal left beside the target, never half a file under
the final name, a write transaction rolled back. The real program in a subprocess, real signals."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import dump

ROOT = Path(__file__).parents[1]


def _env(db: Path) -> dict[str, str]:
    path = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), str(ROOT / "src")) if p)
    return {**os.environ, "PYTHONPATH": path, "TDKT_DB": str(db)}


def _start(db: Path, *args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tdkt_cli", *args],
        cwd=cwd,
        env=_env(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(proc: subprocess.Popen, signum: int, ready, started: float) -> tuple[int, str]:
    """Send `signum` once `ready()` says the command is at work, and 0.2 s in at the earliest."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if ready() and time.monotonic() - started >= 0.2:
            break
        time.sleep(0.002)
    assert proc.poll() is None, "the command ended before the signal; make the work bigger"
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    return proc.returncode, err


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    """A tdkt database of ~300 MB (a padding table): a backup of it takes a while."""
    folder = tmp_path_factory.mktemp("big")
    db = folder / "big.db"
    subprocess.run(
        [sys.executable, "-m", "tdkt_cli", "unit", "add", "Sở Y tế"], env=_env(db), check=True,
        capture_output=True,
    )  # fmt: skip
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE padding (x BLOB)")
    conn.executemany("INSERT INTO padding VALUES (zeroblob(1048576))", [()] * 300)
    conn.commit()
    conn.close()
    return db


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_backup_stopped_midway_leaves_no_temporary_file_and_no_half_backup(
    big_db, tmp_path, signum
):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("của người dùng", encoding="utf-8")
    started = time.monotonic()
    proc = _start(big_db, "db", "backup", str(out / "b.db"), cwd=tmp_path)
    code, err = _stop(
        proc, signum, lambda: any(p.name.endswith(".tmp") for p in out.iterdir()), started
    )
    assert code == 128 + signum, (code, err)
    assert err == "Đã dừng; không có gì được ghi dở.\n", err
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("province")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(folder), "--blocs", "12",
         "--years", "4", "--ballots", "10"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return folder / "province.yaml"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_import_stopped_midway_rolls_back_and_leaves_no_journal(cli, province, signum):
    cli.ok("unit", "add", "Sở Có Sẵn")
    before = dump(cli.db)
    listing = sorted(p.name for p in cli.db.parent.iterdir())
    wal = Path(str(cli.db) + "-wal")
    started = time.monotonic()
    proc = _start(cli.db, "import", str(province), cwd=cli.db.parent)
    code, err = _stop(
        proc, signum, lambda: wal.exists() and wal.stat().st_size > 1_000_000, started
    )
    assert code == 128 + signum and err == "Đã dừng; không có gì được ghi dở.\n", (code, err)
    assert dump(cli.db) == before
    assert sorted(p.name for p in cli.db.parent.iterdir()) == listing
    cli.ok("db", "check")


def test_an_export_stopped_leaves_the_old_file_whole(cli, province, tmp_path):
    cli.ok("import", str(province))
    target = tmp_path / "out" / "xuat.yaml"
    target.parent.mkdir()
    target.write_text("bản cũ\n", encoding="utf-8")
    started = time.monotonic()
    proc = _start(cli.db, "export", "-o", str(target), "--force", cwd=tmp_path)
    code, err = _stop(proc, signal.SIGTERM, lambda: True, started)
    assert code == 128 + signal.SIGTERM, (code, err)
    assert target.read_text(encoding="utf-8") == "bản cũ\n"
    assert [p.name for p in target.parent.iterdir()] == ["xuat.yaml"]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) không có trên máy")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_pdf_stopped_while_libreoffice_converts_leaves_no_office_and_no_folder(
    vhxh, tmp_path, signum
):
    """Found by hand (w15): SIGTERM while LibreOffice made the PDF killed only the `soffice`
    launcher; soffice.bin went on converting into the temporary folder after tdkt removed it,
    and left /tmp/tdkt-pdf-*/ (its profile) behind, one per stopped report."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**_env(vhxh.db), "TMPDIR": str(scratch)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tdkt_cli", "report", "annual", "-b", "vhxh", "-y", "2019",
         "-f", "pdf", "-o", "a.pdf"],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    started = time.monotonic()

    def converting() -> bool:
        return any(scratch.glob("tdkt-pdf-*/profile"))

    code, err = _stop(proc, signum, converting, started)
    assert code == 128 + signum and "Đã dừng" in err, err
    time.sleep(1)  # what a surviving soffice.bin would write in a second
    assert list(scratch.iterdir()) == [] and not (tmp_path / "a.pdf").exists()
    alive = subprocess.run(["pgrep", "-f", str(scratch)], capture_output=True, text=True)
    assert alive.stdout == "", alive.stdout
