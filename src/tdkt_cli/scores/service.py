"""Scoring: a bloc-year's criteria, self and verified scores, completeness, the lock, the ranking.

Decisions:
- The criteria arrive as plain data (the CLI reads YAML); `check_criteria` validates all of it and
  names every problem before anything is stored.
- Penalty items are entered as positive points and subtracted; bonus and penalty totals are each
  capped. total = Σ base + min(Σ bonus, bonus cap) − min(Σ penalty, penalty cap), so it can pass 100.
- A unit's total uses its verified score for a criterion where there is one, else its self-score;
  the table says which ("đã thẩm định" / "tự chấm"). Equal totals share a rank (1, 1, 3).
- A verified score that differs from the self-score needs a reason.
- Once locked, a year's scores refuse every change until unlocked; both are logged with who, when
  and (for an unlock) why.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..blocs import service as bloc_service
from ..core import clock
from ..core.errors import InvalidInput, NotFound, RuleBroken
from ..core.models import COMBINE, Bloc
from ..text import clean, clean_name, match_key
from ..units import service as unit_service

KIND_LABEL = {"base": "tiêu chí", "bonus": "điểm thưởng", "penalty": "điểm trừ"}


@dataclass(frozen=True)
class Criterion:
    """One scoring criterion of a bloc-year, with its group and maximum."""

    code: str
    kind: str
    group_code: str | None
    group_title: str | None
    title: str
    max_points: float


@dataclass(frozen=True)
class Band:
    """A grade (xếp loại) and the points it needs."""

    name: str
    min_points: float


@dataclass(frozen=True)
class Criteria:
    """A bloc-year's criteria, caps, grades and how self and verified scores combine."""

    criteria: tuple[Criterion, ...]
    bonus_cap: float | None
    penalty_cap: float | None
    bands: tuple[Band, ...]
    combine: str
    locked: bool

    @property
    def maximum(self) -> float:
        return sum(c.max_points for c in self.criteria if c.kind == "base")

    def by_code(self) -> dict[str, Criterion]:
        return {c.code: c for c in self.criteria}

    def as_json(self) -> dict[str, Any]:
        groups: list[dict] = []
        for c in self.criteria:
            if c.kind != "base":
                continue
            if not groups or groups[-1]["code"] != c.group_code:
                groups.append({"code": c.group_code, "title": c.group_title, "criteria": []})
            groups[-1]["criteria"].append(
                {"code": c.code, "title": c.title, "max": plain_number(c.max_points)}
            )
        out: dict[str, Any] = {"groups": groups}
        for kind, cap in (("bonus", self.bonus_cap), ("penalty", self.penalty_cap)):
            items = [
                {"code": c.code, "title": c.title, "max": plain_number(c.max_points)}
                for c in self.criteria
                if c.kind == kind
            ]
            if items:
                out[kind] = {"cap": plain_number(cap) if cap is not None else None, "items": items}
        out["bands"] = [{"name": b.name, "min": plain_number(b.min_points)} for b in self.bands]
        out["combine"] = self.combine
        return out


