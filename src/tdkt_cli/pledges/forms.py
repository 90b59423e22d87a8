"""The members' round trip for registration (đăng ký thi đua): a form out to each member with
the bloc's award catalogue to tick, the targets and the signer to fill; the returned files read
back in one go.

Decisions:
- The awards offered are the bloc's catalogue for the year (its profile as on 31 December). A
  returned row is matched to the catalogue by the award's name (then its code), so a form made
  before the catalogue's codes changed still reads; an award ticked that the catalogue no longer
  has is refused by name.
- A returned form is the unit's whole answer for the catalogue: «Có» records the award with the
  form's targets; «Không» or a blank takes back a registration of that award recorded earlier
  (shown as a change). Registrations of titles outside the catalogue (typed with `pledge record`)
  are left alone. A form with nothing ticked and no target is not a return.
- The signer's name and title are read and shown; they are not stored with the registration.
- Every file is checked before anything is written; two files for one unit must agree.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..blocs import forms as member_forms
from ..blocs import profiles
from ..blocs import service as bloc_service
from ..core.errors import InvalidInput, RuleBroken
from ..core.models import Bloc
from ..files import forms as kit
from ..text import match_key
from ..units import service as unit_service
from . import service as pledges

KIND = "tdkt-pledge-form"
COLUMNS = 3  # A code / number / label, B award / target / name, C the tick
WIDTHS = (12.0, 62.0, 19.0)
YES, NO = "Có", "Không"
TARGET_ROWS = 10


def file_name(year: int, unit: str) -> str:
    from ..files.windows import safe_stem

    return f"dang-ky-thi-dua-{year}-{safe_stem(unit.replace(',', ' '))}.xlsx"


def catalogue(conn: sqlite3.Connection, bloc: Bloc, year: int) -> tuple[profiles.Award, ...]:
    awards = profiles.for_year(conn, bloc, year).awards
    if not awards:
        raise RuleBroken(
            f"Hồ sơ khối {bloc.code} chưa có danh mục danh hiệu; đặt bằng «tdkt bloc profile»."
        )
    return awards


def build(
    bloc: Bloc, year: int, unit_id: int, unit: str, awards: Sequence[profiles.Award]
) -> bytes:
    """One member's registration workbook."""
    widths = list(WIDTHS)
    widths[1] = float(kit.column_width([a.name for a in awards], int(WIDTHS[1]), 80))
    sheet = kit.Sheet("Đăng ký thi đua", widths)
    sheet.line(bloc.name.upper(), bold=True, size=13)
    sheet.line(f"PHIẾU ĐĂNG KÝ THI ĐUA NĂM {year}", bold=True, size=14)
    sheet.line(f"Đơn vị: {unit}", bold=True, size=13)
    stamp = kit.checksum([[a.code, a.name] for a in awards])
    sheet.line(f"Khối: {bloc.code} · Năm: {year} · Mã biểu mẫu: {stamp}", italic=True, size=10)
    sheet.line(
        f"Chọn «{YES}» ở cột C cho danh hiệu đơn vị đăng ký, ghi mỗi chỉ tiêu một dòng ở mục II, "
        "ghi họ tên và chức vụ người ký ở mục III. Đổi tên tệp không sao: tdkt nhận phiếu theo "
        "nội dung bên trong.",
        italic=True,
        size=11,
        center=False,
    )
    sheet.line("I. DANH HIỆU ĐĂNG KÝ", bold=True, center=False)
    header = sheet.table_row(["Mã", "Danh hiệu", f"Đăng ký ({YES}/{NO})"], header=True)
    award_rows = []
    for a in awards:
        r = sheet.table_row([a.code, a.name, None], fill=(3,))
        sheet.validate_list(f"C{r}", [YES, NO])
        award_rows.append(f"{r}={a.code}")
    sheet.blank()
    sheet.line("II. CHỈ TIÊU ĐĂNG KÝ (mỗi dòng một chỉ tiêu)", bold=True, center=False)
    sheet.table_row(["STT", "Chỉ tiêu", ""], header=True, span=2)
    target_rows = []
    for i in range(1, TARGET_ROWS + 1):
        r = sheet.table_row([i, "", ""], fill=(2,), span=2)
        sheet.ws.row_dimensions[r].height = 33
        target_rows.append(str(r))
    sheet.blank()
    sheet.line("III. NGƯỜI KÝ", bold=True, center=False)
    name_row = sheet.table_row(["Họ và tên", "", ""], fill=(2,), span=2)
    title_row = sheet.table_row(["Chức vụ", "", ""], fill=(2,), span=2)
    meta = {
        "form": KIND,
        "version": kit.FORM_VERSION,
        "bloc": bloc.code,
        "bloc_name": bloc.name,
        "year": str(year),
        "unit_id": str(unit_id),
        "unit": unit,
        "checksum": stamp,
        "awards": ";".join(award_rows),
        "targets": ",".join(target_rows),
        "signer": f"{name_row},{title_row}",
    }
    return sheet.finish(f"{bloc.name} – Phiếu đăng ký thi đua năm {year}", (header, header), meta)


