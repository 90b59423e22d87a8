"""What each document's template receives: frozen dataclasses built from the records.

Templates never see the database. Every field is documented in its class docstring (a test checks
it), so a clerk editing a template knows what is there. Names are those valid on the document's
date; dates are written the ND30 way; percentages take a decimal comma; counts below 10 take a
leading zero. Text the clerk writes (the narrative) is never invented: a missing section becomes
a marked blank, `BLANK`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..blocs import profiles as profile_service
from ..blocs import service as bloc_service
from ..core.errors import NotFound, RuleBroken
from ..core.models import DECIDERS, MEETING_KINDS, Bloc
from ..meetings import service as meeting_service
from ..pledges import service as pledge_service
from ..scores import service as score_service
from ..text import date_words, percent, two_digits
from ..units import service as unit_service
from ..votes import service as vote_service
from . import wording
from .wording import join_vi

BLANK = "[…cần bổ sung…]"

NARRATIVE_SECTIONS = {
    "direction": "Công tác chỉ đạo, tổ chức",
    "results": "Kết quả thực hiện nhiệm vụ và phong trào thi đua",
    "exemplars": "Xây dựng và nhân rộng điển hình tiên tiến",
    "strengths": "Ưu điểm",
    "shortcomings": "Hạn chế",
    "causes": "Nguyên nhân",
    "tasks": "Nhiệm vụ trọng tâm",
    "proposals": "Đề xuất, kiến nghị",
    "commitments": "Nội dung giao ước",
    "content": "Nội dung hội nghị",
    "conclusions": "Kết luận",
}

TYPE_CODES = {"report": "BC", "minutes": "BB", "tally": "BB", "proposal": "TTr"}


@dataclass(frozen=True)
class Header:
    """The two-column header of ND30.

    parent: the body above the issuer, upper case ("UBND TỈNH BẮC KẠN"), may be empty.
    issuer: the issuing body, upper case ("KHỐI THI ĐUA VĂN HÓA - XÃ HỘI").
    number: the number line ("Số: 05/BC-VHXH", or "Số:      /BC-VHXH" left for the records office),
        empty for documents that carry no number.
    place_date: the italic place-date line ("Bắc Kạn, ngày 08 tháng 01 năm 2020"), empty for minutes.
    national: the first line of the right column, from the document style: the Quốc hiệu
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ND30) or "ĐẢNG CỘNG SẢN VIỆT NAM" (HD36).
    motto: the Tiêu ngữ under it ("Độc lập - Tự do - Hạnh phúc"), empty in the Party style.
    mark: the sign under the issuer in the Party style ("*"), empty in ND30.
    """

    parent: str
    issuer: str
    number: str
    place_date: str
    national: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str = "Độc lập - Tự do - Hạnh phúc"
    mark: str = ""


@dataclass(frozen=True)
class Words:
    """The bloc's profile as documents print it (templates/profiles/, `tdkt bloc profile`).

    kind: "khoi" or "cum"; word: "khối" / "cụm"; Word: "Khối" / "Cụm"; head: "trưởng khối" /
    "cụm trưởng"; deputy: "phó khối" / "cụm phó"; leading: "dẫn đầu khối" / "dẫn đầu cụm";
    system: the preset's name (nha-nuoc, dang, hoi, nganh); system_name: in words; style: nd30 or
    hd36; decider: who the proposal asks to decide ("Chủ tịch Ủy ban nhân dân tỉnh");
    awarding_body: who awards the leading unit's award ("Ủy ban nhân dân tỉnh"); office: the
    system's emulation office; leading_award: the printed name of the leading unit's award
    ("Cờ thi đua của Ủy ban nhân dân tỉnh"); certificate_award: the printed name of the next award
    of the catalogue ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"), or "".
    """

    kind: str
    word: str
    Word: str
    head: str
    deputy: str
    leading: str
    system: str
    system_name: str
    style: str
    decider: str
    awarding_body: str
    office: str
    leading_award: str
    certificate_award: str


@dataclass(frozen=True)
class Signature:
    """The signature block on the right.

    authority: "TM. KHỐI THI ĐUA …" or empty.
    title: "TRƯỞNG KHỐI", "CHỦ TRÌ", "THƯ KÝ"…
    position: the signer's own post, upper case ("GIÁM ĐỐC BẢO HIỂM XÃ HỘI TỈNH"), may be empty.
    name: the signer's name, or BLANK.
    """

    authority: str
    title: str
    position: str
    name: str


@dataclass(frozen=True)
class Paragraphs:
    """A narrative section: `title` and its `paragraphs` (the clerk's text, or [BLANK]);
    `filled` is False when the clerk gave nothing."""

    title: str
    paragraphs: tuple[str, ...]
    filled: bool


@dataclass(frozen=True)
class MemberRow:
    """One member in a table: `no` (1, 2…), `name`, `group` (or ""), `registered` (titles it
    registered for, joined by "; "), `proposed` (awards proposed this year, joined by "; ")."""

    no: int
    name: str
    group: str
    registered: str
    proposed: str


@dataclass(frozen=True)
class StandingRow:
    """One line of the scoring table: `rank`, `name`, `group` (or ""), `total` ("98" or "97,5"),
    `band` (xếp loại, or ""), `source` ("đã thẩm định", "tự chấm"…)."""

    rank: int
    name: str
    group: str
    total: str
    band: str
    source: str


@dataclass(frozen=True)
class ActivityRow:
    """A joint activity: `date` (08/01/2020), `purpose`, `place` (or BLANK), `beneficiaries`
    ("20" or ""), `total` ("20.000.000"), `total_words` ("hai mươi triệu đồng")."""

    date: str
    purpose: str
    place: str
    beneficiaries: str
    total: str
    total_words: str


@dataclass(frozen=True)
class MeetingRow:
    """A meeting in a report: `date` (ND30 words), `date_short` (08/01/2020), `kind` (label),
    `title`, `present` ("11/11")."""

    date: str
    date_short: str
    kind: str
    title: str
    present: str


@dataclass(frozen=True)
class ResultRow:
    """One candidate in a count: `no`, `name`, `votes`, `base` (the base count), `share`
    ("81,82%"), `verdict` ("đạt" / "không đạt"), `elected` (bool)."""

    no: int
    name: str
    votes: int
    base: int
    share: str
    verdict: str
    elected: bool


@dataclass(frozen=True)
class VoteSummary:
    """A vote as documents tell it.

    id, award (code), award_name, seats, round; members, present, issued, cast, valid, blank,
    invalid (counts, as text with a leading zero below 10); rule (the rule in words); base_words
    ("tổng số đơn vị thành viên"); results (ResultRow…); elected (names); explanation (the whole
    count in one paragraph, as for the minutes: each figure once, no em dash); status (decided,
    tie, no-majority, no-quorum, no-ballots); committee (names of the counting committee, may be
    empty); counts: the ballots in one sentence ("…; không có phiếu trắng."); outcome: who is
    elected and why, without the figures (the last round calls no new vote); notes: the decision
    note (`vote decide --note`) and each reason the vote was reopened (`vote reopen --reason`),
    as sentences; blank_count, invalid_count: the numbers, for the `count` filter.
    """

    id: int
    award: str
    award_name: str
    seats: str
    round: int
    members: str
    present: str
    issued: str
    cast: str
    valid: str
    blank: str
    invalid: str
    rule: str
    base_words: str
    results: tuple[ResultRow, ...]
    elected: tuple[str, ...]
    explanation: str
    status: str
    committee: tuple[str, ...]
    counts: str = ""
    outcome: str = ""
    notes: tuple[str, ...] = ()
    blank_count: int = 0
    invalid_count: int = 0


@dataclass(frozen=True)
class Rules:
    """The short rules ND30 draws, computed from the text they sit under (1/3 to 1/2 of its
    longest line): issuer_cm, subject_cm (lengths in cm); issuer_side, subject_side (the left and
    right indent in twips that centre each rule in its column, for the Word template)."""

    issuer_cm: float = 0.0
    subject_cm: float = 0.0
    issuer_side: int = 0
    subject_side: int = 0


@dataclass(frozen=True)
class Common:
    """Fields every document has.

    kind: the document type (semiannual, annual, minutes, tally, proposal, covenant, ballot).
    header: Header. title: "BÁO CÁO", "BIÊN BẢN"…; subject: the line under the title.
    bloc_name: the bloc's name; year: the emulation year; date: the document's date in ND30 words
    (or BLANK); signature: Signature; recipients: the "Nơi nhận" lines, the last
    "- Lưu: VT, <ký hiệu>, 02b."; rules: Rules (computed from issuer and subject).
    profile: Words, the bloc's kind (khối, cụm), system and award names (the bloc's profile).
    """

    kind: str
    header: Header
    title: str
    subject: str
    bloc_name: str
    year: int
    date: str
    signature: Signature
    recipients: tuple[str, ...]
    profile: Words
    rules: Rules = field(default_factory=Rules)

    def __post_init__(self) -> None:
        issuer, subject = self.header.issuer, self.subject
        rules = Rules(
            issuer_cm=wording.rule_cm(issuer, wording.ISSUER_CELL_CM, 13),
            subject_cm=wording.rule_cm(subject, wording.TEXT_CM, 14),
            issuer_side=wording.side_twips(issuer, wording.ISSUER_CELL_CM, 13),
            subject_side=wording.side_twips(subject, wording.TEXT_CM, 14),
        )
        object.__setattr__(self, "rules", rules)


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
    causes, tasks, proposals).
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


@dataclass(frozen=True)
class MinutesContext(Common):
    """Minutes of a meeting (no place-date line; secretary signs left, chair right).

    meeting_kind: label ("Tổng kết năm"); place, chair, secretary: text or BLANK; time: the
    meeting's date in words; present: names; present_count: "11/11"; absent: names; guests: names;
    note: the recorded notes/conclusions or ""; votes: VoteSummary… held at this meeting;
    covenant_year: the year of a covenant signed at this meeting, or 0; sections: dict of
    Paragraphs (content, conclusions); secretary_signature: Signature for the left column.
    start, end: the recorded times in words ("08 giờ 00"), or BLANK (Mẫu 1.9 asks for both).
    chairs: one Signature per chair (co-chairs allowed), name and title apart; chair_signatures:
    the same for the right column ("CHỦ TỌA", the chair's title above the name).
    A chair or secretary recorded as "Name - Title" (co-chairs separated by ";") gives the name
    and the title; text that is not a person's name stays whole as the title, the name BLANK.
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
    sections: dict[str, Paragraphs] = field(default_factory=dict)
    secretary_signature: Signature | None = None
    start: str = ""
    end: str = ""
    chairs: tuple[Signature, ...] = ()
    chair_signatures: tuple[Signature, ...] = ()


@dataclass(frozen=True)
class TallyContext(Common):
    """Count minutes (biên bản kiểm phiếu).

    vote: VoteSummary. meeting_title: the meeting's title or kind; place: text or BLANK;
    committee: names (3 BLANK lines when none were recorded); committee_rows: the committee's
    Signatures in rows of three, for the signature table; committee_signatures: Signature…
    one per committee member (title: the role, "TRƯỞNG BAN" / "THÀNH VIÊN"; position: the
    member's own title in capitals). date_plain: "ngày 08 tháng 01 năm 2020" or BLANK; start,
    read_at: the time counting began and the time the result was read out (not recorded: BLANK).
    reopened: the reasons given each time the closed vote was reopened to be corrected
    (`tdkt vote reopen`), oldest first; empty when it never was.
    """

    vote: VoteSummary | None = None
    meeting_title: str = ""
    place: str = ""
    committee: tuple[str, ...] = ()
    committee_signatures: tuple[Signature, ...] = ()
    committee_rows: tuple[tuple[Signature, ...], ...] = ()
    reopened: tuple[str, ...] = ()
    date_plain: str = ""
    start: str = ""
    read_at: str = ""


@dataclass(frozen=True)
class ProposalRow:
    """A unit proposed: `no`, `name`, `award_name`, `votes` ("9/11"), `share` ("81,82%")."""

    no: int
    name: str
    award_name: str
    votes: str
    share: str


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


@dataclass(frozen=True)
class CovenantContext(Common):
    """The covenant (giao ước thi đua): `commitments` (paragraphs: the clerk's, or the bundled
    defaults from covenant.yaml), `signers` (member names, upper case, in the bloc's order),
    `signer_rows` (the same in rows of three), `signed_on` (date words or BLANK), `signer_cells`
    (rows of three Signatures for the signature table: authority "TM. <UNIT>", title "THỦ TRƯỞNG
    ĐƠN VỊ", name BLANK for the signer to write)."""

    commitments: tuple[str, ...] = ()
    signers: tuple[str, ...] = ()
    signer_rows: tuple[tuple[str, ...], ...] = ()
    signed_on: str = ""
    signer_cells: tuple[tuple[Signature, ...], ...] = ()


@dataclass(frozen=True)
class BallotContext(Common):
    """The ballot paper: `award_name`, `seats` ("01"), `candidates` (names in the bloc's order),
    `instruction` (how to mark), `round` (1, 2…)."""

    award_name: str = ""
    seats: str = ""
    candidates: tuple[str, ...] = ()
    instruction: str = ""
    round: int = 1


def as_template_vars(ctx: Any) -> dict[str, Any]:
    """Top-level template variables: the context's fields (nested objects keep attribute access)."""
    return {f.name: getattr(ctx, f.name) for f in dataclasses.fields(ctx)}


# --- builders --------------------------------------------------------------------------------


def _upper(text: str) -> str:
    return text.upper()


def _narrative(narrative: dict[str, Any], keys: list[str]) -> dict[str, Paragraphs]:
    out = {}
    for key in keys:
        value = narrative.get(key)
        if value is None or value == "" or value == []:
            out[key] = Paragraphs(NARRATIVE_SECTIONS[key], (BLANK,), False)
            continue
        if isinstance(value, str):
            paras = tuple(p.strip().replace("\n", " ") for p in value.split("\n\n") if p.strip())
        else:
            paras = tuple(str(p).strip() for p in value if str(p).strip())
        out[key] = Paragraphs(NARRATIVE_SECTIONS[key], paras or (BLANK,), bool(paras))
    return out


def _profile(
    conn: sqlite3.Connection, bloc: Bloc, year: int, day: dt.date | None
) -> profile_service.Profile:
    return (
        profile_service.of(conn, bloc, day) if day else profile_service.for_year(conn, bloc, year)
    )


def words(profile: profile_service.Profile) -> Words:
    w = profile.words
    others = [a for a in profile.awards if not a.leading]
    return Words(
        kind=profile.kind,
        word=w["word"],
        Word=w["word"][0].upper() + w["word"][1:],
        head=w["head"],
        deputy=w["deputy"],
        leading=w["leading"],
        system=profile.preset,
        system_name=profile.system_name,
        style=profile.style,
        decider=profile.decider,
        awarding_body=profile.leading_award.body,
        office=profile.office,
        leading_award=profile.leading_award.name,
        certificate_award=others[0].name if others else "",
    )


def _header(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    day: dt.date | None,
    type_code: str | None,
    number: int | None,
    with_date: bool = True,
) -> Header:
    style = _profile(conn, bloc, year, day).style_data
    if bloc.issue_as == "head":
        head_id, _ = bloc_service.head_ids(conn, bloc.id, year)
        issuer = unit_service.name_on(conn, head_id, day)[0] if head_id else bloc.name
    else:
        issuer = bloc.name
    num = ""
    if type_code:
        num = (
            style["number"].format(number=f"{number:02d}", type=type_code, code=doc_code(bloc))
            if number
            else style["number_blank"].format(type=type_code, code=doc_code(bloc))
        )
    place_date = ""
    if with_date:
        place = bloc.place or "……"
        place_date = (
            f"{place}, {date_words(day)}" if day else f"{place}, ngày …… tháng …… năm {year}"
        )
    return Header(
        wording.header_name(_upper(bloc.parent or "")),
        wording.header_name(_upper(issuer)),
        num,
        place_date,
        national=style["national"],
        motto=style["motto"],
        mark=style["mark"],
    )


def _signature(
    conn: sqlite3.Connection, bloc: Bloc, year: int, day: dt.date | None = None
) -> Signature:
    profile = _profile(conn, bloc, year, day)
    name, position = bloc_service.signer(conn, bloc.id, year)
    if bloc.issue_as == "head":
        return Signature("", _upper(position or "THỦ TRƯỞNG ĐƠN VỊ"), "", name or BLANK)
    return Signature(
        f"{profile.style_data['authority']} {_upper(bloc.name)}",
        _upper(profile.words["head"]),
        _upper(position or ""),
        name or BLANK,
    )


ARCHIVE_COPIES = 2  # the copies kept: one by văn thư (VT), one by the drafting unit


def doc_code(bloc: Bloc) -> str:
    """The ký hiệu of the drafting body: the bloc's document code, never its command code."""
    return bloc.doc_code or BLANK


def _recipients(
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


def vote_summary(conn: sqlite3.Connection, vote_id: int, day: dt.date | None) -> VoteSummary:
    vote = vote_service.get(conn, vote_id)
    result = vote_service.tally(conn, vote, day)
    decided = vote_service.decided_names(conn, vote, result)
    profile = (
        profile_service.of(conn, vote.bloc_id, day)
        if day
        else profile_service.for_year(conn, vote.bloc_id, vote.year)
    )
    base_words = vote_service.BASES[vote.base]
    rule = (
        f"đạt {vote_service.threshold_words(vote)} {base_words} và nằm trong "
        f"{two_digits(vote.seats)} đơn vị có số phiếu cao nhất"
    )
    final = vote.round >= vote_service.rules(conn, vote.bloc_id, vote.year).max_rounds
    decider = DECIDERS.get(vote.decided_by or "head-deputy", DECIDERS["head-deputy"])
    award_name = profile.award_name(vote.award)
    outcome = wording.result_sentence(
        vote,
        result,
        decided,
        award_name,
        final,
        decider,
        leading=profile.is_leading(vote.award),
        word=profile.words["word"],
    )
    explanation = wording.explanation(vote, result, base_words, rule, outcome, award_name)
    notes = _vote_notes(conn, vote)
    rows = tuple(
        ResultRow(
            no=i,
            name=line.name,
            votes=line.votes,
            base=result.base_count,
            share=percent(line.share),
            verdict="đạt" if line.passed else "không đạt",
            elected=line.elected or line.name in decided,
        )
        for i, line in enumerate(result.lines, 1)
    )
    b = result.ballots
    return VoteSummary(
        id=vote.id,
        award=vote.award,
        award_name=profile.award_name(vote.award),
        seats=two_digits(vote.seats),
        round=vote.round,
        members=two_digits(result.members),
        present=two_digits(result.present),
        issued=two_digits(result.present),
        cast=two_digits(b.cast),
        valid=two_digits(b.valid),
        blank=two_digits(b.blank),
        invalid=two_digits(b.invalid),
        rule=rule,
        base_words=base_words,
        results=rows,
        elected=tuple(r.name for r in rows if r.elected),
        explanation=explanation,
        status="decided" if decided else result.status,
        committee=vote.committee,
        counts=wording.counts_sentence(result),
        outcome=outcome,
        notes=notes,
        blank_count=b.blank,
        invalid_count=b.invalid,
    )


def _vote_notes(conn: sqlite3.Connection, vote: Any) -> tuple[str, ...]:
    """The reasons a closed vote was reopened, then the note of the rule that decided a tie."""
    notes = []
    has_reopen = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vote_reopen'"
    ).fetchone()
    if has_reopen:
        for (reason,) in conn.execute(
            "SELECT reason FROM vote_reopen WHERE vote_id = ? ORDER BY id", (vote.id,)
        ):
            notes.append(f"Kết quả kiểm phiếu được mở lại để sửa; lý do: {reason.rstrip('.')}.")
    if vote.decision_note:
        notes.append(f"Ghi chú về việc quyết định: {vote.decision_note.rstrip('.')}.")
    return tuple(notes)


def _meeting_of(conn: sqlite3.Connection, bloc: Bloc, year: int, kinds: tuple[str, ...]):
    found = [m for m in meeting_service.list_meetings(conn, bloc, year) if m.kind in kinds]
    return found[-1] if found else None


def _members(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    day: dt.date | None,
    until: dt.date | None = None,
) -> list[MemberRow]:
    pledges = pledge_service.list_pledges(conn, bloc, year)
    titles: dict[int, list[str]] = {}
    for p in pledges.registrations:
        titles.setdefault(p.unit_id, []).append(p.title)
    proposed: dict[int, list[str]] = {}
    profile = _profile(conn, bloc, year, day)
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


def _name_or_blank(conn: sqlite3.Connection, unit_id: int | None, day: dt.date | None) -> str:
    return unit_service.name_on(conn, unit_id, day)[0] if unit_id else BLANK


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
    start, end = period_of(year, annual)
    bloc = bloc_service.on(conn, bloc, day or end)
    # each record's date decides where it belongs; the report's own meeting, held after the
    # period (a half-year review in July, a year-end review in January), is named, not counted
    all_meetings = [
        m for m in meeting_service.list_meetings(conn, bloc, year) if start <= m.date <= end
    ]
    held_at = ""
    if meeting is not None and not start <= meeting.date <= end:
        held_at = f"{meeting.title or MEETING_KINDS[meeting.kind]} ngày {meeting.date:%d/%m/%Y}"
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
    period = f"năm {year}" if annual else f"6 tháng đầu năm {year}"
    profile_now = _profile(conn, bloc, year, day)
    period_range = f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
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
        missing.append(f"đơn vị trưởng khối năm {year}")
    if deputy is None:
        missing.append(f"đơn vị phó khối năm {year}")
    if bloc.doc_code is None:
        missing.append("ký hiệu văn bản của khối («tdkt bloc edit --doc-code»)")
    subject = (
        f"Tổng kết công tác thi đua, khen thưởng năm {year} và phương hướng, nhiệm vụ năm {year + 1}"
        if annual
        else f"Sơ kết công tác thi đua, khen thưởng 6 tháng đầu năm {year}, nhiệm vụ 6 tháng cuối năm {year}"
    )
    member_rows = tuple(_members(conn, bloc, year, day, None if annual else end))
    return ReportContext(
        kind=kind,
        header=_header(conn, bloc, year, day, "BC", number),
        title="BÁO CÁO",
        subject=subject,
        bloc_name=bloc.name,
        year=year,
        date=date_words(day) if day else BLANK,
        signature=_signature(conn, bloc, year, day),
        recipients=_recipients(
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
            )
            for m in all_meetings
        ),
        registered=registered,
        not_registered=pledges.not_registered,
        covenant=date_words(covenant.date) if covenant else "",
        votes=votes_here,
        standings=standings,
        **_year_activities(conn, bloc, year, annual, end),
        next_year=year + 1,
        next_head=next_head,
        next_deputy=next_deputy,
        sections=_narrative(
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


def period_of(year: int, annual: bool) -> tuple[dt.date, dt.date]:
    """The days a report covers: the year, or 1 January to 30 June."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31) if annual else dt.date(year, 6, 30)


def _year_activities(
    conn: sqlite3.Connection, bloc: Bloc, year: int, annual: bool, end: dt.date
) -> dict[str, Any]:
    from ..activities import service as activity_service
    from ..text import group_digits, number_words

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
            )
            for a in acts
        ),
        "movements": tuple(movements),
    }


def person(text: str | None) -> tuple[str, str]:
    """ "Nguyễn Văn An - Giám đốc Sở Y tế" → (name, title). Only a name (every word capitalised,
    two to five words) counts as one: "Lãnh đạo Bảo hiểm Xã hội tỉnh" is a title, the name BLANK."""
    if not text:
        return BLANK, ""
    head, _sep, tail = text.partition(" - ")
    words = head.split()
    if 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words):
        return head.strip(), tail.strip()
    return BLANK, text.strip()


def _people(text: str | None) -> tuple[tuple[str, str], ...]:
    parts = [t.strip() for t in (text or "").split(";") if t.strip()]
    return tuple(person(t) for t in parts) or ((BLANK, ""),)


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
    profile_now = _profile(conn, bloc, m.year, day)
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
        header=_header(conn, bloc, m.year, day, "BB", number, with_date=False),
        title="BIÊN BẢN",
        subject=m.title
        or f"Hội nghị {kind_label.lower()} công tác thi đua, khen thưởng năm {m.year}",
        bloc_name=bloc.name,
        year=m.year,
        date=date_words(day),
        signature=Signature("", chair_role, _upper(chairs[0][1]), chairs[0][0]),
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
        absent=m.absent,
        guests=m.guests,
        note=m.note or "",
        votes=votes_here,
        covenant_year=cov[0] if cov else 0,
        sections=_narrative(narrative, ["content", "conclusions"]),
        secretary_signature=Signature("", "THƯ KÝ", _upper(sec_title), sec_name),
        start=wording.clock(m.start),
        end=wording.clock(m.end),
        chairs=tuple(Signature("", chair_role, t, n) for n, t in chairs),
        chair_signatures=tuple(Signature("", chair_role, _upper(t), n) for n, t in chairs),
    )


def tally(conn: sqlite3.Connection, vote_id: int, number: int | None = None) -> TallyContext:
    vote = vote_service.get(conn, vote_id)
    meeting = meeting_service.get(conn, vote.meeting) if vote.meeting else None
    day = meeting.date if meeting else None
    bloc = bloc_service.on(
        conn, bloc_service.resolve(conn, vote.bloc), day or dt.date(vote.year, 12, 31)
    )
    summary = vote_summary(conn, vote_id, day)
    profile = _profile(conn, bloc, vote.year, day)
    what = (
        f"suy tôn đơn vị {profile.words['leading']}, đề nghị tặng"
        if profile.is_leading(vote.award)
        else "đề nghị tặng"
    )
    committee = vote.committee or (BLANK, BLANK, BLANK)
    roles = ["TRƯỞNG BAN"] + ["THÀNH VIÊN"] * (len(committee) - 1)
    people = [person(c) if c != BLANK else (BLANK, "") for c in committee]
    signatures = tuple(
        Signature("", role, _upper(t), n) for role, (n, t) in zip(roles, people, strict=True)
    )
    return TallyContext(
        kind="tally",
        header=_header(conn, bloc, vote.year, day, "BB", number, with_date=False),
        title="BIÊN BẢN KIỂM PHIẾU",
        subject=f"Bỏ phiếu {what} {summary.award_name} năm {vote.year}"
        + (f" (vòng {vote.round})" if vote.round > 1 else ""),
        bloc_name=bloc.name,
        year=vote.year,
        date=date_words(day) if day else BLANK,
        signature=Signature("", "TRƯỞNG BAN KIỂM PHIẾU", "", committee[0].split(" - ")[0]),
        recipients=(),
        profile=words(profile),
        vote=summary,
        meeting_title=(meeting.title or MEETING_KINDS[meeting.kind]) if meeting else BLANK,
        place=(meeting.place or BLANK) if meeting else BLANK,
        committee=tuple(committee),
        committee_signatures=signatures,
        committee_rows=tuple(signatures[i : i + 3] for i in range(0, len(signatures), 3)),
        reopened=tuple(vote_service.reopen_reasons(conn, vote.id)),
        date_plain=date_words(day) if day else BLANK,
        start=BLANK,
        read_at=BLANK,
    )


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
    profile = _profile(conn, bloc, year, day)
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
        header=_header(conn, bloc, year, day, "TTr", number),
        title="TỜ TRÌNH",
        subject=f"Về việc đề nghị tặng {' và '.join(subject_awards)} năm {year}",
        bloc_name=bloc.name,
        year=year,
        date=date_words(day) if day else BLANK,
        signature=_signature(conn, bloc, year, day),
        recipients=_recipients(profile, "proposal", bloc),
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
    from ..awards import service as award_service

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


def default_commitments(
    conn: sqlite3.Connection, bloc: Bloc, year: int, lines: list[Any]
) -> list[str]:
    """The bundled commitments (covenant.yaml) in the bloc's words: {Word}, {word} and
    {awarding_body} are filled from its profile."""
    w = words(profile_service.for_year(conn, bloc, year))
    fill = {"Word": w.Word, "word": w.word, "awarding_body": w.awarding_body}
    out = []
    for line in lines:
        text = str(line)
        for key, value in fill.items():
            text = text.replace("{" + key + "}", value)
        out.append(text)
    return out


def covenant(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    commitments: list[str],
    day: dt.date | None = None,
) -> CovenantContext:
    members = bloc_service.member_ids(conn, bloc.id, year)
    if not members:
        raise RuleBroken(f"Khối {bloc.code} chưa có thành viên năm {year}.")
    cov = pledge_service.covenant(conn, bloc, year)
    if day is None and cov is not None:
        day = cov.date
    bloc = bloc_service.on(conn, bloc, day or dt.date(year, 12, 31))
    names = tuple(_upper(unit_service.name_on(conn, uid, day)[0]) for uid in members)
    rows = tuple(tuple(names[i : i + 3]) for i in range(0, len(names), 3))
    profile = _profile(conn, bloc, year, day)
    return CovenantContext(
        kind="covenant",
        header=_header(conn, bloc, year, day, None, None),
        title=f"GIAO ƯỚC THI ĐUA NĂM {year}",
        subject=f"Giữa các đơn vị thành viên {bloc.name}",
        bloc_name=bloc.name,
        year=year,
        date=date_words(day) if day else BLANK,
        signature=_signature(conn, bloc, year, day),
        recipients=(),
        profile=words(profile),
        commitments=tuple(commitments) or (BLANK,),
        signers=names,
        signer_rows=rows,
        signed_on=date_words(day) if day else BLANK,
        signer_cells=tuple(
            tuple(
                Signature(
                    f"{profile.style_data['authority']} {wording.keep_hyphens(n)}",
                    "THỦ TRƯỞNG ĐƠN VỊ",
                    "",
                    BLANK,
                )
                for n in row
            )
            for row in rows
        ),
    )


def ballot(conn: sqlite3.Connection, vote_id: int) -> BallotContext:
    vote = vote_service.get(conn, vote_id)
    meeting = meeting_service.get(conn, vote.meeting) if vote.meeting else None
    day = meeting.date if meeting else None
    bloc = bloc_service.on(
        conn, bloc_service.resolve(conn, vote.bloc), day or dt.date(vote.year, 12, 31)
    )
    names = tuple(unit_service.name_on(conn, uid, day)[0] for uid, _ in vote.candidates)
    profile = _profile(conn, bloc, vote.year, day)
    award_name = profile.award_name(vote.award)
    what = (
        f"suy tôn đơn vị {profile.words['leading']}, đề nghị tặng"
        if profile.is_leading(vote.award)
        else "đề nghị tặng"
    )
    return BallotContext(
        kind="ballot",
        header=_header(conn, bloc, vote.year, day, None, None, with_date=False),
        title="PHIẾU BẦU",
        subject=f"{what[0].upper()}{what[1:]} {award_name} năm {vote.year}"
        + (f" (vòng {vote.round})" if vote.round > 1 else ""),
        bloc_name=bloc.name,
        year=vote.year,
        date=date_words(day) if day else BLANK,
        signature=Signature("", "", "", ""),
        recipients=(),
        profile=words(profile),
        award_name=award_name,
        seats=two_digits(vote.seats),
        candidates=names,
        instruction=(
            f"Đánh dấu (X) vào ô “Đồng ý” của không quá {two_digits(vote.seats)} đơn vị. "
            "Phiếu đánh dấu nhiều hơn số đơn vị được bầu, hoặc ghi thêm tên ngoài danh sách, là phiếu không hợp lệ."
        ),
        round=vote.round,
    )
