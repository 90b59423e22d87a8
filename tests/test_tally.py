"""The count: golden cases worked out by hand, and properties that must hold for any ballots."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tdkt_cli.votes.tally import Ballots, Candidate, Rule, count

NAMES = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"]


def run(votes, seats=1, members=11, present=None, valid=None, blank=0, invalid=0, **rule):
    candidates = [Candidate(i, NAMES[i], v) for i, v in enumerate(votes)]
    present = members if present is None else present
    valid = valid if valid is not None else present - blank - invalid
    return count(seats, members, present, Ballots(valid, blank, invalid), candidates, Rule(**rule))


def elected(result):
    return [line.name for line in result.elected]


# (description, kwargs, expected status, expected elected) — each counted by hand
GOLDEN = [
    (
        "seed 001: 9 of 11 for the flag, one spoiled ballot",
        dict(votes=[9, 1, 0], valid=10, invalid=1),
        "decided",
        ["A"],
    ),
    (
        "exactly half of the members is not more than half",
        dict(votes=[5, 5], members=10, present=10),
        "no-majority",
        [],
    ),
    ("6 of 11 is more than half", dict(votes=[6, 5]), "decided", ["A"]),
    ("no quorum: 7 of 11 present is below 2/3", dict(votes=[7], present=7), "no-quorum", []),
    (
        "quorum exactly 2/3: 6 of 9 present, 5 votes is more than half of 9",
        dict(votes=[5, 1], members=9, present=6),
        "decided",
        ["A"],
    ),
    (
        "quorum met but 4 of 9 members is not more than half",
        dict(votes=[4, 2], members=9, present=6),
        "no-majority",
        [],
    ),
    (
        "base present: 4 of 6 present passes",
        dict(votes=[4, 2], members=9, present=6, base="present"),
        "decided",
        ["A"],
    ),
    (
        "base cast with blanks: 5 of 9 cast",
        dict(votes=[5, 2], members=9, present=9, blank=2, base="cast"),
        "decided",
        ["A"],
    ),
    (
        "base valid ignores blanks and invalids: 4 of 7 valid",
        dict(votes=[4, 3], members=10, present=10, blank=2, invalid=1, base="valid"),
        "decided",
        ["A"],
    ),
    (
        "threshold 2/3 at least: 8 of 12 exactly",
        dict(votes=[8, 4], members=12, present=12, threshold=Fraction(2, 3), strict=False),
        "decided",
        ["A"],
    ),
    (
        "threshold 2/3 at least: 7 of 12 fails",
        dict(votes=[7, 5], members=12, present=12, threshold=Fraction(2, 3), strict=False),
        "no-majority",
        [],
    ),
    (
        "three certificates in an 11-unit bloc",
        dict(votes=[9, 8, 7, 2, 1], seats=3),
        "decided",
        ["A", "B", "C"],
    ),
    (
        "tie for the last seat between two passing units",
        dict(votes=[10, 7, 7, 3], seats=2),
        "tie",
        ["A"],
    ),
    (
        "tie for the only seat",
        dict(votes=[6, 6], members=12, present=12, threshold=Fraction(1, 2), strict=False),
        "tie",
        [],
    ),
    (
        "tie below the threshold is no majority, not a tie",
        dict(votes=[9, 3, 3], seats=2),
        "no-majority",
        ["A"],
    ),
    ("all ballots invalid", dict(votes=[0, 0], valid=0, invalid=11), "no-majority", []),
    ("no ballots at all", dict(votes=[0, 0], valid=0), "no-ballots", []),
    ("second round between two tied units, 7 to 4", dict(votes=[7, 4]), "decided", ["A"]),
    (
        "equal votes inside the seats are both elected",
        dict(votes=[8, 8, 2], seats=2),
        "decided",
        ["A", "B"],
    ),
    (
        "80% threshold at least: 9 of 11 (81.8%) passes, 8 fails",
        dict(votes=[9, 8], seats=2, threshold=Fraction(4, 5), strict=False),
        "no-majority",
        ["A"],
    ),
]


@pytest.mark.parametrize(("desc", "kwargs", "status", "who"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden(desc, kwargs, status, who):
    result = run(**kwargs)
    assert result.status == status
    assert elected(result) == who


def test_shares_and_order():
    result = run([1, 9, 0], valid=10, invalid=1)
    assert [(line.name, line.votes, line.share) for line in result.lines] == [
        ("B", 9, 0.8182),
        ("A", 1, 0.0909),
        ("C", 0, 0.0),
    ]


ballot_lists = st.lists(st.lists(st.integers(0, 5), max_size=3, unique=True), max_size=30)


def _from_ballots(ballots, seats, invalid=0, base="members"):
    valid = [b for b in ballots if 0 < len(b) <= seats]
    over = sum(1 for b in ballots if len(b) > seats)
    blank = sum(1 for b in ballots if not b)
    votes = [sum(1 for b in valid if i in b) for i in range(6)]
    members = max(len(ballots) + invalid, 1)
    return run(
        votes,
        seats=seats,
        members=members,
        present=members,
        valid=len(valid),
        blank=blank,
        invalid=over + invalid,
        base=base,
    )


@settings(max_examples=200)
@given(ballot_lists, st.integers(1, 3), st.randoms())
def test_order_of_ballots_never_matters(ballots, seats, rnd):
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert _from_ballots(ballots, seats) == _from_ballots(shuffled, seats)


@settings(max_examples=200)
@given(ballot_lists, st.integers(1, 3))
def test_invalid_ballot_never_changes_winners_on_valid_base(ballots, seats):
    before = _from_ballots(ballots, seats, invalid=0, base="valid")
    after = _from_ballots(ballots, seats, invalid=1, base="valid")
    if before.quorum_met and after.quorum_met and before.ballots.cast:
        assert elected(before) == elected(after)


@settings(max_examples=200)
@given(ballot_lists, st.integers(1, 3))
def test_votes_never_exceed_valid_ballots_and_elected_are_the_top(ballots, seats):
    result = _from_ballots(ballots, seats)
    assert all(line.votes <= result.ballots.valid for line in result.lines)
    assert len(result.elected) <= seats
    if result.elected:
        lowest = min(line.votes for line in result.elected)
        assert all(line.votes <= lowest for line in result.lines if not line.elected)
        assert [line.elected for line in result.lines] == sorted(
            (line.elected for line in result.lines), reverse=True
        )


# --- the rule's ratios: exact integers, read as fractions.Fraction reads them ------------------

ratio_texts = st.one_of(
    st.builds(lambda n, d: f"{n}/{d}", st.integers(-3, 12), st.integers(-2, 12)),
    st.integers(-2, 3).map(str),
    st.builds(lambda n: f"{n / 100}".replace(".", ","), st.integers(-10, 120)),
    st.builds(lambda n: f"{n}%", st.integers(-10, 120)),
    st.text(alphabet="0123456789/.,% -_٣", max_size=6),
)


def _as_fraction(text):
    """What the rule read before it had its own ratio: Fraction, or None for a refusal."""
    try:
        if text.strip().endswith("%"):
            value = Fraction(text.strip()[:-1].replace(",", ".")) / 100
        else:
            value = Fraction(text.strip().replace(",", "."))
    except (ValueError, ZeroDivisionError):
        return None
    return value if 0 < value <= 1 else None


@settings(max_examples=400)
@given(ratio_texts)
def test_a_ratio_reads_as_fraction_read_it(text):
    from tdkt_cli.core.errors import InvalidInput
    from tdkt_cli.votes.tally import fraction_text, parse_fraction

    expected = _as_fraction(text)
    if expected is None:
        with pytest.raises(InvalidInput):
            parse_fraction(text)
    else:
        got = parse_fraction(text)
        assert (got.numerator, got.denominator) == (expected.numerator, expected.denominator)
        assert got == expected and float(got) == float(expected)
        assert fraction_text(got) == (
            str(expected) if expected.denominator != 1 else str(expected.numerator)
        )


def test_a_ratio_is_read_from_values_as_before():
    from tdkt_cli.core.errors import InvalidInput
    from tdkt_cli.votes.tally import Ratio, parse_fraction

    assert parse_fraction(Fraction(4, 6)) == Ratio(2, 3) == Fraction(2, 3)
    assert parse_fraction(0.75) == Ratio(3, 4) and parse_fraction(1) == Ratio(1)
    for refused in (True, False, 0, 2, float("nan"), "1/0", "2 /3", "-1/2", "", "½"):
        with pytest.raises(InvalidInput):
            parse_fraction(refused)


@settings(max_examples=300)
@given(
    st.integers(0, 40),
    st.integers(1, 40),
    st.integers(1, 7),
    st.integers(1, 7),
    st.booleans(),
)
def test_passing_and_quorum_match_fraction_arithmetic(votes, members, n, d, strict):
    from tdkt_cli.votes.tally import Ratio, passes

    if n > d:
        n, d = d, n
    exact = Fraction(n, d)
    for ratio in (Ratio(n, d), exact):  # a Fraction still works as a rule's threshold
        rule = Rule(threshold=ratio, strict=strict, quorum=ratio)
        assert passes(votes, members, rule) == (
            votes > exact * members if strict else votes >= exact * members
        )
        present = min(votes, members)
        result = run([0], members=members, present=present, valid=present, **{"quorum": ratio})
        assert result.quorum_met == (present >= exact * members)
