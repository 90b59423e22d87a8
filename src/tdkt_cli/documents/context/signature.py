"""The signature block of the bloc's documents and the «Nơi nhận» list, from the profile."""

from __future__ import annotations

import sqlite3

from ...blocs import profiles as profile_service
from ...blocs import service as bloc_service
from ...core.models import AsOf, Bloc
from .common import profile_of, upper
from .header import doc_code
from .parts import BLANK, Signature


def build_signature(conn: sqlite3.Connection, at: AsOf) -> Signature:
    bloc, year = at.bloc, at.year
    profile = profile_of(conn, at)
    name, position = bloc_service.signer(conn, bloc.id, year)
    if bloc.issue_as == "head":
        return Signature("", upper(position or "THỦ TRƯỞNG ĐƠN VỊ"), "", name or BLANK)
    return Signature(
        f"{profile.style_data['authority']} {upper(bloc.name)}",
        upper(profile.words["head"]),
        upper(position or ""),
        name or BLANK,
    )


ARCHIVE_COPIES = 2  # the copies kept: one by văn thư (VT), one by the drafting unit


def build_recipients(
    profile: profile_service.Profile,
    doc: str,
    bloc: Bloc,
    lines: tuple[str, ...] | None = None,
) -> tuple[str, ...]:
    """The "Nơi nhận" of `doc` from the profile (or `lines`), then the archive line: ND30 Phụ
    lục I, II.9.d "- Lưu: VT, <ký hiệu>, <copies>b." ({code} and {copies} in the profile)."""
    word = profile.words["word"]
    end = profile.style_data["recipient_end"]
    given = lines if lines is not None else profile.recipients.get(doc, ())
    out = [f"- {r.format(word=word)}{end}" for r in given]
    archive = profile.archive.format(
        word=word, code=doc_code(bloc), copies=f"{ARCHIVE_COPIES:02d}b"
    )
    return (*out, f"- {archive}")