def make_forms(
    conn: sqlite3.Connection, bloc: Bloc, year: int, out: Path, force: bool = False
) -> list[member_forms.Made]:
    """Write one registration form per member of the year into `out`."""
    awards = catalogue(conn, bloc, year)
    return member_forms.send_out(
        conn,
        bloc,
        year,
        out,
        force,
        file_name,
        lambda uid, unit: build(bloc, year, uid, unit, awards),
    )


# --- collecting -----------------------------------------------------------------------------


@dataclass
class Registration:
    """What one returned form says."""

    file: str
    unit_id: int
    unit: str
    ticked: dict[str, bool] = field(default_factory=dict)  # award code -> registered
    targets: tuple[str, ...] = ()
    signer: str = ""
    signer_title: str = ""

    @property
    def empty(self) -> bool:
        return not any(self.ticked.values()) and not self.targets


@dataclass(frozen=True)
class Change:
    """A registration a returned form adds, updates or removes."""

    unit_id: int
    unit: str
    title: str
    action: str  # add | update | remove
    pledge_id: int | None
    targets: tuple[str, ...]
    old_targets: tuple[str, ...]
    file: str

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "title": self.title,
            "action": self.action,
            "targets": list(self.targets),
            "old_targets": list(self.old_targets),
            "file": self.file,
        }


@dataclass(frozen=True)
class Line:
    """One unit's returned registration form, summed up for the table."""

    unit: str
    files: tuple[str, ...]
    awards: tuple[str, ...]
    targets: int
    signer: str
    changes: int

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "files": list(self.files),
            "awards": list(self.awards),
            "targets": self.targets,
            "signer": self.signer,
            "changed": self.changes,
        }


@dataclass(frozen=True)
class Collected:
    """What `pledge collect` read: a line per unit, the changes and the blank files."""

    lines: tuple[Line, ...]
    changes: tuple[Change, ...]
    blank: tuple[str, ...]

    def as_json(self, bloc: Bloc, year: int, dry_run: bool) -> dict[str, Any]:
        return {
            "bloc": bloc.code,
            "year": year,
            "dry_run": dry_run,
            "returned": [line.as_json() for line in self.lines],
            "changes": [c.as_json() for c in self.changes],
            "blank": list(self.blank),
        }


def _tick(value: Any) -> bool | None:
    """«Có» → True, «Không» or blank → False; None for anything else."""
    text = unicodedata.normalize("NFC", kit.text_in(value)).strip().lower()
    folded = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    ).replace("đ", "d")
    if folded in ("co", "x", "dang ky", "yes"):
        return True
    if folded in ("", "khong", "no", "-"):
        return False
    return None


def _rows(meta: dict[str, str], key: str, sep: str) -> list[str]:
    return [x for x in meta.get(key, "").split(sep) if x]


def read_pledge_form(
    conn: sqlite3.Connection,
    form: kit.Form,
    bloc: Bloc,
    year: int,
    awards: Sequence[profiles.Award],
    shown: str,
    problems: list[str],
) -> Registration | None:
    who = member_forms.check_identity(conn, form, KIND, bloc, year, shown, problems)
    if who is None:
        return None
    uid, unit = who
    by_name = {match_key(a.name): a for a in awards}
    by_code = {a.code: a for a in awards}
    got = Registration(shown, uid, unit)
    try:
        award_rows = [int(x.partition("=")[0]) for x in _rows(form.meta, "awards", ";")]
        target_rows = [int(x) for x in _rows(form.meta, "targets", ",")]
        signer_rows = [int(x) for x in _rows(form.meta, "signer", ",")]
    except ValueError:
        problems.append(f"«{shown}» ({unit}): trang «tdkt» của phiếu đã bị sửa")
        return None
    for r in award_rows:
        name = kit.text_in(form.cell(r, 2))
        code = kit.text_in(form.cell(r, 1))
        tick = _tick(form.cell(r, 3))
        if tick is None:
            problems.append(
                f"«{shown}» ({unit}), {name or code}, ô C{r}: «{kit.text_in(form.cell(r, 3))}» "
                f"không phải «{YES}» hay «{NO}»"
            )
            continue
        award = by_name.get(match_key(name)) if name else None
        award = award or by_code.get(code)
        if award is None:
            if tick:
                problems.append(
                    f"«{shown}» ({unit}), ô B{r}: danh hiệu «{name or code}» không có trong danh "
                    f"mục của khối {bloc.code} năm {year}"
                )
            continue
        got.ticked[award.code] = tick
    targets = []
    for r in target_rows:
        text = kit.text_in(form.cell(r, 2))
        if text:
            targets.append(text)
    got.targets = tuple(targets)
    if len(signer_rows) == 2:
        got.signer = kit.text_in(form.cell(signer_rows[0], 2))
        got.signer_title = kit.text_in(form.cell(signer_rows[1], 2))
    if got.targets and not any(got.ticked.values()):
        problems.append(
            f"«{shown}» ({unit}): có chỉ tiêu nhưng chưa chọn «{YES}» cho danh hiệu nào"
        )
        return None
    return got


