"""The minutes of a meeting (biên bản hội nghị, Mẫu 1.9 of ND30)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ...blocs import service as bloc_service
from ...core.models import MEETING_KINDS, AsOf
from ...meetings import service as meeting_service
from ...text import date_words, two_digits
from .. import wording
from ..wording import join_vi
from .common import narrative_paragraphs, person, profile_of, upper, words
from .header import build_header
from .parts import BLANK, Common, Paragraphs, Signature, VoteSummary
from .report import agreed_sentences
from .votes import vote_summary


@dataclass(frozen=True)
class MinutesContext(Common):
    """Minutes of a meeting (no place-date line; secretary signs left, chair right).

    meeting_kind: label ("Tổng kết năm"); place, chair, secretary: text or BLANK; time: the
    meeting's date in words; present: names; present_count: "11/11"; absent: names; guests: names;
    note: the recorded notes/conclusions or ""; votes: VoteSummary… held at this meeting;
    covenant_year: the year of a covenant signed at this meeting, or 0; agreed: one sentence per
    award proposed without a ballot at this meeting (award propose --meeting; one naming no
    meeting was agreed at the year's year-end meeting) (show of hands with its
    figures, consensus), as the annual report says them; sections: dict of
    Paragraphs (content, conclusions); secretary_signature: Signature for the left column.
    start, end: the recorded times in words ("08 giờ 00"), or BLANK (Mẫu 1.9 asks for both).
    chairs: one Signature per chair (co-chairs allowed), name and title apart; chair_signatures:
    the same for the signature blocks, one per chair side by side after the secretary's
    ("CHỦ TỌA" or "ĐỒNG CHỦ TỌA", the chair's title above the name).
    A chair or secretary recorded as "Name - Title" or "Name, Title" (co-chairs separated by
    ";") gives the name and the title (meetings.person); text that is not a person's name stays
    whole as the title, the name BLANK.
    """

    meeting_kind: str = ""
    place: str = ""
    chair: str = ""
    secretary: str = ""
    time: str = ""
    present: tuple[str, ...] = ()
    present_count: str = ""
    absent: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()
    note: str = ""
    votes: tuple[VoteSummary, ...] = ()
    covenant_year: int = 0
    agreed: tuple[str, ...] = ()
    sections: dict[str, Paragraphs] = field(default_factory=dict)
    secretary_signature: Signature | None = None
    start: str = ""
    end: str = ""
    chairs: tuple[Signature, ...] = ()
    chair_signatures: tuple[Signature, ...] = ()


def minutes(
    conn: sqlite3.Connection, meeting_id: int, narrative: dict[str, Any], number: int | None = None
) -> MinutesContext:
    m = meeting_service.get(conn, meeting_id)
    day = m.date
    bloc = bloc_service.on(conn, bloc_service.resolve(conn, m.bloc), day)
    votes_here = tuple(
        vote_summary(conn, r[0], day)
        for r in conn.execute("SELECT id FROM vote WHERE meeting_id = ? ORDER BY id", (m.id,))
    )
    cov = conn.execute(
        "SELECT year FROM covenant WHERE meeting_id = ? ORDER BY year LIMIT 1", (m.id,)
    ).fetchone()
    at = AsOf(bloc, m.year, day)
    profile_now = profile_of(conn, at)
    kind_label = MEETING_KINDS[m.kind]
    chairs = _people(m.chair)
    (sec_name, sec_title), *_ = _people(m.secretary)
    chair_role = "CHỦ TỌA" if len(chairs) == 1 else "ĐỒNG CHỦ TỌA"
    chair_words = join_vi(f"{n}, {t}" if t and n != BLANK else (t or n) for n, t in chairs)
    sec_words = (
        f"{sec_name}, {sec_title}" if sec_title and sec_name != BLANK else sec_title or sec_name
    )
    return MinutesContext(
        kind="minutes",
        header=build_header(conn, at, "BB", number, with_date=False),
        title="BIÊN BẢN",
        subject=m.title
        or f"Hội nghị {kind_label.lower()} công tác thi đua, khen thưởng năm {m.year}",
        bloc_name=bloc.name,
        year=m.year,
        date=date_words(day),
        signature=Signature("", chair_role, upper(chairs[0][1]), chairs[0][0]),
        recipients=(
            f"- Các đơn vị thành viên {profile_now.words['word']};",
            "- Lưu: VT, Hồ sơ.",
        ),
        profile=words(profile_now),
        meeting_kind=kind_label,
        place=m.place or BLANK,
        chair=chair_words,
        secretary=sec_words,
        time=date_words(day),
        present=m.present,
        present_count=f"{two_digits(len(m.present))}/{two_digits(len(m.present) + len(m.absent))}",
        absent=meeting_service.absent_words(m),
        guests=m.guests,
        note=m.note or "",
        votes=votes_here,
        covenant_year=cov[0] if cov else 0,
        agreed=agreed_sentences(
            conn, at, profile_now, m.id, year_end=m.kind == "tong-ket" and not m.additional
        ),
        sections=narrative_paragraphs(narrative, ["content", "conclusions"]),
        secretary_signature=Signature("", "THƯ KÝ", upper(sec_title), sec_name),
        start=wording.clock(m.start),
        end=wording.clock(m.end),
        chairs=tuple(Signature("", chair_role, t, n) for n, t in chairs),
        chair_signatures=tuple(Signature("", chair_role, upper(t), n) for n, t in chairs),
    )


def _people(text: str | None) -> tuple[tuple[str, str], ...]:
    parts = [t.strip() for t in (text or "").split(";") if t.strip()]
    return tuple(person(t) for t in parts) or ((BLANK, ""),)
