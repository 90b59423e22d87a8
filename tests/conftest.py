"""Each test gets its own database file through TDKT_DB, as a user's script would set it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner as ClickRunner
from typer.main import get_command

from tdkt_cli.cli import app

# Tables are as wide as $COLUMNS when it is set; pytest-xdist's workers (and some CI runners) set
# it to 80, a user's pipe has none: the tests read what a pipe reads.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

# typer's CliRunner.invoke turns the Typer app into a click command on every call, which is most
# of an in-process command's time (0.24 of 0.26 s); the tree is built once and click's invoke
# (the base of typer's) runs it: the same click command `tdkt` runs.
COMMAND = get_command(app)


class Cli:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = ClickRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(
            COMMAND, [str(a) for a in args], input=input, env={"TDKT_DB": str(self.db)}
        )

    def ok(self, *args: str, input: str | None = None):
        r = self(*args, input=input)
        assert r.exit_code == 0, (r.stdout, r.stderr)
        return r

    def fails(self, *args: str, code: int = 1):
        """Run a command that must be refused; check the database did not change."""
        before = dump(self.db)
        r = self(*args)
        assert r.exit_code == code, (r.stdout, r.stderr)
        assert "Traceback" not in r.output
        assert dump(self.db) == before
        return r

    def round_trip(self) -> Path:
        """Export, import into an empty file, export again: the same text. Returns the new file."""
        text = self.ok("export").stdout
        folder = self.db.parent
        exported = folder / "round-trip.yaml"
        exported.write_text(text, encoding="utf-8")
        fresh = folder / "round-trip.db"
        self.ok("--db", str(fresh), "import", str(exported))
        assert self.ok("--db", str(fresh), "export").stdout == text
        self.ok("--db", str(fresh), "db", "check")
        return fresh

    def sql(self, query: str, *params):
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(query, params).fetchall()
        finally:
            conn.close()


def dump(db: Path) -> list[str]:
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        # rows compared as a set of lines: a rewrite with the same content may change rowid order
        return sorted(line for line in conn.iterdump() if "_sqlite_migrations" not in line)
    finally:
        conn.close()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    db = tmp_path / "tdkt.db"
    monkeypatch.setenv("TDKT_DB", str(db))
    monkeypatch.chdir(tmp_path)
    return Cli(db)


VHXH = [
    ("Bảo hiểm Xã hội tỉnh", "BHXH tỉnh"),
    ("Trường Cao đẳng Nghề Dân tộc Nội trú", "Trường CĐ Nghề DTNT"),
    ("Trường Cao đẳng Cộng đồng", None),
    ("Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL"),
    ("Sở Thông tin và Truyền thông", "Sở TT&TT"),
    ("Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("Sở Y tế", "SYT"),
    ("Ban Dân tộc", None),
    ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    ("Đài Phát thanh và Truyền hình tỉnh", None),
    ("Sở Lao động - Thương binh và Xã hội", None),
]


@pytest.fixture
def vhxh(cli: Cli) -> Cli:
    """The Bắc Kạn culture-society bloc of seed 001, entered through the CLI, 2019."""
    for name, short in VHXH:
        cli.ok("unit", "add", name, *(["--short", short] if short else []))
    cli.ok(
        "bloc",
        "add",
        "Khối thi đua Văn hóa - Xã hội",
        "--code",
        "vhxh",
        "--parent",
        "UBND TỈNH BẮC KẠN",
        "--place",
        "Bắc Kạn",
    )
    cli.ok("bloc", "join", "vhxh", *[str(i) for i in range(1, 12)], "--year", "2019")
    cli.ok("bloc", "head", "vhxh", "--year", "2019", "--head", "BHXH tỉnh", "--deputy", "Sở Y tế")
    return cli
