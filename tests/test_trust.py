"""Trust: the audit trail, undo, concurrent writers, a killed import, hostile input, fuzzing,
and upgrading a database made by the first schema. Real files and real processes throughout."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

from conftest import dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tdkt_cli.store.migrations import AUDIT_TABLES, STEP_NAMES

ROOT = Path(__file__).parents[1]
SAMPLES = sorted((ROOT / "sample_data").glob("[0-9]*.yaml"))


def tdkt_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("tdkt")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "tdkt_cli"]


# --- audit and undo -------------------------------------------------------------------------


def test_every_write_is_logged_with_who_and_old_and_new(vhxh):
    vhxh.ok(
        "--by",
        "Nguyễn Thị A",
        "unit",
        "rename",
        "Sở Y tế",
        "Sở Y tế tỉnh Bắc Kạn",
        "--on",
        "2025-01-01",
    )
    entries = json.loads(vhxh.ok("log", "--json").stdout)
    top = entries[0]
    assert top["by"] == "Nguyễn Thị A" and "unit rename" in top["argv"]
    detail = json.loads(vhxh.ok("log", "--show", str(top["id"]), "--json").stdout)
    update = next(c for c in detail if c["table"] == "unit" and c["op"] == "update")
    assert update["old"]["name"] == "Sở Y tế" and update["new"]["name"] == "Sở Y tế tỉnh Bắc Kạn"
    # filters: by unit and by bloc
    by_unit = json.loads(vhxh.ok("log", "--unit", "Sở Y tế tỉnh Bắc Kạn", "--json").stdout)
    assert top["id"] in [e["id"] for e in by_unit] and len(by_unit) < len(entries)
    by_bloc = json.loads(vhxh.ok("log", "--bloc", "vhxh", "--json").stdout)
    assert all("bloc" in e["argv"] for e in by_bloc)
    assert json.loads(vhxh.ok("log", "--since", "01/01/2000", "--json").stdout)
    assert not json.loads(vhxh.ok("log", "--until", "01/01/2000", "--json").stdout)


def test_refused_commands_leave_no_log(vhxh):
    before = len(json.loads(vhxh.ok("log", "--json").stdout))
    vhxh.fails("unit", "add", "Sở Y tế")
    vhxh.ok("bloc", "join", "vhxh", "Sở Y tế", "--year", "2019")  # already a member: no change
    assert len(json.loads(vhxh.ok("log", "--json").stdout)) == before


def test_undo_reverts_last_command_and_is_logged(vhxh):
    before = dump(vhxh.db)
    vhxh.ok(
        "meeting",
        "log",
        "-b",
        "vhxh",
        "--date",
        "8/1/2020",
        "--kind",
        "tong-ket",
        "--guest",
        "Khách",
    )
    vhxh.ok("undo", "--yes")
    assert [
        x
        for x in dump(vhxh.db)
        if 'INSERT INTO "command"' not in x and 'INSERT INTO "change"' not in x
    ] == [x for x in before if 'INSERT INTO "command"' not in x and 'INSERT INTO "change"' not in x]
    entries = json.loads(vhxh.ok("log", "--json").stdout)
    assert entries[0]["argv"] == "tdkt undo --yes" and entries[1]["undone_by"] == entries[0]["id"]
    vhxh.ok("redo", "--yes")  # redo brings the meeting back; a second undo would step further
    assert len(json.loads(vhxh.ok("meeting", "list", "--json").stdout)) == 1


def test_undo_to_a_point_reverts_everything_after_it(vhxh):
    mark = json.loads(vhxh.ok("log", "--json").stdout)[0]["id"]
    before = vhxh.ok("export").stdout
    vhxh.ok("unit", "add", "Sở Nội vụ")
    vhxh.ok("unit", "alias", "Sở Nội vụ", "SNV")
    vhxh.ok("bloc", "join", "vhxh", "SNV", "--year", "2019")
    r = vhxh.ok("undo", "--to", str(mark), "--yes")
    assert "Đã hoàn tác" in r.stdout
    assert vhxh.ok("export").stdout == before
    vhxh.fails("undo", "--to", "999999", "--yes")


def test_undo_refuses_when_the_data_changed_afterwards(vhxh):
    vhxh.ok("unit", "rename", "Sở Y tế", "Sở Y tế tỉnh", "--on", "2025-01-01")
    conn = sqlite3.connect(vhxh.db)  # someone edits the file with another tool
    conn.execute("UPDATE unit SET short = 'SYT-BK' WHERE id = 7")
    conn.commit()
    conn.close()
    r = vhxh.fails("undo", "--yes")
    assert "ngoài tdkt" in r.stderr
    assert vhxh.sql("SELECT name, short FROM unit WHERE id = 7") == [("Sở Y tế tỉnh", "SYT-BK")]


def test_undo_needs_confirmation_from_scripts(vhxh):
    r = vhxh.fails("undo")
    assert "--yes" in r.stderr


def test_every_table_is_audited(cli):
    cli.ok("init")
    conn = sqlite3.connect(cli.db)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    conn.close()
    for t in tables:
        if t not in AUDIT_TABLES:
            assert {f"audit_{t}_insert", f"audit_{t}_update", f"audit_{t}_delete"} <= triggers, t


# --- concurrency and crashes ----------------------------------------------------------------

WORKER = """
import sys
from tdkt_cli.store import storage
from tdkt_cli.units import service as units
db, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(n):
    conn = storage.connect(db)
    with storage.transaction(conn, f"tdkt unit add 'Đơn vị {tag} {i}'", "worker " + tag):
        units.add(conn, f"Đơn vị {tag} {i}")
    conn.close()
