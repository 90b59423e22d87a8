"""Shell completion through a real bash, and the usage messages that were still English."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).parents[1] / "src")


@pytest.fixture
def tdkt_on_path(tmp_path):
    """A `tdkt` on PATH running this checkout, as the installed console script would."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "tdkt"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tdkt_cli "$@"\n')
    script.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": SRC,
        "TDKT_DB": str(tmp_path / "t.db"),
    }
    env.pop("_TDKT_COMPLETE", None)
    return env


def _bash_complete(env, words: list[str]) -> list[str]:
    program = (
        "source <(tdkt completion bash)\n"
        f"COMP_WORDS=({' '.join(words)})\n"
        "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
        '[[ "' + words[-1] + '" == "" ]] && COMP_CWORD=${#COMP_WORDS[@]}\n'
        "_tdkt_completion tdkt\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    r = subprocess.run(["bash", "-c", program], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return [line for line in r.stdout.splitlines() if line]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_bash_completion_through_the_shell(tdkt_on_path):
    assert _bash_complete(tdkt_on_path, ["tdkt", "bl"]) == ["bloc"]
    assert "show" in _bash_complete(tdkt_on_path, ["tdkt", "bloc", "sh"])
    assert _bash_complete(tdkt_on_path, ["tdkt", "bloc", "show", "--ye"]) == ["--year"]
    assert {"unit", "bloc", "report", "province", "completion"} <= set(
        _bash_complete(tdkt_on_path, ["tdkt", ""])
    )


def test_click_order_of_the_protocol(tdkt_on_path):
    env = {**tdkt_on_path, "_TDKT_COMPLETE": "bash_complete", "COMP_WORDS": "tdkt rep"}
    env["COMP_CWORD"] = "1"
    r = subprocess.run(
        [sys.executable, "-m", "tdkt_cli"], env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0 and r.stdout.split() == ["report"], r.stderr


@pytest.mark.parametrize("shell", ["zsh", "fish", "powershell"])
def test_other_shells_scripts_and_answers(tdkt_on_path, shell):
    script = subprocess.run(
        [sys.executable, "-m", "tdkt_cli", "completion", shell],
        env=tdkt_on_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert script.returncode == 0 and "_TDKT_COMPLETE" in script.stdout, script.stderr
    env = {**tdkt_on_path, "_TDKT_COMPLETE": f"complete_{shell}"}
    env["_TYPER_COMPLETE_ARGS"] = "tdkt vo"
    env["_TYPER_COMPLETE_WORD_TO_COMPLETE"] = "vo"
    env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    r = subprocess.run(
        [sys.executable, "-m", "tdkt_cli"], env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0 and "vote" in r.stdout, (r.stdout, r.stderr)


def test_unknown_shell_is_one_sentence(cli):
    r = cli.fails("completion", "tcsh")
    assert "bash, zsh, fish hoặc powershell" in r.stderr


def test_usage_messages_in_vietnamese(cli):
    cli.ok("init")
    r = cli.fails("unit", "list", "--json=1", code=2)
    assert "không nhận giá trị" in r.stderr and "does not" not in r.stderr
    r = cli.fails("unit", "lis", code=2)
    assert "«list» hoặc «alias»" in r.stderr and "'" not in r.stderr.split("Xem")[0]
    r = cli.fails("bloc", "sho", code=2)
    assert "có phải ý bạn là «show»" in r.stderr
