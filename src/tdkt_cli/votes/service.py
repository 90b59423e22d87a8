"""Votes: rules per bloc-year, opening a vote, ballots, the count, rounds, closing into proposals.

Ballots are stored as a multiset (a count per distinct marking) with no voter, time or order, so
the record cannot tell who marked what. A committee that counted by hand types its counts in
instead (mode "counts"); a vote takes one way in or the other, never both.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from ..blocs import profiles
from ..blocs import service as bloc_service
from ..core import clock, dated
from ..core.errors import InvalidInput, NotFound, RuleBroken
from ..core.models import DECIDERS, Bloc, Unit, Vote, VoteRules
from ..meetings import service as meeting_service
from ..text import clean, percent, words
from ..units import service as unit_service
from .tally import BASES, Ballots, Candidate, Result, Rule, count, fraction_text, parse_fraction

# --- rules -----------------------------------------------------------------------------------


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


# --- votes -----------------------------------------------------------------------------------


def get(conn: sqlite3.Connection, vote_id: int | str) -> Vote:
    try:
        vid = int(vote_id)
    except (TypeError, ValueError):
        raise InvalidInput(f"Mã cuộc bỏ phiếu «{vote_id}» phải là một số.") from None
    row = conn.execute(
        "SELECT v.*, b.code FROM vote v JOIN bloc b ON b.id = v.bloc_id WHERE v.id = ?", (vid,)
    ).fetchone()
    if row is None:
        raise NotFound(f"Không có cuộc bỏ phiếu mã số {vid}.")
    candidates = tuple(
        (r[0], unit_service.name_on(conn, r[0], None)[0])
        for r in conn.execute(
            "SELECT unit_id FROM vote_candidate WHERE vote_id = ? ORDER BY position", (vid,)
        )
    )
    return Vote(
        id=vid,
        bloc=row["code"],
        bloc_id=row["bloc_id"],
        year=row["year"],
        award=row["award"],
        seats=row["seats"],
        meeting=row["meeting_id"],
        members=row["members"],
        present=row["present"],
        base=row["base"],
        threshold=row["threshold"],
        strict=bool(row["strict"]),
        quorum=row["quorum"],
        round=row["round"],
        round_of=row["round_of"],
        mode=row["mode"],
        closed=bool(row["closed"]),
        decided_by=row["decided_by"],
        decision_note=row["decision_note"],
        candidates=candidates,
        committee=tuple(row["committee"].split("\n")) if row["committee"] else (),
    )


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


def _proposed(conn: sqlite3.Connection, bloc_id: int, year: int, award: str) -> int:
    return conn.execute(
        "SELECT count(*) FROM proposal WHERE bloc_id = ? AND year = ? AND award = ? "
        "AND status = 'proposed'",
        (bloc_id, year, award),
    ).fetchone()[0]


def quota(r: VoteRules, award: str, leading: bool | None = None) -> int:
    """The bloc-year's quota for `award`: the flag quota for the leading unit's award (the
    profile says which; co-thi-dua when not told), the certificate quota for the others."""
    if leading is None:
        leading = award == "co-thi-dua"
    return r.flag_quota if leading else r.certificate_quota


def award_name(conn: sqlite3.Connection, vote: Vote) -> str:
    """The printed name of the vote's award, from the bloc's catalogue."""
    return profiles.for_year(conn, vote.bloc_id, vote.year).award_name(vote.award)


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
) -> tuple[Vote, dict[int, str]]:
    """Open a vote under the bloc-year's rules (overridable here). Returns the vote and the
    members left out of the candidates, with the reason for each."""
    if round_of is not None:
        return _open_round(conn, round_of)
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
        strict = parse_fraction(threshold) == Fraction(1, 2)
    r = check_rules(
        replace(
            r,
            base=base or r.base,
            threshold=threshold or r.threshold,
            strict=r.strict if strict is None else strict,
            quorum=quorum or r.quorum,
        )
    )
    left = quota(r, award, leading) - _proposed(conn, bloc.id, year, award)
    if seats is None:
        seats = max(left, 1)
    if seats < 1:
        raise InvalidInput("Số suất phải ít nhất là 1.")
    if seats > left:
        raise RuleBroken(
            f"Chỉ tiêu {profile.award_name(award)} của khối năm {year} là "
            f"{quota(r, award, leading)}, đã đề nghị "
            f"{quota(r, award, leading) - left}; chỉ còn {max(left, 0)} suất, không mở được {seats} suất."
        )
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
    vid = conn.execute(
        "INSERT INTO vote (bloc_id, year, award, seats, meeting_id, members, present, base, "
        "threshold, strict, quorum, committee) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            "\n".join(clean(c, field="thành viên ban kiểm phiếu") for c in committee if clean(c))
            or None,
        ),
    ).lastrowid
    conn.executemany(
        "INSERT INTO vote_candidate (vote_id, unit_id, position) VALUES (?, ?, ?)",
        [(vid, uid, i) for i, uid in enumerate(chosen, 1)],
    )
    return get(conn, vid), left_out


def _open_round(conn: sqlite3.Connection, previous_id: int) -> tuple[Vote, dict[int, str]]:
    prev = get(conn, previous_id)
    result = tally(conn, prev)
    if result.status != "tie":
        raise RuleBroken(
            f"Cuộc bỏ phiếu {prev.id} không có phiếu ngang nhau ở suất cuối; không cần vòng mới."
        )
    later = conn.execute("SELECT id FROM vote WHERE round_of = ?", (prev.id,)).fetchone()
    if later:
        raise RuleBroken(f"Vòng tiếp theo của cuộc bỏ phiếu {prev.id} đã mở (mã số {later[0]}).")
    r = rules(conn, prev.bloc_id, prev.year)
    if prev.round >= r.max_rounds:
        raise RuleBroken(
            f"Đã bỏ phiếu {prev.round} vòng, tối đa theo quy chế; theo quy chế, "
            f"{DECIDERS[r.decider]} («tdkt vote decide {prev.id} …»)."
        )
    seats = prev.seats - len(result.elected)
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
        [(vid, line.id, i) for i, line in enumerate(result.tied, 1)],
    )
    return get(conn, vid), {}


def _ballots(conn: sqlite3.Connection, vote: Vote) -> Ballots:
    if vote.mode == "counts":
        row = conn.execute(
            "SELECT valid, blank, invalid FROM vote_paper WHERE vote_id = ?", (vote.id,)
        ).fetchone()
        return Ballots(*row) if row else Ballots()
    totals = dict(
        conn.execute(
            "SELECT kind, SUM(count) FROM ballot WHERE vote_id = ? GROUP BY kind", (vote.id,)
        ).fetchall()
    )
    return Ballots(totals.get("valid", 0), totals.get("blank", 0), totals.get("invalid", 0))


def _writable(conn: sqlite3.Connection, vote: Vote, mode: str) -> None:
    if vote.closed:
        raise RuleBroken(f"Cuộc bỏ phiếu {vote.id} đã đóng; không nhận thêm phiếu.")
    if mode != vote.mode and _ballots(conn, vote).cast:
        raise RuleBroken(
            f"Cuộc bỏ phiếu {vote.id} đã ghi theo cách khác "
            f"({'từng phiếu' if vote.mode == 'ballots' else 'số liệu kiểm phiếu'}); không trộn hai cách."
        )


def classify(vote: Vote, marked: Sequence[Unit]) -> tuple[str, str | None]:
    """A ballot's kind (valid, blank, invalid) and, when invalid, why."""
    ids = {u.id for u in marked}
    if not ids:
        return "blank", None
    candidates = {cid for cid, _ in vote.candidates}
    outside = [u.name for u in marked if u.id not in candidates]
    if outside:
        return "invalid", f"ghi tên ngoài danh sách ứng viên ({'; '.join(outside)})"
    if len(ids) > vote.seats:
        return "invalid", f"đánh dấu {len(ids)} đơn vị, nhiều hơn {vote.seats} suất"
    return "valid", None


