"""A guard, not the goal: exit 1 when a read command takes more than 0.5 × `sqlite-utils rows`.

    python bench/smoke.py [--runs 5]

Builds a small file (bench/generate.py, 2 blocs × 4 units × 2 years), then times every read
command of bench/run.py (with and without --json), `tdkt --help` and every `tdkt NOUN --help`
against `sqlite-utils rows` and `sqlite-utils --help`, interleaved in the same rounds, medians
compared. The targets of issue 27 are tighter (0.35× for reads, 0.4× for help: bench/run.py
--startup); this bound leaves room for a busy CI machine and catches a read that loads Typer,
YAML or the document stack again. A command over the bound is measured again, alone with
its reference and more rounds, before the guard fails: a neighbour's burst of work on a shared CI
machine should not fail a build, a read that does twice the work should. Not a pytest test:
.ci/run runs it after the tests.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # bench/run.py, beside this file

LIMIT = 0.5


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tdkt-smoke-"))
    size = ["--blocs", "2", "--units", "4", "--years", "2", "--ballots", "100"]
    subprocess.run(
        [sys.executable, str(run.HERE / "generate.py"), str(work), *size],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    env = run.user_env()
    db = work / "smoke.db"
    subprocess.run(
        [run.tool("tdkt"), "--db", str(db), "import", str(work / "province.yaml")],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    times, _ = run.startup(db, args.runs, env, extra=False)
    over = []
    for name, value in times.items():
        if not name.startswith("tdkt "):
            continue
        ratio = value / times[_reference(name)]
        print(f"{ratio:5.2f}  {name}")
        if ratio > LIMIT:
            over.append(name)
    if over:  # once more, each alone with its reference, three times the rounds
        cmds = run.startup_commands(db)
        again = []
        for name in over:
            pair = {name: cmds[name], _reference(name): cmds[_reference(name)]}
            t = run.interleaved(pair, 3 * args.runs, env)
            ratio = t[name] / t[_reference(name)]
            print(f"{ratio:5.2f}  {name} (measured again)")
            if ratio > LIMIT:
                again.append(name)
        over = again
    if over:
        print(f"Over {LIMIT}×: " + ", ".join(over), file=sys.stderr)
        return 1
    print(f"Every read and help within {LIMIT}×.")
    return 0


def _reference(name: str) -> str:
    return "sqlite-utils --help" if name.endswith("--help") else "sqlite-utils rows"


if __name__ == "__main__":
    sys.exit(main())
