"""Proposals and decisions. A proposal is what the bloc asks for; a decision (number, date,
awarding body) is what the province grants. The province may cut a proposal; history per unit
across years comes from both."""

from __future__ import annotations

import datetime as dt
import sqlite3

from ..blocs import profiles
from ..blocs import service as bloc_service
from ..core.errors import InvalidInput, NotFound, RuleBroken
from ..core.models import AWARD_RANK, AwardRecord, Bloc, Unit
from ..text import clean, clean_name, parse_date, sort_key, words
from ..units import service as unit_service
from ..votes import rules as vote_rules

DEFAULT_BODY = "Chủ tịch Ủy ban nhân dân tỉnh"


def _catalogue(conn: sqlite3.Connection, unit: Unit | None, year: int, profile=None) -> dict:
    """Codes and printed names a clerk may type: the state catalogue, the bloc's profile, and the
    catalogues of the blocs that proposed this unit this year."""
    catalogue = dict(AWARD_RANK)
    found = [profile] if profile is not None else []
    if unit is not None:
        found += [
            profiles.for_year(conn, r[0], year)
            for r in conn.execute(
                "SELECT DISTINCT bloc_id FROM proposal WHERE unit_id = ? AND year = ?",
                (unit.id, year),
            )
        ]
    for p in found:
        catalogue.update({a.code: a.name for a in p.awards})
    return catalogue


def _award(
    award: str,
    profile: profiles.Profile | None = None,
    conn: sqlite3.Connection | None = None,
    unit: Unit | None = None,
    year: int = 0,
) -> str:
    """The catalogue code of what the clerk typed: the code or the award's name."""
    if conn is None:
        catalogue = dict(AWARD_RANK)
        if profile is not None:
            catalogue.update({a.code: a.name for a in profile.awards})
    else:
        catalogue = _catalogue(conn, unit, year, profile)
    return words.award(award, catalogue)


def award_code(award: str) -> str:
    """The catalogue code of what the clerk typed: the code or the award's name."""
    return _award(award)


HOW = {
    "consensus": "thống nhất đề nghị",
    "hands": "biểu quyết giơ tay",
    "ballot": "bỏ phiếu kín",
}


def _name(conn: sqlite3.Connection, bloc_id: int | None, year: int, award: str) -> str:
    if bloc_id is None:
        return AWARD_RANK.get(award, award)
    return profiles.for_year(conn, bloc_id, year).award_name(award)


def propose(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    unit: Unit,
    award: str,
    how: str | None = None,
    agree: int | None = None,
    present: int | None = None,
    over_quota_reason: str | None = None,
    meeting_id: int | None = None,
) -> int:
    """A proposal made without a secret ballot: agreed by consensus ("thống nhất đề nghị") or by
    a show of hands (`agree` of `present`), or not said.
    A secret ballot is a vote (tdkt vote open … close), which makes its own proposals.

    The award must be in the bloc's catalogue (its profile's awards), since the documents that
    carry proposals to the awarding body list those awards only: an award outside it is refused
    with the catalogue named, never recorded to be left out later. The bloc-year's quota holds
    as for a vote; going over it needs the bloc's reason, recorded on the proposal.
    `meeting_id`: the meeting it was agreed at, of this bloc-year (None: the year-end meeting)."""
    profile = profiles.for_year(conn, bloc, year)
    award = _in_catalogue(award, profile, bloc, year)
    if how is not None and how not in ("consensus", "hands"):
        if how == "ballot":
            raise InvalidInput(
                "Bỏ phiếu kín được ghi bằng cuộc bỏ phiếu («tdkt vote open … --award "
                f"{award}», rồi «tdkt vote close»), không ghi bằng «award propose»."
            )
        raise InvalidInput(f"Cách quyết định «{how}» không có; chọn: consensus, hands.")
    if how == "hands":
        if agree is None or present is None:
            raise InvalidInput(
                "Biểu quyết giơ tay cần --agree (số đồng ý) và --present (số có mặt)."
            )
        members = len(bloc_service.member_ids(conn, bloc.id, year))
        if not 0 <= agree <= present <= members:
            raise InvalidInput(
                f"Số đồng ý ({agree}) và số có mặt ({present}) phải thỏa 0 ≤ đồng ý ≤ có mặt ≤ "
                f"{members} (số thành viên)."
            )
    elif agree is not None or present is not None:
        raise InvalidInput("Số đồng ý (--agree) và số có mặt (--present) chỉ dùng với --how hands.")
    if meeting_id is not None:
        from ..meetings import service as meeting_service

        meeting = meeting_service.get(conn, meeting_id)
        if meeting.bloc != bloc.code or meeting.year != year:
            raise RuleBroken(
                f"Hội nghị {meeting.id} không phải của {profile.words['word']} {bloc.code} năm "
                f"{year} (hội nghị đó của {meeting.bloc} năm {meeting.year})."
            )
        meeting_id = meeting.id
    bloc_service.require_member(conn, bloc, unit, year)
    row = conn.execute(
        "SELECT id FROM proposal WHERE bloc_id = ? AND year = ? AND unit_id = ? AND award = ?",
        (bloc.id, year, unit.id, award),
    ).fetchone()
    if row:
        raise RuleBroken(f"«{unit.name}» đã được đề nghị {profile.award_name(award)} năm {year}.")
    over = vote_rules.over_quota(conn, bloc.id, year, award, 1, over_quota_reason)
    if how is not None:
        conn.execute(
            "INSERT INTO proposal_how (bloc_id, year, award, how, agree, present) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (bloc_id, year, award) DO UPDATE SET "
            "how = excluded.how, agree = excluded.agree, present = excluded.present",
            (bloc.id, year, award, how, agree, present),
        )
    return conn.execute(
        "INSERT INTO proposal (bloc_id, year, unit_id, award, over_quota, meeting_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (bloc.id, year, unit.id, award, over, meeting_id),
    ).lastrowid


