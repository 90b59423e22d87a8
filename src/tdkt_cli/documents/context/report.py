"""The half-year and year-end reports (báo cáo sơ kết 6 tháng, tổng kết năm)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ...blocs import profiles as profile_service
from ...blocs import service as bloc_service
from ...core.errors import RuleBroken
from ...core.models import MEETING_KINDS, AsOf, Bloc
from ...meetings import service as meeting_service
from ...pledges import service as pledge_service
from ...scores import service as score_service
from ...text import date_words, two_digits
from ...units import service as unit_service
from ...votes import service as vote_service
from ..wording import join_vi
from .common import narrative_paragraphs, profile_of, words
from .header import build_header
from .parts import (
    BLANK,
    ActivityRow,
    Common,
    MeetingRow,
    MemberRow,
    Paragraphs,
    StandingRow,
    VoteSummary,
)
from .signature import build_recipients, build_signature
from .votes import vote_summary


@dataclass(frozen=True)
class ReportContext(Common):
    """The half-year (semiannual) or year-end (annual) report.

    period: "6 tháng đầu năm 2020" or "năm 2019"; period_range: "từ ngày 01/01/2020 đến ngày
    30/06/2020" (each record's date decides whether it is in); held_at: the report's own meeting
    when held after the period ("Hội nghị sơ kết … ngày 11/07/2018"), else "". members_count: "11". head, deputy: names or
    BLANK. members: MemberRow…; groups: group names in order (empty when the bloc has none).
    meetings: MeetingRow… of the period. registered: "04/11" members registered (or "" when none is recorded); not_registered:
    names. covenant: "ngày 08 tháng 01 năm 2020" or "" when none is recorded. votes: VoteSummary…
    (year-end only). standings: StandingRow… (year-end only, when the bloc scores).
    hidden_columns: headings of the members table left out because no row has a value in them
    ("Đăng ký thi đua" when nothing is registered): a column of blanks says nothing.
    addressee: the "Kính gửi" line (the report goes up to the province). missing: the absent
    records, in words (`report` warns about each on stderr).
    exemplar_counts: "08 tập thể và 27 cá nhân (trong đó có …)" or "" when none are recorded.
    activities: ActivityRow… of the period (total_words in lower case, as it sits mid-sentence). movements: names of the movements the members chair
    or co-run. next_year: year + 1; next_head, next_deputy: names or BLANK (year-end only).
    sections: dict of Paragraphs by key (direction, results, exemplars, strengths, shortcomings,
    causes, tasks, proposals). agreed: sentences for the proposals agreed without a ballot, with
    their figures ("Cụm đã biểu quyết giơ tay (04/05 đơn vị có mặt đồng ý) đề nghị tặng … cho …"),
    year-end only; the vote section prints these when there was no ballot.
    """

    period: str = ""
    # the exact days covered ("từ ngày 01/01/2018 đến ngày 30/6/2018") and the report's own
    # meeting, named apart when it falls after the period ("Hội nghị sơ kết ngày 11/7/2018")
    period_range: str = ""
    held_at: str = ""
    members_count: str = ""
    head: str = ""
    deputy: str = ""
    members: tuple[MemberRow, ...] = ()
    groups: tuple[str, ...] = ()
    meetings: tuple[MeetingRow, ...] = ()
    registered: str = ""
    not_registered: tuple[str, ...] = ()
    covenant: str = ""
    votes: tuple[VoteSummary, ...] = ()
    agreed: tuple[str, ...] = ()
    standings: tuple[StandingRow, ...] = ()
    exemplar_counts: str = ""
    addressee: str = ""
    missing: tuple[str, ...] = ()
    activities: tuple[ActivityRow, ...] = ()
    movements: tuple[str, ...] = ()
    next_year: int = 0
    next_head: str = ""
    next_deputy: str = ""
    sections: dict[str, Paragraphs] = field(default_factory=dict)
    hidden_columns: tuple[str, ...] = ()


def report(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    kind: str,
    narrative: dict[str, Any],
    day: dt.date | None = None,
    number: int | None = None,
) -> ReportContext:
    """The half-year (kind "semiannual") or year-end ("annual") report of a bloc-year."""
    members = bloc_service.member_ids(conn, bloc.id, year)
    if not members:
        raise RuleBroken(f"Khối {bloc.code} chưa có thành viên năm {year}; chưa lập được báo cáo.")
    annual = kind == "annual"
    meeting = _meeting_of(conn, bloc, year, ("tong-ket",) if annual else ("so-ket",))
    if day is None and meeting is not None:
        day = meeting.date
    start, end = profile_service.for_year(conn, bloc, year).period(year, annual)
    # a bloc whose members were all founded within the period (the wards of 01/07/2025) reports
    # from the day the first of them was founded, and says so
    founded = [unit_service.get(conn, uid).founded_on for uid in members]
    since_founding = ""
    if founded and None not in founded and start < min(founded) <= end:
        start = min(founded)
        since_founding = "ngày thành lập các đơn vị thành viên"
    bloc = bloc_service.on(conn, bloc, day or end)
    # each record's date decides where it belongs; the report's own meeting, held after the
    # period (a half-year review in July, a year-end review in January), is named, not counted
    all_meetings = [
        m for m in meeting_service.list_meetings(conn, bloc, year) if start <= m.date <= end
    ]
    held_at = ""
    if meeting is not None and not start <= meeting.date <= end:
        held_at = f"{meeting_label(meeting.title, meeting.kind)} ngày {meeting.date:%d/%m/%Y}"
    pledges = pledge_service.list_pledges(conn, bloc, year)
    covenant = pledges.covenant
    head, deputy = bloc_service.head_ids(conn, bloc.id, year)
    groups = []
    for m in bloc_service.member_rows(conn, bloc.id, year):
        if m.group and m.group not in groups:
            groups.append(m.group)
    votes_here: tuple[VoteSummary, ...] = ()
    standings: tuple[StandingRow, ...] = ()
    next_head = next_deputy = ""
    if annual:
        votes_here = tuple(
            vote_summary(conn, v.id, day) for v in vote_service.list_votes(conn, bloc, year)
        )
        if score_service.has_criteria(conn, bloc.id, year):
            sources = {
                "verified": "đã thẩm định",
                "self": "tự chấm",
                "mixed": "một phần đã thẩm định",
                "none": "chưa chấm",
            }
            standings = tuple(
                StandingRow(
                    s.rank,
                    unit_service.name_on(conn, s.unit_id, day)[0],
                    s.group or "",
                    f"{s.total:g}".replace(".", ","),
                    s.band or "",
                    sources[s.source],
                )
                for s in score_service.table(conn, bloc, year)
            )
        nh, nd = bloc_service.head_ids(conn, bloc.id, year + 1)
        next_head, next_deputy = _name_or_blank(conn, nh, day), _name_or_blank(conn, nd, day)
    at = AsOf(bloc, year, day)
    profile_now = profile_of(conn, at)
    this_year, next_words = profile_now.year_words(year), profile_now.year_words(year + 1)
    period = this_year if annual else f"6 tháng đầu {this_year}"
    period_range = (
        f"từ ngày {start:%d/%m/%Y}"
        + (f", {since_founding}," if since_founding else "")
        + f" đến ngày {end:%d/%m/%Y}"
    )
    present_members = bloc_service.member_ids_on(conn, bloc.id, year, day)
    # Truth first: an absent record is a blank to fill, never "00/10" or "chưa ký".
    missing = []
    registered_units = {p.unit_id for p in pledges.registrations}
    registered = (
        f"{two_digits(len(registered_units))}/{two_digits(len(members))}"
        if registered_units
        else ""
    )
    if not registered_units:
        missing.append(f"đăng ký thi đua năm {year} («tdkt pledge record»)")
    if covenant is None:
        missing.append(f"giao ước thi đua năm {year} («tdkt pledge sign»)")
    if head is None:
        missing.append(f"đơn vị {profile_now.words['head']} năm {year}")
    if deputy is None:
        missing.append(f"đơn vị {profile_now.words['deputy']} năm {year}")
    subject = (
        f"Tổng kết công tác thi đua, khen thưởng {this_year} và phương hướng, nhiệm vụ {next_words}"
        if annual
        else f"Sơ kết công tác thi đua, khen thưởng 6 tháng đầu {this_year}, nhiệm vụ 6 tháng cuối {this_year}"
    )
    member_rows = tuple(_members(conn, at, None if annual else end))
    return ReportContext(
        kind=kind,
        header=build_header(conn, at, "BC", number),
        title="BÁO CÁO",
        subject=subject,
        bloc_name=bloc.name,
        year=year,
        date=date_words(day) if day else BLANK,
        signature=build_signature(conn, at),
        recipients=build_recipients(
            profile_now,
            "report",
            bloc,
            (
                "Như trên",
                *[r for r in profile_now.recipients.get("report", ()) if r != profile_now.office],
            ),
        ),
        profile=words(profile_now),
        addressee=profile_now.office or BLANK,
        missing=tuple(missing),
        period=period,
        period_range=period_range,
        held_at=held_at,
        members_count=two_digits(len(present_members)),
        head=_name_or_blank(conn, head, day),
        deputy=_name_or_blank(conn, deputy, day),
        members=member_rows,
        hidden_columns=tuple(
            heading
            for heading, attr in (
                ("Đăng ký thi đua", "registered"),
                ("Đề nghị khen thưởng", "proposed"),
            )
            if not any(getattr(r, attr) for r in member_rows)
        ),
        groups=tuple(groups),
        meetings=tuple(
            MeetingRow(
                date=date_words(m.date),
                date_short=f"{m.date:%d/%m/%Y}",
                kind=MEETING_KINDS[m.kind],
                title=m.title or MEETING_KINDS[m.kind],
                present=f"{two_digits(len(m.present))}/{two_digits(len(m.present) + len(m.absent))}",
                label=meeting_label(m.title, m.kind) + (" (bổ sung)" if m.additional else ""),
            )
            for m in all_meetings
        ),
        registered=registered,
        not_registered=pledges.not_registered,
        covenant=date_words(covenant.date) if covenant else "",
        votes=votes_here,
        agreed=agreed_sentences(conn, at, profile_now) if annual else (),
        standings=standings,
        **_year_activities(conn, bloc, year, annual, end),
        next_year=year + 1,
        next_head=next_head,
        next_deputy=next_deputy,
        sections=narrative_paragraphs(
            narrative,
            [
                "direction",
                "results",
                "exemplars",
                "strengths",
                "shortcomings",
                "causes",
                "tasks",
                "proposals",
            ],
        ),
    )


def _year_activities(
    conn: sqlite3.Connection, bloc: Bloc, year: int, annual: bool, end: dt.date
) -> dict[str, Any]:
    from ...activities import service as activity_service
    from ...text import group_digits, number_words

    counts = activity_service.count_exemplars(conn, bloc, year)
    acts = [a for a in activity_service.list_activities(conn, bloc, year) if a.date <= end]
    members = set(bloc_service.member_ids(conn, bloc.id, year))
    movements = []
    for movement_id, name in conn.execute("SELECT id, name FROM movement ORDER BY id").fetchall():
        taking_part = {
            r[0]
            for r in conn.execute(
                "SELECT unit_id FROM movement_unit WHERE movement_id = ?", (movement_id,)
            )
        }
        if taking_part & members:
            movements.append(name)
    return {
        "exemplar_counts": counts.sentence() if counts.collectives or counts.individuals else "",
        "activities": tuple(
            ActivityRow(
                date=f"{a.date:%d/%m/%Y}",
                purpose=a.purpose,
                place=a.place or BLANK,
                beneficiaries=str(a.beneficiaries) if a.beneficiaries is not None else "",
                total=group_digits(a.total),
                total_words=number_words(a.total) + " đồng",
                given=_given(a.beneficiaries, a.beneficiary_note, a.purpose),
            )
            for a in acts
        ),
        "movements": tuple(movements),
    }


def _given(count: int | None, note: str | None, purpose: str) -> str:
    """What a joint activity gave, as people write it (seed 002: «tặng 20 phần quà cho các gia
    đình chính sách»), not «20 phần quà/người nhận»: the count with the clerk's description of
    the recipients («phần quà cho gia đình chính sách», «hộ nghèo»); without one, «phần quà»
    when the purpose gives gifts, else «người nhận»."""
    if count is None:
        return ""
    gifts = "quà" in purpose.lower()
    note = (note or "").strip()
    if not note:
        return f"{count} {'phần quà' if gifts else 'người nhận'}"
    if note.lower().startswith("cho "):  # «cho gia đình chính sách»: say what was given
        return f"{count} {'phần quà' if gifts else 'suất hỗ trợ'} {note}"
    return f"{count} {note}"


def _members(conn: sqlite3.Connection, at: AsOf, until: dt.date | None = None) -> list[MemberRow]:
    bloc, year, day = at.bloc, at.year, at.day
    pledges = pledge_service.list_pledges(conn, bloc, year)
    titles: dict[int, list[str]] = {}
    for p in pledges.registrations:
        titles.setdefault(p.unit_id, []).append(p.title)
    proposed: dict[int, list[str]] = {}
    profile = profile_of(conn, at)
    for r in conn.execute(
        "SELECT p.unit_id, p.award, m.date FROM proposal p LEFT JOIN vote v ON v.id = p.vote_id "
        "LEFT JOIN meeting m ON m.id = v.meeting_id "
        "WHERE p.bloc_id = ? AND p.year = ? AND p.status = 'proposed' ORDER BY p.id",
        (bloc.id, year),
    ):
        # each record's date decides where it belongs: a January proposal is not in June's report
        if until is not None and (r[2] is None or r[2] > until.isoformat()):
            continue
        proposed.setdefault(r[0], []).append(profile.award_name(r[1]))
    rows = []
    for i, m in enumerate(bloc_service.member_rows(conn, bloc.id, year), 1):
        rows.append(
            MemberRow(
                no=i,
                name=unit_service.name_on(conn, m.unit_id, day)[0],
                group=m.group or "",
                registered="; ".join(titles.get(m.unit_id, [])),
                proposed="; ".join(proposed.get(m.unit_id, [])),
            )
        )
    return rows


def _meeting_of(conn: sqlite3.Connection, bloc: Bloc, year: int, kinds: tuple[str, ...]):
    # an additional year-end meeting (--additional) never takes the report's date or place
    found = [
        m
        for m in meeting_service.list_meetings(conn, bloc, year)
        if m.kind in kinds and not m.additional
    ]
    return found[-1] if found else None


def _name_or_blank(conn: sqlite3.Connection, unit_id: int | None, day: dt.date | None) -> str:
    return unit_service.name_on(conn, unit_id, day)[0] if unit_id else BLANK


_KIND_WORDS = {"so-ket": "sơ kết", "tong-ket": "tổng kết", "giao-ban": "giao ban"}


def meeting_label(title: str | None, kind: str) -> str:
    """«Hội nghị tổng kết … năm 2024», not «… năm 2024 (tổng kết năm)»: the kind is added only
    when the title does not say it, and a meeting of no particular kind gets no label."""
    if not title:
        return f"Hội nghị {MEETING_KINDS[kind].lower()}" if kind in _KIND_WORDS else "Hội nghị"
    from ...text import loose_key

    word = _KIND_WORDS.get(kind)
    if word is None or loose_key(word) in loose_key(title):
        return title
    return f"{title} ({MEETING_KINDS[kind].lower()})"


def agreed_sentences(
    conn: sqlite3.Connection,
    at: AsOf,
    profile,
    meeting_id: int | None = None,
    year_end: bool = True,
) -> tuple[str, ...]:
    """The proposals the bloc agreed on without a ballot, one sentence per award, with how.
    With `meeting_id`, those agreed at that meeting only: the ones that name it (award propose
    --meeting) and, when it is the year's year-end meeting (`year_end`), those naming none."""
    from ...awards import service as award_service

    by_award: dict[str, list[str]] = {}
    where = ""
    args: tuple = (at.bloc.id, at.year)
    if meeting_id is not None:
        where = " AND (meeting_id = ? OR (meeting_id IS NULL AND ?))"
        args = (*args, meeting_id, int(year_end))
    for uid, award in conn.execute(
        "SELECT unit_id, award FROM proposal WHERE bloc_id = ? AND year = ? AND vote_id IS NULL "
        f"AND status = 'proposed'{where} ORDER BY id",
        args,
    ):
        by_award.setdefault(award, []).append(unit_service.name_on(conn, uid, at.day)[0])
    word = profile.words["word"]
    out = []
    for award, names in by_award.items():
        how = award_service.how_decided(conn, at.bloc.id, at.year, award)
        what = f"đề nghị tặng {profile.award_name(award)} cho {join_vi(names)}"
        if how is None:
            out.append(f"{word.capitalize()} đã {what} (cách quyết định: {BLANK}).")
        elif how[0] == "hands":
            agree, present = two_digits(how[1] or 0), two_digits(how[2] or 0)
            out.append(
                f"{word.capitalize()} đã biểu quyết giơ tay ({agree}/{present} đơn vị có mặt "
                f"đồng ý) {what}."
            )
        else:
            out.append(f"{word.capitalize()} đã thống nhất {what}.")
    return tuple(out)