def plain_number(x: float | None) -> float | int | None:
    """30.0 as 30 (for files and sentences), 30.5 as it is."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


# --- criteria --------------------------------------------------------------------------------


def _number(value: Any, where: str, problems: list[str], *, positive: bool = True) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            value = float(str(value).replace(",", "."))
        except (TypeError, ValueError):
            problems.append(f"{where}: «{value}» phải là số")
            return None
    value = float(value)
    if math.isnan(value) or math.isinf(value) or (positive and value <= 0) or value < 0:
        problems.append(
            f"{where}: «{plain_number(value)}» phải là số {'dương' if positive else 'không âm'}"
        )
        return None
    return value


def _line(node: Any) -> str:
    line = getattr(node, "line", 0)
    return f"dòng {line}" if line else "tệp tiêu chí"


def check_criteria(doc: Any) -> Criteria:
    """Validate a criteria document; every problem is named before anything is stored."""
    problems: list[str] = []
    if not isinstance(doc, dict):
        raise InvalidInput("Tệp tiêu chí phải là bảng có «groups», «bonus», «penalty», «bands».")
    unknown = set(doc) - {"groups", "bonus", "penalty", "bands", "combine"}
    if unknown:
        problems.append(f"mục không có: {', '.join(sorted(map(str, unknown)))}")
    criteria: list[Criterion] = []
    seen: dict[str, str] = {}

    def item(node: Any, kind: str, group: tuple[str | None, str | None]) -> None:
        where = _line(node)
        if not isinstance(node, dict):
            problems.append(f"{where}: mỗi tiêu chí cần «code», «title», «max»")
            return
        for key in ("code", "title", "max"):
            if node.get(key) in (None, ""):
                problems.append(f"{where}: tiêu chí thiếu «{key}»")
        if any(node.get(k) in (None, "") for k in ("code", "title", "max")):
            return
        code = clean(str(node["code"]), field="mã tiêu chí").upper()
        if match_key(code) in seen:
            problems.append(f"{where}: mã tiêu chí «{code}» trùng với {seen[match_key(code)]}")
            return
        seen[match_key(code)] = where
        points = _number(node["max"], f"{where}, tiêu chí {code}", problems)
        if points is not None:
            criteria.append(
                Criterion(code, kind, group[0], group[1], clean_name(str(node["title"])), points)
            )

    groups = doc.get("groups")
    if not isinstance(groups, list) or not groups:
        problems.append("cần ít nhất một nhóm tiêu chí trong «groups»")
        groups = []
    for g in groups:
        where = _line(g)
        if not isinstance(g, dict) or not g.get("title") or not isinstance(g.get("criteria"), list):
            problems.append(f"{where}: mỗi nhóm cần «title» và danh sách «criteria»")
            continue
        gcode = str(g.get("code") or "").strip() or None
        for c in g["criteria"]:
            item(c, "base", (gcode, clean_name(str(g["title"]))))
    caps: dict[str, float | None] = {"bonus": None, "penalty": None}
    for kind in ("bonus", "penalty"):
        node = doc.get(kind)
        if node is None:
            continue
        if not isinstance(node, dict) or not isinstance(node.get("items"), list):
            problems.append(f"{_line(node)}: «{kind}» cần «items» (và «cap» nếu có trần)")
            continue
        if node.get("cap") is not None:
            caps[kind] = _number(node["cap"], f"{_line(node)}, trần {KIND_LABEL[kind]}", problems)
        for c in node["items"]:
            item(c, kind, (None, None))
    bands: list[Band] = []
    for b in doc.get("bands") or []:
        if not isinstance(b, dict) or not b.get("name") or b.get("min") is None:
            problems.append(f"{_line(b)}: mỗi xếp loại cần «name» và «min»")
            continue
        low = _number(b["min"], f"{_line(b)}, xếp loại {b['name']}", problems, positive=False)
        if low is not None:
            bands.append(Band(clean_name(str(b["name"])), low))
    bands.sort(key=lambda b: -b.min_points)
    if len({b.min_points for b in bands}) != len(bands):
        problems.append("hai xếp loại có cùng điểm tối thiểu")
    combine = str(doc.get("combine") or "score-breaks-ties")
    if combine not in COMBINE:
        problems.append(f"«combine: {combine}» không có; chọn: {', '.join(COMBINE)}")
    if problems:
        shown = "; ".join(problems[:6])
        more = f" (và {len(problems) - 6} lỗi khác)" if len(problems) > 6 else ""
        raise InvalidInput(f"Tệp tiêu chí có lỗi, chưa ghi gì: {shown}{more}.")
    return Criteria(tuple(criteria), caps["bonus"], caps["penalty"], tuple(bands), combine, False)


def get_criteria(conn: sqlite3.Connection, bloc: Bloc, year: int) -> Criteria:
    rows = conn.execute(
        "SELECT * FROM criterion WHERE bloc_id = ? AND year = ? ORDER BY position", (bloc.id, year)
    ).fetchall()
    setup = conn.execute(
        "SELECT * FROM score_setup WHERE bloc_id = ? AND year = ?", (bloc.id, year)
    ).fetchone()
    if not rows or setup is None:
        raise NotFound(
            f"Khối {bloc.code} chưa có tiêu chí chấm điểm năm {year}; nạp bằng «tdkt score criteria»."
        )
    bands = tuple(
        Band(r["name"], r["min_points"])
        for r in conn.execute(
            "SELECT name, min_points FROM score_band WHERE bloc_id = ? AND year = ? ORDER BY position",
            (bloc.id, year),
        )
    )
    return Criteria(
        tuple(
            Criterion(
                r["code"], r["kind"], r["group_code"], r["group_title"], r["title"], r["max_points"]
            )
            for r in rows
        ),
        setup["bonus_cap"],
        setup["penalty_cap"],
        bands,
        setup["combine"],
        bool(setup["locked"]),
    )


def has_criteria(conn: sqlite3.Connection, bloc_id: int, year: int) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM criterion WHERE bloc_id = ? AND year = ? LIMIT 1", (bloc_id, year)
        ).fetchone()
        is not None
    )


def set_criteria(conn: sqlite3.Connection, bloc: Bloc, year: int, crit: Criteria) -> Criteria:
    """Store a year's criteria, replacing earlier ones; codes that already have scores must stay."""
    _require_unlocked(conn, bloc, year)
    used = {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT code FROM score WHERE bloc_id = ? AND year = ?", (bloc.id, year)
        )
    }
    dropped = sorted(used - {c.code for c in crit.criteria})
    if dropped:
        raise RuleBroken(
            f"Đã có điểm chấm cho tiêu chí {', '.join(dropped)} năm {year}; tiêu chí mới phải giữ các mã này."
        )
    conn.execute("DELETE FROM score_band WHERE bloc_id = ? AND year = ?", (bloc.id, year))
    conn.execute(
        "INSERT INTO score_setup (bloc_id, year, bonus_cap, penalty_cap, combine) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (bloc_id, year) DO UPDATE SET bonus_cap = excluded.bonus_cap, "
        "penalty_cap = excluded.penalty_cap, combine = excluded.combine",
        (bloc.id, year, crit.bonus_cap, crit.penalty_cap, crit.combine),
    )
    conn.executemany(
        "INSERT INTO score_band (bloc_id, year, position, name, min_points) VALUES (?, ?, ?, ?, ?)",
        [(bloc.id, year, i, b.name, b.min_points) for i, b in enumerate(crit.bands, 1)],
    )
    for i, c in enumerate(crit.criteria, 1):
        conn.execute(
            "INSERT INTO criterion (bloc_id, year, code, kind, group_code, group_title, title, "
            "max_points, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (bloc_id, year, code) "
            "DO UPDATE SET kind = excluded.kind, group_code = excluded.group_code, "
            "group_title = excluded.group_title, title = excluded.title, "
            "max_points = excluded.max_points, position = excluded.position",
            (bloc.id, year, c.code, c.kind, c.group_code, c.group_title, c.title, c.max_points, i),
        )
    codes = [c.code for c in crit.criteria]
    conn.execute(
        f"DELETE FROM criterion WHERE bloc_id = ? AND year = ? AND code NOT IN ({','.join('?' * len(codes))})",
        (bloc.id, year, *codes),
    )
    # existing scores must still fit the new maxima
    for c in crit.criteria:
        row = conn.execute(
            "SELECT MAX(MAX(COALESCE(self_points, 0), COALESCE(verified_points, 0))) FROM score "
            "WHERE bloc_id = ? AND year = ? AND code = ?",
            (bloc.id, year, c.code),
        ).fetchone()
        if row[0] is not None and row[0] > c.max_points:
            raise RuleBroken(
                f"Đã có điểm {plain_number(row[0])} cho {c.code}, vượt điểm tối đa mới {plain_number(c.max_points)}."
            )
    return get_criteria(conn, bloc, year)


