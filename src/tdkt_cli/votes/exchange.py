"""Votes, vote rules, exclusions, proposals and decisions in the export/import document.

Hooked into services.exchange: per bloc-year `vote_rules`, `ineligible`, `proposals`; per bloc
`votes`; at the top `decisions`. Same rules as the rest of the file: ids kept, everything checked
before anything is written, an id that means something else in the database is a conflict.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict
from typing import Any

from ..blocs import profiles
from ..core.models import AWARD_RANK, AWARDS, VoteRules
from ..exchange.kit import Part, Problems
from ..exchange.kit import date as _date
from ..exchange.kit import drop_none as _drop_none
from ..exchange.kit import get as _get
from ..exchange.kit import lst as _list
from ..exchange.kit import text as _text
from . import rules as vote_rules

# --- out -------------------------------------------------------------------------------------


def _year_extra(conn: sqlite3.Connection, bloc_id: int, year: int) -> dict:
    out: dict[str, Any] = {}
    row = conn.execute(
        "SELECT 1 FROM vote_rules WHERE bloc_id = ? AND year = ?", (bloc_id, year)
    ).fetchone()
    if row:
        out["vote_rules"] = asdict(vote_rules.rules(conn, bloc_id, year))
    out["ineligible"] = [
        {"unit": r[0], "reason": r[1]}
        for r in conn.execute(
            "SELECT unit_id, reason FROM ineligible WHERE bloc_id = ? AND year = ? ORDER BY unit_id",
            (bloc_id, year),
        )
    ]
    out["proposals"] = [
        _drop_none(
            {
                "id": r["id"],
                "uid": r["uid"],
                "unit": r["unit_id"],
                "award": r["award"],
                "vote": r["vote_id"],
                "status": r["status"],
                "cut_reason": r["cut_reason"],
                "over_quota": r["over_quota"],
                "meeting": r["meeting_id"],
            }
        )
        for r in conn.execute(
            "SELECT * FROM proposal WHERE bloc_id = ? AND year = ? ORDER BY id", (bloc_id, year)
        )
    ]
    return out


def _bloc_extra(conn: sqlite3.Connection, bloc_id: int) -> dict:
    out = []
    for v in conn.execute(
        "SELECT * FROM vote WHERE bloc_id = ? ORDER BY id", (bloc_id,)
    ).fetchall():
        vid = v["id"]
        doc: dict[str, Any] = {
            "id": vid,
            "uid": v["uid"],
            "year": v["year"],
            "award": v["award"],
            "seats": v["seats"],
            "meeting": v["meeting_id"],
            "members": v["members"],
            "present": v["present"],
            "base": v["base"],
            "threshold": v["threshold"],
            "strict": bool(v["strict"]),
            "quorum": v["quorum"],
            "round": v["round"],
            "round_of": v["round_of"],
            "mode": v["mode"],
            "closed": bool(v["closed"]),
            "decided_by": v["decided_by"],
            "decision_note": v["decision_note"],
            "committee": v["committee"].split("\n") if v["committee"] else None,
            "closed_at": v["closed_at"],
            "over_quota": v["over_quota"],
            "candidates": [
                r[0]
                for r in conn.execute(
                    "SELECT unit_id FROM vote_candidate WHERE vote_id = ? ORDER BY position", (vid,)
                )
            ],
            "ballots": [
                _drop_none(
                    {
                        "kind": r[0],
                        "marks": [int(x) for x in r[1].split(",")] if r[1] else None,
                        "count": r[2],
                    }
                )
                for r in conn.execute(
                    "SELECT kind, marks, count FROM ballot WHERE vote_id = ? ORDER BY kind, marks",
                    (vid,),
                )
            ],
            "elected": [
                r[0]
                for r in conn.execute(
                    "SELECT unit_id FROM vote_elected WHERE vote_id = ? ORDER BY unit_id", (vid,)
                )
            ],
            # each time the closed vote was reopened to be corrected (printed in the minutes)
            "reopened": [
                {"at": r[0], "reason": r[1]}
                for r in conn.execute(
                    "SELECT at, reason FROM vote_reopen WHERE vote_id = ? ORDER BY id", (vid,)
                )
            ],
        }
        paper = conn.execute(
            "SELECT valid, blank, invalid FROM vote_paper WHERE vote_id = ?", (vid,)
        ).fetchone()
        if paper:
            doc["counts"] = {
                "valid": paper[0],
                "blank": paper[1],
                "invalid": paper[2],
                "votes": [
                    {"unit": r[0], "votes": r[1]}
                    for r in conn.execute(
                        "SELECT unit_id, votes FROM vote_count WHERE vote_id = ? ORDER BY unit_id",
                        (vid,),
                    )
                ],
            }
        out.append(_drop_none(doc))
    return {"votes": out}


def _doc_extra(conn: sqlite3.Connection, unit_ids: list[int], bloc_ids: list[int]) -> dict:
    wanted = set(unit_ids)
    # a decision travels with the bloc that proposed it (or with every file, when it has none)
    proposals = {
        r[0]
        for r in conn.execute(
            f"SELECT id FROM proposal WHERE bloc_id IN ({','.join('?' * len(bloc_ids))})",
            bloc_ids,
        )
    }
    return {
        "decisions": [
            _drop_none(
                {
                    "id": r["id"],
                    "uid": r["uid"],
                    "unit": r["unit_id"],
                    "year": r["year"],
                    "award": r["award"],
                    "award_name": r["award_name"],
                    "number": r["number"],
                    "date": r["date"],
                    "body": r["body"],
                    "proposal": r["proposal_id"],
                }
            )
            for r in conn.execute("SELECT * FROM decision ORDER BY id")
            if r["unit_id"] in wanted
            and (r["proposal_id"] is None or r["proposal_id"] in proposals)
        ]
    }


# --- in --------------------------------------------------------------------------------------


def _bool(node: Any, key: str, problems: Problems, default: bool) -> bool:
    value = node.get(key) if isinstance(node, dict) else None
    if value is None:
        return default
    if not isinstance(value, bool):
        problems.add(node, f"«{key}» phải là true hoặc false")
        return default
    return value


def _units(node: Any, key: str, known: set[int], problems: Problems) -> list[int]:
    out = []
    for uid in _list(node, key, problems):
        if not isinstance(uid, int) or uid not in known:
            problems.add(node, f"«{key}»: không có đơn vị mã số {uid}")
        else:
            out.append(uid)
    return out


def _load(conn, doc_or_plan, blocs, known, problems: Problems, phase: str):
    if phase == "check":
        return _check(conn, doc_or_plan, blocs, known, problems)
    _write(conn, doc_or_plan, blocs)
    return None


def _check(conn, doc, blocs, known, problems):
    plan: dict[str, Any] = {"years": [], "votes": [], "decisions": []}
    for b in blocs:
        if not b:
            continue
        row = conn.execute("SELECT id FROM bloc WHERE code = ?", (b["code"],)).fetchone()
        catalogue = profiles.award_codes(conn, row[0] if row else None, b["node"].get("profile"))
        b["awards"] = catalogue  # the votes below check against it too
        for y in b["years"]:
            ynode = y["node"]
            rules_node = _get(ynode, "vote_rules", dict, problems)
            rules = None
            if rules_node is not None:
                defaults = VoteRules()
                try:
                    rules = vote_rules.check_rules(
                        VoteRules(
                            **{k: rules_node.get(k, getattr(defaults, k)) for k in asdict(defaults)}
                        )
                    )
                except Exception as exc:  # TdktError or a wrong type
                    problems.add(rules_node, getattr(exc, "message", str(exc)))
            inel = []
            for n in _list(ynode, "ineligible", problems):
                uid = _get(n, "unit", int, problems, True)
                reason = _text(n, "reason", problems, True)
                if uid is not None and reason:
                    inel.append((uid, reason))
            props = []
            for n in _list(ynode, "proposals", problems):
                pid = _get(n, "id", int, problems, True)
                uid = _get(n, "unit", int, problems, True)
                award = _text(n, "award", problems, True)
                status = _text(n, "status", problems) or "proposed"
                if award and award not in catalogue:
                    problems.add(
                        n, f"hình thức khen thưởng «{award}» không có trong danh mục của khối"
                    )
                if status not in ("proposed", "cut"):
                    problems.add(n, f"tình trạng đề nghị «{status}» không có")
                if uid is not None and uid not in known:
                    problems.add(n, f"không có đơn vị mã số {uid}")
                if None not in (pid, uid, award):
                    props.append(
                        (
                            pid,
                            uid,
                            award,
                            _get(n, "vote", int, problems),
                            status,
                            _text(n, "cut_reason", problems),
                            _text(n, "uid", problems),
                            _text(n, "over_quota", problems),
                            _get(n, "meeting", int, problems),
                        )
                    )
            plan["years"].append((b, y["year"], rules, inel, props))
        for n in _list(b["node"], "votes", problems):
            plan["votes"].append((b, _check_vote(conn, n, b, known, problems)))
    for n in _list(doc, "decisions", problems):
        did = _get(n, "id", int, problems, True)
        uid = _get(n, "unit", int, problems, True)
        year = _get(n, "year", int, problems, True)
        award = _text(n, "award", problems, True)
        number = _text(n, "number", problems, True)
        date = _date(n, "date", problems, True)
        if uid is not None and uid not in known:
            problems.add(n, f"không có đơn vị mã số {uid}")
        if None not in (did, uid, year, award, number, date):
            plan["decisions"].append(
                (
                    did,
                    uid,
                    year,
                    award,
                    _text(n, "award_name", problems) or AWARD_RANK.get(award, award),
                    number,
                    date,
                    _text(n, "body", problems) or "Chủ tịch Ủy ban nhân dân tỉnh",
                    _get(n, "proposal", int, problems),
                    _text(n, "uid", problems),
                )
            )
    return plan


def _check_vote(conn, n, b, known, problems) -> dict | None:
    code = b["code"]
    vid = _get(n, "id", int, problems, True)
    award = _text(n, "award", problems, True)
    if award and award not in AWARDS and award not in b.get("awards", ()):
        problems.add(n, f"loại bỏ phiếu «{award}» không có")
    if vid is not None:
        row = conn.execute(
            "SELECT b.code FROM vote v JOIN bloc b ON b.id = v.bloc_id WHERE v.id = ?", (vid,)
        ).fetchone()
        if row and row[0] != code:
            problems.add(
                n, f"cuộc bỏ phiếu mã số {vid} đã có trong cơ sở dữ liệu, thuộc khối «{row[0]}»"
            )
    ints = {
        k: _get(n, k, int, problems, k in ("year", "seats", "members", "present"))
        for k in ("year", "seats", "members", "present", "round", "round_of", "meeting")
    }
    ballots = []
    for bnode in _list(n, "ballots", problems):
        kind = _text(bnode, "kind", problems, True)
        cnt = _get(bnode, "count", int, problems, True)
        marks = _units(bnode, "marks", known, problems)
        if kind not in ("valid", "blank", "invalid"):
            problems.add(bnode, f"loại phiếu «{kind}» không có")
        if cnt is not None and cnt > 0 and kind:
            ballots.append((kind, ",".join(str(m) for m in sorted(marks)), cnt))
    counts = _get(n, "counts", dict, problems)
    paper = None
    if counts is not None:
        paper = (
            _get(counts, "valid", int, problems, True) or 0,
            _get(counts, "blank", int, problems) or 0,
            _get(counts, "invalid", int, problems) or 0,
            [
                (_get(x, "unit", int, problems, True), _get(x, "votes", int, problems, True))
                for x in _list(counts, "votes", problems)
            ],
        )
    if None in (vid, award, ints["year"], ints["seats"]):
        return None
    return {
        "id": vid,
        "uid": _text(n, "uid", problems),
        "award": award,
        **ints,
        "base": _text(n, "base", problems) or "members",
        "threshold": str(n.get("threshold", "1/2")),
        "strict": _bool(n, "strict", problems, True),
        "quorum": str(n.get("quorum", "2/3")),
        "mode": _text(n, "mode", problems) or "ballots",
        "closed": _bool(n, "closed", problems, False),
        "decided_by": _text(n, "decided_by", problems),
        "decision_note": _text(n, "decision_note", problems),
        "committee": "\n".join(str(c) for c in _list(n, "committee", problems)) or None,
        "closed_at": _text(n, "closed_at", problems),
        "over_quota": _text(n, "over_quota", problems),
        "candidates": _units(n, "candidates", known, problems),
        "elected": _units(n, "elected", known, problems),
        "ballots": ballots,
        "paper": paper,
        "reopened": [
            (_text(r, "at", problems, True), _text(r, "reason", problems, True))
            for r in _list(n, "reopened", problems)
        ],
    }


def _write(conn, plan, blocs) -> None:
    for b, year, rules, inel, _props in plan["years"]:
        bid = b["id"]
        conn.execute("DELETE FROM vote_rules WHERE bloc_id = ? AND year = ?", (bid, year))
        if rules is not None:
            changes = asdict(rules)
            vote_rules.set_rules(conn, bid, year, **changes)
        conn.execute("DELETE FROM ineligible WHERE bloc_id = ? AND year = ?", (bid, year))
        conn.executemany(
            "INSERT INTO ineligible (bloc_id, year, unit_id, reason) VALUES (?, ?, ?, ?)",
            [(bid, year, uid, reason) for uid, reason in inel],
        )
    for b, v in plan["votes"]:
        if v is None:
            continue
        conn.execute(
            "INSERT INTO vote (id, bloc_id, year, award, seats, meeting_id, members, present, base, "
            "threshold, strict, quorum, round, round_of, mode, closed, decided_by, decision_note, "
            "committee, uid, closed_at, over_quota) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET committee = excluded.committee, "
            "closed_at = excluded.closed_at, over_quota = excluded.over_quota, "
            "uid = coalesce(vote.uid, excluded.uid), "
            "year = excluded.year, award = excluded.award, seats = excluded.seats, "
            "meeting_id = excluded.meeting_id, members = excluded.members, present = excluded.present, "
            "base = excluded.base, threshold = excluded.threshold, strict = excluded.strict, "
            "quorum = excluded.quorum, round = excluded.round, round_of = excluded.round_of, "
            "mode = excluded.mode, closed = excluded.closed, decided_by = excluded.decided_by, "
            "decision_note = excluded.decision_note",
            (
                v["id"],
                b["id"],
                v["year"],
                v["award"],
                v["seats"],
                v["meeting"],
                v["members"],
                v["present"],
                v["base"],
                v["threshold"],
                int(v["strict"]),
                v["quorum"],
                v["round"] or 1,
                v["round_of"],
                v["mode"],
                int(v["closed"]),
                v["decided_by"],
                v["decision_note"],
                v["committee"],
                v["uid"],
                v["closed_at"],
                v["over_quota"],
            ),
        )
        for table in (
            "vote_candidate",
            "ballot",
            "vote_count",
            "vote_paper",
            "vote_elected",
            "vote_reopen",
        ):
            conn.execute(f"DELETE FROM {table} WHERE vote_id = ?", (v["id"],))
        conn.executemany(
            "INSERT INTO vote_reopen (vote_id, at, reason) VALUES (?, ?, ?)",
            [(v["id"], at, reason) for at, reason in v["reopened"] if at and reason],
        )
        conn.executemany(
            "INSERT INTO vote_candidate (vote_id, unit_id, position) VALUES (?, ?, ?)",
            [(v["id"], u, i) for i, u in enumerate(v["candidates"], 1)],
        )
        conn.executemany(
            "INSERT INTO ballot (vote_id, kind, marks, count) VALUES (?, ?, ?, ?)",
            [(v["id"], *ballot) for ballot in v["ballots"]],
        )
        conn.executemany(
            "INSERT INTO vote_elected (vote_id, unit_id) VALUES (?, ?)",
            [(v["id"], u) for u in v["elected"]],
        )
        if v["paper"]:
            valid, blank, invalid, per = v["paper"]
            conn.execute(
                "INSERT INTO vote_paper (vote_id, valid, blank, invalid) VALUES (?, ?, ?, ?)",
                (v["id"], valid, blank, invalid),
            )
            conn.executemany(
                "INSERT INTO vote_count (vote_id, unit_id, votes) VALUES (?, ?, ?)",
                [(v["id"], u, n) for u, n in per if u is not None],
            )
    for b, year, _rules, _inel, props in plan["years"]:
        for pid, uid, award, vote_id, status, reason, stable, over, meeting_id in props:
            conn.execute(
                "INSERT INTO proposal (id, bloc_id, year, unit_id, award, vote_id, status, cut_reason, "
                "uid, over_quota, meeting_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET "
                "uid = coalesce(proposal.uid, excluded.uid), unit_id = excluded.unit_id, "
                "award = excluded.award, vote_id = excluded.vote_id, status = excluded.status, "
                "cut_reason = excluded.cut_reason, over_quota = excluded.over_quota, "
                "meeting_id = excluded.meeting_id",
                (pid, b["id"], year, uid, award, vote_id, status, reason, stable, over, meeting_id),
            )
    for d in plan["decisions"]:
        conn.execute(
            "INSERT INTO decision (id, unit_id, year, award, award_name, number, date, body, "
            "proposal_id, uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "uid = coalesce(decision.uid, excluded.uid), unit_id = excluded.unit_id, "
            "year = excluded.year, award = excluded.award, award_name = excluded.award_name, "
            "number = excluded.number, date = excluded.date, body = excluded.body, "
            "proposal_id = excluded.proposal_id",
            d,
        )


PART = Part(
    "votes",
    doc=_doc_extra,
    bloc=_bloc_extra,
    year=_year_extra,
    load=_load,
    ids=(
        ("blocs.*.years.*.proposals.*.id", "proposal", "proposal", "bloc"),
        ("blocs.*.votes.*.id", "vote", "vote", "bloc"),
        ("decisions.*.id", "decision", "decision", None),
    ),
    refs=(
        ("blocs.*.years.*.ineligible.*.unit", "unit"),
        ("blocs.*.years.*.proposals.*.unit", "unit"),
        ("blocs.*.years.*.proposals.*.vote", "vote"),
        ("blocs.*.years.*.proposals.*.meeting", "meeting"),
        ("blocs.*.votes.*.meeting", "meeting"),
        ("blocs.*.votes.*.round_of", "vote"),
        ("blocs.*.votes.*.candidates", "unit"),
        ("blocs.*.votes.*.elected", "unit"),
        ("blocs.*.votes.*.ballots.*.marks", "unit"),
        ("blocs.*.votes.*.counts.votes.*.unit", "unit"),
        ("decisions.*.unit", "unit"),
        ("decisions.*.proposal", "proposal"),
    ),
)
