"""The members' round trip for scoring: a self-scoring form (biểu tự chấm điểm) out to each
member, the returned files read back in one go.

Decisions:
- A form carries its identity inside (files/forms.py): kind, bloc, year, unit and a checksum of
  the criteria it asks. The checksum covers the codes, kinds, maxima and caps, not the titles: a
  typo corrected in a title after the forms went out does not void the returned ones; a changed
  maximum or a new code does, and the message says which criterion differs.
- Collecting checks every file before writing anything; all the problems found are named (file,
  unit, criterion, cell, value) in one message and nothing is written.
- A blank cell is "not filled": it leaves an earlier score as it was (a score is taken back with
  `score unset`). A form with nothing filled is not a return; the unit stays in `score missing`.
- Two files for one unit must agree cell for cell (a blank against a value is a disagreement):
  which of two attachments is the later one cannot be known from the files.
- A formula a member left in a cell counts with the value Excel last computed; a formula that was
  never computed (no cached value) is refused naming the cell.
- A CSV (or a plain .xlsx table) in `score import`'s shape is read by the same reader as
  `score import`, so both commands accept the same files.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..blocs import forms as member_forms
from ..blocs import service as bloc_service
from ..core.errors import InvalidInput, RuleBroken
from ..core.models import Bloc
from ..files import forms as kit
from ..text import decimal
from ..units import service as unit_service
from . import service as scores

KIND = "tdkt-score-form"
COLUMNS = 5  # A code, B title, C maximum, D self-score, E note
WIDTHS = (8.0, 62.0, 10.0, 12.0, 26.0)


def plain(x: float | None) -> float | int | None:
    """40.0 → 40 in the identity sheet and JSON, as the criteria file wrote it."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x


def criteria_items(crit: scores.Criteria) -> list[list[Any]]:
    return [[c.code, c.kind, plain(c.max_points)] for c in crit.criteria]


def fingerprint(crit: scores.Criteria) -> str:
    return kit.checksum(
        {
            "criteria": criteria_items(crit),
            "bonus_cap": plain(crit.bonus_cap),
            "penalty_cap": plain(crit.penalty_cap),
        }
    )


def file_name(year: int, unit: str) -> str:
    from ..files.windows import safe_stem

    return f"cham-diem-{year}-{safe_stem(unit.replace(',', ' '))}.xlsx"


# --- making the forms -----------------------------------------------------------------------


