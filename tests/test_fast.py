"""The Typer-free fast path answers exactly as the Typer commands do, or leaves the call to them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tdkt_cli import fast

SAMPLES = sorted((Path(__file__).parents[1] / "sample_data").glob("[0-9]*.yaml"))

CASES = [
    ["bloc", "list", "--json"],
    ["bloc", "show", "vhxh", "--json"],
    ["bloc", "show", "khoi thi dua van hoa xa hoi", "--year", "2019", "--json"],
    ["bloc", "show", "--json", "-y", "2018", "khoi3-dn"],
    ["unit", "list", "--json"],
    ["unit", "list", "--bloc", "vhxh", "--year", "2020", "--json"],
    ["unit", "list", "-b", "khoi3-dn", "--json"],
    ["bloc", "show", "khong-co", "--json"],  # refused: exit 1, one sentence
    ["unit", "list", "--bloc", "khong-co", "--json"],
]


@pytest.fixture
def sample(cli):
    for f in SAMPLES:
        cli.ok("import", str(f))
    return cli


@pytest.mark.parametrize("args", CASES, ids=[" ".join(c) for c in CASES])
def test_fast_path_matches_typer(sample, args, capsys):
    assert fast.parse(args) is not None, "this case should take the fast path"
    code = fast.run(args)
    out, err = capsys.readouterr()
    typer_result = sample(*args)
    assert code == typer_result.exit_code
    assert out == typer_result.stdout
    assert err.strip() == typer_result.stderr.strip()


@pytest.mark.parametrize(
    "args",
    [
        ["bloc", "list"],
        ["bloc", "list", "--json", "--bogus"],
        ["bloc", "show", "--json"],
        ["bloc", "show", "vhxh", "--json", "--year", "hai"],
        ["--help"],
        ["bloc", "list", "--json", "--json"],
        ["vote", "tally", "1", "--json"],
        ["--db"],
    ],
)
def test_other_calls_go_to_typer(args):
    assert fast.parse(args) is None


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