# --- scores ----------------------------------------------------------------------------------


def _require_unlocked(conn: sqlite3.Connection, bloc: Bloc, year: int) -> None:
    row = conn.execute(
        "SELECT locked FROM score_setup WHERE bloc_id = ? AND year = ?", (bloc.id, year)
    ).fetchone()
    if row and row[0]:
        raise RuleBroken(
            f"Điểm năm {year} của khối {bloc.code} đã khóa; mở khóa bằng «tdkt score unlock --reason …» nếu thật cần sửa."
        )


def check_points(c: Criterion, value: float, where: str = "") -> float:
    prefix = f"{where}: " if where else ""
    if math.isnan(value) or value < 0 or value > c.max_points:
        raise InvalidInput(
            f"{prefix}điểm {KIND_LABEL[c.kind]} {c.code} phải từ 0 đến {plain_number(c.max_points)}, không phải {plain_number(value)}."
        )
    return value


def set_score(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    unit_id: int,
    code: str,
    *,
    self_points: float | None = None,
    verified: float | None = None,
    note: str | None = None,
    where: str = "",
) -> None:
    """Record a self-score or a verified score for one criterion; a change on verification needs a reason."""
    crit = get_criteria(conn, bloc, year)
    _require_unlocked(conn, bloc, year)
    c = crit.by_code().get(code.strip().upper())
    if c is None:
        raise NotFound(
            f"{where + ': ' if where else ''}không có tiêu chí «{code}» năm {year}; các mã: {', '.join(crit.by_code())}."
        )
    if unit_id not in bloc_service.member_ids(conn, bloc.id, year):
        name = unit_service.name_on(conn, unit_id, None)[0]
        raise RuleBroken(
            f"{where + ': ' if where else ''}«{name}» không phải thành viên khối {bloc.code} năm {year}."
        )
    note = clean(note, field="ghi chú") or None if note else None
    row = conn.execute(
        "SELECT self_points FROM score WHERE bloc_id = ? AND year = ? AND unit_id = ? AND code = ?",
        (bloc.id, year, unit_id, c.code),
    ).fetchone()
    if self_points is not None:
        check_points(c, self_points, where)
        conn.execute(
            "INSERT INTO score (bloc_id, year, unit_id, code, self_points, self_note) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (bloc_id, year, unit_id, code) DO UPDATE SET self_points = excluded.self_points, "
            "self_note = COALESCE(excluded.self_note, score.self_note)",
            (bloc.id, year, unit_id, c.code, self_points, note),
        )
    if verified is not None:
        check_points(c, verified, where)
        own = self_points if self_points is not None else (row[0] if row else None)
        if own is not None and own != verified and not note:
            raise InvalidInput(
                f"{where + ': ' if where else ''}điểm thẩm định {c.code} ({plain_number(verified)}) khác điểm tự chấm "
                f"({plain_number(own)}); cần ghi lý do (--note)."
            )
        conn.execute(
            "INSERT INTO score (bloc_id, year, unit_id, code, verified_points, verified_note) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (bloc_id, year, unit_id, code) DO UPDATE SET "
            "verified_points = excluded.verified_points, verified_note = excluded.verified_note",
            (bloc.id, year, unit_id, c.code, verified, note),
        )


