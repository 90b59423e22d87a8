"""The count of a secret-ballot vote, as a pure function over plain data.

Rules (spec/domain.md, "Voting rules"), each a per-bloc setting carried in `Rule`:
- quorum: present ≥ quorum × members, else the vote cannot decide;
- a unit passes with votes > threshold × base (strict) or ≥ (not strict), base being all members,
  units present, ballots cast or valid ballots; it is elected when it passes and is among the top
  `seats`;
- a tie for the last seat is reported, never broken here: the bloc votes again or its rule decides.
Exact ratios, so 2/3 of 9 is 6 and not 5.999…: a share is compared by cross-multiplying
integers (`fractions` is loaded only to read a decimal such as 0,8 or 80%).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd

from ..core.models import VOTE_BASES

BASES = VOTE_BASES  # the bases a share is counted on, with their words in the minutes
STATUSES = ("decided", "tie", "no-majority", "no-quorum", "no-ballots")


class Ratio:
    """A ratio in lowest terms, as `fractions.Fraction` has it (numerator, denominator, ==,
    float()), for the few things a vote rule does with one."""

    __slots__ = ("denominator", "numerator")

    def __init__(self, numerator: int, denominator: int = 1) -> None:
        if denominator == 0:
            raise ZeroDivisionError("ratio with a zero denominator")
        if denominator < 0:
            numerator, denominator = -numerator, -denominator
        g = gcd(numerator, denominator) or 1
        self.numerator, self.denominator = numerator // g, denominator // g

    def __eq__(self, other: object) -> bool:
        n, d = getattr(other, "numerator", None), getattr(other, "denominator", None)
        if not isinstance(n, int) or not isinstance(d, int):
            return NotImplemented
        return self.numerator * d == n * self.denominator

    def __hash__(self) -> int:
        return hash((self.numerator, self.denominator))

    def __float__(self) -> float:
        return self.numerator / self.denominator

    def __repr__(self) -> str:
        return f"Ratio({self.numerator}, {self.denominator})"


def _whole(text: str) -> int | None:
    """The int of a plain run of ASCII digits (what a stored "2/3" holds), else None."""
    return int(text) if text.isascii() and text.isdigit() else None


def parse_fraction(text: str | float | Ratio) -> Ratio:
    """ "1/2", "2/3", "0.8", "80%" → Ratio; refuses values outside (0, 1]."""
    from ..core.errors import InvalidInput

    value: Ratio | None = None
    if not isinstance(text, (bool, int, float, str)) and hasattr(text, "denominator"):
        value = Ratio(text.numerator, text.denominator)  # type: ignore[union-attr]  # a Fraction
    elif isinstance(text, str):
        n, _, d = text.strip().partition("/")
        num, den = _whole(n), _whole(d) if d else 1
        if num is not None and den:
            value = Ratio(num, den)
    if value is None:
        from fractions import Fraction

        try:
            if isinstance(text, str) and text.strip().endswith("%"):
                exact = Fraction(text.strip()[:-1].replace(",", ".")) / 100
            else:
                exact = Fraction(str(text).strip().replace(",", "."))
        except (ValueError, ZeroDivisionError):
            raise InvalidInput(
                f"Tỷ lệ «{text}» không đọc được; viết 1/2, 2/3, 0,8 hoặc 80%."
            ) from None
        value = Ratio(exact.numerator, exact.denominator)
    if not 0 < value.numerator <= value.denominator:
        raise InvalidInput(f"Tỷ lệ «{text}» phải lớn hơn 0 và không quá 1.")
    return value


HALF, TWO_THIRDS = Ratio(1, 2), Ratio(2, 3)


def fraction_text(value: Ratio) -> str:
    return (
        f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)
    )


@dataclass(frozen=True)
class Rule:
    """The bloc's rule for a vote: the base of the share, the threshold and the quorum."""

    base: str = "members"
    threshold: Ratio = HALF  # or a fractions.Fraction: only its terms are read
    strict: bool = True
    quorum: Ratio = TWO_THIRDS


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
    t = rule.threshold  # votes > t × base, or ≥, in integers
    have, need = votes * t.denominator, t.numerator * base
    return have > need if rule.strict else have >= need


def count(
    seats: int,
    members: int,
    present: int,
    ballots: Ballots,
    candidates: list[Candidate],
    rule: Rule,
) -> Result:
    """Count a vote. `candidates` come in the bloc's order, which orders equal votes."""
    q = rule.quorum
    quorum_met = members > 0 and present * q.denominator >= q.numerator * members
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
