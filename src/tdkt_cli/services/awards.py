"""Proposals and decisions. A proposal is what the bloc asks for; a decision (number, date,
awarding body) is what the province grants. The province may cut a proposal; history per unit
across years comes from both."""

from __future__ import annotations

import datetime as dt
import sqlite3

from ..errors import InvalidInput, NotFound, RuleBroken
from ..models import AWARD_RANK, AwardRecord, Bloc, Unit
from ..text import clean, clean_name, parse_date, sort_key
from . import blocs as bloc_service
from . import units as unit_service

DEFAULT_BODY = "Chủ tịch Ủy ban nhân dân tỉnh"


def _award(award: str) -> str:
    if award not in AWARD_RANK:
        raise InvalidInput(f"Loại khen thưởng «{award}» không có; chọn: {', '.join(AWARD_RANK)}.")
    return award


def propose(conn: sqlite3.Connection, bloc: Bloc, year: int, unit: Unit, award: str) -> int:
    """A proposal made without a vote (e.g. Tập thể lao động xuất sắc)."""
    _award(award)
    bloc_service.require_member(conn, bloc, unit, year)
    row = conn.execute(
        "SELECT id FROM proposal WHERE bloc_id = ? AND year = ? AND unit_id = ? AND award = ?",
        (bloc.id, year, unit.id, award),
    ).fetchone()
    if row:
        raise RuleBroken(f"«{unit.name}» đã được đề nghị {AWARD_RANK[award]} năm {year}.")
    return conn.execute(
        "INSERT INTO proposal (bloc_id, year, unit_id, award) VALUES (?, ?, ?, ?)",
        (bloc.id, year, unit.id, award),
    ).lastrowid


def _proposal(conn: sqlite3.Connection, unit: Unit, year: int, award: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM proposal WHERE unit_id = ? AND year = ? AND award = ?",
        (unit.id, year, award),
    ).fetchone()


def cut(conn: sqlite3.Connection, unit: Unit, year: int, award: str, reason: str) -> None:
    """The province did not accept the bloc's proposal."""
    row = _proposal(conn, unit, year, _award(award))
    if row is None:
        raise NotFound(f"Không có đề nghị {AWARD_RANK[award]} năm {year} cho «{unit.name}».")
    if conn.execute("SELECT 1 FROM decision WHERE proposal_id = ?", (row["id"],)).fetchone():
        raise RuleBroken("Đề nghị này đã có quyết định khen thưởng; không thể ghi là bị cắt.")
    reason = clean(reason, field="lý do")
    if not reason:
        raise InvalidInput("Cần ghi lý do đề nghị không được chấp thuận.")
    conn.execute(
        "UPDATE proposal SET status = 'cut', cut_reason = ? WHERE id = ?", (reason, row["id"])
    )


def decide(
    conn: sqlite3.Connection,
    unit: Unit,
    year: int,
    award: str,
    number: str,
    date: str | dt.date,
    body: str | None = None,
    award_name: str | None = None,
) -> int:
    """Record the decision granting an award; linked to the bloc's proposal when there is one."""
    _award(award)
    number = clean_name(number, field="số quyết định")
    day = parse_date(date)
    existing = conn.execute(
        "SELECT number FROM decision WHERE unit_id = ? AND year = ? AND award = ?",
        (unit.id, year, award),
    ).fetchone()
    if existing:
        raise RuleBroken(
            f"«{unit.name}» đã có quyết định {existing[0]} về {AWARD_RANK[award]} năm {year}."
        )
    row = _proposal(conn, unit, year, award)
    if row is not None and row["status"] == "cut":
        raise RuleBroken(f"Đề nghị {AWARD_RANK[award]} năm {year} của «{unit.name}» đã bị cắt.")
    return conn.execute(
        "INSERT INTO decision (unit_id, year, award, award_name, number, date, body, proposal_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            unit.id,
            year,
            award,
            clean_name(award_name, field="tên danh hiệu") if award_name else AWARD_RANK[award],
            number,
            day.isoformat(),
            clean_name(body, field="cơ quan khen thưởng") if body else DEFAULT_BODY,
            row["id"] if row else None,
        ),
    ).lastrowid


def history(
    conn: sqlite3.Connection,
    bloc: Bloc | None = None,
    year: int | None = None,
    unit: Unit | None = None,
) -> list[AwardRecord]:
    """Proposals and decisions, newest year first, highest award first."""
    where, params = ["1 = 1"], []
    if bloc is not None:
        where.append("bloc_id = ?")
        params.append(bloc.id)
    if year is not None:
        where.append("year = ?")
        params.append(year)
    if unit is not None:
        where.append("unit_id = ?")
        params.append(unit.id)
    clause = " AND ".join(where)
    records = []
    codes = {b.id: b.code for b in bloc_service.list_blocs(conn)}
    for p in conn.execute(f"SELECT * FROM proposal WHERE {clause}", params).fetchall():
        d = conn.execute("SELECT * FROM decision WHERE proposal_id = ?", (p["id"],)).fetchone()
        records.append(
            _record(conn, p["year"], p["unit_id"], p["award"], codes.get(p["bloc_id"]), p, d)
        )
    if bloc is None:
        # decisions with no proposal behind them belong to no bloc
        for d in conn.execute(
            f"SELECT * FROM decision WHERE proposal_id IS NULL AND {clause}", params
        ).fetchall():
            records.append(_record(conn, d["year"], d["unit_id"], d["award"], None, None, d))
    rank = list(AWARD_RANK)
    records.sort(
        key=lambda r: (-r.year, rank.index(r.award) if r.award in rank else 99, sort_key(r.unit))
    )
    return records


def _record(conn, year, unit_id, award, bloc_code, p, d) -> AwardRecord:
    name = unit_service.name_on(conn, unit_id, dt.date(year, 12, 31))[0]
    status = "decided" if d is not None else (p["status"] if p is not None else "decided")
    return AwardRecord(
        year=year,
        unit_id=unit_id,
        unit=name,
        award=award,
        award_name=d["award_name"] if d is not None else AWARD_RANK.get(award, award),
        bloc=bloc_code,
        status=status,
        vote=p["vote_id"] if p is not None else None,
        cut_reason=p["cut_reason"] if p is not None else None,
        decision_number=d["number"] if d is not None else None,
        decision_date=dt.date.fromisoformat(d["date"]) if d is not None else None,
        body=d["body"] if d is not None else None,
        proposal_id=p["id"] if p is not None else None,
    )