def read_score_csv(
    conn: sqlite3.Connection, bloc: Bloc, year: int, path: Path
) -> list[tuple[int, str, float, str]]:
    """Read a CSV or .xlsx: a header `đơn vị` (or unit) then criterion codes; one row per unit.

    Separators "," or ";", UTF-8 with or without BOM, CRLF or LF. Returns (unit id, code, points,
    where) for every filled cell, after checking all of them.
    """
    from ..files.sheets import read_rows

    rows = read_rows(path)  # a CSV, or an .xlsx laid out the same way
    if len(rows) < 2:
        raise InvalidInput(f"Tệp {path.name} cần một dòng tiêu đề và ít nhất một dòng điểm.")
    crit = get_criteria(conn, bloc, year).by_code()
    header = [h.strip() for h in rows[0]]
    codes = []
    for col, h in enumerate(header[1:], 2):
        code = h.upper()
        if code not in crit:
            raise InvalidInput(
                f"Tệp {path.name}, dòng 1, cột {col}: «{h}» không phải mã tiêu chí năm {year} "
                f"({', '.join(crit)})."
            )
        codes.append(code)
    out = []
    seen: set[int] = set()
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise InvalidInput(f"Tệp {path.name}, dòng {number}: nhiều cột hơn dòng tiêu đề.")
        unit = unit_service.resolve_listed(conn, row[0], f"Tệp {path.name}, dòng {number}", seen)
        for col, (code, cell) in enumerate(zip(codes, row[1:], strict=False), 2):
            if not cell.strip():
                continue
            where = f"Tệp {path.name}, dòng {number}, cột {col} ({code})"
            try:
                value = float(cell.strip().replace(",", "."))
            except ValueError:
                raise InvalidInput(f"{where}: «{cell}» không phải số.") from None
            check_points(crit[code], value, where)
            out.append((unit.id, code, value, where))
    return out


