"""What the members' forms of every kind share: one file per member of a bloc-year going out,
and a returned form's identity (kind, bloc, year, unit) checked against the bloc-year it is
collected for. The forms themselves live with their records (scores/forms.py, pledges/forms.py);
the workbook layout and reading in files/forms.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import RuleBroken, TdktError
from ..core.models import Bloc
from ..files import forms as kit
from ..text import match_key
from ..units import service as unit_service
from . import service as bloc_service

KINDS = {"tdkt-score-form": "biểu tự chấm điểm", "tdkt-pledge-form": "phiếu đăng ký thi đua"}


@dataclass(frozen=True)
class Made:
    """A form written for one member: the unit and the file."""

    unit: str
    path: Path


def member_files(
    conn: sqlite3.Connection, bloc: Bloc, year: int, out: Path, name: Callable[[int, str], str]
) -> list[tuple[int, str, Path]]:
    """(unit id, name, file) for each member of the year, in the bloc's order; two units whose
    names fold to one file name are told apart by their id."""
    members = bloc_service.member_ids(conn, bloc.id, year)
    if not members:
        raise RuleBroken(
            f"Khối {bloc.code} chưa có thành viên năm {year}; không có ai để gửi biểu mẫu."
        )
    out_files: list[tuple[int, str, Path]] = []
    used: set[str] = set()
    for uid in members:
        unit = unit_service.name_on(conn, uid, None)[0]
        file = name(year, unit)
        if file.lower() in used:
            stem, _, ext = file.rpartition(".")
            file = f"{stem}-{uid}.{ext}"
        used.add(file.lower())
        out_files.append((uid, unit, out / file))
    return out_files


def send_out(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    out: Path,
    force: bool,
    name: Callable[[int, str], str],
    build: Callable[[int, str], bytes],
) -> list[Made]:
    """Build and write one form per member into `out` (made when missing). Every target is
    checked first, so a refusal (a file there already, without `force`) writes nothing."""
    from ..files import atomic

    kit.out_folder(out)
    planned = member_files(conn, bloc, year, out, name)
    if out.exists():
        for _, _, path in planned:
            atomic.check_target(path, force)
    built = [(path, build(uid, unit)) for uid, unit, path in planned]
    out.mkdir(parents=True, exist_ok=True)
    kit.write_all(built, force)
    return [Made(unit, path) for _, unit, path in planned]


def problems_message(problems: Sequence[str], limit: int = 8) -> str:
    """All the problems of a collect in one sentence (the first `limit` of them)."""
    shown = "; ".join(problems[:limit])
    more = f" (và {len(problems) - limit} lỗi khác)" if len(problems) > limit else ""
    return f"Biểu mẫu trả về có lỗi, chưa ghi gì: {shown}{more}."


def check_identity(
    conn: sqlite3.Connection,
    form: kit.Form,
    kind: str,
    bloc: Bloc,
    year: int,
    shown: str,
    problems: list[str],
) -> tuple[int, str] | None:
    """The (unit id, name) a form was made for, after checking its kind, bloc, year and unit;
    None (with the problem recorded) when it is not this bloc-year's form of this kind."""
    meta = form.meta
    if meta.get("form") != kind:
        other = KINDS.get(meta.get("form", ""), "một biểu mẫu tdkt lạ")
        problems.append(f"«{shown}» là {other}, không phải {KINDS[kind]}")
        return None
    unit = meta.get("unit", "?")
    if meta.get("bloc") != bloc.code:
        problems.append(
            f"«{shown}» ({unit}) là biểu mẫu của khối {meta.get('bloc')}, "
            f"không phải khối {bloc.code}"
        )
        return None
    if meta.get("year") != str(year):
        problems.append(
            f"«{shown}» ({unit}) là biểu mẫu năm {meta.get('year')}, không phải năm {year}"
        )
        return None
    found = None
    uid = meta.get("unit_id", "")
    if uid.isdigit():
        try:
            found = unit_service.get(conn, int(uid))
        except TdktError:  # an id from another database: the name decides
            found = None
    if found is None or match_key(unit) not in {match_key(n) for n in _names(conn, found.id)}:
        try:
            found = unit_service.resolve(conn, unit)
        except TdktError as exc:
            problems.append(f"«{shown}»: đơn vị «{unit}» của biểu mẫu: {exc.message.rstrip('.')}")
            return None
    if found.id not in bloc_service.member_ids(conn, bloc.id, year):
        problems.append(
            f"«{shown}»: «{found.name}» không phải thành viên khối {bloc.code} năm {year}"
        )
        return None
    return found.id, unit_service.name_on(conn, found.id, None)[0]


def _names(conn: sqlite3.Connection, unit_id: int) -> list[str]:
    """Every name the unit has had: a form made before a rename still belongs to it."""
    return [r["name"] for r in unit_service.name_rows(conn, unit_id)]
