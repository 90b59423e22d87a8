"""Ballots: paper ballots cast and removed, a ballot CSV read, a committee's hand count.

Ballots are stored as a multiset (a count per distinct marking) with no voter, time or order, so
the record cannot tell who marked what. A committee that counted by hand types its counts in
instead (mode "counts"); a vote takes one way in or the other, never both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InvalidInput, NotFound, RuleBroken
from ..core.models import Unit, Vote
from ..units import service as unit_service
from .tally import Ballots


def totals(conn: sqlite3.Connection, vote: Vote) -> Ballots:
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
    if mode != vote.mode and totals(conn, vote).cast:
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
    already = totals(conn, vote).cast
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


def votes_per_unit(conn: sqlite3.Connection, vote: Vote) -> dict[int, int]:
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
        return f"{self.valid} hợp lệ, {self.blank} phiếu trắng, {self.invalid} không hợp lệ" + (
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
    if vote.mode == "counts" and totals(conn, vote).cast:
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
            "blank": "trắng",
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
