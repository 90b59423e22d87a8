"""Votes: opening one under the bloc-year's rules, closing it into award proposals, reopening it
to correct.

The rules are `rules.py`, the ballots `ballots.py`, reading a vote and its count `records.py`,
new rounds and the decision after the last one `rounds.py`, the count in words `minutes.py`;
the count itself is the pure `tally.py`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace

from ..blocs import profiles
from ..blocs import service as bloc_service
from ..core import clock
from ..core.errors import InvalidInput, RuleBroken
from ..core.models import Bloc, Unit, Vote
from ..meetings import service as meeting_service
from ..text import clean, words
from ..units import service as unit_service
from . import rounds

# Each `name as name` import is a re-export: documents/ reads it through this module, though it
# lives in records.py, rules.py or tally.py (tests/test_votes.py keeps the list).
from .records import decided_names as decided_names
from .records import elected_ids
from .records import get as get
from .records import list_votes as list_votes
from .records import tally as tally
from .rules import check_rules, ineligible, over_quota, proposed_count, quota
from .rules import rules as rules
from .rules import threshold_words as threshold_words
from .tally import BASES as BASES
from .tally import HALF, parse_fraction


def _flag_winners(conn: sqlite3.Connection, bloc_id: int, year: int) -> set[int]:
    """Units already elected for the flag this year, in any closed or counted vote."""
    winners: set[int] = set()
    leading = profiles.for_year(conn, bloc_id, year).leading_award.code
    for (vid,) in conn.execute(
        "SELECT id FROM vote WHERE bloc_id = ? AND year = ? AND award = ?",
        (bloc_id, year, leading),
    ).fetchall():
        winners |= set(elected_ids(conn, vid))
    return winners


def open_vote(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    award: str,
    seats: int | None = None,
    *,
    meeting_id: int | None = None,
    present: int | None = None,
    base: str | None = None,
    threshold: str | None = None,
    strict: bool | None = None,
    quorum: str | None = None,
    candidates: Sequence[Unit] = (),
    round_of: int | None = None,
    committee: Sequence[str] = (),
    over_quota_reason: str | None = None,
) -> tuple[Vote, dict[int, str]]:
    """Open a vote under the bloc-year's rules (overridable here). Returns the vote and the
    members left out of the candidates, with the reason for each. More seats than the quota has
    left need the bloc's reason (`over_quota_reason`), which is recorded. Without a committee,
    the counting committee of the meeting's latest vote counts this one too."""
    if round_of is not None:
        return rounds.open_round(conn, round_of)
    profile = profiles.for_year(conn, bloc, year)
    award = words.award(award, {a.code: a.name for a in profile.awards})
    if base is not None:
        base = words.vote_base(base)
    leading = profile.is_leading(award)
    if not bloc_service.member_ids(conn, bloc.id, year):
        raise RuleBroken(f"Khối {bloc.code} chưa có thành viên năm {year}.")
    # voters and candidates are the members that still exist on the meeting's day
    vote_day = meeting_service.get(conn, meeting_id).date if meeting_id is not None else None
    members = bloc_service.member_ids_on(conn, bloc.id, year, vote_day)
    r = rules(conn, bloc.id, year)
    if threshold is not None and strict is None:
        # "more than half" is strict; "2/3", "80%" are read as "at least"
        strict = parse_fraction(threshold) == HALF
    r = check_rules(
        replace(
            r,
            base=base or r.base,
            threshold=threshold or r.threshold,
            strict=r.strict if strict is None else strict,
            quorum=quorum or r.quorum,
        )
    )
    top = quota(r, profile, award)
    left = top - proposed_count(conn, bloc.id, year, award)
    if seats is None:
        seats = max(left, 1)
    if seats < 1:
        raise InvalidInput("Số suất phải ít nhất là 1.")
    if seats > left and over_quota_reason is None:
        raise RuleBroken(
            f"Chỉ tiêu {profile.award_name(award)} của {profile.words['word']} năm {year} là "
            f"{top}, đã đề nghị {top - left}; chỉ còn {max(left, 0)} suất, không mở được {seats} "
            f"suất (nếu {profile.words['word']} đã thống nhất vượt chỉ tiêu, ghi rõ lý do bằng "
            "«--over-quota --reason …»)."
        )
    if over_quota_reason is not None:
        over_quota_reason = over_quota(conn, bloc.id, year, award, seats, over_quota_reason)
    if meeting_id is not None:
        meeting = meeting_service.get(conn, meeting_id)
        if meeting.bloc != bloc.code or meeting.year != year:
            raise RuleBroken(f"Hội nghị {meeting_id} không phải của khối {bloc.code} năm {year}.")
        if present is None:
            present = len(meeting.present)
    if present is None:
        present = len(members)
    if not 0 <= present <= len(members):
        raise InvalidInput(f"Số đơn vị có mặt phải từ 0 đến {len(members)} (số thành viên).")
    barred = ineligible(conn, bloc.id, year)
    if r.min_score is not None:
        from ..scores import service as scores

        totals = scores.verified_totals(conn, bloc.id, year)
        if totals is None:
            raise RuleBroken(
                f"Quy chế đòi điểm tối thiểu {r.min_score:g} để được bình xét, nhưng khối chưa có "
                f"tiêu chí chấm điểm năm {year}."
            )
        for uid, total in totals.items():
            if total < r.min_score and uid not in barred:
                barred[uid] = f"điểm thẩm định {total:g} thấp hơn mức tối thiểu {r.min_score:g}"
    left_out: dict[int, str] = {}
    if candidates:
        chosen = []
        for u in candidates:
            unit_service.require_alive(u, vote_day, "là ứng viên")
            if u.id not in members:
                raise RuleBroken(f"«{u.name}» không phải thành viên khối {bloc.code} năm {year}.")
            if u.id in barred:
                raise RuleBroken(
                    f"«{u.name}» không đủ điều kiện bình xét năm {year}: {barred[u.id]}."
                )
            chosen.append(u.id)
    else:
        flag = set()
        if not leading and not r.flag_winner_may_stand:
            flag = _flag_winners(conn, bloc.id, year)
        chosen = []
        for uid in members:
            if uid in barred:
                left_out[uid] = barred[uid]
            elif uid in flag:
                left_out[uid] = (
                    f"đã được suy tôn {profile.words['leading']} "
                    f"({profile.leading_award.name}) năm nay"
                )
            else:
                chosen.append(uid)
    if len(chosen) < seats:
        raise RuleBroken(f"Chỉ có {len(chosen)} ứng viên cho {seats} suất.")
    counters = [clean(c, field="thành viên ban kiểm phiếu") for c in committee if clean(c)]
    if not counters and meeting_id is not None:
        # one counting committee is elected for the meeting: it counts each of its votes
        row = conn.execute(
            "SELECT committee FROM vote WHERE meeting_id = ? AND committee IS NOT NULL "
            "ORDER BY id DESC LIMIT 1",
            (meeting_id,),
        ).fetchone()
        counters = row[0].split("\n") if row else []
    vid = conn.execute(
        "INSERT INTO vote (bloc_id, year, award, seats, meeting_id, members, present, base, "
        "threshold, strict, quorum, committee, over_quota) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            bloc.id,
            year,
            award,
            seats,
            meeting_id,
            len(members),
            present,
            r.base,
            r.threshold,
            int(r.strict),
            r.quorum,
            "\n".join(counters) or None,
            over_quota_reason,
        ),
    ).lastrowid
    conn.executemany(
        "INSERT INTO vote_candidate (vote_id, unit_id, position) VALUES (?, ?, ?)",
        [(vid, uid, i) for i, uid in enumerate(chosen, 1)],
    )
    return get(conn, vid), left_out


