"""A bloc-year's vote rules (its quy chế): quorum, base, threshold, rounds, quotas, and the units
left out of the year's votes with the reason.

Rules hold from the year they are set until a later year sets new ones; a bloc that never set any
votes under the defaults of spec/domain.md (`VoteRules()`). The count itself is `tally.py`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from ..blocs import profiles
from ..blocs import service as bloc_service
from ..core import dated
from ..core.errors import InvalidInput, NotFound, RuleBroken
from ..core.models import DECIDERS, Bloc, Unit, Vote, VoteRules
from ..text import clean, percent, words
from .tally import BASES, fraction_text, parse_fraction


def _rules_row(conn: sqlite3.Connection, bloc_id: int, year: int) -> sqlite3.Row | None:
    """The bloc's quy chế in force in `year`: the latest one set for that year or before."""
    rows = conn.execute("SELECT * FROM vote_rules WHERE bloc_id = ?", (bloc_id,)).fetchall()
    return dated.as_of(rows, f"{year:04d}", start=lambda r: f"{r['year']:04d}")


def rules_since(conn: sqlite3.Connection, bloc_id: int, year: int) -> int | None:
    """The year from which the rules in force in `year` hold (None: the defaults)."""
    row = _rules_row(conn, bloc_id, year)
    return row["year"] if row else None


def rules(conn: sqlite3.Connection, bloc_id: int, year: int) -> VoteRules:
    """A bloc's voting rules hold from the year they were set until a later year replaces them."""
    row = _rules_row(conn, bloc_id, year)
    if row is None:
        return VoteRules()
    return VoteRules(
        quorum=row["quorum"],
        base=row["base"],
        threshold=row["threshold"],
        strict=bool(row["strict"]),
        self_vote=bool(row["self_vote"]),
        max_rounds=row["max_rounds"],
        decider=row["decider"],
        flag_quota=row["flag_quota"],
        certificate_quota=row["certificate_quota"],
        flag_winner_may_stand=bool(row["flag_winner_may_stand"]),
        min_score=row["min_score"],
    )


def check_rules(r: VoteRules) -> VoteRules:
    """Validate and normalise rules (fractions written as "2/3")."""
    if r.base not in BASES:
        raise InvalidInput(f"Cơ sở tính «{r.base}» không có; chọn: {', '.join(BASES)}.")
    if r.decider not in DECIDERS:
        raise InvalidInput(f"Cách quyết định «{r.decider}» không có; chọn: {', '.join(DECIDERS)}.")
    if not 1 <= r.max_rounds <= 5:
        raise InvalidInput("Số vòng bỏ phiếu tối đa phải từ 1 đến 5.")
    if r.flag_quota < 0 or r.certificate_quota < 0:
        raise InvalidInput("Chỉ tiêu khen thưởng không được âm.")
    if r.min_score is not None and not 0 <= float(r.min_score) <= 1000:
        raise InvalidInput("Điểm tối thiểu phải từ 0 đến 1000.")
    return replace(
        r,
        quorum=fraction_text(parse_fraction(r.quorum)),
        threshold=fraction_text(parse_fraction(r.threshold)),
    )


def set_rules(conn: sqlite3.Connection, bloc_id: int, year: int, **changes) -> VoteRules:
    """Change some of a bloc-year's rules; the others keep their current value."""
    current = rules(conn, bloc_id, year)
    if changes.get("base") is not None:
        changes["base"] = words.vote_base(changes["base"])
    updated = check_rules(replace(current, **{k: v for k, v in changes.items() if v is not None}))
    conn.execute(
        # an upsert that updates: the audit trail sees the old rules (a REPLACE deletes silently)
        "INSERT INTO vote_rules (bloc_id, year, quorum, base, threshold, strict, "
        "self_vote, max_rounds, decider, flag_quota, certificate_quota, flag_winner_may_stand, "
        "min_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (bloc_id, year) DO UPDATE SET quorum = excluded.quorum, "
        "base = excluded.base, threshold = excluded.threshold, strict = excluded.strict, "
        "self_vote = excluded.self_vote, max_rounds = excluded.max_rounds, "
        "decider = excluded.decider, flag_quota = excluded.flag_quota, "
        "certificate_quota = excluded.certificate_quota, "
        "flag_winner_may_stand = excluded.flag_winner_may_stand, min_score = excluded.min_score",
        (
            bloc_id,
            year,
            updated.quorum,
            updated.base,
            updated.threshold,
            int(updated.strict),
            int(updated.self_vote),
            updated.max_rounds,
            updated.decider,
            updated.flag_quota,
            updated.certificate_quota,
            int(updated.flag_winner_may_stand),
            updated.min_score,
        ),
    )
    return updated


# --- eligibility -----------------------------------------------------------------------------


