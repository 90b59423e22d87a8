"""The code stays as `ruff check` and `ruff format` want it (skipped where ruff is absent)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
RUFF = shutil.which("ruff") or (str(Path(__import__("sys").executable).with_name("ruff")))


@pytest.mark.skipif(not Path(RUFF).exists(), reason="ruff not installed")
@pytest.mark.parametrize(
    "args",
    [
        ["check", "src", "tests", "bench", "tools"],
        ["format", "--check", "src", "tests", "bench", "tools"],
    ],
)
def test_ruff(args):
    r = subprocess.run([RUFF, *args], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
