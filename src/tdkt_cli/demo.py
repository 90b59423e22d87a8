"""`tdkt demo`: the sample data in a fresh database, then what it holds and the documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .blocs import profiles
from .blocs import service as blocs
from .core.errors import InvalidInput
from .files import yamlio
from .files.resources import sample_dir
from .meetings import service as meetings
from .store import storage
from .votes import records as vote_records

DEMO_DB = "tdkt-demo.db"


def load_samples(conn) -> list[Path]:
    """One file per bloc, as each secretariat keeps it, merged into the province's file."""
    from .exchange import merge

    files = sorted(sample_dir().glob("[0-9]*.yaml"))
    with storage.transaction(conn):
        merge.load_files(conn, [(f.name, yamlio.read(f)) for f in files])
    return files


def run(out: Path, force: bool = False) -> Iterator[str]:
    """Build the demo in `out`; an existing database or document there is replaced only with
    `force` (and then only if it is a regular file: see files.py)."""
    from .documents import default_name, make_with_gaps
    from .files import atomic as files

    if out.exists() and not out.is_dir():
        raise InvalidInput(f"«{out}» không phải thư mục.")
    out.mkdir(parents=True, exist_ok=True)
    db = out / DEMO_DB
    files.check_target(db, force)
    # the database is built in a private temporary file, renamed at the end: a refusal or a
    # failure half-way leaves the folder as it was
    with files.replacing(db, force) as tmp:
        conn = storage.connect(tmp)
        try:
            samples = load_samples(conn)
            targets = [(req, out / default_name(req, "docx", conn)) for req in _requests(conn)]
            for _, path in targets:
                files.check_target(path, force)
            lines = list(_summary(conn))
            gaps = {}
            for req, path in targets:
                data, gaps[path] = make_with_gaps(conn, req, "docx")
                files.write(path, data, force)
        finally:
            conn.close()
        if force:
            for suffix in (
                "-wal",
                "-shm",
            ):  # a crashed old demo's journal must not meet the new file
                stale = Path(str(db) + suffix)
                if stale.is_file() and not stale.is_symlink():
                    stale.unlink()
    yield f"Cơ sở dữ liệu mẫu: {db} (từ {len(samples)} tệp trong sample_data/)"
    yield from lines
    yield f"Văn bản ({len(targets)} tệp; chỗ «[…cần bổ sung…]» là thông tin bài báo nguồn không có):"
    for _, path in targets:
        blank = f" (để trống: {'; '.join(gaps[path])})" if gaps[path] else ""
        yield f"  {path}{blank}"


def _summary(conn) -> Iterator[str]:
    for bloc in blocs.list_blocs(conn):
        picture = blocs.show(conn, bloc)
        w = profiles.for_year(conn, bloc, picture.year).words
        yield (
            f"- {bloc.name} ({bloc.code}), năm {picture.year}: {len(picture.members)} thành viên; "
            f"{w['head']} {picture.head or '(chưa có)'}; {w['deputy']} {picture.deputy or '(chưa có)'}"
        )
        for m in meetings.list_meetings(conn, bloc):
            yield f"    hội nghị {m.id}: {m.kind_label.lower()} (năm thi đua {m.year}), ngày {m.date:%d/%m/%Y}"


def _requests(conn) -> Iterator:
    from .documents import Request, read_narrative

    narrative_file = sample_dir() / "narrative-vhxh-2019.yaml"
    for bloc in blocs.list_blocs(conn):
        years = sorted(
            {
                r[0]
                for r in conn.execute("SELECT year FROM membership WHERE bloc_id = ?", (bloc.id,))
            }
        )
        for year in years:
            kinds = {m.kind for m in meetings.list_meetings(conn, bloc, year)}
            if "tong-ket" in kinds:
                narrative = (
                    read_narrative(narrative_file) if bloc.code == "vhxh" and year == 2019 else {}
                )
                yield Request("annual", bloc.code, year, narrative=narrative)
            if kinds & {"so-ket", "giao-ban"}:
                yield Request("semiannual", bloc.code, year)
            if conn.execute(
                "SELECT 1 FROM proposal WHERE bloc_id = ? AND year = ?", (bloc.id, year)
            ).fetchone():
                yield Request("proposal", bloc.code, year)
            if conn.execute(
                "SELECT 1 FROM covenant WHERE bloc_id = ? AND year = ?", (bloc.id, year)
            ).fetchone():
                yield Request("covenant", bloc.code, year)
        for m in meetings.list_meetings(conn, bloc):
            yield Request("minutes", record_id=m.id)
        for v in vote_records.list_votes(conn, bloc, None):
            yield Request("tally", record_id=v.id)
            yield Request("ballot", record_id=v.id)