def set_ineligible(
    conn: sqlite3.Connection, bloc: Bloc, year: int, unit: Unit, reason: str | None
) -> None:
    """Mark a unit ineligible for the year's votes (reason given), or lift it (reason None)."""
    if reason is None:
        cur = conn.execute(
            "DELETE FROM ineligible WHERE bloc_id = ? AND year = ? AND unit_id = ?",
            (bloc.id, year, unit.id),
        )
        if cur.rowcount == 0:
            raise NotFound(f"«{unit.name}» không bị loại khỏi bình xét năm {year}.")
        return
    bloc_service.require_member(conn, bloc, unit, year)
    closed = conn.execute(
        "SELECT v.id FROM vote v JOIN vote_candidate c ON c.vote_id = v.id "
        "WHERE v.bloc_id = ? AND v.year = ? AND v.closed = 1 AND c.unit_id = ? ORDER BY v.id",
        (bloc.id, year, unit.id),
    ).fetchone()
    if closed:
        # a closed vote is the record of the count: excluding a candidate afterwards would leave it
        # (and the proposal it made) standing with no remark; correct the vote instead
        raise RuleBroken(
            f"«{unit.name}» là ứng viên của cuộc bỏ phiếu {closed[0]} đã đóng; mở lại trước "
            f"(«tdkt vote reopen {closed[0]} --reason …») rồi mới loại khỏi bình xét."
        )
    reason = clean(reason, field="lý do")
    if not reason:
        raise InvalidInput("Cần ghi lý do không đủ điều kiện (kỷ luật, thanh tra, ý kiến ngành…).")
    conn.execute(
        "INSERT INTO ineligible (bloc_id, year, unit_id, reason) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (bloc_id, year, unit_id) DO UPDATE SET reason = excluded.reason",
        (bloc.id, year, unit.id, reason),
    )


def ineligible(conn: sqlite3.Connection, bloc_id: int, year: int) -> dict[int, str]:
    return {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT unit_id, reason FROM ineligible WHERE bloc_id = ? AND year = ?", (bloc_id, year)
        )
    }


# --- quotas ------------------------------------------------------------------------------------


def proposed_count(conn: sqlite3.Connection, bloc_id: int, year: int, award: str) -> int:
    """How many units the bloc has proposed for `award` this year (not counting cut ones)."""
    return conn.execute(
        "SELECT count(*) FROM proposal WHERE bloc_id = ? AND year = ? AND award = ? "
        "AND status = 'proposed'",
        (bloc_id, year, award),
    ).fetchone()[0]


def quota(r: VoteRules, profile: profiles.Profile, award: str) -> int:
    """The bloc-year's quota for `award`: the rules' flag quota for the leading unit's award, their
    certificate quota for the highest other award of the catalogue (Bằng khen), and for any other
    award the catalogue's own `quota`."""
    entry = profile.award(award)
    if entry is None or entry.leading:
        return r.flag_quota if entry is not None else r.certificate_quota
    others = [a for a in profile.awards if not a.leading]
    return r.certificate_quota if others and others[0].code == award else entry.quota


def over_quota(
    conn: sqlite3.Connection,
    bloc_id: int,
    year: int,
    award: str,
    adding: int,
    reason: str | None,
) -> str | None:
    """Check that `adding` more proposals of `award` keep the bloc-year within its quota, on every
    path (a vote, a show of hands, consensus). Over it, the bloc's explicit reason is needed and
    returned, to be recorded and printed; a reason when the quota is not exceeded is refused, so
    that nothing is recorded that did not happen."""
    profile = profiles.for_year(conn, bloc_id, year)
    top = quota(rules(conn, bloc_id, year), profile, award)
    already = proposed_count(conn, bloc_id, year, award)
    over = already + adding > top
    if reason is not None:
        reason = clean(reason, field="lý do vượt chỉ tiêu", multiline=True)
        if not reason:
            raise InvalidInput("Cần ghi lý do vượt chỉ tiêu (--reason).")
        if not over:
            raise RuleBroken(
                f"Chỉ tiêu {profile.award_name(award)} năm {year} là {top}, đã đề nghị {already}; "
                f"thêm {adding} không vượt chỉ tiêu, bỏ --over-quota."
            )
        return reason
    if over:
        raise RuleBroken(
            f"Chỉ tiêu {profile.award_name(award)} của {profile.words['word']} năm {year} là "
            f"{top}, đã đề nghị {already}, không thêm được {adding}; nếu {profile.words['word']} "
            "đã thống nhất vượt chỉ tiêu, ghi rõ lý do bằng «--over-quota --reason …»."
        )
    return None


# --- words -------------------------------------------------------------------------------------


def threshold_words(vote: Vote) -> str:
    fraction = parse_fraction(vote.threshold)
    words = {"1/2": "một nửa", "2/3": "hai phần ba", "3/4": "ba phần tư"}.get(
        fraction_text(fraction),
        percent(float(fraction), 0 if 100 * fraction.numerator % fraction.denominator == 0 else 2),
    )
    return ("trên " if vote.strict else "từ ") + words


def override(over: bool, reason: str | None) -> str | None:
    """The reason of an explicit quota override (`--over-quota --reason TEXT`), or None: each
    option needs the other."""
    if over and not (reason and reason.strip()):
        raise InvalidInput("Vượt chỉ tiêu cần ghi lý do: --over-quota --reason «…».")
    if reason is not None and not over:
        raise InvalidInput(
            "Lý do (--reason) ở đây là lý do vượt chỉ tiêu; chỉ dùng cùng --over-quota."
        )
    return reason if over else None
