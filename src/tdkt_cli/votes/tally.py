"""The count of a secret-ballot vote, as a pure function over plain data.

Rules (spec/domain.md, "Voting rules"), each a per-bloc setting carried in `Rule`:
- quorum: present ≥ quorum × members, else the vote cannot decide;
- a unit passes with votes > threshold × base (strict) or ≥ (not strict), base being all members,
  units present, ballots cast or valid ballots; it is elected when it passes and is among the top
  `seats`;
- a tie for the last seat is reported, never broken here: the bloc votes again or its rule decides.
Exact fractions, so 2/3 of 9 is 6 and not 5.999….
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..core.models import VOTE_BASES

BASES = VOTE_BASES  # the bases a share is counted on, with their words in the minutes
STATUSES = ("decided", "tie", "no-majority", "no-quorum", "no-ballots")


def parse_fraction(text: str | float | Fraction) -> Fraction:
    """ "1/2", "2/3", "0.8", "80%" → Fraction; refuses values outside (0, 1]."""
    from ..core.errors import InvalidInput

    try:
        if isinstance(text, Fraction):
            value = text
        elif isinstance(text, str) and text.strip().endswith("%"):
            value = Fraction(text.strip()[:-1].replace(",", ".")) / 100
        else:
            value = Fraction(str(text).strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise InvalidInput(f"Tỷ lệ «{text}» không đọc được; viết 1/2, 2/3, 0,8 hoặc 80%.") from None
    if not 0 < value <= 1:
        raise InvalidInput(f"Tỷ lệ «{text}» phải lớn hơn 0 và không quá 1.")
    return value


def fraction_text(value: Fraction) -> str:
    return (
        f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)
    )


@dataclass(frozen=True)
class Rule:
    """The bloc's rule for a vote: the base of the share, the threshold and the quorum."""

    base: str = "members"
    threshold: Fraction = Fraction(1, 2)
    strict: bool = True
    quorum: Fraction = Fraction(2, 3)


@dataclass(frozen=True)
class Candidate:
    """A candidate and the ballots that marked it."""

    id: int
    name: str
    votes: int


@dataclass(frozen=True)
class Ballots:
    """The ballots of a vote by kind: valid, blank, invalid."""

    valid: int = 0
    blank: int = 0
    invalid: int = 0

    @property
    def cast(self) -> int:
        return self.valid + self.blank + self.invalid


@dataclass(frozen=True)
class Line:
    """One candidate's line of the tally: votes, share, passed and elected."""

    id: int
    name: str
    votes: int
    share: float
    passed: bool
    elected: bool
    tied: bool


@dataclass(frozen=True)
class Result:
    """The tally of a vote: quorum, ballots, lines and who is elected."""

    seats: int
    members: int
    present: int
    quorum_met: bool
    ballots: Ballots
    rule: Rule
    base_count: int
    lines: tuple[Line, ...]
    status: str

    @property
    def elected(self) -> list[Line]:
        return [line for line in self.lines if line.elected]

    @property
    def tied(self) -> list[Line]:
        return [line for line in self.lines if line.tied]


def base_count(rule: Rule, members: int, present: int, ballots: Ballots) -> int:
    return {"members": members, "present": present, "cast": ballots.cast, "valid": ballots.valid}[
        rule.base
    ]


def passes(votes: int, base: int, rule: Rule) -> bool:
    if base <= 0:
        return False
    need = rule.threshold * base
    return votes > need if rule.strict else votes >= need


def count(
    seats: int,
    members: int,
    present: int,
    ballots: Ballots,
    candidates: list[Candidate],
    rule: Rule,
) -> Result:
    """Count a vote. `candidates` come in the bloc's order, which orders equal votes."""
    quorum_met = members > 0 and present >= rule.quorum * members
    base = base_count(rule, members, present, ballots)
    order = sorted(range(len(candidates)), key=lambda i: (-candidates[i].votes, i))
    ranked = [candidates[i] for i in order]
    passed = [c for c in ranked if passes(c.votes, base, rule)]
    elected_ids: set[int] = set()
    tied_ids: set[int] = set()
    if quorum_met and ballots.cast > 0:
        if len(passed) <= seats:
            elected_ids = {c.id for c in passed}
        else:
            cutoff = passed[seats - 1].votes
            above = [c for c in passed if c.votes > cutoff]
            at_cut = [c for c in passed if c.votes == cutoff]
            if len(above) + len(at_cut) <= seats:
                elected_ids = {c.id for c in above + at_cut}
            else:
                elected_ids = {c.id for c in above}
                tied_ids = {c.id for c in at_cut}
    if not quorum_met:
        status = "no-quorum"
    elif ballots.cast == 0:
        status = "no-ballots"
    elif tied_ids:
        status = "tie"
    elif len(elected_ids) < seats:
        status = "no-majority"
    else:
        status = "decided"
    lines = tuple(
        Line(
            id=c.id,
            name=c.name,
            votes=c.votes,
            share=round(c.votes / base, 4) if base else 0.0,
            passed=c in passed,
            elected=c.id in elected_ids,
            tied=c.id in tied_ids,
        )
        for c in ranked
    )
    return Result(seats, members, present, quorum_met, ballots, rule, base, lines, status)