# --- completeness, lock ------------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    """The criteria a unit has not been scored on, self and verified."""

    unit: str
    self_missing: tuple[str, ...]
    verified_missing: tuple[str, ...]


def missing(
    conn: sqlite3.Connection, bloc: Bloc, year: int, crit: Criteria | None = None
) -> list[Missing]:
    """Who has not scored (or not been verified on) which base criteria (`crit`: the bloc-year's
    criteria, when the caller has them already)."""
    crit = crit or get_criteria(conn, bloc, year)
    base = [c.code for c in crit.criteria if c.kind == "base"]
    scored: dict[int, dict[str, tuple[Any, Any]]] = {}
    for r in conn.execute(
        "SELECT unit_id, code, self_points, verified_points FROM score WHERE bloc_id = ? AND year = ?",
        (bloc.id, year),
    ):
        scored.setdefault(r[0], {})[r[1]] = (r[2], r[3])
    out = []
    for uid in bloc_service.member_ids(conn, bloc.id, year):
        have = scored.get(uid, {})
        self_missing = tuple(c for c in base if have.get(c, (None, None))[0] is None)
        verified_missing = tuple(c for c in base if have.get(c, (None, None))[1] is None)
        if self_missing or verified_missing:
            out.append(
                Missing(unit_service.name_on(conn, uid, None)[0], self_missing, verified_missing)
            )
    return out


def gap_counts(
    conn: sqlite3.Connection, bloc: Bloc, year: int, members: list[int]
) -> tuple[int, int, bool] | None:
    """For the province view: how many of `members` lack a self score, and how many a verified
    score, on some base criterion (what `missing` finds, counted, nobody named), and whether the
    scores are locked; None when the bloc-year has no criteria. Three queries, no records."""
    if not has_criteria(conn, bloc.id, year):
        return None
    setup = conn.execute(
        "SELECT locked FROM score_setup WHERE bloc_id = ? AND year = ?", (bloc.id, year)
    ).fetchone()
    if setup is None:
        get_criteria(conn, bloc, year)  # criteria without their setup: its refusal
    need = conn.execute(
        "SELECT count(*) FROM criterion WHERE bloc_id = ? AND year = ? AND kind = 'base'",
        (bloc.id, year),
    ).fetchone()[0]
    if need == 0:
        return 0, 0, bool(setup[0])
    have = {
        r[0]: (r[1], r[2])
        for r in conn.execute(
            # the base codes as a set, not a join: a criterion is one row a code, so the same
            # rows, and half the time (no lookup of each score's criterion)
            "SELECT unit_id, count(self_points), count(verified_points) FROM score "
            "WHERE bloc_id = ? AND year = ? AND code IN (SELECT code FROM criterion "
            "WHERE bloc_id = ? AND year = ? AND kind = 'base') GROUP BY unit_id",
            (bloc.id, year, bloc.id, year),
        )
    }
    self_short = sum(1 for u in members if have.get(u, (0, 0))[0] < need)
    verified_short = sum(1 for u in members if have.get(u, (0, 0))[1] < need)
    return self_short, verified_short, bool(setup[0])


def _who(by: str | None) -> str:
    from ..audit import trail  # only a lock or an unlock needs it: reads do not load the trail

    return trail.who(by)


def lock(conn: sqlite3.Connection, bloc: Bloc, year: int, by: str | None = None) -> None:
    get_criteria(conn, bloc, year)
    _require_unlocked(conn, bloc, year)
    conn.execute(
        "UPDATE score_setup SET locked = 1 WHERE bloc_id = ? AND year = ?", (bloc.id, year)
    )
    conn.execute(
        "INSERT INTO score_lock_log (bloc_id, year, action, at, by) VALUES (?, ?, 'lock', ?, ?)",
        (bloc.id, year, clock.stamp(), _who(by)),
    )


