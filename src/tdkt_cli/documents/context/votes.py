"""A vote as the documents print it: counts, shares on the base, the result by the rule, notes."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from ...blocs import profiles as profile_service
from ...core.models import DECIDERS
from ...text import number_words, percent, two_digits
from ...votes import service as vote_service
from .. import wording
from .parts import ResultRow, VoteSummary


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
    # as people write it: «là đơn vị có số phiếu cao nhất», «nằm trong ba đơn vị …»
    rule = f"đạt {vote_service.threshold_words(vote)} {base_words} và " + (
        "là đơn vị có số phiếu cao nhất"
        if vote.seats == 1
        else f"nằm trong {number_words(vote.seats)} đơn vị có số phiếu cao nhất"
    )
    rules = vote_service.rules(conn, vote.bloc_id, vote.year)
    final = vote.round >= rules.max_rounds
    # who settles a tie after the last round, in the bloc's own words (cụm trưởng, cụm phó)
    decided_by = vote.decided_by or rules.decider
    decider = (
        DECIDERS[decided_by]
        if decided_by in DECIDERS and decided_by != "head-deputy"
        else f"{profile.words['head']} và {profile.words['deputy']} quyết định"
    )
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
    # a later round follows a tie for the last seats, or a round where nobody reached the share
    after_tie = False
    if vote.round > 1 and vote.round_of:
        before = vote_service.get(conn, vote.round_of)
        after_tie = vote_service.tally(conn, before, day).status == "tie"
    explanation = wording.explanation(
        vote, result, base_words, rule, outcome, award_name, after_tie=after_tie
    )
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
