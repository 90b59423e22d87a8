"""Start-up in instructions: every read command against `sqlite-utils rows`, counted by valgrind.

    python bench/instructions.py [--write]      # needs valgrind (apt-get install valgrind)

Wall-clock ratios (bench/run.py --startup) swing with the machine's load: on a shared two-core
machine the same command measured 0.36x and 0.53x ten minutes apart. The number of instructions
a process executes does not depend on the load, so this script counts them (valgrind
--tool=callgrind, user-space instructions of the whole process, interpreter start-up included)
for the same command lines as run.py (every list, show, table, tally, missing, province, log,
db check, with --json; `report annual --format md|docx`; `tdkt --help` and every `tdkt NOUN
--help`), on the demo file and a province file (34 blocs x 12 units x 10 years), and divides by
the count of `sqlite-utils rows FILE bloc` (or `sqlite-utils --help`) on the same file. An
instruction is not a nanosecond (C code in SQLite and lxml runs more per cycle than the
interpreter's loop), so these ratios are a second witness beside the timed ones, not a
replacement; where the two disagree, both are in bench/README.md.
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # bench/run.py, beside this file


def count(cmd: list[str], env: dict[str, str]) -> int:
    """Instructions of one run of `cmd` (after one run that writes the caches)."""
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        capture_output=True,
        text=True,
        env=env,
    )
    found = re.search(r"Collected : (\d+)", out.stderr)
    if found is None:
        sys.exit(f"bench: valgrind gave no count for {' '.join(cmd)}:\n{out.stderr[-500:]}")
    return int(found.group(1))


def commands(db: Path, pick: dict[str, str], helps: bool) -> dict[str, list[str]]:
    tdkt, sqlite_utils = run.tool("tdkt"), run.tool("sqlite-utils")
    cmds = {
        "sqlite-utils rows": [sqlite_utils, "rows", str(db), "bloc"],
        "floor": [sys.executable, "-c", run.FLOOR, str(db)],
    }
    for name, args in run.read_commands(db, pick).items():
        if name.endswith("--json"):
            cmds[f"tdkt {name}"] = [tdkt, *args]
    out = Path(tempfile.mkdtemp(prefix="tdkt-bench-ins-"))
    for fmt in ("md", "docx"):
        cmds[f"tdkt report annual --format {fmt}"] = [
            tdkt, "--db", str(db), "report", "annual", "-b", pick["bloc"], "-y", pick["year"],
            "--format", fmt, "-o", str(out / f"r.{fmt}"), "--force",
        ]  # fmt: skip
    if helps:
        cmds["sqlite-utils --help"] = [sqlite_utils, "--help"]
        cmds["tdkt --help"] = [tdkt, "--help"]
        for noun in run.NOUN_NAMES:
            cmds[f"tdkt {noun} --help"] = [tdkt, noun, "--help"]
    return cmds


def table(counts: dict[str, int], label: str) -> str:
    rows_ref, help_ref = counts["sqlite-utils rows"], counts.get("sqlite-utils --help")
    lines = [
        f"Instructions — {label}",
        "",
        "| command | instructions | ratio | target | |",
        "|---|---:|---:|---:|---|",
    ]
    for name, n in counts.items():
        is_help = name.endswith("--help")
        ref = help_ref if is_help else rows_ref
        if name.startswith("sqlite-utils") or ref is None:
            lines.append(f"| `{name}` | {n / 1e6:,.0f} M | 1.00 | | reference |")
            continue
        ratio = n / ref
        if name == "floor":
            lines.append(f"| floor (python, sqlite3, json) | {n / 1e6:,.0f} M | {ratio:.2f} | | |")
            continue
        if "--format docx" in name:  # its target is today's wall time, not a ratio
            lines.append(f"| `{name}` | {n / 1e6:,.0f} M | {ratio:.2f} | | see the timed table |")
            continue
        target = 0.4 if is_help else 0.5 if "--format md" in name else 0.35
        verdict = "met" if ratio <= target else "**missed**"
        lines.append(f"| `{name}` | {n / 1e6:,.0f} M | {ratio:.2f} | ≤ {target} | {verdict} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite the section in bench/README.md")
    ap.add_argument("--work", type=Path, default=None, help="folder for the data")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("bench: valgrind is not installed (apt-get install valgrind)")
    work = args.work or Path(tempfile.mkdtemp(prefix="tdkt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = run.user_env()
    db = work / "startup.db"
    if not db.exists():
        size = ["--blocs", "34", "--units", "12", "--years", "10", "--ballots", "100"]
        subprocess.run(
            [sys.executable, str(run.HERE / "generate.py"), str(work), *size],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [run.tool("tdkt"), "--db", str(db), "import", str(work / "province.yaml")],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
    demo = work / "demo" / "tdkt-demo.db"
    if not demo.exists():
        subprocess.run(
            [run.tool("tdkt"), "--db", str(work / "seed.db"), "demo", "--out", str(demo.parent)],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
    machine = f"{platform.machine()}, Python {platform.python_version()}, valgrind callgrind"
    tables = []
    for label, path, helps in (("demo", demo, True), ("province", db, False)):
        cmds = commands(path, run.PICKS[label], helps)
        counts = {}
        for name, cmd in cmds.items():
            counts[name] = count(cmd, env)
            print(f"{name:45s} {counts[name] / 1e6:8.0f} M", flush=True)
        tables.append(table(counts, f"{label} file ({path.name}); {machine}"))
    print("\n\n".join(tables))
    if args.write:
        run.write_section("instructions", "\n\n".join(tables))


if __name__ == "__main__":
    main()