def unlock(
    conn: sqlite3.Connection, bloc: Bloc, year: int, reason: str, by: str | None = None
) -> None:
    crit = get_criteria(conn, bloc, year)
    if not crit.locked:
        raise RuleBroken(f"Điểm năm {year} của khối {bloc.code} chưa khóa.")
    reason = clean(reason or "", field="lý do")
    if not reason:
        raise InvalidInput("Mở khóa điểm cần ghi lý do (--reason).")
    conn.execute(
        "UPDATE score_setup SET locked = 0 WHERE bloc_id = ? AND year = ?", (bloc.id, year)
    )
    conn.execute(
        "INSERT INTO score_lock_log (bloc_id, year, action, at, by, reason) VALUES (?, ?, 'unlock', ?, ?, ?)",
        (bloc.id, year, clock.stamp(), _who(by), reason),
    )


def lock_log(conn: sqlite3.Connection, bloc: Bloc, year: int) -> list[dict]:
    return [
        dict(r)
        for r in conn.execute(
            "SELECT action, at, by, reason FROM score_lock_log WHERE bloc_id = ? AND year = ? ORDER BY id",
            (bloc.id, year),
        )
    ]


# --- ranking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A member's total in the score table: base, bonus, penalty."""

    unit_id: int
    unit: str
    group: str | None
    base: float
    bonus: float
    penalty: float
    total: float
    source: str  # verified | self | mixed | none
    rank: int | None  # None: never scored, named as such, not ranked last
    band: str | None
    points: dict[str, float] = field(default_factory=dict, compare=False)  # by criterion code

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "unit_id": self.unit_id,
            "group": self.group,
            "base": plain_number(round(self.base, 2)),
            "bonus": plain_number(round(self.bonus, 2)),
            "penalty": plain_number(round(self.penalty, 2)),
            "total": plain_number(round(self.total, 2)),
            "source": self.source,
            "rank": self.rank,
            "band": self.band,
        }


def total_of(crit: Criteria, points: dict[str, float]) -> tuple[float, float, float, float]:
    """(base, capped bonus, capped penalty, total) for one unit's points by criterion code."""
    codes = crit.by_code()
    sums = {"base": 0.0, "bonus": 0.0, "penalty": 0.0}
    for code, value in points.items():
        sums[codes[code].kind] += value
    bonus = sums["bonus"] if crit.bonus_cap is None else min(sums["bonus"], crit.bonus_cap)
    penalty = (
        sums["penalty"] if crit.penalty_cap is None else min(sums["penalty"], crit.penalty_cap)
    )
    return sums["base"], bonus, penalty, sums["base"] + bonus - penalty


def band_of(crit: Criteria, total: float) -> str | None:
    for b in crit.bands:
        if total >= b.min_points - 1e-9:
            return b.name
    return None


def table(conn: sqlite3.Connection, bloc: Bloc, year: int) -> list[Standing]:
    """Members by total, highest first, ranked within their group; equal totals share a rank."""
    crit = get_criteria(conn, bloc, year)
    members = bloc_service.member_rows(conn, bloc.id, year)
    rows = []
    for m in members:
        points: dict[str, float] = {}
        sources = set()
        for r in conn.execute(
            "SELECT code, self_points, verified_points FROM score WHERE bloc_id = ? AND year = ? AND unit_id = ?",
            (bloc.id, year, m.unit_id),
        ):
            if r[2] is not None:
                points[r[0]] = r[2]
                sources.add("verified")
            elif r[1] is not None:
                points[r[0]] = r[1]
                sources.add("self")
        base, bonus, penalty, total = total_of(crit, points)
        source = "none" if not sources else (sources.pop() if len(sources) == 1 else "mixed")
        rows.append((m, base, bonus, penalty, round(total, 6), source, points))
    group_order = []
    for m in members:
        if m.group not in group_order:
            group_order.append(m.group)
    out: list[Standing] = []
    for group in group_order:
        mine = [r for r in rows if r[0].group == group]
        # a member never scored is not ranked (it would come last with 0 points): after the
        # ranked ones, in the bloc's order
        mine.sort(key=lambda r: (r[5] == "none", -r[4] if r[5] != "none" else 0, r[0].position))
        rank: int | None = 0
        previous = None
        for i, (m, base, bonus, penalty, total, source, points) in enumerate(mine, 1):
            if source == "none":
                rank = None
            elif total != previous:
                rank, previous = i, total
            out.append(
                Standing(
                    m.unit_id,
                    unit_service.name_on(conn, m.unit_id, None)[0],
                    m.group,
                    base,
                    bonus,
                    penalty,
                    total,
                    source,
                    rank,
                    band_of(crit, total) if source != "none" else None,
                    points,
                )
            )
    return out