def close(
    conn: sqlite3.Connection,
    vote: Vote,
    at: str | None = None,
    over_quota_reason: str | None = None,
) -> list[int]:
    """Freeze the vote at the count's time `at` ("14:30", kept for the count minutes); its
    elected units become award proposals. Over the quota they need the bloc's reason, given here
    or when the vote was opened, and each such proposal keeps it. Returns their ids."""
    if vote.closed:
        raise RuleBroken(f"Cuộc bỏ phiếu {vote.id} đã đóng.")
    at = meeting_service.parse_time(at, "kiểm phiếu") if at is not None else None
    chosen = elected_ids(conn, vote.id)
    r = rules(conn, vote.bloc_id, vote.year)
    already = proposed_count(conn, vote.bloc_id, vote.year, vote.award)
    profile = profiles.for_year(conn, vote.bloc_id, vote.year)
    top = quota(r, profile, vote.award)
    reason = vote.over_quota
    if over_quota_reason is not None:
        reason = over_quota(
            conn, vote.bloc_id, vote.year, vote.award, len(chosen), over_quota_reason
        )
    elif already + len(chosen) > top and reason is None:
        raise RuleBroken(
            f"Chỉ tiêu {profile.award_name(vote.award)} của {profile.words['word']} năm "
            f"{vote.year} là {top}; đã đề nghị {already}, không thêm được {len(chosen)} (nếu "
            f"{profile.words['word']} đã thống nhất vượt chỉ tiêu, ghi rõ lý do bằng "
            "«--over-quota --reason …»)."
        )
    over = already + len(chosen) > top
    conn.execute("DELETE FROM vote_elected WHERE vote_id = ?", (vote.id,))
    conn.executemany(
        "INSERT INTO vote_elected (vote_id, unit_id) VALUES (?, ?)", [(vote.id, u) for u in chosen]
    )
    conn.executemany(
        "INSERT INTO proposal (bloc_id, year, unit_id, award, vote_id, over_quota) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (bloc_id, year, unit_id, award) DO NOTHING",
        [
            (vote.bloc_id, vote.year, u, vote.award, vote.id, reason if over else None)
            for u in chosen
        ],
    )
    conn.execute(
        "UPDATE vote SET closed = 1, closed_at = ?, over_quota = ? WHERE id = ?",
        (at, reason, vote.id),
    )
    return chosen


