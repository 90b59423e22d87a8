"""Benchmark tdkt on a province-scale dataset, each figure against a reference run in the same go.

    python bench/run.py                  # full size (34 blocs × 12 units × 10 years, 100k ballots)
    python bench/run.py --small --runs 1 # a quick smoke run
    python bench/run.py --write          # also rewrite the figures in bench/README.md

Every time is the median of --runs runs of a real subprocess, like a script calling tdkt. Targets
(issue "Speed"): a read command ≤ 0.5 × `sqlite-utils rows`; import ≤ 1.5 × inserting the same
rows with sqlite-utils; the 100k-ballot tally < 1 s; all year-end reports of a year < 10 s; import
peak memory < 150 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        sys.exit(f"bench: «{name}» is not installed (pip install '.[test]' sqlite-utils)")
    return path


def user_env() -> dict[str, str]:
    """The environment a user's script has: no TDKT_DB, and bytecode caching on. A sandbox that
    sets PYTHONDONTWRITEBYTECODE makes every run compile tdkt's modules afresh (an editable
    install has no .pyc until first use, while `pip install` compiles them), which measured the
    compiler, not tdkt: 170 ms instead of 60 ms for `bloc list --json`. The caches are written
    once, before any run is timed."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("TDKT_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    import compileall

    compileall.compile_dir(str(HERE.parent / "src"), quiet=1)
    return env


def write_section(name: str, table: str) -> None:
    """Put `table` between <!-- name --> and <!-- /name --> in bench/README.md."""
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    readme.write_text(f"{before}{start}\n{table}\n{end}{after}", encoding="utf-8")


def timed(cmd: list[str], runs: int, setup=None, env=None) -> float:
    times = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(cmds: dict[str, list[str]], runs: int, env=None) -> dict[str, float]:
    """Median time of each command, the commands taking turns within every round (as hyperfine
    does per command, but interleaved, so a busy machine slows them all alike)."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


# the words that pick one record of each kind, on the two files measured
PICKS = {
    "province": {
        "bloc": "k01",
        "year": "2016",
        "unit": "1",
        "meeting": "1",
        "vote": "1",
        "body": "bac-kan",
    },
    "demo": {
        "bloc": "vhxh",
        "year": "2019",
        "unit": "1",
        "meeting": "1",
        "vote": "1",
        "body": "bac-kan",
    },
}


def read_commands(db: Path, pick: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Every read command (every list, show, table, tally, missing, province, log, db check),
    with and without --json."""
    k = pick or PICKS["province"]
    b, y = ["-b", k["bloc"]], ["-y", k["year"]]
    words = {
        "bloc list": ["bloc", "list"],
        "bloc show": ["bloc", "show", k["bloc"]],
        "unit list": ["unit", "list", *b, *y],
        "unit show": ["unit", "show", k["unit"]],
        "body list": ["body", "list"],
        "body show": ["body", "show", k["body"]],
        "meeting list": ["meeting", "list", *b, *y],
        "meeting show": ["meeting", "show", k["meeting"]],
        "pledge list": ["pledge", "list", *b, *y],
        "vote list": ["vote", "list", *b],
        "vote tally": ["vote", "tally", k["vote"]],
        "award list": ["award", "list", *b],
        "score table": ["score", "table", *b, *y],
        "score missing": ["score", "missing", *b, *y],
        "exemplar list": ["exemplar", "list", *b, *y],
        "activity list": ["activity", "list", *b, *y],
        "movement list": ["movement", "list"],
        "province": ["province", *y],
        "log": ["log", "--limit", "5"],
        "db check": ["db", "check"],
    }
    out = {}
    for name, w in words.items():
        out[name] = ["--db", str(db), *w]
        out[f"{name} --json"] = ["--db", str(db), *w, "--json"]
    return out


