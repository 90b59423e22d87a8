"""What every document kind's template receives in common: the documented dataclasses (header, words, signature, rows, vote summary) and the marked blank."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .. import wording

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
    style: the document style, "nd30" or "hd36" (the type sizes of type_sizes.py).
    """

    parent: str
    issuer: str
    number: str
    place_date: str
    national: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str = "Độc lập - Tự do - Hạnh phúc"
    mark: str = ""
    style: str = "nd30"


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
    of the catalogue ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"), or "". year_kind:
    "calendar", or "school" for a body that counts school years (năm học).
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
    year_kind: str = "calendar"


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
class PledgeRow:
    """What a member registered for the year (`tdkt pledge record`), as the covenant lists it:
    `no`, `name`, `titles` (the registered titles joined by «; », or BLANK), `targets` (its
    targets joined by «; », or "")."""

    no: int
    name: str
    titles: str
    targets: str


@dataclass(frozen=True)
class ActivityRow:
    """A joint activity: `date` (08/01/2020), `purpose`, `place` (or BLANK), `beneficiaries`
    ("20" or ""), `total` ("20.000.000"), `total_words` ("hai mươi triệu đồng"); `given`: what
    was given and to whom as people write it ("20 phần quà cho gia đình chính sách", "16 phần
    quà", "16 người nhận"), or ""."""

    date: str
    purpose: str
    place: str
    beneficiaries: str
    total: str
    total_words: str
    given: str = ""


@dataclass(frozen=True)
class MeetingRow:
    """A meeting in a report: `date` (ND30 words), `date_short` (08/01/2020), `kind` (label),
    `title`, `present` ("11/11"), `label`: the title as a list of meetings prints it, with the
    kind added only when the title does not already say it ("Giao ban quý I (giao ban)" never,
    "(khác)" never)."""

    date: str
    date_short: str
    kind: str
    title: str
    present: str
    label: str = ""


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


def year_words(year: int, kind: str = "calendar") -> str:
    """«năm 2020», or «năm học 2019 - 2020» for a body that counts school years."""
    return f"năm học {year - 1} - {year}" if kind == "school" else f"năm {year}"


@dataclass(frozen=True)
class Common:
    """Fields every document has.

    kind: the document type (semiannual, annual, minutes, tally, proposal, covenant, ballot).
    header: Header. title: "BÁO CÁO", "BIÊN BẢN"…; subject: the line under the title.
    bloc_name: the bloc's name; year: the emulation year; date: the document's date in ND30 words
    (or BLANK); signature: Signature; recipients: the "Nơi nhận" lines, the last
    "- Lưu: VT, <ký hiệu>, 02b."; rules: Rules (computed from issuer and subject).
    profile: Words, the bloc's kind (khối, cụm), system and award names (the bloc's profile).
    year_words, next_year_words: the year and the next as documents name them ("năm 2019",
    "năm 2020"; for a school-year body "năm học 2018 - 2019", "năm học 2019 - 2020").
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
    year_words: str = ""
    next_year_words: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "year_words", year_words(self.year, self.profile.year_kind))
        object.__setattr__(
            self, "next_year_words", year_words(self.year + 1, self.profile.year_kind)
        )
        issuer, subject = self.header.issuer, self.subject
        rules = Rules(
            issuer_cm=wording.rule_cm(issuer, wording.ISSUER_CELL_CM, 13),
            subject_cm=wording.rule_cm(subject, wording.TEXT_CM, 14),
            issuer_side=wording.side_twips(issuer, wording.ISSUER_CELL_CM, 13),
            subject_side=wording.side_twips(subject, wording.TEXT_CM, 14),
        )
        object.__setattr__(self, "rules", rules)


@dataclass(frozen=True)
class ProposalRow:
    """A unit proposed: `no`, `name`, `award_name`, `votes` ("9/11"), `share` ("81,82%")."""

    no: int
    name: str
    award_name: str
    votes: str
    share: str


def as_template_vars(ctx: Any) -> dict[str, Any]:
    """Top-level template variables: the context's fields (nested objects keep attribute access)."""
    return {f.name: getattr(ctx, f.name) for f in dataclasses.fields(ctx)}