def build(bloc: Bloc, year: int, unit_id: int, unit: str, crit: scores.Criteria) -> bytes:
    """One member's self-scoring workbook."""
    titles = [c.title for c in crit.criteria] + [c.group_title or "" for c in crit.criteria]
    widths = list(WIDTHS)
    widths[1] = float(kit.column_width(titles, int(WIDTHS[1]), 80))
    sheet = kit.Sheet("Tự chấm điểm", widths)
    sheet.line(bloc.name.upper(), bold=True, size=13)
    sheet.line(f"BIỂU TỰ CHẤM ĐIỂM THI ĐUA NĂM {year}", bold=True, size=14)
    sheet.line(f"Đơn vị: {unit}", bold=True, size=13)
    stamp = fingerprint(crit)
    sheet.line(f"Khối: {bloc.code} · Năm: {year} · Mã biểu mẫu: {stamp}", italic=True, size=10)
    sheet.line(
        "Ghi điểm tự chấm vào cột D (số, từ 0 đến điểm tối đa ở cột C) và ghi chú, minh chứng "
        "vào cột E; không sửa các cột khác. Đổi tên tệp không sao: tdkt nhận biểu mẫu theo nội "
        "dung bên trong.",
        italic=True,
        size=11,
        center=False,
    )
    header = sheet.table_row(
        ["Mã", "Nội dung tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Ghi chú"], header=True
    )
    rows: list[str] = []
    sums: dict[str, list[str]] = {"base": [], "bonus": [], "penalty": []}

    def criterion(c: scores.Criterion) -> None:
        r = sheet.table_row([c.code, c.title, c.max_points, None, None], fill=(4, 5))
        sheet.validate_decimal(f"D{r}", c.max_points, f"Điểm {c.code}")
        rows.append(f"{r}={c.code}")
        sums[c.kind].append(f"D{r}")

    group = object()
    for c in crit.criteria:
        if c.kind != "base":
            continue
        if c.group_code != group:
            group = c.group_code
            in_group = [x for x in crit.criteria if x.kind == "base" and x.group_code == group]
            sheet.table_row(
                [
                    c.group_code or "",
                    c.group_title or "",
                    sum(x.max_points for x in in_group),
                    None,
                    None,
                ],
                bold=True,
            )
        criterion(c)
    for kind, cap, label in (
        ("bonus", crit.bonus_cap, "Điểm thưởng"),
        ("penalty", crit.penalty_cap, "Điểm trừ (ghi số dương, sẽ trừ vào tổng)"),
    ):
        items = [c for c in crit.criteria if c.kind == kind]
        if not items:
            continue
        capped = f" – tối đa {decimal(cap)} điểm" if cap is not None else ""
        sheet.table_row(["", label + capped, cap, None, None], bold=True)
        for c in items:
            criterion(c)

    def total_row(label: str, text: str) -> str:
        r = sheet.table_row(["", label, None, None, None], bold=True)
        sheet.formula(4, text)
        return f"D{r}"

    def capped_sum(kind: str, cap: float | None) -> str:
        cells = ",".join(sums[kind]) or "0"
        return f"MIN(SUM({cells}),{cap!r})" if cap is not None else f"SUM({cells})"

    base = total_row("Cộng điểm cơ bản", f"=SUM({','.join(sums['base'])})")
    parts = [base]
    if sums["bonus"]:
        parts.append(total_row("Điểm thưởng được tính", "=" + capped_sum("bonus", crit.bonus_cap)))
    minus = ""
    if sums["penalty"]:
        minus = total_row("Điểm trừ được tính", "=" + capped_sum("penalty", crit.penalty_cap))
    total_row("TỔNG ĐIỂM TỰ CHẤM", "=" + "+".join(parts) + (f"-{minus}" if minus else ""))
    sheet.blank()
    sheet.line("THỦ TRƯỞNG ĐƠN VỊ", bold=True, size=12)
    sheet.line("(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=11)
    meta = {
        "form": KIND,
        "version": kit.FORM_VERSION,
        "bloc": bloc.code,
        "bloc_name": bloc.name,
        "year": str(year),
        "unit_id": str(unit_id),
        "unit": unit,
        "checksum": stamp,
        "rows": ";".join(rows),
        "criteria": ";".join(f"{code}:{kind}:{mx}" for code, kind, mx in criteria_items(crit)),
    }
    return sheet.finish(
        f"{bloc.name} – Biểu tự chấm điểm thi đua năm {year}", (header, header), meta
    )


def make_forms(
    conn: sqlite3.Connection, bloc: Bloc, year: int, out: Path, force: bool = False
) -> list[member_forms.Made]:
    """Write one self-scoring form per member of the year into `out`; nothing is replaced
    without `force`, and a refusal writes no file at all."""
    crit = scores.get_criteria(conn, bloc, year)
    return member_forms.send_out(
        conn,
        bloc,
        year,
        out,
        force,
        file_name,
        lambda uid, unit: build(bloc, year, uid, unit, crit),
    )


# --- collecting -----------------------------------------------------------------------------


@dataclass
class Returned:
    """What one file says for one unit."""

    file: str
    unit_id: int
    unit: str
    points: dict[str, float] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """A score a returned form sets: old and new value of one criterion of a unit."""

    unit_id: int
    unit: str
    code: str
    old: float | None
    new: float
    note: str | None
    file: str

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "criterion": self.code,
            "old": plain(self.old),
            "new": plain(self.new),
            "note": self.note,
            "file": self.file,
        }


@dataclass(frozen=True)
class Line:
    """One unit's return in the summary."""

    unit: str
    files: tuple[str, ...]
    filled: int
    total: float
    changes: int

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "files": list(self.files),
            "filled": self.filled,
            "total": plain(round(self.total, 2)),
            "changed": self.changes,
        }


@dataclass(frozen=True)
class Collected:
    """What `score collect` read: a line per unit, the changes and the blank files."""

    kind: str  # self | verified
    lines: tuple[Line, ...]
    changes: tuple[Change, ...]
    blank: tuple[str, ...]  # files with nothing filled in

    def as_json(self, bloc: Bloc, year: int, dry_run: bool) -> dict[str, Any]:
        return {
            "bloc": bloc.code,
            "year": year,
            "kind": self.kind,
            "dry_run": dry_run,
            "returned": [line.as_json() for line in self.lines],
            "changes": [c.as_json() for c in self.changes],
            "blank": list(self.blank),
        }


