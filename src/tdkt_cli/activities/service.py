"""The rest of a bloc's year: exemplars, joint activities paid by the members, and movements.

Exemplars are counted by kind and movement as reports print them ("08 tập thể và 27 cá nhân,
trong đó 05 tập thể, 14 cá nhân điển hình trong học tập và làm theo …"). Activities keep each
member's contribution in đồng; totals come with their words. Movements are province-wide (not per
bloc): a chairing unit, co-running units and their periodic reports.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..blocs import service as bloc_service
from ..core.errors import InvalidInput, NotFound, RuleBroken
from ..core.models import Bloc, Unit
from ..text import amount_words, clean, clean_name, date_short, group_digits, match_key, parse_date
from ..units import service as unit_service

KINDS = {"tap-the": "tập thể", "ca-nhan": "cá nhân"}
ROLES = {"chu-tri": "chủ trì", "phoi-hop": "phối hợp"}


# --- exemplars -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exemplar:
    """An exemplary person or collective (điển hình tiên tiến) recorded for a year."""

    id: int
    year: int
    kind: str
    name: str
    unit: str | None
    movement: str | None
    title: str | None
    description: str | None
    count: int

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def add_exemplar(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    kind: str,
    name: str,
    unit: Unit | None = None,
    movement: str | None = None,
    title: str | None = None,
    description: str | None = None,
    count: int = 1,
) -> Exemplar:
    """Record an exemplar (a collective or an individual) held up by a member this year."""
    if kind not in KINDS:
        raise InvalidInput(
            f"Loại điển hình «{kind}» không có; chọn tap-the (tập thể) hoặc ca-nhan (cá nhân)."
        )
    if count < 1:
        raise InvalidInput("Số lượng điển hình phải ít nhất là 1.")
    if unit is not None:
        bloc_service.require_member(conn, bloc, unit, year)
    eid = conn.execute(
        "INSERT INTO exemplar (bloc_id, year, kind, name, unit_id, movement, title, description, count) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            bloc.id,
            year,
            kind,
            clean_name(name, field="tên điển hình"),
            unit.id if unit else None,
            clean(movement, field="phong trào") or None if movement else None,
            clean(title, field="danh hiệu") or None if title else None,
            clean(description, field="mô tả", multiline=True) or None if description else None,
            count,
        ),
    ).lastrowid
    return list_exemplars(conn, bloc, year, eid)[0]


def list_exemplars(
    conn: sqlite3.Connection, bloc: Bloc, year: int, only: int | None = None
) -> list[Exemplar]:
    sql = "SELECT * FROM exemplar WHERE bloc_id = ? AND year = ?"
    params: list = [bloc.id, year]
    if only is not None:
        sql += " AND id = ?"
        params.append(only)
    return [
        Exemplar(
            r["id"],
            r["year"],
            r["kind"],
            r["name"],
            unit_service.name_on(conn, r["unit_id"], dt.date(year, 12, 31))[0]
            if r["unit_id"]
            else None,
            r["movement"],
            r["title"],
            r["description"],
            r["count"],
        )
        for r in conn.execute(sql + " ORDER BY id", params)
    ]


@dataclass(frozen=True)
class ExemplarCounts:
    """Exemplar counts of a bloc-year: by kind, and by kind within each movement."""

    collectives: int
    individuals: int
    by_movement: dict[str, dict[str, int]] = field(default_factory=dict)

    def sentence(self) -> str:
        """As reports print it: "08 tập thể và 27 cá nhân (trong đó 05 tập thể, 14 cá nhân …)"."""
        text = f"{self.collectives:02d} tập thể và {self.individuals:02d} cá nhân"
        parts = []
        for movement, counts in self.by_movement.items():
            parts.append(
                f"{counts.get('tap-the', 0):02d} tập thể, {counts.get('ca-nhan', 0):02d} cá nhân "
                f"điển hình trong {movement[0].lower()}{movement[1:]}"
            )
        if parts:
            text += f" (trong đó có {'; '.join(parts)})"
        return text

    def as_json(self) -> dict[str, Any]:
        return {
            "collectives": self.collectives,
            "individuals": self.individuals,
            "by_movement": self.by_movement,
            "sentence": self.sentence(),
        }


def count_exemplars(conn: sqlite3.Connection, bloc: Bloc, year: int) -> ExemplarCounts:
    totals = {"tap-the": 0, "ca-nhan": 0}
    by_movement: dict[str, dict[str, int]] = {}
    for r in conn.execute(
        "SELECT kind, movement, SUM(count) FROM exemplar WHERE bloc_id = ? AND year = ? "
        "GROUP BY kind, movement ORDER BY MIN(id)",
        (bloc.id, year),
    ):
        totals[r[0]] += r[2]
        if r[1]:
            by_movement.setdefault(r[1], {})[r[0]] = r[2]
    return ExemplarCounts(totals["tap-the"], totals["ca-nhan"], by_movement)


# --- joint activities ------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """A joint activity of the bloc (a visit, a gift), with its place and beneficiaries."""

    id: int
    bloc: str
    date: dt.date
    place: str | None
    purpose: str
    beneficiaries: int | None
    beneficiary_note: str | None
    contributions: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(a for _, a in self.contributions)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "bloc": self.bloc,
            "date": self.date.isoformat(),
            "place": self.place,
            "purpose": self.purpose,
            "beneficiaries": self.beneficiaries,
            "beneficiary_note": self.beneficiary_note,
            "contributions": [{"unit": u, "amount": a} for u, a in self.contributions],
            "total": self.total,
            "total_words": amount_words(self.total),
        }


def parse_amount(text: str) -> int:
    """ "2.000.000", "2000000", "2 000 000 đ" → 2000000 (đồng, whole)."""
    raw = (
        str(text)
        .lower()
        .replace("đồng", "")
        .replace("đ", "")
        .replace(" ", "")
        .replace(".", "")
        .replace(",", "")
    )
    if not raw.isdecimal():
        raise InvalidInput(f"Số tiền «{text}» phải là số đồng, ví dụ 2.000.000.")
    value = int(raw)
    if value > 10**13:
        raise InvalidInput(f"Số tiền «{text}» quá lớn.")
    return value


def add_activity(
    conn: sqlite3.Connection,
    bloc: Bloc,
    date: str | dt.date,
    purpose: str,
    place: str | None = None,
    beneficiaries: int | None = None,
    beneficiary_note: str | None = None,
    contributions: Sequence[tuple[Unit, int]] = (),
) -> Activity:
    """Record a joint activity and what each member contributed (members of the activity's year)."""
    day = parse_date(date)
    members = bloc_service.member_ids(conn, bloc.id, day.year)
    seen: set[int] = set()
    for unit, amount in contributions:
        if unit.id not in members:
            raise RuleBroken(
                f"«{unit.name}» không phải thành viên khối {bloc.code} năm {day.year}."
            )
        if unit.id in seen:
            raise InvalidInput(f"«{unit.name}» được ghi đóng góp hai lần.")
        seen.add(unit.id)
        if amount < 0:
            raise InvalidInput("Số tiền đóng góp không được âm.")
    if beneficiaries is not None and beneficiaries < 0:
        raise InvalidInput("Số người, phần quà nhận hỗ trợ không được âm.")
    aid = conn.execute(
        "INSERT INTO activity (bloc_id, date, place, purpose, beneficiaries, beneficiary_note) VALUES (?, ?, ?, ?, ?, ?)",
        (
            bloc.id,
            day.isoformat(),
            clean(place) or None if place else None,
            clean_name(purpose, field="mục đích"),
            beneficiaries,
            clean(beneficiary_note) or None if beneficiary_note else None,
        ),
    ).lastrowid
    conn.executemany(
        "INSERT INTO contribution (activity_id, unit_id, amount) VALUES (?, ?, ?)",
        [(aid, u.id, a) for u, a in contributions],
    )
    return get_activity(conn, aid)


def get_activity(conn: sqlite3.Connection, activity_id: int) -> Activity:
    r = conn.execute(
        "SELECT a.*, b.code FROM activity a JOIN bloc b ON b.id = a.bloc_id WHERE a.id = ?",
        (activity_id,),
    ).fetchone()
    if r is None:
        raise NotFound(f"Không có hoạt động mã số {activity_id}.")
    day = dt.date.fromisoformat(r["date"])
    order = {uid: i for i, uid in enumerate(bloc_service.member_ids(conn, r["bloc_id"], day.year))}
    rows = conn.execute(
        "SELECT unit_id, amount FROM contribution WHERE activity_id = ?", (activity_id,)
    ).fetchall()
    rows.sort(key=lambda x: order.get(x[0], len(order)))
    return Activity(
        r["id"],
        r["code"],
        day,
        r["place"],
        r["purpose"],
        r["beneficiaries"],
        r["beneficiary_note"],
        tuple((unit_service.name_on(conn, u, day)[0], a) for u, a in rows),
    )


def list_activities(
    conn: sqlite3.Connection, bloc: Bloc, year: int | None = None
) -> list[Activity]:
    sql, params = "SELECT id FROM activity WHERE bloc_id = ?", [bloc.id]
    if year is not None:
        sql += " AND date >= ? AND date < ?"
        params += [f"{year}-01-01", f"{year + 1}-01-01"]
    return [get_activity(conn, r[0]) for r in conn.execute(sql + " ORDER BY date, id", params)]


def statement(conn: sqlite3.Connection, bloc: Bloc, year: int) -> list[dict[str, Any]]:
    """What each member contributed over the year, activity by activity, with totals."""
    acts = list_activities(conn, bloc, year)
    out = []
    for uid in bloc_service.member_ids(conn, bloc.id, year):
        name = unit_service.name_on(conn, uid, dt.date(year, 12, 31))[0]
        lines = []
        for a in acts:
            amount = dict(a.contributions).get(name)
            if amount is not None:
                lines.append(
                    {
                        "activity": a.id,
                        "date": date_short(a.date),
                        "purpose": a.purpose,
                        "amount": amount,
                    }
                )
        total = sum(line["amount"] for line in lines)
        out.append(
            {
                "unit": name,
                "items": lines,
                "total": total,
                "total_text": group_digits(total),
                "total_words": amount_words(total),
            }
        )
    return out


# --- movements -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Movement:
    """An emulation movement (phong trào) the bloc takes part in."""

    id: int
    name: str
    launched_by: str
    start: dt.date | None
    finish: dt.date | None
    chair: tuple[str, ...]
    partners: tuple[str, ...]
    reports: tuple[dict, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "launched_by": self.launched_by,
            "start": self.start.isoformat() if self.start else None,
            "finish": self.finish.isoformat() if self.finish else None,
            "chair": list(self.chair),
            "partners": list(self.partners),
            "reports": list(self.reports),
        }


def add_movement(
    conn: sqlite3.Connection,
    name: str,
    launched_by: str,
    chair: Sequence[Unit] = (),
    partners: Sequence[Unit] = (),
    start: str | None = None,
    finish: str | None = None,
) -> Movement:
    name = clean_name(name, field="tên phong trào")
    if conn.execute("SELECT 1 FROM movement WHERE key = ?", (match_key(name),)).fetchone():
        raise RuleBroken(f"Đã có phong trào «{name}».")
    begin = parse_date(start) if start else None
    end = parse_date(finish) if finish else None
    if begin and end and end < begin:
        raise InvalidInput("Ngày kết thúc phong trào phải sau ngày bắt đầu.")
    overlap = {u.id for u in chair} & {u.id for u in partners}
    if overlap:
        raise InvalidInput("Một đơn vị không thể vừa chủ trì vừa phối hợp cùng một phong trào.")
    mid = conn.execute(
        "INSERT INTO movement (name, key, launched_by, start, finish) VALUES (?, ?, ?, ?, ?)",
        (
            name,
            match_key(name),
            clean_name(launched_by, field="cấp phát động"),
            begin.isoformat() if begin else None,
            end.isoformat() if end else None,
        ),
    ).lastrowid
    conn.executemany(
        "INSERT INTO movement_unit (movement_id, unit_id, role) VALUES (?, ?, ?)",
        [(mid, u.id, "chu-tri") for u in chair] + [(mid, u.id, "phoi-hop") for u in partners],
    )
    return get_movement(conn, mid)


def resolve_movement(conn: sqlite3.Connection, text: str) -> Movement:
    raw = str(text).strip()
    if raw.isdecimal():
        row = conn.execute("SELECT id FROM movement WHERE id = ?", (int(raw),)).fetchone()
        if row:
            return get_movement(conn, row[0])
    row = conn.execute("SELECT id FROM movement WHERE key = ?", (match_key(raw),)).fetchone()
    if row is None:
        raise NotFound(f"Không tìm thấy phong trào «{raw}».")
    return get_movement(conn, row[0])


def get_movement(conn: sqlite3.Connection, movement_id: int) -> Movement:
    r = conn.execute("SELECT * FROM movement WHERE id = ?", (movement_id,)).fetchone()
    if r is None:
        raise NotFound(f"Không có phong trào mã số {movement_id}.")
    roles = conn.execute(
        "SELECT unit_id, role FROM movement_unit WHERE movement_id = ? ORDER BY rowid",
        (movement_id,),
    ).fetchall()
    name = lambda uid: unit_service.name_on(conn, uid, None)[0]  # noqa: E731
    reports = tuple(
        {"id": x["id"], "unit": name(x["unit_id"]), "date": x["date"], "summary": x["summary"]}
        for x in conn.execute(
            "SELECT * FROM movement_report WHERE movement_id = ? ORDER BY date, id", (movement_id,)
        )
    )
    return Movement(
        r["id"],
        r["name"],
        r["launched_by"],
        dt.date.fromisoformat(r["start"]) if r["start"] else None,
        dt.date.fromisoformat(r["finish"]) if r["finish"] else None,
        tuple(name(u) for u, role in roles if role == "chu-tri"),
        tuple(name(u) for u, role in roles if role == "phoi-hop"),
        reports,
    )


def report_movement(
    conn: sqlite3.Connection, movement: Movement, unit: Unit, date: str, summary: str
) -> Movement:
    """A chairing or co-running unit's periodic report on the movement."""
    role = conn.execute(
        "SELECT role FROM movement_unit WHERE movement_id = ? AND unit_id = ?",
        (movement.id, unit.id),
    ).fetchone()
    if role is None:
        raise RuleBroken(f"«{unit.name}» không chủ trì hay phối hợp phong trào «{movement.name}».")
    conn.execute(
        "INSERT INTO movement_report (movement_id, unit_id, date, summary) VALUES (?, ?, ?, ?)",
        (
            movement.id,
            unit.id,
            parse_date(date).isoformat(),
            clean_name(summary, field="nội dung báo cáo"),
        ),
    )
    return get_movement(conn, movement.id)


def list_movements(conn: sqlite3.Connection, unit: Unit | None = None) -> list[Movement]:
    if unit is None:
        ids = [r[0] for r in conn.execute("SELECT id FROM movement ORDER BY id")]
    else:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT movement_id FROM movement_unit WHERE unit_id = ? ORDER BY movement_id",
                (unit.id,),
            )
        ]
    return [get_movement(conn, i) for i in ids]