def _in_catalogue(typed: str, profile: profiles.Profile, bloc: Bloc, year: int) -> str:
    """The code of an award of the bloc's catalogue, or a refusal naming the catalogue and how to
    add to it."""
    catalogue = {a.code: a.name for a in profile.awards}
    try:
        return words.award(typed, catalogue)
    except InvalidInput:
        listed = "; ".join(f"{code} ({name})" for code, name in catalogue.items())
        word = profile.words["word"]
        raise InvalidInput(
            f"Hình thức «{typed}» không có trong danh mục khen thưởng của {word} {bloc.code} năm {year} "
            f"({listed}), nên văn bản đề nghị sẽ không ghi được; hãy thêm vào danh mục trước "
            f"(«tdkt bloc profile {bloc.code} --file DANH_MUC.yaml», khóa awards) rồi ghi lại."
        ) from None


def proposal(conn: sqlite3.Connection, proposal_id: int) -> AwardRecord:
    """One proposal as a line of the award history (with its over-quota reason, if any)."""
    p = conn.execute("SELECT * FROM proposal WHERE id = ?", (proposal_id,)).fetchone()
    if p is None:
        raise NotFound(f"Không có đề nghị khen thưởng mã số {proposal_id}.")
    d = conn.execute("SELECT * FROM decision WHERE proposal_id = ?", (proposal_id,)).fetchone()
    code = conn.execute("SELECT code FROM bloc WHERE id = ?", (p["bloc_id"],)).fetchone()[0]
    return _record(conn, p["year"], p["unit_id"], p["award"], code, p, d)


