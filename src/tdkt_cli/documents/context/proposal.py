"""The proposal to the awarding body (tờ trình đề nghị khen thưởng)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from ...blocs import profiles as profile_service
from ...blocs import service as bloc_service
from ...core.errors import NotFound
from ...core.models import AsOf, Bloc
from ...meetings import service as meeting_service
from ...text import date_words, two_digits
from ...units import service as unit_service
from ...votes import service as vote_service
from .common import profile_of, words
from .header import build_header
from .parts import BLANK, Common, ProposalRow, VoteSummary
from .signature import build_recipients, build_signature
from .votes import vote_summary


@dataclass(frozen=True)
class ProposalContext(Common):
    """The proposal to the province (tờ trình đề nghị khen thưởng).

    addressee: "Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn" (the profile's, never built from the date
    line's place), or BLANK. through: the body it goes through ("Sở Nội vụ") or "". decided: how
    the bloc agreed, in one sentence ("đã bỏ phiếu kín bình xét, suy tôn …", "đã thống nhất đề
    nghị …"). flag_award, certificate_award: the printed names of the awards proposed (leading
    unit's, then the others'). legal_basis: the "Căn cứ …" lines (data,
    from legal_basis.yaml). flags, certificates: ProposalRow…; votes: VoteSummary…;
    members_count: "11"; meeting_date: the date of the voting meeting in words, or BLANK;
    enclosures: the files sent with it.
    """

    addressee: str = ""
    through: str = ""
    decided: str = ""
    flag_award: str = ""
    certificate_award: str = ""
    legal_basis: tuple[str, ...] = ()
    flags: tuple[ProposalRow, ...] = ()
    certificates: tuple[ProposalRow, ...] = ()
    votes: tuple[VoteSummary, ...] = ()
    members_count: str = ""
    meeting_date: str = ""
    enclosures: tuple[str, ...] = ()


def proposal(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    legal_basis: Any,
    day: dt.date | None = None,
    number: int | None = None,
) -> ProposalContext:
    """`legal_basis`: the "Căn cứ" lines, or a function of the document's date giving them."""
    catalogue = profile_service.for_year(conn, bloc, year)
    codes = [a.code for a in catalogue.awards]
    rows = [
        r
        for r in conn.execute(
            "SELECT unit_id, award, vote_id FROM proposal WHERE bloc_id = ? AND year = ? "
            "AND status = 'proposed' ORDER BY id",
            (bloc.id, year),
        ).fetchall()
        if r[1] in codes
    ]
    if not rows:
        raise NotFound(
            f"Khối {bloc.code} chưa có đề nghị khen thưởng năm {year}; hãy đóng cuộc bỏ phiếu («tdkt vote close»)."
        )
    vote_ids = sorted({r[2] for r in rows if r[2]})
    meeting = None
    for vid in vote_ids:
        v = vote_service.get(conn, vid)
        if v.meeting:
            meeting = meeting_service.get(conn, v.meeting)
    if day is None and meeting is not None:
        day = meeting.date
    bloc = bloc_service.on(conn, bloc, day or dt.date(year, 12, 31))
    summaries = {vid: vote_summary(conn, vid, day) for vid in vote_ids}
    at = AsOf(bloc, year, day)
    profile = profile_of(conn, at)
    flags, certs = [], []
    for uid, award, vid in rows:
        name = unit_service.name_on(conn, uid, day)[0]
        share = votes_text = ""
        if vid in summaries:
            for r in summaries[vid].results:
                if r.name == name:
                    votes_text, share = f"{r.votes}/{r.base}", r.share
        target = flags if profile.is_leading(award) else certs
        target.append(
            ProposalRow(len(target) + 1, name, profile.award_name(award), votes_text, share)
        )
    w = words(profile)
    cert_names = list(dict.fromkeys(r.award_name for r in certs)) or [w.certificate_award]
    subject_awards = [w.leading_award] + [n for n in cert_names if n]
    return ProposalContext(
        kind="proposal",
        header=build_header(conn, at, "TTr", number),
        title="TỜ TRÌNH",
        subject=f"Về việc đề nghị tặng {' và '.join(subject_awards)} năm {year}",
        bloc_name=bloc.name,
        year=year,
        date=date_words(day) if day else BLANK,
        signature=build_signature(conn, at),
        recipients=build_recipients(profile, "proposal", bloc),
        profile=w,
        addressee=profile_service.addressee(profile, bloc.place) or BLANK,
        through=profile.through or "",
        decided=_decided(conn, bloc, year, profile, rows),
        flag_award=w.leading_award,
        certificate_award="; ".join(cert_names),
        legal_basis=tuple(
            legal_basis(day or dt.date(year, 12, 31), profile.system, bloc.name)
            if callable(legal_basis)
            else legal_basis
        ),
        flags=tuple(flags),
        certificates=tuple(certs),
        votes=tuple(summaries.values()),
        members_count=two_digits(len(bloc_service.member_ids(conn, bloc.id, year))),
        meeting_date=date_words(meeting.date) if meeting else BLANK,
        enclosures=(
            "Biên bản hội nghị tổng kết và biên bản kiểm phiếu",
            "Báo cáo thành tích của các đơn vị được đề nghị",
        ),
    )


def _decided(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    profile: profile_service.Profile,
    rows: list,
) -> str:
    """How the bloc agreed on its proposals, in words; each award as it was recorded."""
    from ...awards import service as award_service

    by_award: dict[str, str] = {}
    for _, award, vid in rows:
        if award in by_award:
            continue
        if vid:
            by_award[award] = "ballot"
            continue
        how = award_service.how_decided(conn, bloc.id, year, award)
        if how is None:
            by_award[award] = BLANK
        elif how[0] == "hands":
            by_award[award] = f"hands:{two_digits(how[1] or 0)}/{two_digits(how[2] or 0)}"
        else:
            by_award[award] = how[0]
    rules = f"theo quy chế hoạt động của {profile.words['word']}"

    def phrase(how: str, award_name: str | None) -> str:
        what = f" {award_name}" if award_name else ""
        if how == "ballot":
            return f"đã bỏ phiếu kín bình xét, suy tôn{what} {rules}"
        if how == "consensus":
            return f"đã thống nhất đề nghị{what} {rules}"
        if how.startswith("hands:"):
            return f"đã biểu quyết giơ tay đề nghị{what} ({how[6:]} đơn vị có mặt đồng ý) {rules}"
        return f"đã đề nghị{what} (cách quyết định: {BLANK})"

    kinds = set(by_award.values())
    if len(kinds) == 1:
        return phrase(kinds.pop(), None)
    return "; ".join(phrase(h, profile.award_name(a)) for a, h in by_award.items())