FLOOR = (
    "import sqlite3, json, sys\n"
    "conn = sqlite3.connect(sys.argv[1])\n"
    "print(json.dumps([list(r) for r in conn.execute('SELECT * FROM bloc')], ensure_ascii=False))\n"
)


def startup_commands(db: Path, pick: dict[str, str] | None = None) -> dict[str, list[str]]:
    """The command lines of the start-up figures by name: the references, the floor, every
    help and every read command."""
    tdkt, sqlite_utils = tool("tdkt"), tool("sqlite-utils")
    return {
        "sqlite-utils --help": [sqlite_utils, "--help"],
        "sqlite-utils rows": [sqlite_utils, "rows", str(db), "bloc"],
        "floor": [sys.executable, "-c", FLOOR, str(db)],
        "tdkt --help": [tdkt, "--help"],
        **{f"tdkt {k} --help": [tdkt, k, "--help"] for k in NOUN_NAMES},
        **{f"tdkt {k}": [tdkt, *v] for k, v in read_commands(db, pick).items()},
    }


def startup(
    db: Path, runs: int, env, pick: dict[str, str] | None = None, extra: bool = True
) -> tuple[dict[str, float], list[str]]:
    """`tdkt --help` and every `tdkt NOUN --help` against `sqlite-utils --help`; every read
    command, the floor (python + sqlite3 + json answering one query) and the md/docx reports
    against `sqlite-utils rows` on the same file; all measured side by side, interleaved."""
    tdkt = tool("tdkt")
    cmds = startup_commands(db, pick)
    refused = []
    for name in read_commands(db, pick):
        r = subprocess.run(cmds[f"tdkt {name}"], capture_output=True, env=env)
        if not (r.returncode == 0 or (name.startswith("db check") and r.returncode == 1)):
            refused.append(name)
            del cmds[f"tdkt {name}"]
    k = pick or PICKS["province"]
    if extra:
        out = Path(tempfile.mkdtemp(prefix="tdkt-bench-report-"))
        for fmt in ("md", "docx"):
            cmds[f"tdkt report annual --format {fmt}"] = [
                tdkt,
                "--db",
                str(db),
                "report",
                "annual",
                "-b",
                k["bloc"],
                "-y",
                k["year"],
                "--format",
                fmt,
                "-o",
                str(out / f"r.{fmt}"),
                "--force",  # every run writes the document (without it, runs 2… were refusals)
            ]
    return interleaved(cmds, runs, env), sorted(refused)


NOUN_NAMES = (
    "unit",
    "bloc",
    "body",
    "meeting",
    "pledge",
    "vote",
    "award",
    "score",
    "exemplar",
    "activity",
    "movement",
    "report",
    "db",
)
HELP_TARGET, READ_TARGET, REPORT_TARGET = 0.4, 0.35, 0.5


def render_startup(t: dict[str, float], skipped: list[str], machine: str, label: str = "") -> str:
    def ms(x: float) -> str:
        return f"{x * 1000:.0f} ms"

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    help_ref, ref = t["sqlite-utils --help"], t["sqlite-utils rows"]
    floor = t["floor"] / ref
    lines = [
        f"Machine: {machine}{label}",
        "",
        f"References: `sqlite-utils --help` {ms(help_ref)}, `sqlite-utils rows FILE bloc` {ms(ref)}; "
        f"the floor (python + sqlite3 + json answering one query) {ms(t['floor'])} = {floor:.2f}×.",
        "",
        "| command | tdkt | ratio | floor | target | |",
        "|---|---:|---:|---:|---|---|",
    ]
    for name, value in t.items():
        if not name.startswith("tdkt "):
            continue
        if name.endswith("--help"):
            ratio, target = value / help_ref, HELP_TARGET
            shown_floor = ""
        elif name.startswith("tdkt report"):
            ratio, target, shown_floor = (
                value / ref,
                (REPORT_TARGET if "md" in name else 1.2),
                f"{floor:.2f}",
            )
        else:
            ratio, target, shown_floor = value / ref, READ_TARGET, f"{floor:.2f}"
        lines.append(
            f"| `{name}` | {ms(value)} | {ratio:.2f} | {shown_floor} | ≤ {target} | {verdict(ratio <= target)} |"
        )
    if skipped:
        lines += ["", "Not measured (refused on this data): " + ", ".join(skipped)]
    return "\n".join(lines)


