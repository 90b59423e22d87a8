"""The bloc's documents: context objects from the records (context.py), rendered by render.py.

`make()` is the one call the CLI makes: it builds the context for a document kind and renders it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..blocs import service as bloc_service
from ..core import clock
from ..core.errors import InvalidInput
from ..text import parse_date
from . import context as ctx_module

KINDS = ("semiannual", "annual", "minutes", "tally", "proposal", "covenant", "ballot")
FILE_STEMS = {
    "semiannual": "bao-cao-so-ket-6-thang",
    "annual": "bao-cao-tong-ket-nam",
    "minutes": "bien-ban-hoi-nghi",
    "tally": "bien-ban-kiem-phieu",
    "proposal": "to-trinh-de-nghi-khen-thuong",
    "covenant": "giao-uoc-thi-dua",
    "ballot": "phieu-bau",
}


@dataclass(frozen=True)
class Request:
    """What the user asked for: the kind, its subject (bloc and year, meeting or vote id), and options."""

    kind: str
    bloc: str | None = None
    year: int | None = None
    record_id: int | None = None
    narrative: dict[str, Any] | None = None
    number: int | None = None
    date: str | None = None


def read_narrative(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    from ..files import yamlio

    data = yamlio.read(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidInput(
            f"Tệp {path.name} phải là bảng «mục: nội dung» (results, strengths, tasks…)."
        )
    unknown = sorted(set(data) - set(ctx_module.NARRATIVE_SECTIONS))
    if unknown:
        raise InvalidInput(
            f"Tệp {path.name}: mục không có: {', '.join(map(str, unknown))}; các mục nhận: "
            f"{', '.join(ctx_module.NARRATIVE_SECTIONS)}."
        )
    for key, value in data.items():
        ok = isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str | int | float) for v in value)
        )
        if value is not None and not ok:
            raise InvalidInput(
                f"Tệp {path.name}, mục «{key}»: phải là đoạn văn hoặc danh sách đoạn văn."
            )
    return dict(data)


def _data_file(name: str) -> Any:
    from ..files import yamlio
    from .render import search_path

    for folder in search_path():
        if (folder / name).is_file():
            return yamlio.read(folder / name)
    return None


SYSTEMS = ("nha-nuoc", "dang", "hoi", "nganh")


def legal_basis(
    day: dt.date | None, system: str = "nha-nuoc", bloc_name: str | None = None
) -> list[str]:
    """The "Căn cứ …" lines in force on `day` (today when None) for a bloc of `system`.

    `{bloc}` in a line is the bloc's name on that day (a cụm's quy chế is the cụm's, not a
    khối's).

    legal_basis.yaml is a dated catalogue (text, effective, ceased, systems, source); a line is in
    force from `effective` (none: always) until the day before `ceased` (none: still), judged by
    `dated.alive`. The older shape (blocks of lines with `until`) is still read.
    """
    from ..core import dated

    entries = _data_file("legal_basis.yaml") or []
    stamp = (day or clock.today()).isoformat()
    if entries and isinstance(entries[0], dict) and "lines" in entries[0]:
        for entry in entries:
            if str(entry.get("until", "9999-12-31")) > stamp:
                return [str(line) for line in entry.get("lines", [])]
        return [str(line) for line in entries[-1].get("lines", [])]
    out = []
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("text"):
            continue
        systems = entry.get("systems") or ["all"]
        if "all" not in systems and system not in systems:
            continue
        start = str(entry["effective"]) if entry.get("effective") else None
        end = str(entry["ceased"]) if entry.get("ceased") else None
        if dated.alive(start, end, stamp):
            text = str(entry["text"]).strip().rstrip(";")
            out.append(f"Căn cứ {text.replace('{bloc}', bloc_name or 'Khối thi đua')};")
    return out


def build_context(conn: sqlite3.Connection, req: Request) -> Any:
    if req.kind not in KINDS:
        raise InvalidInput(f"Loại văn bản «{req.kind}» không có.")
    day = parse_date(req.date) if req.date else None
    narrative = req.narrative or {}
    if req.kind in ("semiannual", "annual"):
        bloc = bloc_service.resolve(conn, req.bloc)
        return ctx_module.report(conn, bloc, req.year, req.kind, narrative, day, req.number)
    if req.kind == "minutes":
        return ctx_module.minutes(conn, req.record_id, narrative, req.number)
    if req.kind == "tally":
        return ctx_module.tally(conn, req.record_id, req.number)
    if req.kind == "ballot":
        return ctx_module.ballot(conn, req.record_id)
    bloc = bloc_service.resolve(conn, req.bloc)
    if req.kind == "proposal":
        return ctx_module.proposal(conn, bloc, req.year, legal_basis, day, req.number)
    commitments = narrative.get("commitments") or ctx_module.default_commitments(
        conn, bloc, req.year, _data_file("covenant.yaml") or []
    )
    if isinstance(commitments, str):
        commitments = [p.strip() for p in commitments.split("\n\n") if p.strip()]
    return ctx_module.covenant(conn, bloc, req.year, [str(c) for c in commitments], day)


def default_name(req: Request, fmt: str, conn: sqlite3.Connection | None = None) -> str:
    """The file a document goes to when no -o is given: from the bloc's code (the same name
    whether the bloc was typed by code or by name), safe as a Windows file name."""
    from ..files.windows import safe_name

    stem = FILE_STEMS[req.kind]
    if req.record_id is not None:
        return safe_name(f"{stem}-{req.record_id}.{fmt}")
    code = bloc_service.resolve(conn, req.bloc).code if conn is not None else req.bloc
    return safe_name(f"{stem}-{code}-{req.year}.{fmt}")


def make(conn: sqlite3.Connection, req: Request, fmt: str, template: Path | None = None) -> bytes:
    data, gaps = make_with_gaps(conn, req, fmt, template)
    warn_missing(gaps)
    return data


def make_with_gaps(
    conn: sqlite3.Connection, req: Request, fmt: str, template: Path | None = None
) -> tuple[bytes, tuple[str, ...]]:
    """The document, and the absent records it leaves as marked blanks (for the caller to say)."""
    from .render import render

    ctx = build_context(conn, req)
    return render(ctx, fmt, template), tuple(getattr(ctx, "missing", ()))


def warn_missing(gaps: Any) -> None:
    """One line on stderr per absent record the document leaves blank (a context or its gaps)."""
    import sys

    for what in getattr(gaps, "missing", gaps):
        sys.stderr.write(f"Cảnh báo: chưa có {what}; văn bản để trống chỗ cần bổ sung.\n")
