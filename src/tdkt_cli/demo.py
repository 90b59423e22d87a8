"""`tdkt demo`: the sample data in a fresh database, then what it holds and the documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from . import storage, yamlio
from .resources import sample_dir
from .services import blocs, exchange, meetings

DEMO_DB = "tdkt-demo.db"


def load_samples(conn) -> list[Path]:
    files = sorted(sample_dir().glob("[0-9]*.yaml"))
    with storage.transaction(conn):
        for f in files:
            exchange.load(conn, yamlio.read(f))
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
    finally:
        conn.close()