def reopen(conn: sqlite3.Connection, vote: Vote, reason: str) -> list[int]:
    """Reopen a closed vote to correct it. The proposals it made are withdrawn (the next close
    makes them again from the corrected count); a tie decision is cleared, since the corrected
    count may not tie. Returns the units whose proposals were withdrawn."""
    reason = clean(reason, field="lý do", multiline=True)
    if not reason:
        raise InvalidInput("Cần ghi lý do mở lại (--reason).")
    if not vote.closed:
        raise RuleBroken(f"Cuộc bỏ phiếu {vote.id} đang mở; không cần mở lại.")
    later = conn.execute("SELECT id FROM vote WHERE round_of = ?", (vote.id,)).fetchone()
    if later:
        raise RuleBroken(
            f"Cuộc bỏ phiếu {vote.id} đã có vòng sau (cuộc bỏ phiếu {later[0]}); "
            "không mở lại vòng trước được."
        )
    proposals = conn.execute(
        "SELECT id, unit_id, status FROM proposal WHERE vote_id = ? ORDER BY id", (vote.id,)
    ).fetchall()
    for p in proposals:
        decided = conn.execute(
            "SELECT number FROM decision WHERE proposal_id = ?", (p["id"],)
        ).fetchone()
        if decided:
            raise RuleBroken(
                f"Đề nghị của «{unit_service.get(conn, p['unit_id']).name}» từ cuộc bỏ phiếu này "
                f"đã có quyết định khen thưởng {decided[0]}; không mở lại được."
            )
        if p["status"] == "cut":
            raise RuleBroken(
                f"Đề nghị của «{unit_service.get(conn, p['unit_id']).name}» từ cuộc bỏ phiếu này "
                "đã bị cắt; không mở lại được."
            )
    conn.execute("DELETE FROM proposal WHERE vote_id = ?", (vote.id,))
    conn.execute("DELETE FROM vote_elected WHERE vote_id = ?", (vote.id,))
    conn.execute(
        "UPDATE vote SET closed = 0, closed_at = NULL, decided_by = NULL, decision_note = NULL "
        "WHERE id = ?",
        (vote.id,),
    )
    conn.execute(
        "INSERT INTO vote_reopen (vote_id, at, reason) VALUES (?, ?, ?)",
        (vote.id, clock.stamp(), reason),
    )
    return [p["unit_id"] for p in proposals]


def reopen_reasons(conn: sqlite3.Connection, vote_id: int) -> list[str]:
    """Why the vote was reopened, oldest first (empty when it never was)."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT reason FROM vote_reopen WHERE vote_id = ? ORDER BY id", (vote_id,)
        )
    ]
