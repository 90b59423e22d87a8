"""Rounds and ties: a new round (bỏ phiếu lại) for the seats a vote left free, and, after the last
round the rules allow, the decision among the units still tied (the head and deputy, or the
verified scores). Never a cut at random."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from ..core.errors import InvalidInput, RuleBroken
from ..core.models import DECIDERS, Unit, Vote
from ..text import clean
from ..units import service as unit_service
from .records import get, tally
from .rules import rules
from .tally import Line, Result


def open_round(conn: sqlite3.Connection, previous_id: int) -> tuple[Vote, dict[int, str]]:
    """A new round (bỏ phiếu lại) linked to the previous one, for the seats it left free: among
    the units tied for the last seat, or, when nobody reached the threshold, among the leading
    ones (see `round_candidates`)."""
    prev = get(conn, previous_id)
    result = tally(conn, prev)
    if result.status not in ("tie", "no-majority"):
        why = {
            "decided": "đã đủ đơn vị trúng",
            "no-quorum": "không đủ số đơn vị có mặt (hãy mở cuộc bỏ phiếu mới khi đủ)",
            "no-ballots": "chưa có phiếu nào",
        }[result.status]
        raise RuleBroken(f"Cuộc bỏ phiếu {prev.id} {why}; không cần bỏ phiếu lại.")
    later = conn.execute("SELECT id FROM vote WHERE round_of = ?", (prev.id,)).fetchone()
    if later:
        raise RuleBroken(f"Vòng tiếp theo của cuộc bỏ phiếu {prev.id} đã mở (mã số {later[0]}).")
    r = rules(conn, prev.bloc_id, prev.year)
    if prev.round >= r.max_rounds:
        if result.status == "no-majority":
            raise RuleBroken(
                f"Đã bỏ phiếu {prev.round} vòng, tối đa theo quy chế; các suất còn lại không có "
                f"đơn vị nào đạt, hãy đóng cuộc bỏ phiếu («tdkt vote close {prev.id}»)."
            )
        raise RuleBroken(
            f"Đã bỏ phiếu {prev.round} vòng, tối đa theo quy chế; theo quy chế, "
            f"{DECIDERS[r.decider]} («tdkt vote decide {prev.id} …»)."
        )
    seats = prev.seats - len(result.elected)
    candidates = round_candidates(result)
    if len(candidates) < seats:
        raise RuleBroken(
            f"Cuộc bỏ phiếu {prev.id} chỉ có {len(candidates)} đơn vị có phiếu cho {seats} suất "
            "còn lại; không bỏ phiếu lại được, hãy mở cuộc bỏ phiếu mới với danh sách ứng viên."
        )
    vid = conn.execute(
        "INSERT INTO vote (bloc_id, year, award, seats, meeting_id, members, present, base, "
        "threshold, strict, quorum, round, round_of, committee) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            prev.bloc_id,
            prev.year,
            prev.award,
            seats,
            prev.meeting,
            prev.members,
            prev.present,
            prev.base,
            prev.threshold,
            int(prev.strict),
            prev.quorum,
            prev.round + 1,
            prev.id,
            "\n".join(prev.committee) or None,
        ),
    ).lastrowid
    conn.executemany(
        "INSERT INTO vote_candidate (vote_id, unit_id, position) VALUES (?, ?, ?)",
        [(vid, line.id, i) for i, line in enumerate(candidates, 1)],
    )
    return get(conn, vid), {}


def round_candidates(result: Result) -> list[Line]:
    """Who stands in the next round: the units tied for the last seat; when nobody reached the
    threshold for some seats, the leading units not elected, one more than the seats left (the
    two highest for one seat), with every unit tied with the last of them and none without a
    vote. Never a cut at random."""
    if result.status == "tie":
        return result.tied
    free = result.seats - len(result.elected)
    rest = [line for line in result.lines if not line.elected and line.votes > 0]
    if len(rest) <= free + 1:
        return rest
    last = rest[free].votes  # the (free + 1)-th highest
    return [line for line in rest if line.votes >= last]


def decide(conn: sqlite3.Connection, vote: Vote, chosen: Sequence[Unit], note: str | None) -> Vote:
    """After the last allowed round, the bloc's rule picks among the tied units."""
    result = tally(conn, vote)
    if result.status != "tie":
        raise RuleBroken(f"Cuộc bỏ phiếu {vote.id} không có phiếu ngang nhau cần quyết định.")
    if vote.closed:
        raise RuleBroken(f"Cuộc bỏ phiếu {vote.id} đã đóng.")
    r = rules(conn, vote.bloc_id, vote.year)
    if vote.round < r.max_rounds:
        raise RuleBroken(
            f"Mới bỏ phiếu {vote.round}/{r.max_rounds} vòng; hãy bỏ phiếu lại giữa các đơn vị ngang "
            f"phiếu («tdkt vote open --round-of {vote.id}»)."
        )
    tied = {line.id for line in result.tied}
    free = vote.seats - len(result.elected)
    decided_by = "head-deputy"
    if r.decider == "score":
        if chosen:
            raise RuleBroken(
                "Quy chế năm nay để kết quả chấm điểm quyết định; chạy «tdkt vote decide "
                f"{vote.id}» không kèm tên đơn vị."
            )
        chosen = _by_score(conn, vote, tied, free)
        decided_by = "score"
    elif not chosen:
        raise InvalidInput(
            f"Hãy ghi {free} đơn vị được trưởng khối và phó khối chọn trong số ngang phiếu."
        )
    for u in chosen:
        if u.id not in tied:
            raise RuleBroken(f"«{u.name}» không nằm trong số đơn vị ngang phiếu.")
    if len({u.id for u in chosen}) != free:
        raise RuleBroken(f"Còn {free} suất; hãy chọn đúng {free} đơn vị trong số ngang phiếu.")
    conn.execute(
        "UPDATE vote SET decided_by = ?, decision_note = ? WHERE id = ?",
        (decided_by, clean(note, field="ghi chú") if note else None, vote.id),
    )
    conn.execute("DELETE FROM vote_elected WHERE vote_id = ?", (vote.id,))
    conn.executemany(
        "INSERT INTO vote_elected (vote_id, unit_id) VALUES (?, ?)",
        [(vote.id, line.id) for line in result.elected] + [(vote.id, u.id) for u in chosen],
    )
    return get(conn, vote.id)


def _by_score(conn: sqlite3.Connection, vote: Vote, tied: set[int], free: int) -> list[Unit]:
    """The tied units with the best verified totals; refused if the scores tie too."""
    from ..scores import service as scores

    totals = scores.verified_totals(conn, vote.bloc_id, vote.year)
    if totals is None:
        raise RuleBroken(
            f"Quy chế để điểm chấm quyết định, nhưng khối chưa có tiêu chí chấm điểm năm {vote.year}."
        )
    ranked = sorted(tied, key=lambda uid: -totals.get(uid, 0.0))
    if free < len(ranked) and totals.get(ranked[free - 1], 0.0) == totals.get(ranked[free], 0.0):
        raise RuleBroken(
            "Các đơn vị ngang phiếu cũng bằng điểm thẩm định; hãy để trưởng khối và phó khối quyết "
            "định («tdkt vote rules … --decider head-deputy»)."
        )
    return [unit_service.get(conn, uid) for uid in ranked[:free]]
