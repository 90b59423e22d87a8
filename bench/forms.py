"""Benchmark the members' round trip: `tdkt score collect` over 30 returned forms, against
reading the same cells of the same files with openpyxl alone, measured side by side.

    python bench/forms.py              # 30 members, 20 criteria, 5 runs
    python bench/forms.py --write      # also rewrite the figures in bench/README.md

The forms are made by `tdkt score forms` and filled in with openpyxl as members would, then
renamed. Each figure is the median of --runs runs of a real subprocess, the two commands taking
turns within every round; the collect writes into a fresh copy of the database each time. The
reference is a Python process that imports openpyxl and reads columns A to E of every row of each
file's first sheet (read-only, cached values). Target (issue 25): collect ≤ 2 × the reference.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import tool, user_env, write_section  # noqa: E402 - the bench's shared helpers

READ_ALONE = """
import sys
from pathlib import Path
from openpyxl import load_workbook
cells = 0
for path in sorted(Path(sys.argv[1]).rglob("*.xlsx")):
    book = load_workbook(path, read_only=True, data_only=True)
    for row in book.worksheets[0].iter_rows(max_col=5, values_only=True):
        cells += sum(v is not None for v in row)
    book.close()
print(cells)
"""


def criteria_yaml(groups: int = 4, per_group: int = 4) -> str:
    lines = ["groups:"]
    for g in range(groups):
        lines += [f"- code: {'ABCDEFGH'[g]}", f"  title: Nhóm tiêu chí số {g + 1}", "  criteria:"]
        for i in range(per_group):
            lines.append(
                f"  - {{code: {'ABCDEFGH'[g]}{i + 1}, title: 'Tiêu chí {g + 1}.{i + 1}, "
                f"nội dung chấm điểm', max: {25 // per_group * 1.0}}}"
            )
    lines += ["bonus:", "  cap: 10", "  items:"]
    lines += [f"  - {{code: T{i}, title: Điểm thưởng {i}, max: 5}}" for i in (1, 2)]
    lines += ["penalty:", "  cap: 10", "  items:"]
    lines += [f"  - {{code: P{i}, title: Điểm trừ {i}, max: 5}}" for i in (1, 2)]
    return "\n".join(lines) + "\n"


def prepare(folder: Path, members: int, env: dict[str, str]) -> tuple[Path, Path]:
    """A database with a bloc of `members` units and 20 criteria, and their returned forms."""
    tdkt = tool("tdkt")
    db = folder / "bench-forms.db"

    def run(*args: str) -> None:
        subprocess.run([tdkt, "--db", str(db), *args], check=True, env=env, capture_output=True)

    import_file = folder / "units.yaml"
    units = "\n".join(
        f"- {{id: {i}, name: Đơn vị thành viên số {i}}}" for i in range(1, members + 1)
    )
    import_file.write_text(f"tdkt: 1\nunits:\n{units}\nblocs: []\n", encoding="utf-8")
    run("import", str(import_file))
    run("bloc", "add", "Khối thi đua thử nghiệm", "--code", "bench")
    run("bloc", "join", "bench", *[str(i) for i in range(1, members + 1)], "--year", "2024")
    crit = folder / "criteria.yaml"
    crit.write_text(criteria_yaml(), encoding="utf-8")
    run("score", "criteria", "-b", "bench", "-y", "2024", str(crit))
    forms = folder / "forms"
    run("score", "forms", "-b", "bench", "-y", "2024", "--out", str(forms))
    from openpyxl import load_workbook

    returned = folder / "returned"
    returned.mkdir()
    for n, path in enumerate(sorted(forms.glob("*.xlsx")), 1):
        book = load_workbook(path)
        sheet = book.worksheets[0]
        for row in sheet.iter_rows():
            code, maximum = row[0].value, row[2].value
            if isinstance(code, str) and len(code) == 2 and isinstance(maximum, int | float):
                row[3].value = maximum - (n % 3)
                row[4].value = "Có minh chứng" if n % 2 else None
        book.save(returned / f"Bieu cham diem ({n}) - sua lan 2.xlsx")
    return db, returned


def measure(db: Path, returned: Path, runs: int, env: dict[str, str]) -> dict[str, float]:
    tdkt = tool("tdkt")
    work = db.with_name("run.db")
    collect = [tdkt, "--db", str(work), "score", "collect", str(returned)]
    collect += ["-b", "bench", "-y", "2024", "--json"]
    cmds = {
        "collect": collect,
        "dry-run": [*collect, "--dry-run"],
        "openpyxl": [sys.executable, "-c", READ_ALONE, str(returned)],
    }
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            shutil.copy(db, work)
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def render(t: dict[str, float], files: int, machine: str) -> str:
    ratio = t["collect"] / t["openpyxl"]
    verdict = "met" if ratio <= 2 else "**missed**"
    return "\n".join(
        [
            f"Machine: {machine}",
            "",
            "| measure | tdkt | reference | ratio / target | |",
            "|---|---:|---:|---|---|",
            f"| `score collect` of {files} returned forms | {t['collect']:.2f} s | "
            f"openpyxl alone {t['openpyxl']:.2f} s | {ratio:.2f} ≤ 2 | {verdict} |",
            f"| the same with `--dry-run` | {t['dry-run']:.2f} s | | | |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="rewrite bench/README.md's figures")
    args = parser.parse_args()
    env = user_env()
    with tempfile.TemporaryDirectory(prefix="tdkt-bench-forms-") as tmp:
        db, returned = prepare(Path(tmp), args.members, env)
        t = measure(db, returned, args.runs, env)
    machine = (
        f"{platform.machine()}, Python {platform.python_version()}, {args.runs} runs, "
        f"{args.members} forms of 20 criteria"
    )
    table = render(t, args.members, machine)
    print(table)
    if args.write:
        write_section("forms", table)


if __name__ == "__main__":
    main()
