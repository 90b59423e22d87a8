"""The proposal to the awarding body (tờ trình đề nghị khen thưởng)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from ...blocs import profiles as profile_service
from ...blocs import service as bloc_service
from ...core.errors import NotFound
from ...core.models import AsOf, Bloc
from ...meetings import service as meeting_service
from ...text import date_words, percent, two_digits
from ...units import service as unit_service
from ...votes import service as vote_service
from ..wording import join_vi
from .common import profile_of, words
from .header import build_header
from .parts import BLANK, Common, ProposalRow, VoteSummary
from .signature import build_recipients, build_signature
from .votes import vote_summary

CONSENSUS = "Thống nhất"  # the figures' cell of a unit agreed on without a count


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
    meeting_words: that meeting as the sentence names it ("hội nghị tổng kết năm 2025 ngày 26
    tháng 12 năm 2025"; a proposal agreed without a ballot takes the meeting it names (award propose --meeting), or
    the year-end meeting);
    with_votes: whether any proposed unit has votes to print (a consensus has none: the tables
    then have no vote columns); enclosures: the files sent with it (the count minutes only when
    there was a ballot).
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
    meeting_words: str = ""
    with_votes: bool = False


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
    # every recorded proposal reaches the province: the catalogue's awards first, in its order,
    # then any other award the bloc agreed on (never left out without a word)
    rows = sorted(
        conn.execute(
            "SELECT unit_id, award, vote_id FROM proposal WHERE bloc_id = ? AND year = ? "
            "AND status = 'proposed' ORDER BY id",
            (bloc.id, year),
        ).fetchall(),
        key=lambda r: codes.index(r[1]) if r[1] in codes else len(codes),
    )
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
    agreed_at = conn.execute(  # agreed without a ballot at a meeting named (award propose --meeting)
        "SELECT meeting_id FROM proposal WHERE bloc_id = ? AND year = ? AND status = 'proposed' "
        "AND vote_id IS NULL AND meeting_id IS NOT NULL ORDER BY id DESC LIMIT 1",
        (bloc.id, year),
    ).fetchone()
    if meeting is None and agreed_at:
        meeting = meeting_service.get(conn, agreed_at[0])
    if meeting is None:  # agreed without a ballot: at the year's year-end meeting, if logged
        year_end = [
            m
            for m in meeting_service.list_meetings(conn, bloc, year)
            if m.kind == "tong-ket" and not m.additional
        ]
        meeting = year_end[0] if year_end else None
    if day is None and meeting is not None:
        day = meeting.date
    bloc = bloc_service.on(conn, bloc, day or dt.date(year, 12, 31))
    summaries = {vid: vote_summary(conn, vid, day) for vid in vote_ids}
    at = AsOf(bloc, year, day)
    profile = profile_of(conn, at)
    from ...awards import service as award_service

    flags, certs = [], []
    for uid, award, vid in rows:
        name = unit_service.name_on(conn, uid, day)[0]
        share = votes_text = ""
        if vid in summaries:
            for r in summaries[vid].results:
                if r.name == name:
                    votes_text, share = f"{r.votes}/{r.base}", r.share
        elif not vid:  # a show of hands has its figures too; a consensus has none
            how = award_service.how_decided(conn, bloc.id, year, award)
            if how is not None and how[0] == "hands" and how[2]:
                agree, present = how[1] or 0, how[2]
                votes_text = f"{agree}/{present} (giơ tay)"  # as a ballot row: «3/4»
                share = percent(agree / present)
            elif how is not None and how[0] == "consensus":
                votes_text = CONSENSUS
        target = flags if profile.is_leading(award) else certs
        target.append(
            ProposalRow(len(target) + 1, name, profile.award_name(award), votes_text, share)
        )
    # the figures' columns only when a ballot or a show of hands has figures to print
    with_votes = any(r.votes and r.votes != CONSENSUS for r in (*flags, *certs))
    if not with_votes:
        flags = [dataclasses.replace(r, votes="") for r in flags]
        certs = [dataclasses.replace(r, votes="") for r in certs]
    w = words(profile)
    cert_names = list(dict.fromkeys(r.award_name for r in certs))
    flag_names = list(dict.fromkeys(r.award_name for r in flags))
    subject_awards = flag_names + cert_names  # what is proposed, nothing else
    return ProposalContext(
        kind="proposal",
        header=build_header(conn, at, "TTr", number),
        title="TỜ TRÌNH",
        subject=f"Về việc đề nghị tặng {' và '.join(subject_awards)} {profile.year_words(year)}",
        bloc_name=bloc.name,
        year=year,
        date=date_words(day) if day else BLANK,
        signature=build_signature(conn, at),
        recipients=build_recipients(profile, "proposal", bloc),
        profile=w,
        addressee=profile_service.addressee(profile, bloc.place) or BLANK,
        through=profile.through or "",
        decided=_decided(conn, bloc, year, profile, rows),
        flag_award="; ".join(flag_names) or w.leading_award,
        certificate_award="; ".join(cert_names) or w.certificate_award,
        legal_basis=_with_body_rules(
            legal_basis(day or dt.date(year, 12, 31), profile.system, bloc.name)
            if callable(legal_basis)
            else legal_basis,
            profile,
            day or dt.date(year, 12, 31),
        ),
        flags=tuple(flags),
        certificates=tuple(certs),
        votes=tuple(summaries.values()),
        members_count=two_digits(len(bloc_service.member_ids(conn, bloc.id, year))),
        meeting_date=date_words(meeting.date) if meeting else BLANK,
        meeting_words=_meeting_words(meeting, year),
        with_votes=with_votes,
        enclosures=(
            _minutes_enclosed(meeting) + (" và biên bản kiểm phiếu" if vote_ids else ""),
            "Báo cáo thành tích của các đơn vị được đề nghị",
        ),
    )


def _with_body_rules(lines, profile, day: dt.date) -> tuple[str, ...]:
    """The parent body's own emulation rules in force on `day` (a ministry's circular, an
    association's guide), cited after the laws and before the bloc's own quy chế."""
    stamp = day.isoformat()
    own = [
        f"Căn cứ {r['title'].strip().rstrip(';')};"
        for r in profile.rules
        if (r.get("valid_from") or "") <= stamp and stamp <= (r.get("valid_to") or "9999-12-31")
    ]
    lines = list(lines)
    at = next((i for i, line in enumerate(lines) if "Quy chế" in line), len(lines))
    return tuple(lines[:at] + [x for x in own if x not in lines] + lines[at:])


_MEETING_WORDS = {
    "tong-ket": "hội nghị tổng kết năm {year}",
    "so-ket": "hội nghị sơ kết 6 tháng đầu năm {year}",
    "giao-ban": "hội nghị giao ban",
}


def _meeting_words(meeting, year: int) -> str:
    """Where the bloc agreed: «hội nghị tổng kết năm 2025 ngày 26 tháng 12 năm 2025», the kind
    and year as logged (a January meeting for the year before says both), or a blank."""
    if meeting is None:
        return f"hội nghị {BLANK}"
    what = _MEETING_WORDS.get(meeting.kind, "").format(year=meeting.year)
    if not what:
        what = f"hội nghị «{meeting.title}»" if meeting.title else "hội nghị"
    return f"{what} {date_words(meeting.date)}"


def _minutes_enclosed(meeting) -> str:
    if meeting is None or meeting.kind not in _MEETING_WORDS:
        return "Biên bản hội nghị"
    return "Biên bản " + _MEETING_WORDS[meeting.kind].split(" năm")[0]


def _decided(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    profile: profile_service.Profile,
    rows: list,
) -> str:
    """How the bloc agreed on its proposals, in words; each award as it was recorded."""
    from ...awards import service as award_service

    # each award as each of its proposals was agreed: a flag by ballot, a certificate by ballot
    # and another one by a show of hands are three phrases, none left out
    by_award: dict[tuple[str, str], str] = {}
    for _, award, vid in rows:
        if vid:
            how_words = "ballot"
        else:
            how = award_service.how_decided(conn, bloc.id, year, award)
            if how is None:
                how_words = BLANK
            elif how[0] == "hands":
                how_words = f"hands:{two_digits(how[1] or 0)}/{two_digits(how[2] or 0)}"
            else:
                how_words = how[0]
        by_award.setdefault((award, how_words), how_words)
    rules = f"theo quy chế hoạt động của {profile.words['word']}"

    def phrase(how: str, award_name: str | None) -> str:
        what = f" {award_name}" if award_name else ""
        if how == "ballot":
            return f"bỏ phiếu kín bình xét, suy tôn{what}"
        if how == "consensus":
            return f"thống nhất đề nghị{what}"
        if how.startswith("hands:"):
            return f"biểu quyết giơ tay đề nghị{what} ({how[6:]} đơn vị có mặt đồng ý)"
        return f"đề nghị{what} (cách quyết định: {BLANK})"

    kinds = set(by_award.values())
    if kinds == {BLANK}:  # not known how: nothing to say it followed
        return f"đã {phrase(BLANK, None)}"
    if len(kinds) == 1:
        return f"đã {phrase(kinds.pop(), None)} {rules}"
    # each way of deciding once, with the awards decided that way, in one sentence: «đã bỏ
    # phiếu kín bình xét, suy tôn A và B; biểu quyết giơ tay đề nghị B (07/08 …) theo quy chế …»
    groups: dict[str, list[str]] = {}
    for (award, _), how in by_award.items():
        groups.setdefault(how, []).append(profile.award_name(award))
    phrases = [phrase(how, join_vi(names)) for how, names in groups.items()]
    if any(len(names) > 1 for names in groups.values()):
        return f"đã {'; '.join(phrases)} {rules}"
    return f"đã {join_vi(phrases)} {rules}"
