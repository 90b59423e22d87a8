"""`tdkt demo`: the sample data in a fresh database, then what it holds and the documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from . import storage, yamlio
from .resources import sample_dir
from .services import blocs, meetings, votes

DEMO_DB = "tdkt-demo.db"


def load_samples(conn) -> list[Path]:
    """One file per bloc, as each secretariat keeps it, merged into the province's file."""
    from .services import merge

    files = sorted(sample_dir().glob("[0-9]*.yaml"))
    with storage.transaction(conn):
        merge.load_files(conn, [(f.name, yamlio.read(f)) for f in files])
    return files


def run(out: Path) -> Iterator[str]:
    out.mkdir(parents=True, exist_ok=True)
    db = out / DEMO_DB
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    conn = storage.connect(db)
    try:
        files = load_samples(conn)
        yield f"Cơ sở dữ liệu mẫu: {db} (từ {len(files)} tệp trong sample_data/)"
        for bloc in blocs.list_blocs(conn):
            picture = blocs.show(conn, bloc)
            yield (
                f"- {bloc.name} ({bloc.code}), năm {picture.year}: {len(picture.members)} thành viên; "
                f"trưởng khối {picture.head or '(chưa có)'}; phó khối {picture.deputy or '(chưa có)'}"
            )
            for m in meetings.list_meetings(conn, bloc):
                yield f"    hội nghị {m.id}: {m.kind_label.lower()} (năm thi đua {m.year}), ngày {m.date:%d/%m/%Y}"
        written = write_documents(conn, out)
        yield f"Văn bản ({len(written)} tệp):"
        for path in written:
            yield f"  {path}"
    finally:
        conn.close()


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
        for v in votes.list_votes(conn, bloc, None):
            yield Request("tally", record_id=v.id)
            yield Request("ballot", record_id=v.id)


def write_documents(conn, out: Path, fmt: str = "docx") -> list[Path]:
    """Every document the sample data supports, written into `out`."""
    from .documents import default_name, make

    written = []
    for req in _requests(conn):
        path = out / default_name(req, fmt)
        path.write_bytes(make(conn, req, fmt))
        written.append(path)
    return written