def _criteria_differ(meta: dict[str, str], crit: scores.Criteria, year: int) -> str:
    """Which criteria of a form are not the year's, in words."""
    theirs: dict[str, tuple[str, str]] = {}
    for item in meta.get("criteria", "").split(";"):
        code, _, rest = item.partition(":")
        kind, _, mx = rest.partition(":")
        if code:
            theirs[code] = (kind, mx)
    ours = {c.code: c for c in crit.criteria}
    said = []
    for code, (_, mx) in theirs.items():
        c = ours.get(code)
        if c is None:
            said.append(f"tiêu chí {code} không có trong tiêu chí năm {year}")
        elif mx and str(plain(c.max_points)) != mx:
            said.append(
                f"{code} tối đa {mx} trong biểu mẫu, {decimal(c.max_points)} theo tiêu chí năm {year}"
            )
    for code in ours:
        if code not in theirs:
            said.append(f"biểu mẫu thiếu tiêu chí {code}")
    return ", ".join(said[:4]) or "khác trần điểm thưởng hoặc điểm trừ"


def read_score_form(
    conn: sqlite3.Connection,
    form: kit.Form,
    bloc: Bloc,
    year: int,
    crit: scores.Criteria,
    shown: str,
    problems: list[str],
) -> Returned | None:
    who = member_forms.check_identity(conn, form, KIND, bloc, year, shown, problems)
    if who is None:
        return None
    uid, unit = who
    if form.meta.get("checksum") != fingerprint(crit):
        problems.append(
            f"«{shown}» ({unit}) là biểu mẫu theo bộ tiêu chí khác, không phải tiêu chí năm {year} "
            f"đang nạp ({_criteria_differ(form.meta, crit, year)}); hãy gửi lại biểu mẫu mới "
            "(tdkt score forms)"
        )
        return None
    by_code = crit.by_code()
    cells: list[tuple[int, str]] = []
    for item in form.meta.get("rows", "").split(";"):
        row, _, code = item.partition("=")
        if not row.isdigit() or code not in by_code:
            problems.append(f"«{shown}» ({unit}): trang «tdkt» của biểu mẫu đã bị sửa")
            return None
        r = int(row)
        if kit.text_in(form.cell(r, 1)).upper() != code:
            problems.append(
                f"«{shown}» ({unit}), dòng {r}: cột A phải là mã {code} như khi gửi đi, "
                f"không phải «{kit.text_in(form.cell(r, 1))}»"
            )
            return None
        cells.append((r, code))
    formulas = [(r, 4) for r, _ in cells if kit.is_formula(form.cell(r, 4))]
    cached = kit.cached_values(form.path, formulas) if formulas else {}
    got = Returned(shown, uid, unit)
    for r, code in cells:
        c = by_code[code]
        raw = form.cell(r, 4)
        where = f"«{shown}» ({unit}), {code}, ô D{r}"
        if kit.is_formula(raw):
            value = cached.get((r, 4))
            if value is None:
                problems.append(
                    f"{where}: còn công thức «{kit.formula_text(raw)}» chưa có giá trị; hãy ghi số điểm "
                    "(hoặc mở tệp trong Excel, lưu lại)"
                )
                continue
            raw = value
        try:
            number = kit.number_in(raw)
        except kit.NotANumber as exc:
            problems.append(f"{where}: {exc}")
            continue
        note = kit.text_in(form.cell(r, 5))
        if number is None:
            continue
        if number < 0 or number > c.max_points:
            problems.append(
                f"{where}: «{decimal(number)}» ngoài khoảng 0 đến {decimal(c.max_points)}"
            )
            continue
        got.points[code] = number
        if note:
            got.notes[code] = note
    return got


def read_table(
    conn: sqlite3.Connection, bloc: Bloc, year: int, path: Path, shown: str, problems: list[str]
) -> list[Returned]:
    """A CSV or a plain .xlsx table in `score import`'s shape: one unit a row."""
    try:
        cells = scores.read_score_csv(conn, bloc, year, path)
    except InvalidInput as exc:
        problems.append(exc.message.rstrip("."))
        return []
    out: dict[int, Returned] = {}
    for uid, code, value, _ in cells:
        if uid not in out:
            out[uid] = Returned(shown, uid, unit_service.name_on(conn, uid, None)[0])
        out[uid].points[code] = value
    members = set(bloc_service.member_ids(conn, bloc.id, year))
    for r in out.values():
        if r.unit_id not in members:
            problems.append(
                f"«{shown}»: «{r.unit}» không phải thành viên khối {bloc.code} năm {year}"
            )
    return [r for r in out.values() if r.unit_id in members]


