"""Export/import, db check and backup against real files and processes."""

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import dump

SAMPLES = sorted((Path(__file__).parents[1] / "sample_data").glob("[0-9]*.yaml"))


def test_round_trip_and_idempotent_import(cli, tmp_path):
    for f in SAMPLES:
        cli.ok("import", str(f))
    cli.ok(
        "meeting",
        "log",
        "-b",
        "vhxh",
        "--date",
        "18/7/2019",
        "--kind",
        "so-ket",
        "--note",
        "Dòng một\nDòng hai & <ba>",
    )
    cli.ok("unit", "rename", "Sở Y tế", "Sở Y tế tỉnh Bắc Kạn", "--on", "2021-01-01")
    first = cli.ok("export").stdout
    out = tmp_path / "all.yaml"
    out.write_text(first, encoding="utf-8")
    before = dump(cli.db)
    cli.ok("import", str(out))
    assert dump(cli.db) == before  # re-importing the same file changes nothing
    fresh = tmp_path / "fresh.db"
    cli.ok("--db", str(fresh), "import", str(out))
    again = cli.ok("--db", str(fresh), "export").stdout
    assert again == first


def test_export_one_bloc(cli):
    for f in SAMPLES:
        cli.ok("import", str(f))
    text = cli.ok("export", "--bloc", "khoi3-dn").stdout
    assert "Khối thi đua 3" in text and "vhxh" not in text and "Sở Y tế" not in text


def test_import_errors_name_the_line_and_write_nothing(cli, tmp_path):
    cli.ok("unit", "add", "Sở Y tế")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        textwrap.dedent("""\
        tdkt: 1
        units:
        - id: 5
          name: Sở Nội vụ
        blocs:
        - code: x
          name: Khối X
          years:
          - year: 2020
            head: 99
            members: [{unit: 5}]
        """),
        encoding="utf-8",
    )
    r = cli.fails("import", str(bad))
    assert "dòng 9" in r.stderr and "99" in r.stderr


def test_hostile_yaml_refused(cli, tmp_path):
    cases = {
        "tag.yaml": "tdkt: 1\nunits: !!python/object/apply:os.system ['echo hi']\n",
        "alias.yaml": "tdkt: 1\na: &x [1, 2]\nb: [*x, *x]\n",
        "deep.yaml": "tdkt: 1\nx: " + "[" * 200 + "]" * 200 + "\n",
        "broken.yaml": "tdkt: 1\nunits: [\n",
        "binary.yaml": b"\xff\xfe\x00bad",
    }
    for name, content in cases.items():
        p = tmp_path / name
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
        r = cli.fails("import", str(p))
        assert r.stderr.strip(), name


def test_db_check_silent_when_clean_and_names_planted_problem(cli):
    for f in SAMPLES:
        cli.ok("import", str(f))
    r = cli.ok("db", "check")
    assert r.stdout == "" and r.stderr == ""
    conn = sqlite3.connect(cli.db)
    conn.execute(
        "UPDATE bloc_year SET head_id = 27 WHERE year = 2019"
    )  # a Đồng Nai unit heads vhxh
    conn.execute(
        "INSERT INTO meeting_guest (meeting_id, position, name) VALUES (1, 9, ?)",
        ("Sở Y te\u0301",),
    )
    conn.commit()
    conn.close()
    r = cli("db", "check")
    assert r.exit_code == 1
    assert "không phải thành viên" in r.stderr and "NFC" in r.stderr


WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
conn.execute("PRAGMA busy_timeout = 30000")
for i in range(400):
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meeting_guest (meeting_id, position, name) VALUES (1, ?, ?)", (100 + i, f"Khách {i}"))
    conn.execute("COMMIT")