print("ok")
"""


def test_two_processes_writing_at_once_lose_nothing(cli):
    cli.ok("init")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(cli.db), tag, "500"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("A", "B")
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    assert cli.sql("SELECT count(*) FROM unit") == [(1000,)]
    assert cli.sql("SELECT count(*) FROM command") == [(1000,)]
    cli.ok("db", "check")


def test_real_cli_processes_in_parallel(cli):
    cli.ok("init")
    env = {**os.environ, "TDKT_DB": str(cli.db)}
    procs = [
        subprocess.Popen(
            [*tdkt_cmd(), "unit", "add", f"Sở thứ {i}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(20)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    assert cli.sql("SELECT count(*) FROM unit") == [(20,)]


def test_import_killed_midway_leaves_the_database_as_before(cli, tmp_path):
    generate = [sys.executable, str(ROOT / "bench" / "generate.py")]
    # the small province is the first two blocs of the big one, so the big import extends it
    subprocess.run(
        [*generate, str(tmp_path / "small"), "--blocs", "2", "--years", "4", "--ballots", "10"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    cli.ok("import", str(tmp_path / "small" / "province.yaml"))
    before = dump(cli.db)
    subprocess.run(
        [*generate, str(tmp_path), "--blocs", "12", "--years", "4", "--ballots", "10"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    env = {**os.environ, "TDKT_DB": str(cli.db)}
    proc = subprocess.Popen(
        [*tdkt_cmd(), "import", str(tmp_path / "province.yaml")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = Path(str(cli.db) + "-wal")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 2_000_000:  # deep inside the write transaction
            break
        time.sleep(0.002)
    assert proc.poll() is None, (
        "the import finished before it could be killed; make the data bigger"
    )
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert dump(cli.db) == before
    cli.ok("db", "check")


def test_backup_restores_to_a_consistent_state_under_load(cli, tmp_path):
    cli.ok("init")
    writer = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(cli.db), "W", "200"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    backups = []
    for i in range(4):
        target = tmp_path / f"b{i}.db"
        cli.ok("db", "backup", str(target))
        backups.append(target)
    writer.communicate(timeout=300)
    for b in backups:
        restored = tmp_path / f"restored-{b.name}"
        shutil.copy(b, restored)
        r = cli("--db", str(restored), "db", "check")
        assert r.exit_code == 0, r.output
        conn = sqlite3.connect(restored)
        units, commands = conn.execute(
            "SELECT (SELECT count(*) FROM unit), (SELECT count(*) FROM command)"
        ).fetchone()
        conn.close()
        assert units == commands  # every unit came with its log entry: one snapshot, never half


# --- hostile input --------------------------------------------------------------------------


def test_control_characters_lookalikes_and_long_values(cli):
    cli.ok("init")
    cli.fails("unit", "add", "Sở\x07 Y tế")
    cli.fails("unit", "add", "x" * 5000)
    cli.ok("unit", "add", "BHΧΗ tỉnh")  # Greek Chi and Eta
    assert cli.sql("SELECT name FROM unit") == [("BHXH tỉnh",)]
    cli.fails("unit", "add", "BHXH TỈNH")  # the same name once normalised


def test_ballot_csv_in_nfd_with_bom_and_crlf(vhxh, tmp_path):
    vhxh.ok("vote", "open", "-b", "vhxh", "-y", "2019", "--award", "co-thi-dua")
    f = tmp_path / "b.csv"
    f.write_bytes(
        ("\ufeff" + unicodedata.normalize("NFD", "Sở Y tế\r\nsở y tế\r\n\r\nINVALID\r\n")).encode()
    )
    vhxh.ok("vote", "import", "1", str(f))
    data = json.loads(vhxh.ok("vote", "tally", "1", "--json").stdout)
    assert data["ballots"] == {"issued": 11, "cast": 4, "valid": 2, "blank": 1, "invalid": 1}
    bad = tmp_path / "bad.csv"
    bad.write_text("Sở Y tế\nSở Không Có\n", encoding="utf-8")
    r = vhxh.fails("vote", "import", "1", str(bad))
    assert "dòng 2" in r.stderr


def test_output_files_are_never_silently_overwritten(vhxh, tmp_path):
    target = tmp_path / "x.yaml"
    target.write_text("giữ nguyên", encoding="utf-8")
    vhxh.fails("export", "-o", str(target))
    assert target.read_text(encoding="utf-8") == "giữ nguyên"
    vhxh.ok("export", "-o", str(target), "--force")


# --- fuzzing the real CLI --------------------------------------------------------------------

NASTY = st.one_of(
    st.text(alphabet="SởYtếĐàiBanKhốiabc ", min_size=0, max_size=20),
    st.text(min_size=0, max_size=20).map(lambda s: unicodedata.normalize("NFD", s)),
    st.sampled_from(
        [
            "",
            " ",
            "'; DROP TABLE unit; --",
            '" OR 1=1 --',
            "%",
            "_",
            "\\",
            "vhxh",
            "1",
            "0",
            "-1",
            "99999999999999999999",
            "2019",
            "31/02/2020",
            "2020-13-01",
            "8/1/2020",
            "1e309",
            "NaN",
            "Sở Y tế",
            "SYT",
            "co-thi-dua",
            "bang-khen",
            "tong-ket",
            "x" * 3000,
            "\u202e",
            "\x00",
        ]
    ),
)
FUZZ_EXAMPLES = int(os.environ.get("TDKT_FUZZ_EXAMPLES", "120"))  # CI: 120; a long local run: 3000
COMMANDS = [
    ["unit", "add"],
    ["unit", "show"],
    ["unit", "list", "--bloc"],
    ["unit", "rename", "1", "X", "--on"],
    ["bloc", "add", "Khối X", "--code"],
    ["bloc", "show"],
    ["bloc", "join", "vhxh", "--year", "2019"],
    ["bloc", "head", "vhxh", "--year", "2019", "--head"],
    ["meeting", "log", "--bloc", "vhxh", "--kind", "so-ket", "--date"],
    ["meeting", "show"],
    ["pledge", "record", "--bloc", "vhxh", "--year", "2019", "--unit", "SYT", "--title"],
    ["vote", "open", "--bloc", "vhxh", "--year", "2019", "--award"],
    ["vote", "cast", "1"],
    ["vote", "tally"],
    ["award", "list", "--unit"],
    ["score", "table", "--bloc", "vhxh", "--year"],
    ["log", "--since"],
    ["report", "ballot", "1", "-f", "md", "-o"],
    ["db", "check"],
]


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(command=st.sampled_from(COMMANDS), extra=st.lists(NASTY, max_size=3))
def test_fuzz_cli_never_crashes_and_keeps_the_database_consistent(vhxh, command, extra):
    r = vhxh(*command, *extra)
    assert r.exit_code in (0, 1, 2), (command, extra, r.output)
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), (
        command,
        extra,
        repr(r.exception),
    )
    check = vhxh("db", "check")
    assert check.exit_code == 0, (command, extra, check.output)


# --- schema upgrades ------------------------------------------------------------------------


def test_first_schema_database_upgrades_without_loss(cli, tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(ROOT / "tests" / "fixtures" / "first-schema.db", old)
    shown = json.loads(
        cli.ok("--db", str(old), "bloc", "show", "vhxh", "--year", "2019", "--json").stdout
    )
    assert shown["head"] == "Bảo hiểm Xã hội tỉnh" and [m["name"] for m in shown["members"]] == [
        "Bảo hiểm Xã hội tỉnh",
        "Sở Y tế",
    ]
    conn = sqlite3.connect(old)
    assert [
        r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")
    ] == STEP_NAMES
    conn.close()
    cli.ok("--db", str(old), "db", "check")
    cli.ok("--db", str(old), "meeting", "show", "1")
    cli.ok("--db", str(old), "vote", "open", "-b", "vhxh", "-y", "2019", "--award", "co-thi-dua")


# --- a new file gets the steps' schema in one go (store/fresh.py) ------------------------------


def _schema_and_rows(path):
    conn = sqlite3.connect(path)
    schema = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()
    rows = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        cols = "migration_set, name" if table == "_sqlite_migrations" else "*"
        rows[table] = sorted(conn.execute(f'SELECT {cols} FROM "{table}"').fetchall(), key=repr)
    conn.close()
    return schema, rows


def test_the_snapshot_a_new_file_is_made_from_is_what_the_steps_build():
    from tdkt_cli.store import fresh, snapshot

    built = fresh.build()
    assert snapshot.STEPS == built["steps"] == STEP_NAMES, "python -m tdkt_cli.store.fresh"
    assert built["statements"] == snapshot.STATEMENTS, "python -m tdkt_cli.store.fresh"
    assert built["rows"] == snapshot.ROWS


def test_a_new_file_is_the_same_as_one_the_steps_made_and_a_stale_snapshot_falls_back(
    tmp_path, monkeypatch
):
    from sqlite_utils import Database

    from tdkt_cli.store import migrations, snapshot, storage

    stepped = tmp_path / "steps.db"
    conn = sqlite3.connect(stepped)
    migrations.build().apply(Database(conn))
    conn.close()
    made = tmp_path / "fresh.db"
    storage.connect(made).close()
    assert _schema_and_rows(made) == _schema_and_rows(stepped)
    with sqlite3.connect(made) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(STEP_NAMES)
        applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
        assert applied == STEP_NAMES
    monkeypatch.setattr(snapshot, "STEPS", STEP_NAMES[:-1])  # a step added, no new snapshot
    stale = tmp_path / "stale.db"
    storage.connect(stale).close()
    assert _schema_and_rows(stale) == _schema_and_rows(stepped)


def test_a_new_file_records_writes_in_the_audit_trail_like_an_upgraded_one(cli):
    cli.ok("unit", "add", "Sở Nội vụ")
    assert cli.sql("SELECT tbl, op FROM change")[:1] == [("unit", "I")]
    assert cli.ok("log", "--json").stdout.count('"changes"') == 1