def how_decided(
    conn: sqlite3.Connection, bloc_id: int, year: int, award: str
) -> tuple[str, int | None, int | None] | None:
    """How the bloc agreed on proposals of `award` made without a vote: (how, agree, present)."""
    row = conn.execute(
        "SELECT how, agree, present FROM proposal_how WHERE bloc_id = ? AND year = ? AND award = ?",
        (bloc_id, year, award),
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def _proposal(conn: sqlite3.Connection, unit: Unit, year: int, award: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM proposal WHERE unit_id = ? AND year = ? AND award = ?",
        (unit.id, year, award),
    ).fetchone()


def cut(conn: sqlite3.Connection, unit: Unit, year: int, award: str, reason: str) -> None:
    """The province did not accept the bloc's proposal."""
    award = _award(award, conn=conn, unit=unit, year=year)
    row = _proposal(conn, unit, year, award)
    if row is None:
        raise NotFound(
            f"Không có đề nghị {AWARD_RANK.get(award, award)} năm {year} cho «{unit.name}»."
        )
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
    """Record the decision granting an award; linked to the bloc's proposal when there is one.
    The award's name and awarding body default to the bloc's catalogue."""
    award = _award(award, conn=conn, unit=unit, year=year)
    row = _proposal(conn, unit, year, award)
    profile = profiles.for_year(conn, row["bloc_id"], year) if row is not None else None
    entry = profile.award(award) if profile else None
    printed = entry.name if entry else AWARD_RANK.get(award, award)
    number = clean_name(number, field="số quyết định")
    day = parse_date(date)
    existing = conn.execute(
        "SELECT number FROM decision WHERE unit_id = ? AND year = ? AND award = ?",
        (unit.id, year, award),
    ).fetchone()
    if existing:
        raise RuleBroken(f"«{unit.name}» đã có quyết định {existing[0]} về {printed} năm {year}.")
    if row is not None and row["status"] == "cut":
        raise RuleBroken(f"Đề nghị {printed} năm {year} của «{unit.name}» đã bị cắt.")
    return conn.execute(
        "INSERT INTO decision (unit_id, year, award, award_name, number, date, body, proposal_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            unit.id,
            year,
            award,
            clean_name(award_name, field="tên danh hiệu") if award_name else printed,
            number,
            day.isoformat(),
            clean_name(body, field="cơ quan khen thưởng")
            if body
            else (entry.body if entry else DEFAULT_BODY),
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
        award_name=d["award_name"]
        if d is not None
        else _name(conn, p["bloc_id"] if p is not None else None, year, award),
        bloc=bloc_code,
        status=status,
        vote=p["vote_id"] if p is not None else None,
        cut_reason=p["cut_reason"] if p is not None else None,
        decision_number=d["number"] if d is not None else None,
        decision_date=dt.date.fromisoformat(d["date"]) if d is not None else None,
        body=d["body"] if d is not None else None,
        proposal_id=p["id"] if p is not None else None,
        over_quota=p["over_quota"] if p is not None else None,
    )


# --- corrections ------------------------------------------------------------------------------


def withdraw(conn: sqlite3.Connection, unit: Unit, year: int, award: str) -> dict:
    """Remove a proposal recorded by mistake. A proposal made by a vote comes from its count:
    correct the vote instead (`vote reopen`); one with a decision needs the decision removed."""
    award = _award(award, conn=conn, unit=unit, year=year)
    row = _proposal(conn, unit, year, award)
    if row is None:
        raise NotFound(
            f"Không có đề nghị {AWARD_RANK.get(award, award)} năm {year} cho «{unit.name}»."
        )
    if row["vote_id"] is not None:
        raise RuleBroken(
            f"Đề nghị này do cuộc bỏ phiếu {row['vote_id']} đưa ra; hãy mở lại cuộc bỏ phiếu "
            f"(«tdkt vote reopen {row['vote_id']} --reason …») để sửa."
        )
    decided = conn.execute(
        "SELECT number FROM decision WHERE proposal_id = ?", (row["id"],)
    ).fetchone()
    if decided:
        raise RuleBroken(
            f"Đề nghị này đã có quyết định {decided[0]}; xóa quyết định trước («tdkt award undecide»)."
        )
    conn.execute("DELETE FROM proposal WHERE id = ?", (row["id"],))
    return {
        "id": row["id"],
        "unit": unit.name,
        "year": year,
        "award": award,
        "award_name": _name(conn, row["bloc_id"], year, award),
    }


def undecide(conn: sqlite3.Connection, unit: Unit, year: int, award: str) -> dict:
    """Remove a decision typed in by mistake; the proposal, if any, is proposed again."""
    award = _award(award, conn=conn, unit=unit, year=year)
    row = conn.execute(
        "SELECT * FROM decision WHERE unit_id = ? AND year = ? AND award = ?",
        (unit.id, year, award),
    ).fetchone()
    if row is None:
        raise NotFound(
            f"«{unit.name}» không có quyết định {AWARD_RANK.get(award, award)} năm {year}."
        )
    conn.execute("DELETE FROM decision WHERE id = ?", (row["id"],))
    return {
        "id": row["id"],
        "unit": unit.name,
        "year": year,
        "award": award,
        "award_name": row["award_name"],
        "number": row["number"],
        "date": row["date"],
    }