# --- corrections ------------------------------------------------------------------------------


def remove_exemplar(conn: sqlite3.Connection, exemplar_id: int) -> Exemplar:
    """Remove an exemplar recorded by mistake."""
    row = conn.execute("SELECT bloc_id, year FROM exemplar WHERE id = ?", (exemplar_id,)).fetchone()
    if row is None:
        raise NotFound(f"Không có điển hình tiên tiến mã số {exemplar_id}.")
    gone = list_exemplars(conn, bloc_service.get(conn, row[0]), row[1], only=exemplar_id)[0]
    conn.execute("DELETE FROM exemplar WHERE id = ?", (exemplar_id,))
    return gone


def remove_activity(conn: sqlite3.Connection, activity_id: int) -> Activity:
    """Remove a joint activity recorded by mistake, with its contributions."""
    gone = get_activity(conn, activity_id)
    conn.execute("DELETE FROM contribution WHERE activity_id = ?", (activity_id,))
    conn.execute("DELETE FROM activity WHERE id = ?", (activity_id,))
    return gone


def set_contribution(
    conn: sqlite3.Connection, activity_id: int, unit: Unit, amount: int | None
) -> tuple[Activity, int | None]:
    """Correct one member's contribution to an activity (None removes it), with the checks of
    `activity add`. Returns the activity and the amount it replaced (None when there was none)."""
    act = get_activity(conn, activity_id)
    bloc_id = conn.execute("SELECT bloc_id FROM activity WHERE id = ?", (act.id,)).fetchone()[0]
    old = conn.execute(
        "SELECT amount FROM contribution WHERE activity_id = ? AND unit_id = ?",
        (act.id, unit.id),
    ).fetchone()
    if amount is None:
        if old is None:
            raise NotFound(f"«{unit.name}» không có đóng góp cho hoạt động {act.id}.")
        conn.execute(
            "DELETE FROM contribution WHERE activity_id = ? AND unit_id = ?", (act.id, unit.id)
        )
        return get_activity(conn, act.id), old[0]
    if unit.id not in bloc_service.member_ids(conn, bloc_id, act.date.year):
        raise RuleBroken(
            f"«{unit.name}» không phải thành viên khối {act.bloc} năm {act.date.year}."
        )
    if amount < 0:
        raise InvalidInput("Số tiền đóng góp không được âm.")
    conn.execute(
        "INSERT INTO contribution (activity_id, unit_id, amount) VALUES (?, ?, ?) "
        "ON CONFLICT (activity_id, unit_id) DO UPDATE SET amount = excluded.amount",
        (act.id, unit.id, amount),
    )
    return get_activity(conn, act.id), old[0] if old else None


def remove_movement(conn: sqlite3.Connection, movement: Movement) -> Movement:
    """Remove a movement entered by mistake; refused while it has reports."""
    if movement.reports:
        raise RuleBroken(
            f"Phong trào «{movement.name}» đã có {len(movement.reports)} báo cáo; "
            "hãy xóa các báo cáo trước («tdkt movement unreport ID»)."
        )
    conn.execute("DELETE FROM movement_unit WHERE movement_id = ?", (movement.id,))
    conn.execute("DELETE FROM movement WHERE id = ?", (movement.id,))
    return movement


def remove_report(conn: sqlite3.Connection, report_id: int) -> tuple[Movement, dict]:
    """Remove one movement report recorded by mistake."""
    row = conn.execute(
        "SELECT movement_id FROM movement_report WHERE id = ?", (report_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"Không có báo cáo phong trào mã số {report_id}.")
    gone = next(r for r in get_movement(conn, row[0]).reports if r["id"] == report_id)
    conn.execute("DELETE FROM movement_report WHERE id = ?", (report_id,))
    return get_movement(conn, row[0]), gone
