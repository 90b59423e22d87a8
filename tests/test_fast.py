"""The Typer-free fast path answers exactly as the Typer commands do, or leaves the call to them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tdkt_cli.startup import fast

SAMPLES = sorted((Path(__file__).parents[1] / "sample_data").glob("[0-9]*.yaml"))

CASES = [
    ["bloc", "list", "--json"],
    ["bloc", "list"],
    ["bloc", "show", "vhxh", "--json"],
    ["bloc", "show", "vhxh"],
    ["bloc", "show", "khoi thi dua van hoa xa hoi", "--year", "2019", "--json"],
    ["bloc", "show", "--json", "-y", "2018", "khoi3-dn"],
    ["bloc", "show", "--year=2019", "vhxh"],
    ["unit", "list", "--json"],
    ["unit", "list"],
    ["unit", "list", "--bloc", "vhxh", "--year", "2020", "--json"],
    ["unit", "list", "-b", "khoi3-dn", "--json"],
    ["unit", "show", "Sở Y tế"],
    ["unit", "show", "so y te", "--json"],
    ["meeting", "list", "--json"],
    ["meeting", "list", "-b", "vhxh"],
    ["meeting", "show", "1"],
    ["vote", "list", "--json"],
    ["vote", "list"],
    ["vote", "tally", "1", "--json"],
    ["vote", "tally", "1"],
    ["award", "list", "--json"],
    ["award", "list", "-b", "vhxh", "-y", "2019"],
    ["pledge", "list", "-b", "vhxh", "-y", "2019"],
    ["log", "--json"],
    ["province", "-y", "2019", "--json"],
    ["province", "-y", "2019"],
    ["province", "-y", "2019", "--csv"],
    ["score", "missing", "-b", "vhxh", "-y", "2019", "--json"],
    ["exemplar", "list", "-b", "vhxh", "-y", "2019", "--json"],
    ["movement", "list", "--json"],
    ["activity", "list", "-b", "vhxh", "-y", "2019", "--json"],
    ["bloc", "show", "khong-co", "--json"],  # refused: exit 1, one sentence
    ["unit", "list", "--bloc", "khong-co", "--json"],
    ["vote", "tally", "999"],
]


@pytest.fixture
def sample(cli):
    for f in SAMPLES:
        cli.ok("import", str(f))
    return cli


@pytest.mark.parametrize("args", CASES, ids=[" ".join(c) for c in CASES])
def test_fast_path_matches_typer(sample, args, capsys):
    assert fast.claims(args), "this case should take the fast path"
    code = fast.run(args)
    out, err = capsys.readouterr()
    typer_result = sample(*args)
    assert code == typer_result.exit_code, (out, err, typer_result.output)
    assert out == typer_result.stdout
    assert err.strip() == typer_result.stderr.strip()


@pytest.mark.parametrize(
    "args",
    [
        ["bloc", "list", "--json", "--bogus"],
        ["bloc", "show", "--json"],
        ["bloc", "show", "vhxh", "--json", "--year", "hai"],
        ["unit", "--help"],
        ["bloc", "list", "--help"],
        ["bloc", "list", "--json", "--json"],
        ["bloc", "list", "--json=1"],
        ["unit", "add", "X"],  # a write: always Typer
        ["report", "tally", "1", "-o", "bb.docx"],  # writes a document: always Typer
        ["bloc", "profile", "vhxh", "--json"],  # commands of other branches: Typer's
        ["undo"],
        ["vote", "rules", "-b", "vhxh", "-y", "2019"],
        ["--db"],
        ["--version"],
        ["bloc", "show", "vhxh", "--", "--json"],
        ["unit", "lis"],
    ],
)
def test_other_calls_go_to_typer(args):
    import typer as before

    assert not fast.claims(args)
    assert fast.run(args) is None
    assert sys.modules["typer"] is before  # the stand-in is gone: Typer takes over cleanly


def test_fast_path_does_not_import_typer(sample):
    code = (
        "import sys\n"
        "from tdkt_cli.startup import fast\n"
        "code = fast.run(sys.argv[1:])\n"
        "bad = [m for m in sys.modules if m == 'typer' or m.startswith(('typer.', 'click'))]\n"
        "assert code == 0 and not bad, (code, bad)\n"
    )
    for args in (["unit", "list", "--json"], ["province", "-y", "2019", "--json"], ["log"]):
        r = subprocess.run(
            [sys.executable, "-c", code, "--db", str(sample.db), *args],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(fast.__file__).parents[2])},
        )
        assert r.returncode == 0, r.stderr


def test_console_script_uses_db_option_and_env(sample, tmp_path):
    exe = Path(sys.executable).with_name("tdkt")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "tdkt_cli"]
    env = {**os.environ, "TDKT_DB": str(sample.db)}
    by_env = subprocess.run(
        [*cmd, "bloc", "list", "--json"], capture_output=True, text=True, env=env, check=True
    )
    by_option = subprocess.run(
        [*cmd, "--db", str(sample.db), "bloc", "list", "--json"],
        capture_output=True,
        text=True,
        env={k: v for k, v in env.items() if k != "TDKT_DB"},
        check=True,
    )
    assert by_env.stdout == by_option.stdout == sample.ok("bloc", "list", "--json").stdout
    bad = subprocess.run(
        [*cmd, "bloc", "show", "khong-co", "--json"], capture_output=True, text=True, env=env
    )
    assert (
        bad.returncode == 1
        and "Không tìm thấy khối" in bad.stderr
        and "Traceback" not in bad.stderr
    )


def test_fast_help_lists_what_typer_lists(capsys):
    import re

    from tdkt_cli.cli import NOUNS, TOP, build

    assert fast.run(["--help"]) == 0
    text = capsys.readouterr().out
    for name in [*NOUNS, *TOP]:
        assert re.search(rf"^  {name} +\S", text, re.M), name
    for option in ("--db", "--by", "--version", "-h, --help"):
        assert option in text
    app = build()
    from typer.main import get_command

    group = get_command(app)
    for name, command in group.commands.items():
        first = (command.help or "").strip().split("\n")[0]
        assert f"{name}" in text and first in text, name