print("done")
"""


def test_backup_while_another_process_writes(cli, tmp_path):
    for f in SAMPLES:
        cli.ok("import", str(f))
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(cli.db)], stdout=subprocess.PIPE, text=True
    )
    copies = []
    for i in range(5):
        target = tmp_path / f"backup{i}.db"
        cli.ok("db", "backup", str(target))
        copies.append(target)
    assert proc.wait(timeout=60) == 0
    for target in copies:
        conn = sqlite3.connect(target)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = conn.execute("SELECT count(*) FROM meeting_guest WHERE position >= 100").fetchone()[0]
        positions = [
            r[0]
            for r in conn.execute(
                "SELECT position FROM meeting_guest WHERE position >= 100 ORDER BY 1"
            )
        ]
        assert positions == list(range(100, 100 + n))  # a prefix of the writes: one snapshot
        conn.close()
        assert (target.stat().st_mode & 0o777) == 0o600
    cli.ok("--db", str(copies[-1]), "db", "check")
    cli.fails("db", "backup", str(copies[0]))  # never overwrite without --force


def test_help_does_not_load_the_document_stack():
    code = (
        "import sys; from tdkt_cli.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "bad = [m for m in ('jinja2', 'docxtpl', 'docx', 'yaml', 'sqlite_utils') if m in sys.modules]\n"
        "print('LOADED:' + ','.join(bad))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip().splitlines()[-1] == "LOADED:"


def _commands(group, prefix=()):
    from typer.main import get_command

    cmd = get_command(group) if not hasattr(group, "commands") else group
    for name, sub in sorted(cmd.commands.items()):
        if hasattr(sub, "commands"):
            yield from _commands(sub, (*prefix, name))
        else:
            yield (*prefix, name), sub


def test_every_command_has_help_and_is_in_readme(cli):
    from tdkt_cli.cli import app

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    seen = 0
    for path, command in _commands(app):
        seen += 1
        assert command.help, path
        r = cli.ok(*path, "--help")
        assert "Usage" in r.stdout or "Cách dùng" in r.stdout
        assert cli(*path, "-h").exit_code == 0
        assert f"tdkt {' '.join(path)}" in readme, f"README does not show tdkt {' '.join(path)}"
    assert seen >= 20


def test_demo_runs_from_installed_command(tmp_path):
    exe = Path(sys.executable).with_name("tdkt")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "tdkt_cli"]
    env = {k: v for k, v in os.environ.items() if k != "TDKT_DB"}
    r = subprocess.run(
        [*cmd, "demo", "--out", str(tmp_path / "demo")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert "vhxh" in r.stdout
    shown = subprocess.run(
        [
            *cmd,
            "--db",
            str(tmp_path / "demo" / "tdkt-demo.db"),
            "bloc",
            "show",
            "vhxh",
            "--year",
            "2019",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(shown.stdout)["head"] == "Bảo hiểm Xã hội tỉnh Bắc Kạn"


def test_benchmark_smoke_run():
    """The benchmark runs end to end at a tiny size (its figures are never asserted here)."""
    bench = Path(__file__).parents[1] / "bench" / "run.py"
    r = subprocess.run(
        [sys.executable, str(bench), "--small", "--runs", "1", "--json"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    figures = json.loads(r.stdout[: r.stdout.index("\n}") + 2])
    assert figures["reports"] == 2 and figures["ballots"] == 2000 and figures["rows"] > 100


# commands that neither read nor create records, or whose output is a file by design
NO_JSON = {
    ("init",),
    ("completion",),  # prints a shell script, nothing to put in JSON
    ("demo",),
    ("export",),
    ("serve",),  # a web server, not a record
    ("db", "backup"),
    *[
        ("report", k)
        for k in (
            "semiannual",
            "annual",
            "minutes",
            "tally",
            "proposal",
            "covenant",
            "ballot",
            "batch",
        )
    ],
}


def test_every_record_command_offers_json():
    from tdkt_cli.cli import app

    for path, command in _commands(app):
        names = {opt for p in command.params for opt in getattr(p, "opts", [])}
        if path not in NO_JSON:
            assert "--json" in names, f"tdkt {' '.join(path)} has no --json"


def test_json_answers_of_write_commands(cli):
    counts = json.loads(cli.ok("import", str(SAMPLES[0]), "--json").stdout)
    assert counts == {"units": 11, "blocs": 1, "meetings": 1, "removed": 0}
    alias = json.loads(cli.ok("unit", "alias", "Sở Y tế", "SYT Bắc Kạn", "--json").stdout)
    assert alias["aliases"] == ["SYT Bắc Kạn"]
    reverted = json.loads(cli.ok("undo", "--yes", "--json").stdout)["reverted"]
    assert (
        len(reverted) == 1
        and json.loads(cli.ok("unit", "show", "SYT", "--json").stdout)["aliases"] == []
    )