def verified_totals(conn: sqlite3.Connection, bloc_id: int, year: int) -> dict[int, float] | None:
    """Each member's total from verified scores only, or None when the year has no criteria."""
    if not has_criteria(conn, bloc_id, year):
        return None
    bloc = bloc_service.get(conn, bloc_id)
    crit = get_criteria(conn, bloc, year)
    out = {}
    for uid in bloc_service.member_ids(conn, bloc_id, year):
        points = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT code, verified_points FROM score WHERE bloc_id = ? AND year = ? AND unit_id = ? "
                "AND verified_points IS NOT NULL",
                (bloc_id, year, uid),
            )
        }
        out[uid] = total_of(crit, points)[3]
    return out


# --- corrections ------------------------------------------------------------------------------


def unset_score(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    unit_id: int,
    code: str,
    *,
    self_points: bool = True,
    verified: bool = True,
) -> dict[str, Any]:
    """Take back a self-score and/or a verified score entered by mistake (refused when locked or
    when there is none). Returns what was removed."""
    crit = get_criteria(conn, bloc, year)
    _require_unlocked(conn, bloc, year)
    c = crit.by_code().get(code.strip().upper())
    if c is None:
        raise NotFound(
            f"Không có tiêu chí «{code}» năm {year}; các mã: {', '.join(crit.by_code())}."
        )
    row = conn.execute(
        "SELECT self_points, verified_points FROM score WHERE bloc_id = ? AND year = ? "
        "AND unit_id = ? AND code = ?",
        (bloc.id, year, unit_id, c.code),
    ).fetchone()
    removed = {
        "self": row[0] if row and self_points else None,
        "verified": row[1] if row and verified else None,
    }
    if removed["self"] is None and removed["verified"] is None:
        name = unit_service.name_on(conn, unit_id, None)[0]
        raise NotFound(f"«{name}» chưa có điểm {c.code} năm {year} để xóa.")
    if self_points:
        conn.execute(
            "UPDATE score SET self_points = NULL, self_note = NULL WHERE bloc_id = ? AND year = ? "
            "AND unit_id = ? AND code = ?",
            (bloc.id, year, unit_id, c.code),
        )
    if verified:
        conn.execute(
            "UPDATE score SET verified_points = NULL, verified_note = NULL WHERE bloc_id = ? "
            "AND year = ? AND unit_id = ? AND code = ?",
            (bloc.id, year, unit_id, c.code),
        )
    conn.execute(
        "DELETE FROM score WHERE bloc_id = ? AND year = ? AND unit_id = ? AND code = ? "
        "AND self_points IS NULL AND verified_points IS NULL",
        (bloc.id, year, unit_id, c.code),
    )
    return {"code": c.code, **removed}


def remove_criteria(conn: sqlite3.Connection, bloc: Bloc, year: int) -> Criteria:
    """Remove a year's criteria loaded by mistake; refused once any score refers to them."""
    crit = get_criteria(conn, bloc, year)
    _require_unlocked(conn, bloc, year)
    if conn.execute(
        "SELECT 1 FROM score WHERE bloc_id = ? AND year = ? LIMIT 1", (bloc.id, year)
    ).fetchone():
        raise RuleBroken(
            f"Đã có điểm chấm theo tiêu chí năm {year}; xóa điểm trước («tdkt score unset»)."
        )
    conn.execute("DELETE FROM criterion WHERE bloc_id = ? AND year = ?", (bloc.id, year))
    conn.execute("DELETE FROM score_band WHERE bloc_id = ? AND year = ?", (bloc.id, year))
    conn.execute("DELETE FROM score_setup WHERE bloc_id = ? AND year = ?", (bloc.id, year))
    return crit