def cast(
    conn: sqlite3.Connection, vote: Vote, ballots: Sequence[tuple[str, Sequence[Unit]]]
) -> list[tuple[str, str | None]]:
    """Record paper ballots; each is ("marks", units), ("blank", []) or ("invalid", [])."""
    _writable(conn, vote, "ballots")
    already = _ballots(conn, vote).cast
    if already + len(ballots) > vote.present:
        raise RuleBroken(
            f"Cuộc bỏ phiếu {vote.id} có {vote.present} đơn vị có mặt và đã nhận {already} phiếu; "
            f"không thể nhận thêm {len(ballots)} phiếu."
        )
    outcomes = []
    piles: dict[tuple[str, str], int] = {}  # identical ballots are one row with a count
    for kind, marked in ballots:
        if kind == "marks":
            kind, reason = classify(vote, marked)
        else:
            reason = "phiếu không hợp lệ" if kind == "invalid" else None
        marks = ",".join(str(i) for i in sorted({u.id for u in marked})) if kind == "valid" else ""
        piles[(kind, marks)] = piles.get((kind, marks), 0) + 1
        outcomes.append((kind, reason))
    conn.executemany(
        "INSERT INTO ballot (vote_id, kind, marks, count) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (vote_id, kind, marks) DO UPDATE SET count = count + excluded.count",
        [(vote.id, kind, marks, n) for (kind, marks), n in piles.items()],
    )
    if vote.mode != "ballots":
        conn.execute("UPDATE vote SET mode = 'ballots' WHERE id = ?", (vote.id,))
    return outcomes