def peak_kib(cmd: list[str], env=None) -> int:
    """Peak resident memory of one child process, in KiB (Linux ru_maxrss)."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *cmd], check=True, capture_output=True, text=True, env=env
    )
    return int(out.stdout.strip())


def fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(description="tdkt benchmark")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--small", action="store_true", help="2 blocs × 4 units × 2 years, 2,000 ballots"
    )
    ap.add_argument(
        "--work", type=Path, default=None, help="folder for the data (default: a temp folder)"
    )
    ap.add_argument("--write", action="store_true", help="rewrite the figures in bench/README.md")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument(
        "--startup",
        action="store_true",
        help="only the start-up figures: --help and every read command, side by side",
    )
    args = ap.parse_args()
    if args.startup:
        main_startup(args)
        return

    work = args.work or Path(tempfile.mkdtemp(prefix="tdkt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    size = (
        ["--blocs", "2", "--units", "4", "--years", "2", "--ballots", "2000"] if args.small else []
    )
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), str(work), *size],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    data, ballots = work / "province.yaml", work / "stress-ballots.csv"
    tdkt, sqlite_utils = tool("tdkt"), tool("sqlite-utils")
    env = user_env()
    db = work / "province.db"
    figures: dict[str, float] = {}

    # the import, a merge of the same province as one file per bloc, and the same rows inserted
    # with sqlite-utils: first made once (the bloc files and the rows come from the imported
    # file), then timed in paired rounds, the three taking turns, so a busy moment of the
    # machine slows them alike (they used to run in separate rounds and their ratio moved by 0.3)
    import_cmd = [tdkt, "--db", str(db), "import", str(data)]
    fresh(db)
    subprocess.run(import_cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    per_bloc = work / "blocs"
    per_bloc.mkdir(exist_ok=True)
    probe = sqlite3.connect(db)
    codes = [r[0] for r in probe.execute("SELECT code FROM bloc ORDER BY code")]
    probe.close()
    for code in codes:
        subprocess.run(
            [tdkt, "--db", str(db), "export", "--bloc", code, "-o", str(per_bloc / f"{code}.yaml")],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    merged = work / "merged.db"
    merge_cmd = [
        tdkt,
        "--db",
        str(merged),
        "import",
        *sorted(str(f) for f in per_bloc.glob("*.yaml")),
    ]
    figures["merge_files"] = len(codes)
    rows_dir = work / "rows"
    rows_dir.mkdir(exist_ok=True)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    tables = [  # the records themselves; tdkt's audit trail is its own extra work
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        if r[0] not in ("_sqlite_migrations", "command", "change", "change_real", "audit_context")
    ]
    total_rows = 0
    for t in tables:
        rows = [dict(r) for r in conn.execute(f"SELECT * FROM {t}")]
        total_rows += len(rows)
        (rows_dir / f"{t}.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    conn.close()
    ref_db = work / "reference.db"
    insert_script = (
        "import json, sys, pathlib, sqlite_utils\n"
        "db = sqlite_utils.Database(sys.argv[1])\n"
        "for f in sorted(pathlib.Path(sys.argv[2]).glob('*.json')):\n"
        "    db[f.stem].insert_all(json.loads(f.read_text(encoding='utf-8')))\n"
    )
    paired = {
        "import_s": (import_cmd, db),
        "merge_s": (merge_cmd, merged),
        "insert_ref_s": ([sys.executable, "-c", insert_script, str(ref_db), str(rows_dir)], ref_db),
    }
    times: dict[str, list[float]] = {name: [] for name in paired}
    for _ in range(max(args.runs, 1)):
        for name, (cmd, target) in paired.items():
            fresh(target)
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
            times[name].append(time.perf_counter() - start)
    figures.update({name: statistics.median(t) for name, t in times.items()})
    figures["import_peak_mib"] = (
        peak_kib([tdkt, "--db", str(work / "peak.db"), "import", str(data)], env=env) / 1024
    )
    fresh(work / "peak.db")
    figures["rows"] = total_rows

    # start-up
    figures["help_s"] = timed([tdkt, "--help"], args.runs, env=env)
    figures["bloc_list_s"] = timed(
        [tdkt, "--db", str(db), "bloc", "list", "--json"], args.runs, env=env
    )
    figures["bloc_show_s"] = timed(
        [tdkt, "--db", str(db), "bloc", "show", "k01", "--json"], args.runs, env=env
    )
    figures["python_pass_s"] = timed([sys.executable, "-c", "pass"], args.runs, env=env)
    figures["sqlite_utils_rows_s"] = timed(
        [sqlite_utils, "rows", str(db), "bloc"], args.runs, env=env
    )

    # the stress vote: 100k ballots through `vote import`, then the tally
    out = subprocess.run(
        [
            tdkt,
            "--db",
            str(db),
            "vote",
            "open",
            "--bloc",
            "k01",
            "--year",
            "2016",
            "--award",
            "bang-khen",
            "--seats",
            "1",
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    vote_id = json.loads(out.stdout)["id"]
    n_ballots = sum(1 for _ in ballots.open(encoding="utf-8"))
    conn = sqlite3.connect(db)
    conn.execute(
        "UPDATE vote SET present = ? WHERE id = ?", (n_ballots, vote_id)
    )  # a stress test, not a bloc
    conn.commit()
    conn.close()
    stress_db = work / "stress.db"

    def stress_copy() -> None:
        fresh(stress_db)
        src = sqlite3.connect(db)
        dst = sqlite3.connect(stress_db)
        src.backup(dst)
        src.close()
        dst.close()

    figures["ballot_import_s"] = timed(
        [tdkt, "--db", str(stress_db), "vote", "import", str(vote_id), str(ballots)],
        min(args.runs, 3),
        setup=stress_copy,
        env=env,
    )
    figures["tally_100k_s"] = timed(
        [tdkt, "--db", str(stress_db), "vote", "tally", str(vote_id), "--json"], args.runs, env=env
    )
    sqlite3_cli = shutil.which("sqlite3")
    if sqlite3_cli:
        raw = work / "raw-ballots.db"
        fresh(raw)
        conn = sqlite3.connect(raw)
        conn.execute("CREATE TABLE ballot (marks TEXT)")
        conn.executemany(
            "INSERT INTO ballot VALUES (?)",
            ((line.rstrip("\n"),) for line in ballots.open(encoding="utf-8")),
        )
        conn.commit()
        conn.close()
        figures["group_by_ref_s"] = timed(
            [sqlite3_cli, str(raw), "SELECT marks, count(*) FROM ballot GROUP BY marks"],
            args.runs,
            env=env,
        )
    figures["ballots"] = n_ballots

    # every year-end report of one year
    reports = work / "reports"
    reports.mkdir(exist_ok=True)
    year = "2016"
    figures["reports_s"] = timed(
        [
            tdkt,
            "--db",
            str(db),
            "report",
            "batch",
            "--year",
            year,
            "--out",
            str(reports),
            "--force",
        ],
        min(args.runs, 3),
        env=env,
    )
    figures["reports"] = len(list(reports.glob("*.docx")))

    figures["read_ratio"] = figures["bloc_list_s"] / figures["sqlite_utils_rows_s"]
    figures["import_ratio"] = figures["import_s"] / figures["insert_ref_s"]
    figures["merge_ratio"] = figures["merge_s"] / figures["import_s"]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    if args.json:
        print(json.dumps({"machine": machine, **figures}, indent=2))
    table = render(figures, machine, args.small)
    print(table)
    if args.write:
        write_section("figures", table)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


def main_startup(args) -> None:
    """The start-up figures on a generated province file and on `tdkt demo`'s file."""
    work = args.work or Path(tempfile.mkdtemp(prefix="tdkt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    size = ["--blocs", "34", "--units", "12", "--years", "10", "--ballots", "100"]
    if args.small:
        size = ["--blocs", "2", "--units", "4", "--years", "2", "--ballots", "100"]
    env = user_env()
    db = work / "startup.db"
    if not db.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(work), *size],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [tool("tdkt"), "--db", str(db), "import", str(work / "province.yaml")],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
    demo_dir = work / "demo"
    demo = demo_dir / "tdkt-demo.db"
    if not demo.exists():
        subprocess.run(
            [tool("tdkt"), "--db", str(work / "demo-seed.db"), "demo", "--out", str(demo_dir)],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    tables = []
    for label, path, pick in (("demo", demo, PICKS["demo"]), ("province", db, PICKS["province"])):
        times, skipped = startup(path, args.runs, env, pick)
        table = render_startup(times, skipped, machine, f" — {label} file ({path.name})")
        print(table)
        tables.append(table)
        if args.json:
            print(json.dumps(times, indent=2))
    if args.write:
        write_section("startup", "\n\n".join(tables))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


def render(f: dict, machine: str, small: bool) -> str:
    def ms(x: float) -> str:
        return f"{x * 1000:.0f} ms"

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    lines = [
        f"Machine: {machine}{' (smoke size)' if small else ''}",
        "",
        "| measure | tdkt | reference | ratio / target | |",
        "|---|---:|---:|---|---|",
        f"| `tdkt --help` | {ms(f['help_s'])} | `python -c pass` {ms(f['python_pass_s'])} | — | |",
        f"| `tdkt bloc list --json` | {ms(f['bloc_list_s'])} | `sqlite-utils rows` {ms(f['sqlite_utils_rows_s'])} | "
        f"{f['read_ratio']:.2f} ≤ 0.35 | {verdict(f['read_ratio'] <= 0.35)} |",
        f"| `tdkt bloc show --json` | {ms(f['bloc_show_s'])} | | | |",
        f"| import ({f['rows']:,} rows) | {f['import_s']:.2f} s | sqlite-utils insert {f['insert_ref_s']:.2f} s | "
        f"{f['import_ratio']:.2f} ≤ 1.2 | {verdict(f['import_ratio'] <= 1.2)} |",
        f"| merge of {f['merge_files']} bloc files (`import F1…F{f['merge_files']}`) | {f['merge_s']:.2f} s | "
        f"one-file import {f['import_s']:.2f} s | {f['merge_ratio']:.2f} ≤ 1.2 | "
        f"{verdict(f['merge_ratio'] <= 1.2)} |",
        f"| import peak memory | {f['import_peak_mib']:.0f} MiB | | < 150 MiB | {verdict(f['import_peak_mib'] < 150)} |",
        f"| `vote import` of {f['ballots']:,} ballots | {f['ballot_import_s']:.2f} s | | | |",
        f"| `vote tally` over {f['ballots']:,} ballots | {ms(f['tally_100k_s'])} | sqlite3 GROUP BY "
        f"{ms(f.get('group_by_ref_s', float('nan')))} | < 1 s | {verdict(f['tally_100k_s'] < 1)} |",
        f"| {f['reports']} year-end reports (`report batch`) | {f['reports_s']:.2f} s | "
        f"second round 6.89 s | {f['reports_s'] / 6.89:.2f} ≤ 0.5 | "
        f"{verdict(f['reports_s'] <= 0.5 * 6.89)} |",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
