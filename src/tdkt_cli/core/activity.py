"""Records of a bloc's activity: meetings, pledges, votes, awards (see models/__init__.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .models import MEETING_KINDS, Record


@dataclass(frozen=True)
class Meeting(Record):
    """A logged meeting of a bloc-year, with its officers and who was present."""

    id: int
    bloc: str
    year: int
    date: dt.date
    kind: str
    title: str | None
    place: str | None
    chair: str | None
    secretary: str | None
    note: str | None
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()
    start: str | None = None  # "08:00"
    end: str | None = None
    absence_reasons: dict[str, str] = field(default_factory=dict)  # absent unit's name → reason
    additional: bool = False  # a year-end meeting besides the one the annual report is of

    @property
    def kind_label(self) -> str:
        return MEETING_KINDS[self.kind]


@dataclass(frozen=True)
class Pledge(Record):
    """One member's registration (đăng ký thi đua): the title it aims for and its targets."""

    id: int
    unit_id: int
    unit: str
    title: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Covenant(Record):
    """The covenant (giao ước) of a bloc-year: its day, meeting and signers."""

    date: dt.date
    meeting: int | None
    signers: tuple[str, ...]


@dataclass(frozen=True)
class Pledges(Record):
    """A bloc-year's registrations, its covenant and the members not registered."""

    bloc: str
    year: int
    registrations: tuple[Pledge, ...]
    covenant: Covenant | None
    not_registered: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class VoteRules(Record):
    """A bloc-year's vote rules; the defaults are those of spec/domain.md."""

    quorum: str = "2/3"
    base: str = "members"
    threshold: str = "1/2"
    strict: bool = True
    self_vote: bool = True
    max_rounds: int = 2
    decider: str = "head-deputy"
    flag_quota: int = 1
    certificate_quota: int = 3
    flag_winner_may_stand: bool = False
    min_score: float | None = None


@dataclass(frozen=True)
class Vote(Record):
    """A secret-ballot vote of a bloc-year for one award and a number of seats."""

    id: int
    bloc: str
    bloc_id: int
    year: int
    award: str
    seats: int
    meeting: int | None
    members: int
    present: int
    base: str
    threshold: str
    strict: bool
    quorum: str
    round: int
    round_of: int | None
    mode: str
    closed: bool
    decided_by: str | None
    decision_note: str | None
    candidates: tuple[tuple[int, str], ...]
    committee: tuple[str, ...] = ()
    closed_at: str | None = None  # the count's time, "14:30" (vote close --at)
    over_quota: str | None = None  # why the bloc went over its quota with this vote

    @property
    def round_label(self) -> str | None:
        """ "bỏ phiếu lại (vòng 2)" for a later round (linked by `round_of`), None for the first."""
        return f"bỏ phiếu lại (vòng {self.round})" if self.round > 1 else None


@dataclass(frozen=True)
class AwardRecord(Record):
    """One line of a unit's award history: a proposal, a decision, or both."""

    year: int
    unit_id: int
    unit: str
    award: str
    award_name: str
    bloc: str | None
    status: str  # proposed | cut | decided
    vote: int | None = None
    cut_reason: str | None = None
    decision_number: str | None = None
    decision_date: dt.date | None = None
    body: str | None = None
    proposal_id: int | None = None
    over_quota: str | None = None  # why the bloc proposed over its quota (--over-quota --reason)