def read_file(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    crit: scores.Criteria,
    path: Path,
    problems: list[str],
) -> list[Returned]:
    shown = str(path)
    if path.suffix.lower() == ".csv":
        return read_table(conn, bloc, year, path, shown, problems)
    try:
        form = kit.read_form(path, COLUMNS, lambda meta: kit.last_row_named(meta, "rows"))
    except InvalidInput as exc:
        problems.append(exc.message.rstrip("."))
        return []
    except Exception as exc:
        problems.append(f"Tệp «{shown}» không đọc được như tệp Excel ({type(exc).__name__})")
        return []
    if form is None:
        return read_table(conn, bloc, year, path, shown, problems)
    got = read_score_form(conn, form, bloc, year, crit, shown, problems)
    return [got] if got is not None else []


def _agree(unit: str, returns: list[Returned], problems: list[str]) -> None:
    first = returns[0]
    for other in returns[1:]:
        differ = []
        for code in sorted(set(first.points) | set(other.points)):
            a, b = first.points.get(code), other.points.get(code)
            if a != b:
                differ.append(
                    f"{code}: {decimal(a) if a is not None else 'trống'} / "
                    f"{decimal(b) if b is not None else 'trống'}"
                )
        if differ:
            problems.append(
                f"Hai tệp của {unit} ghi khác nhau («{first.file}» / «{other.file}»: "
                f"{', '.join(differ[:4])}); hãy bỏ tệp sai ra"
            )


def collect(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    paths: Sequence[Path],
    *,
    verified: bool = False,
    note: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Collected:
    """Read and check every returned file under `paths`; what would change. Writes nothing:
    `apply` writes the result. Raises InvalidInput naming every problem found."""
    crit = scores.get_criteria(conn, bloc, year)
    if crit.locked:
        raise RuleBroken(
            f"Điểm năm {year} của khối {bloc.code} đã khóa; mở khóa bằng «tdkt score unlock --reason …» nếu thật cần sửa."
        )
    files = kit.returned_files(paths)
    problems: list[str] = []
    by_unit: dict[int, list[Returned]] = {}
    blank: list[str] = []
    for i, path in enumerate(files, 1):
        for got in read_file(conn, bloc, year, crit, path, problems):
            if got.points:
                by_unit.setdefault(got.unit_id, []).append(got)
            else:
                blank.append(got.file)
        if progress is not None:
            progress(i, len(files))
    for returns in by_unit.values():
        if len(returns) > 1:
            _agree(returns[0].unit, returns, problems)
    have = {
        (r["unit_id"], r["code"]): r
        for r in conn.execute(
            "SELECT unit_id, code, self_points, self_note, verified_points, verified_note "
            "FROM score WHERE bloc_id = ? AND year = ?",
            (bloc.id, year),
        )
    }
    column, note_column = (
        ("verified_points", "verified_note") if verified else ("self_points", "self_note")
    )
    changes: list[Change] = []
    lines: list[Line] = []
    order = {uid: i for i, uid in enumerate(bloc_service.member_ids(conn, bloc.id, year))}
    for uid in sorted(by_unit, key=lambda u: order.get(u, len(order))):
        first = by_unit[uid][0]
        mine: list[Change] = []
        for code, value in first.points.items():
            row = have.get((uid, code))
            old = row[column] if row else None
            said = next((r.notes[code] for r in by_unit[uid] if code in r.notes), None) or note
            if verified:
                own = row["self_points"] if row else None
                if own is not None and own != value and not said:
                    problems.append(
                        f"«{first.file}» ({first.unit}), {code}: điểm thẩm định {decimal(value)} khác "
                        f"điểm tự chấm {decimal(own)}; cần ghi lý do ở cột E hoặc --note"
                    )
            if old != value or (said is not None and said != (row[note_column] if row else None)):
                mine.append(Change(uid, first.unit, code, old, value, said, first.file))
        changes.extend(mine)
        lines.append(
            Line(
                first.unit,
                tuple(r.file for r in by_unit[uid]),
                len(first.points),
                scores.total_of(crit, first.points)[3],
                len(mine),
            )
        )
    if problems:
        raise InvalidInput(member_forms.problems_message(problems))
    return Collected("verified" if verified else "self", tuple(lines), tuple(changes), tuple(blank))


def apply(conn: sqlite3.Connection, bloc: Bloc, year: int, collected: Collected) -> int:
    """Write what `collect` found changed (inside the caller's one transaction)."""
    for c in collected.changes:
        where = f"«{c.file}» ({c.unit})"
        if collected.kind == "verified":
            scores.set_score(
                conn, bloc, year, c.unit_id, c.code, verified=c.new, note=c.note, where=where
            )
        else:
            scores.set_score(
                conn, bloc, year, c.unit_id, c.code, self_points=c.new, note=c.note, where=where
            )
    return len(collected.changes)