def read_file(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    awards: Sequence[profiles.Award],
    path: Path,
    problems: list[str],
) -> Registration | None:
    shown = str(path)
    try:
        form = kit.read_form(
            path, COLUMNS, lambda meta: kit.last_row_named(meta, "awards", "targets", "signer")
        )
    except InvalidInput as exc:
        problems.append(exc.message.rstrip("."))
        return None
    except Exception as exc:
        problems.append(f"Tệp «{shown}» không đọc được như tệp Excel ({type(exc).__name__})")
        return None
    if form is None:
        problems.append(f"«{shown}» không phải phiếu đăng ký thi đua do tdkt tạo")
        return None
    return read_pledge_form(conn, form, bloc, year, awards, shown, problems)


def _same(a: Registration, b: Registration) -> bool:
    ticked = {k for k, v in a.ticked.items() if v}, {k for k, v in b.ticked.items() if v}
    return ticked[0] == ticked[1] and a.targets == b.targets


def collect(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    paths: Sequence[Path],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Collected:
    """Read and check every returned registration form under `paths`; what would change.
    Writes nothing (`apply` does); raises InvalidInput naming every problem found."""
    awards = catalogue(conn, bloc, year)
    files = kit.returned_files(paths, kit.SUFFIXES)
    problems: list[str] = []
    by_unit: dict[int, list[Registration]] = {}
    blank: list[str] = []
    for i, path in enumerate(files, 1):
        got = read_file(conn, bloc, year, awards, path, problems)
        if got is not None:
            if got.empty:
                blank.append(got.file)
            else:
                by_unit.setdefault(got.unit_id, []).append(got)
        if progress is not None:
            progress(i, len(files))
    for returns in by_unit.values():
        for other in returns[1:]:
            if not _same(returns[0], other):
                problems.append(
                    f"Hai phiếu của {other.unit} ghi khác nhau («{returns[0].file}» / "
                    f"«{other.file}»); hãy bỏ phiếu sai ra"
                )
    if problems:
        raise InvalidInput(member_forms.problems_message(problems))
    have = {
        (p.unit_id, match_key(p.title)): p
        for p in pledges.list_pledges(conn, bloc, year).registrations
    }
    order = {uid: i for i, uid in enumerate(bloc_service.member_ids(conn, bloc.id, year))}
    changes: list[Change] = []
    lines: list[Line] = []
    for uid in sorted(by_unit, key=lambda u: order.get(u, len(order))):
        reg = by_unit[uid][0]
        mine = []
        for a in awards:
            old = have.get((uid, match_key(a.name)))
            if reg.ticked.get(a.code):
                if old is None:
                    mine.append(
                        Change(uid, reg.unit, a.name, "add", None, reg.targets, (), reg.file)
                    )
                elif old.targets != reg.targets or old.title != a.name:
                    mine.append(
                        Change(
                            uid,
                            reg.unit,
                            a.name,
                            "update",
                            old.id,
                            reg.targets,
                            old.targets,
                            reg.file,
                        )
                    )
            elif old is not None:
                mine.append(
                    Change(uid, reg.unit, old.title, "remove", old.id, (), old.targets, reg.file)
                )
        changes.extend(mine)
        signer = ", ".join(x for x in (reg.signer, reg.signer_title) if x)
        lines.append(
            Line(
                reg.unit,
                tuple(r.file for r in by_unit[uid]),
                tuple(a.name for a in awards if reg.ticked.get(a.code)),
                len(reg.targets),
                signer,
                len(mine),
            )
        )
    return Collected(tuple(lines), tuple(changes), tuple(blank))


def apply(conn: sqlite3.Connection, bloc: Bloc, year: int, collected: Collected) -> int:
    """Write what `collect` found changed (inside the caller's one transaction)."""
    for c in collected.changes:
        if c.action == "remove":
            assert c.pledge_id is not None
            pledges.remove(conn, c.pledge_id)
        else:
            pledges.record(conn, bloc, year, unit_service.get(conn, c.unit_id), c.title, c.targets)
    return len(collected.changes)