def read_ballot_file(conn: sqlite3.Connection, path: str | Path) -> list[tuple[str, list[Unit]]]:
    """Read a ballot CSV: one ballot a line, units separated by ";", an empty line a blank ballot,
    INVALID a spoiled one. Every name must resolve before anything is recorded."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"Không tìm thấy tệp «{p}».")
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"Tệp «{p}» không phải văn bản UTF-8.") from None
    ballots: list[tuple[str, list[Unit]]] = []
    found: dict[str, Unit] = {}  # a count has a few names on many lines: resolve each once

    def unit(name: str) -> Unit:
        if name not in found:
            found[name] = unit_service.resolve(conn, name)
        return found[name]

    for number, line in enumerate(text.splitlines(), 1):
        raw = line.strip().strip('"').strip()
        if not raw:
            ballots.append(("blank", []))
        elif raw.upper() in ("INVALID", "KHONG HOP LE", "KHÔNG HỢP LỆ"):
            ballots.append(("invalid", []))
        else:
            names = [n.strip().strip('"') for n in raw.split(";") if n.strip().strip('"')]
            try:
                ballots.append(("marks", [unit(n) for n in names]))
            except (NotFound, InvalidInput) as exc:
                raise InvalidInput(f"Tệp {p.name}, dòng {number}: {exc.message}") from None
    return ballots


def record_counts(
    conn: sqlite3.Connection,
    vote: Vote,
    valid: int,
    blank: int,
    invalid: int,
    votes: dict[int, int],
) -> None:
    """Record a hand count: ballots by kind and votes per candidate, checked for consistency."""
    _writable(conn, vote, "counts")
    if min(valid, blank, invalid) < 0:
        raise InvalidInput("Số phiếu không được âm.")
    if valid + blank + invalid > vote.present:
        raise RuleBroken(
            f"Tổng số phiếu ({valid + blank + invalid}) nhiều hơn số đơn vị có mặt ({vote.present})."
        )
    names = dict(vote.candidates)
    for uid, n in votes.items():
        if uid not in names:
            raise RuleBroken(
                f"«{unit_service.get(conn, uid).name}» không phải ứng viên của cuộc bỏ phiếu {vote.id}."
            )
        if n < 0:
            raise InvalidInput("Số phiếu không được âm.")
        if n > valid:
            raise RuleBroken(f"«{names[uid]}» có {n} phiếu, nhiều hơn số phiếu hợp lệ ({valid}).")
    if sum(votes.values()) > valid * vote.seats:
        raise RuleBroken(
            f"Tổng số phiếu bầu ({sum(votes.values())}) vượt quá số phiếu hợp lệ × số suất "
            f"({valid} × {vote.seats})."
        )
    conn.execute("DELETE FROM vote_count WHERE vote_id = ?", (vote.id,))
    conn.execute(
        "INSERT INTO vote_paper (vote_id, valid, blank, invalid) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (vote_id) DO UPDATE SET valid = excluded.valid, blank = excluded.blank, "
        "invalid = excluded.invalid",
        (vote.id, valid, blank, invalid),
    )
    conn.executemany(
        "INSERT INTO vote_count (vote_id, unit_id, votes) VALUES (?, ?, ?)",
        [(vote.id, uid, n) for uid, n in votes.items()],
    )
    conn.execute("UPDATE vote SET mode = 'counts' WHERE id = ?", (vote.id,))


def _votes_per_unit(conn: sqlite3.Connection, vote: Vote) -> dict[int, int]:
    if vote.mode == "counts":
        return dict(
            conn.execute(
                "SELECT unit_id, votes FROM vote_count WHERE vote_id = ?", (vote.id,)
            ).fetchall()
        )
    per: dict[int, int] = {}
    for marks, n in conn.execute(
        "SELECT marks, count FROM ballot WHERE vote_id = ? AND kind = 'valid'", (vote.id,)
    ):
        for uid in marks.split(","):
            per[int(uid)] = per.get(int(uid), 0) + n
    return per


def rule_of(vote: Vote) -> Rule:
    return Rule(
        base=vote.base,
        threshold=parse_fraction(vote.threshold),
        strict=vote.strict,
        quorum=parse_fraction(vote.quorum),
    )


def tally(conn: sqlite3.Connection, vote: Vote, day: dt.date | None = None) -> Result:
    """Count the vote; units are named as on `day` (today's names when None)."""
    per = _votes_per_unit(conn, vote)
    candidates = [
        Candidate(uid, unit_service.name_on(conn, uid, day)[0] if day else name, per.get(uid, 0))
        for uid, name in vote.candidates
    ]
    return count(
        vote.seats, vote.members, vote.present, _ballots(conn, vote), candidates, rule_of(vote)
    )


def elected_ids(conn: sqlite3.Connection, vote_id: int) -> list[int]:
    """Units this vote elected: frozen at close, else as counted now, plus any decision."""
    vote = get(conn, vote_id)
    if vote.closed or vote.decided_by:
        return _decided(conn, vote)
    return [line.id for line in tally(conn, vote).elected]


def decided_names(conn: sqlite3.Connection, vote: Vote, result: Result) -> list[str]:
    """Tied units that the bloc's rule picked after the last round."""
    tied = {line.id: line.name for line in result.tied}
    return [tied[u] for u in _decided(conn, vote) if u in tied]


def _decided(conn: sqlite3.Connection, vote: Vote) -> list[int]:
    return [
        r[0] for r in conn.execute("SELECT unit_id FROM vote_elected WHERE vote_id = ?", (vote.id,))
    ]


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


def close(conn: sqlite3.Connection, vote: Vote) -> list[int]:
    """Freeze the vote; its elected units become award proposals. Returns their ids."""
    if vote.closed:
        raise RuleBroken(f"Cuộc bỏ phiếu {vote.id} đã đóng.")
    chosen = elected_ids(conn, vote.id)
    r = rules(conn, vote.bloc_id, vote.year)
    already = _proposed(conn, vote.bloc_id, vote.year, vote.award)
    profile = profiles.for_year(conn, vote.bloc_id, vote.year)
    top = quota(r, vote.award, profile.is_leading(vote.award))
    if already + len(chosen) > top:
        raise RuleBroken(
            f"Chỉ tiêu {profile.award_name(vote.award)} của khối năm {vote.year} là {top}; "
            f"đã đề nghị {already}, không thêm được {len(chosen)}."
        )
    conn.execute("DELETE FROM vote_elected WHERE vote_id = ?", (vote.id,))
    conn.executemany(
        "INSERT INTO vote_elected (vote_id, unit_id) VALUES (?, ?)", [(vote.id, u) for u in chosen]
    )
    conn.executemany(
        "INSERT INTO proposal (bloc_id, year, unit_id, award, vote_id) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (bloc_id, year, unit_id, award) DO NOTHING",
        [(vote.bloc_id, vote.year, u, vote.award, vote.id) for u in chosen],
    )
    conn.execute("UPDATE vote SET closed = 1 WHERE id = ?", (vote.id,))
    return chosen


def list_votes(conn: sqlite3.Connection, bloc: Bloc | None, year: int | None) -> list[Vote]:
    sql, params = "SELECT id FROM vote WHERE 1 = 1", []
    if bloc is not None:
        sql += " AND bloc_id = ?"
        params.append(bloc.id)
    if year is not None:
        sql += " AND year = ?"
        params.append(year)
    return [get(conn, r[0]) for r in conn.execute(sql + " ORDER BY id", params)]


# --- output ----------------------------------------------------------------------------------


def as_json(vote: Vote, result: Result, decided: Sequence[str] = ()) -> dict:
    """The contract's `vote tally --json` shape."""
    data = {
        "vote": vote.id,
        "bloc": vote.bloc,
        "year": vote.year,
        "award": vote.award,
        "seats": vote.seats,
        "round": vote.round,
        "round_of": vote.round_of,
        "members": result.members,
        "present": result.present,
        "quorum_met": result.quorum_met,
        "ballots": {
            "issued": result.present,
            "cast": result.ballots.cast,
            "valid": result.ballots.valid,
            "blank": result.ballots.blank,
            "invalid": result.ballots.invalid,
        },
        "rule": {
            "base": vote.base,
            "threshold": vote.threshold,
            "strict": vote.strict,
            "base_count": result.base_count,
            "quorum": vote.quorum,
        },
        "results": [
            {
                "unit": line.name,
                "unit_id": line.id,
                "votes": line.votes,
                "share": line.share,
                "passed": line.passed,
                "elected": line.elected,
                "tied": line.tied,
            }
            for line in result.lines
        ],
        "elected": [line.name for line in result.elected],
        "tied": [line.name for line in result.tied],
        "status": result.status,
        "closed": vote.closed,
    }
    if decided:
        # after the last round the bloc's rule picked among the tied units
        data["elected"] += list(decided)
        data["decided_by"] = vote.decided_by
        data["decision_note"] = vote.decision_note
        data["status"] = "decided"
        for item in data["results"]:
            if item["unit"] in decided:
                item["elected"] = True
    return data


def threshold_words(vote: Vote) -> str:
    fraction = parse_fraction(vote.threshold)
    words = {"1/2": "một nửa", "2/3": "hai phần ba", "3/4": "ba phần tư"}.get(
        fraction_text(fraction),
        percent(float(fraction), 0 if (fraction * 100).denominator == 1 else 2),
    )
    return ("trên " if vote.strict else "từ ") + words


def explain(
    vote: Vote,
    result: Result,
    decided: Sequence[str] = (),
    profile: profiles.Profile | None = None,
) -> str:
    """The count in the words of the minutes, ready to paste, with the award's name and the
    bloc's words from `profile` (a provincial state khối when not given)."""
    profile = profile or profiles.merge(profiles.DEFAULT_PRESET, {})
    award = profile.award_name(vote.award)
    w = profile.words
    base_words = BASES[vote.base]
    parts = [
        f"Tổng số đơn vị thành viên: {result.members:02d}; có mặt: {result.present:02d} "
        + (
            f"(đủ tối thiểu {vote.quorum} theo quy chế)."
            if result.quorum_met
            else f"(không đủ tối thiểu {vote.quorum} theo quy chế, cuộc bỏ phiếu không có giá trị quyết định)."
        ),
        f"Số phiếu phát ra: {result.present:02d}; số phiếu thu về: {result.ballots.cast:02d}; "
        f"hợp lệ: {result.ballots.valid:02d}; không hợp lệ: {result.ballots.invalid:02d}; "
        f"phiếu trống: {result.ballots.blank:02d}.",
    ]
    if vote.round > 1:
        parts.insert(0, f"Bỏ phiếu vòng {vote.round} giữa các đơn vị ngang phiếu ở vòng trước.")
    lines = []
    for line in result.lines:
        if line.votes == 0 and not line.tied:
            continue
        verdict = "đạt" if line.passed else "không đạt"
        lines.append(
            f"{line.name}: {line.votes}/{result.base_count} phiếu "
            f"({percent(line.share)} {base_words}) — {verdict}"
        )
    zero = sum(1 for line in result.lines if line.votes == 0)
    if zero:
        lines.append(f"{zero:02d} đơn vị còn lại không có phiếu")
    parts.append("Kết quả: " + "; ".join(lines) + ".")
    parts.append(
        f"Theo quy chế, đơn vị được đề nghị phải đạt {threshold_words(vote)} {base_words} "
        f"và nằm trong {vote.seats:02d} đơn vị có số phiếu cao nhất."
    )
    elected = [line.name for line in result.elected]
    verb = (
        f"được suy tôn là đơn vị {w['leading']}, đề nghị tặng"
        if profile.is_leading(vote.award)
        else "được đề nghị tặng"
    )
    if result.status == "no-quorum":
        parts.append("Không đủ số đơn vị có mặt; cần tổ chức bỏ phiếu lại.")
    elif result.status == "no-ballots":
        parts.append("Chưa có phiếu nào.")
    else:
        if elected:
            parts.append(f"{'; '.join(elected)} {verb} {award}.")
        if result.status == "tie":
            parts.append(
                f"{'; '.join(line.name for line in result.tied)} ngang phiếu nhau ở suất cuối; "
                f"{w['word']} bỏ phiếu lại giữa các đơn vị này."
            )
        if result.status == "no-majority":
            parts.append(
                f"Còn {vote.seats - len(elected):02d} suất không có đơn vị nào đạt số phiếu cần thiết."
            )
    if decided:
        who = (
            DECIDERS[vote.decided_by]
            if vote.decided_by in DECIDERS and vote.decided_by != "head-deputy"
            else f"{w['head']} và {w['deputy']} quyết định"
        )
        parts.append(
            f"Sau {vote.round} vòng bỏ phiếu vẫn ngang phiếu; theo quy chế, {who}: "
            f"{'; '.join(decided)} {verb} {award}."
        )
    return " ".join(parts)


# --- corrections -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandCount:
    """A hand count as recorded: ballots by kind and votes per candidate (unit names)."""

    valid: int
    blank: int
    invalid: int
    votes: dict[str, int]

    def as_json(self) -> dict:
        return {
            "valid": self.valid,
            "blank": self.blank,
            "invalid": self.invalid,
            "votes": self.votes,
        }

    def words(self) -> str:
        per = "; ".join(f"{name}={n}" for name, n in self.votes.items())
        return f"{self.valid} hợp lệ, {self.blank} trống, {self.invalid} không hợp lệ" + (
            f" ({per})" if per else ""
        )


def hand_count(conn: sqlite3.Connection, vote: Vote) -> HandCount | None:
    """The hand count recorded for a vote, or None."""
    row = conn.execute(
        "SELECT valid, blank, invalid FROM vote_paper WHERE vote_id = ?", (vote.id,)
    ).fetchone()
    if row is None:
        return None
    names = dict(vote.candidates)
    per = {
        names.get(uid) or unit_service.get(conn, uid).name: n
        for uid, n in conn.execute(
            "SELECT c.unit_id, c.votes FROM vote_count c LEFT JOIN vote_candidate k "
            "ON k.vote_id = c.vote_id AND k.unit_id = c.unit_id WHERE c.vote_id = ? "
            "ORDER BY k.position, c.unit_id",
            (vote.id,),
        )
    }
    return HandCount(row[0], row[1], row[2], per)


def uncast(conn: sqlite3.Connection, vote: Vote, kind: str, marked: Sequence[Unit] = ()) -> str:
    """Remove one ballot with this marking ("marks" with units, "blank" or "invalid"); refused
    when the vote holds none. Returns the kind of the ballot removed."""
    if vote.closed:
        raise RuleBroken(
            f"Cuộc bỏ phiếu {vote.id} đã đóng; mở lại trước («tdkt vote reopen {vote.id} --reason …»)."
        )
    if vote.mode == "counts" and _ballots(conn, vote).cast:
        raise RuleBroken(
            f"Cuộc bỏ phiếu {vote.id} ghi theo số liệu kiểm phiếu; sửa bằng «tdkt vote count»."
        )
    if kind == "marks":
        kind, _reason = classify(vote, marked)
    marks = ",".join(str(i) for i in sorted({u.id for u in marked})) if kind == "valid" else ""
    row = conn.execute(
        "SELECT count FROM ballot WHERE vote_id = ? AND kind = ? AND marks = ?",
        (vote.id, kind, marks),
    ).fetchone()
    if row is None:
        what = {
            "valid": "đánh dấu " + "; ".join(u.name for u in marked),
            "blank": "trống",
            "invalid": "không hợp lệ",
        }[kind]
        raise NotFound(f"Cuộc bỏ phiếu {vote.id} không có phiếu nào {what}; không xóa gì.")
    if row[0] > 1:
        conn.execute(
            "UPDATE ballot SET count = count - 1 WHERE vote_id = ? AND kind = ? AND marks = ?",
            (vote.id, kind, marks),
        )
    else:
        conn.execute(
            "DELETE FROM ballot WHERE vote_id = ? AND kind = ? AND marks = ?",
            (vote.id, kind, marks),
        )
    return kind


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
        "UPDATE vote SET closed = 0, decided_by = NULL, decision_note = NULL WHERE id = ?",
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
