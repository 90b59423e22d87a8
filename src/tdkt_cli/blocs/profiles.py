"""A bloc's profile: what kind of bloc it is (khối or cụm), the system it belongs to, who awards
what, to whom its proposal goes, who receives its documents, and the document style.

Profiles are data: presets in templates/profiles/<system>.yaml (each line sourced in a comment),
words of each kind in _kinds.yaml and document styles in _styles.yaml. A bloc takes a preset and
overrides any field; its profile is dated (table bloc_profile, one row per change, chosen with
dated.as_of). A bloc without a row is a provincial state khối, as tdkt was before profiles.
Nothing outside this module looks at the system's name: documents read the profile's fields.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..core import dated
from ..core.errors import InvalidInput, NotFound
from ..core.models import Bloc
from ..files.resources import templates_dir
from ..text import parse_date

DEFAULT_PRESET = "nha-nuoc"
KINDS = ("khoi", "cum")
STYLES = ("nd30", "hd36")
FORMS = ("flag", "certificate")

# key -> (type, may be null); "list" is a list of strings; awards and recipients are checked apart.
_FIELDS: dict[str, tuple[type | str, bool]] = {
    "system": (str, False),
    "system_name": (str, False),
    "style": (str, False),
    "kind": (str, False),
    "decider": (str, False),
    "addressee": (str, True),
    "addressee_with_place": (str, True),
    "through": (str, True),
    "office": (str, False),
    "awards": ("awards", False),
    "recipients": ("recipients", False),
    "archive": (str, False),
}
# Optional keys (a preset need not have them): the catalogue body the bloc answers to, its year
# (calendar, or school: năm học from 01/09) and its own emulation rules cited in the legal basis.
_OPTIONAL: dict[str, tuple[type | str, bool]] = {
    "body": (str, True),
    "year": (str, True),
    "rules": ("rules", True),
}
YEARS = ("calendar", "school")
_AWARD_FIELDS: dict[str, tuple[type, bool]] = {
    "code": (str, False),
    "name": (str, False),
    "body": (str, False),
    "rank": (int, False),
    "form": (str, False),
    "leading": (bool, False),
    "quota": (int, False),
}
DOC_KINDS = ("report", "proposal")


@dataclass(frozen=True)
class Award:
    """One award of the catalogue: `code`, printed `name`, awarding `body`, `rank` (1 is highest),
    `form` (flag | certificate), `leading` (the leading unit's award), default `quota`."""

    code: str
    name: str
    body: str
    rank: int
    form: str
    leading: bool
    quota: int


@dataclass(frozen=True)
class Profile:
    """A bloc's profile on a date, merged (preset, then the bloc's overrides)."""

    preset: str
    system: str
    system_name: str
    style: str
    kind: str
    decider: str
    addressee: str | None
    addressee_with_place: str | None
    through: str | None
    office: str
    awards: tuple[Award, ...]
    recipients: dict[str, tuple[str, ...]]
    archive: str
    overrides: dict[str, Any]
    valid_from: str | None = None
    body: str | None = None
    year: str = "calendar"
    rules: tuple[dict[str, Any], ...] = ()

    @property
    def words(self) -> dict[str, str]:
        return kinds()[self.kind]

    @property
    def style_data(self) -> dict[str, str]:
        return styles()[self.style]

    def year_words(self, year: int) -> str:
        """How documents name the emulation year: «năm 2020», or «năm học 2019 - 2020» for a
        body that counts school years (`--year 2020` is the school year that ends in 2020)."""
        return f"năm học {year - 1} - {year}" if self.year == "school" else f"năm {year}"

    def period(self, year: int, whole: bool = True) -> tuple[dt.date, dt.date]:
        """The days the year (or its first half) covers: 01/01–31/12 (–30/06), or for a school
        year 01/09 of the year before to 31/08 (the first half to the end of February)."""
        if self.year != "school":
            return dt.date(year, 1, 1), dt.date(year, 12, 31) if whole else dt.date(year, 6, 30)
        first_half_end = dt.date(year, 3, 1) - dt.timedelta(days=1)
        return dt.date(year - 1, 9, 1), dt.date(year, 8, 31) if whole else first_half_end

    def year_of(self, day: dt.date) -> int:
        """The emulation year a day falls in (a school year is named by the year it ends)."""
        if self.year == "school":
            return day.year + 1 if day.month >= 9 else day.year
        return day.year

    def award(self, code: str) -> Award | None:
        return next((a for a in self.awards if a.code == code), None)

    @property
    def leading_award(self) -> Award:
        return next(a for a in self.awards if a.leading)

    def award_name(self, code: str) -> str:
        a = self.award(code)
        if a is not None:
            return a.name
        from ..core.models import AWARD_RANK

        return AWARD_RANK.get(code, code)

    def is_leading(self, code: str) -> bool:
        a = self.award(code)
        return bool(a and a.leading)

    def as_json(self) -> dict[str, Any]:
        return {
            "preset": self.preset,
            "valid_from": self.valid_from,
            "system": self.system,
            "system_name": self.system_name,
            "style": self.style,
            "kind": self.kind,
            "decider": self.decider,
            "addressee": self.addressee,
            "addressee_with_place": self.addressee_with_place,
            "through": self.through,
            "office": self.office,
            "awards": [a.__dict__ for a in self.awards],
            "recipients": {k: list(v) for k, v in self.recipients.items()},
            "archive": self.archive,
            "overrides": self.overrides,
            "body": self.body,
            "year": self.year,
            "rules": [dict(r) for r in self.rules],
        }


# --- presets and validation -------------------------------------------------------------------


def _folder() -> Path:
    return templates_dir() / "profiles"


SNAPSHOT = "_parsed.json"


def read_file(path: Path) -> Any:
    """A bundled profile file, from templates/profiles/_parsed.json when it is up to date."""
    from ..files import snapshot

    return snapshot.read(path)


def write_snapshot() -> Path:
    """Remake templates/profiles/_parsed.json (`python -m tdkt_cli.blocs.profiles`)."""
    from ..files import snapshot

    return snapshot.write(_folder())


@cache
def kinds() -> dict[str, dict[str, str]]:
    return read_file(_folder() / "_kinds.yaml")


@cache
def styles() -> dict[str, dict[str, str]]:
    return read_file(_folder() / "_styles.yaml")


def preset_names() -> list[str]:
    return sorted(p.stem for p in _folder().glob("[a-z]*.yaml"))


@cache
def preset(name: str) -> dict[str, Any]:
    path = _folder() / f"{name}.yaml"
    if name not in preset_names():
        raise InvalidInput(f"Không có hệ thống «{name}»; chọn: {', '.join(preset_names())}.")
    data = read_file(path)
    validate(data, f"Tệp {path.name}", complete=True)
    return data


def validate(data: Any, source: str, complete: bool = False) -> dict[str, Any]:
    """Check a profile (a preset when `complete`, else overrides); one sentence naming `source`
    and the key on the first problem."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: hồ sơ khối phải là một bảng khóa: giá trị.")
    for key, value in data.items():
        fields = {**_FIELDS, **_OPTIONAL}
        if key not in fields:
            raise InvalidInput(
                f"{source}: khóa «{key}» không có trong hồ sơ khối; dùng: {', '.join(fields)}."
            )
        kind, nullable = fields[key]
        if value is None:
            if not nullable:
                raise InvalidInput(f"{source}: khóa «{key}» không được để trống.")
            continue
        if kind == "awards":
            _check_awards(value, source)
        elif kind == "recipients":
            _check_recipients(value, source)
        elif kind == "rules":
            if not isinstance(value, list) or not all(
                isinstance(r, dict) and isinstance(r.get("title"), str) for r in value
            ):
                raise InvalidInput(f"{source}: khóa «rules» phải là danh sách quy định có «title».")
        elif not isinstance(value, str) or not value.strip():
            raise InvalidInput(f"{source}: khóa «{key}» phải là một dòng chữ.")
    if "kind" in data and data["kind"] not in KINDS:
        raise InvalidInput(f"{source}: khóa «kind» phải là {' hoặc '.join(KINDS)}.")
    if data.get("year") is not None and data["year"] not in YEARS:
        raise InvalidInput(f"{source}: khóa «year» phải là calendar hoặc school.")
    if "style" in data and data["style"] not in STYLES:
        raise InvalidInput(f"{source}: khóa «style» phải là {' hoặc '.join(STYLES)}.")
    if complete:
        missing = [k for k in _FIELDS if k not in data]
        if missing:
            raise InvalidInput(f"{source}: thiếu khóa «{missing[0]}».")
    return data


def _check_awards(value: Any, source: str) -> None:
    if not isinstance(value, list) or not value:
        raise InvalidInput(f"{source}: khóa «awards» phải là danh sách khen thưởng.")
    codes = set()
    for i, item in enumerate(value, 1):
        where = f"{source}: khóa «awards» mục {i}"
        if not isinstance(item, dict):
            raise InvalidInput(f"{where} phải là một bảng khóa: giá trị.")
        for key, val in item.items():
            if key not in _AWARD_FIELDS:
                raise InvalidInput(
                    f"{where}: khóa «{key}» không có; dùng: {', '.join(_AWARD_FIELDS)}."
                )
            typ = _AWARD_FIELDS[key][0]
            if not isinstance(val, typ) or (typ is int and isinstance(val, bool)):
                raise InvalidInput(f"{where}: khóa «{key}» sai kiểu.")
        missing = [k for k in _AWARD_FIELDS if k not in item]
        if missing:
            raise InvalidInput(f"{where}: thiếu khóa «{missing[0]}».")
        if item["form"] not in FORMS:
            raise InvalidInput(f"{where}: khóa «form» phải là {' hoặc '.join(FORMS)}.")
        if item["code"] in codes:
            raise InvalidInput(f"{where}: mã «{item['code']}» trùng.")
        codes.add(item["code"])
    if sum(1 for a in value if a["leading"]) != 1:
        raise InvalidInput(
            f"{source}: khóa «awards» phải có đúng một khen thưởng «leading: true» (đơn vị dẫn đầu)."
        )


def _check_recipients(value: Any, source: str) -> None:
    if not isinstance(value, dict):
        raise InvalidInput(f"{source}: khóa «recipients» phải là bảng theo loại văn bản.")
    for key, lines in value.items():
        if key not in DOC_KINDS:
            raise InvalidInput(
                f"{source}: khóa «recipients.{key}» không có; dùng: {', '.join(DOC_KINDS)}."
            )
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            raise InvalidInput(f"{source}: khóa «recipients.{key}» phải là danh sách dòng chữ.")


_merged: dict[tuple[str, str, str | None], Profile] = {}


def merge(preset_name: str, overrides: dict[str, Any], valid_from: str | None = None) -> Profile:
    """The preset, then the catalogue body the bloc answers to (`body`), then the bloc's own
    overrides: a correction of the catalogue reaches every bloc under that body. Made once a
    process for the same inputs (a list of awards asks for its bloc's profile once an award)."""
    key = (preset_name, json.dumps(overrides, sort_keys=True, default=str), valid_from)
    made = _merged.get(key)
    if made is None:
        made = _merged[key] = _merge(preset_name, overrides, valid_from)
    return made


def _merge(preset_name: str, overrides: dict[str, Any], valid_from: str | None) -> Profile:
    data = dict(preset(preset_name))
    base_recipients = dict(data["recipients"])
    if overrides.get("body"):
        from . import bodies

        body = bodies.match(overrides["body"])
        if body is not None:
            from_body = bodies.profile_overrides(body, data["awards"])
            data.update(from_body)
            base_recipients.update(from_body["recipients"])
    data.update(overrides)
    data["recipients"] = {**base_recipients, **(overrides.get("recipients") or {})}
    return Profile(
        preset=preset_name,
        system=data["system"],
        system_name=data["system_name"],
        style=data["style"],
        kind=data["kind"],
        decider=data["decider"],
        addressee=data["addressee"],
        addressee_with_place=data["addressee_with_place"],
        through=data["through"],
        office=data["office"],
        awards=tuple(sorted((Award(**a) for a in data["awards"]), key=lambda a: (a.rank, a.code))),
        recipients={k: tuple(v) for k, v in data["recipients"].items()},
        archive=data["archive"],
        overrides=overrides,
        valid_from=valid_from,
        body=data.get("body"),
        year=data.get("year") or "calendar",
        rules=tuple(dict(r) for r in data.get("rules") or ()),
    )


# --- storage ------------------------------------------------------------------------------------


def rows(conn: sqlite3.Connection, bloc_id: int) -> list[dict[str, Any]]:
    return [
        {"valid_from": r[0], "preset": r[1], "overrides": json.loads(r[2])}
        for r in conn.execute(
            "SELECT valid_from, preset, overrides FROM bloc_profile WHERE bloc_id = ? "
            "ORDER BY coalesce(valid_from, '')",
            (bloc_id,),
        )
    ]


def of(conn: sqlite3.Connection, bloc: Bloc | int, day: dt.date | str | None = None) -> Profile:
    """The bloc's profile on `day` (None: the latest)."""
    bloc_id = bloc if isinstance(bloc, int) else bloc.id
    if isinstance(day, str):
        day = parse_date(day)
    on = day.isoformat() if isinstance(day, dt.date) else None
    try:
        found = dated.as_of(rows(conn, bloc_id), on)
    except sqlite3.OperationalError:  # a file not yet upgraded has no bloc_profile table
        found = None
    if found is None:
        return merge(DEFAULT_PRESET, {})
    return merge(found["preset"], found["overrides"], found["valid_from"])


def for_year(conn: sqlite3.Connection, bloc: Bloc | int, year: int) -> Profile:
    """The profile for a bloc-year when no document date is known: as on 31 December."""
    return of(conn, bloc, f"{year}-12-31")


def set_profile(
    conn: sqlite3.Connection,
    bloc: Bloc,
    *,
    valid_from: str | None = None,
    preset_name: str | None = None,
    overrides: dict[str, Any] | None = None,
    source: str = "Hồ sơ khối",
) -> Profile:
    """Write the bloc's profile from `valid_from` (None: since always): the preset (default: the
    one in force before) and overrides merged over those in force before."""
    if valid_from is not None:
        valid_from = parse_date(valid_from).isoformat()
    current = dated.as_of(rows(conn, bloc.id), valid_from)
    name = preset_name or (current["preset"] if current else DEFAULT_PRESET)
    preset(name)  # refuses an unknown system
    changes = validate(dict(overrides or {}), source)
    merged = dict(current["overrides"]) if current and not preset_name else {}
    if current and preset_name and preset_name == current["preset"]:
        merged = dict(current["overrides"])
    for key, value in changes.items():
        if key == "recipients" and isinstance(value, dict):
            merged["recipients"] = {**merged.get("recipients", {}), **value}
        else:
            merged[key] = value
    merged = {k: v for k, v in merged.items() if preset(name).get(k, object()) != v}
    profile = merge(name, merged, valid_from)
    conn.execute(
        "DELETE FROM bloc_profile WHERE bloc_id = ? AND valid_from IS ?", (bloc.id, valid_from)
    )
    conn.execute(
        "INSERT INTO bloc_profile (bloc_id, valid_from, preset, overrides) VALUES (?, ?, ?, ?)",
        (bloc.id, valid_from, name, json.dumps(merged, ensure_ascii=False, sort_keys=True)),
    )
    return profile


def addressee(profile: Profile, place: str | None) -> str | None:
    """The "Kính gửi" line: the profile's addressee; a bloc made before profiles (no addressee)
    keeps its old line, the preset's `addressee_with_place` and the bloc's place."""
    if profile.addressee:
        return profile.addressee
    if profile.addressee_with_place:
        return f"{profile.addressee_with_place} {place or ''}".strip()
    return None


# --- exchange (export / import / check) ---------------------------------------------------------


def dump(conn: sqlite3.Connection, bloc_id: int) -> list[dict[str, Any]]:
    """The bloc's profile rows for export, or [] when it has none (today's default)."""
    out = []
    for r in rows(conn, bloc_id):
        item: dict[str, Any] = {}
        if r["valid_from"]:
            item["from"] = r["valid_from"]
        item["system"] = r["preset"]
        if r["overrides"]:
            item["overrides"] = r["overrides"]
        out.append(item)
    return out


def load(conn: sqlite3.Connection, bloc: Bloc, items: Any, source: str) -> None:
    """Write the `profile` list of an imported bloc (checked first)."""
    for item in check_items(items, source):
        set_profile(
            conn,
            bloc,
            valid_from=item.get("from"),
            preset_name=item.get("system", DEFAULT_PRESET),
            overrides=item.get("overrides") or {},
            source=source,
        )


def check_items(items: Any, source: str) -> list[dict[str, Any]]:
    if items is None:
        return []
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        raise InvalidInput(f"{source}: «profile» phải là danh sách hồ sơ khối.")
    for item in items:
        if not isinstance(item, dict):
            raise InvalidInput(f"{source}: mỗi mục «profile» phải là một bảng khóa: giá trị.")
        for key in item:
            if key not in ("from", "system", "overrides"):
                raise InvalidInput(
                    f"{source}: khóa «profile.{key}» không có; dùng: from, system, overrides."
                )
        if item.get("system", DEFAULT_PRESET) not in preset_names():
            raise InvalidInput(
                f"{source}: hệ thống «{item.get('system')}» không có; chọn: {', '.join(preset_names())}."
            )
        if item.get("from") is not None:
            parse_date(str(item["from"]))
        validate(item.get("overrides") or {}, source)
    return items


def award_codes(conn: sqlite3.Connection, bloc_id: int | None, items: Any) -> set[str]:
    """Every award code a bloc may use: its profiles in the database and in a file being
    imported (`items`, already checked), whatever their dates (a proposal of 2023 may use an
    award the bloc's catalogue had then), and the awards tdkt has always known."""
    from ..core.models import AWARD_RANK

    codes = set(AWARD_RANK)
    found = [(r["preset"], r["overrides"]) for r in rows(conn, bloc_id)] if bloc_id else []
    if isinstance(items, dict):
        items = [items]
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            found.append((item.get("system", DEFAULT_PRESET), item.get("overrides") or {}))
    for preset_name, overrides in found:
        try:
            codes |= {a.code for a in merge(preset_name, overrides).awards}
        except (InvalidInput, KeyError, TypeError):
            continue  # the profile's own check says what is wrong with it
    return codes


def problems(conn: sqlite3.Connection) -> list[str]:
    """What `db check` reports about stored profiles."""
    out = []
    for _bloc_id, code, valid_from, name, overrides in conn.execute(
        "SELECT p.bloc_id, b.code, p.valid_from, p.preset, p.overrides FROM bloc_profile p "
        "JOIN bloc b ON b.id = p.bloc_id ORDER BY b.code, coalesce(p.valid_from, '')"
    ):
        where = f"Hồ sơ khối {code}" + (f" từ {valid_from}" if valid_from else "")
        try:
            merge(name, validate(json.loads(overrides), where), valid_from)
        except InvalidInput as exc:
            out.append(exc.message)
        except (ValueError, TypeError) as exc:
            out.append(f"{where}: không đọc được ({exc}).")
    return out


def require(conn: sqlite3.Connection, bloc: Bloc, code: str, year: int) -> Award:
    """The catalogue award `code` of the bloc's profile for `year`, or a refusal naming the codes."""
    profile = for_year(conn, bloc, year)
    found = profile.award(code)
    if found is None:
        raise NotFound(
            f"Khen thưởng «{code}» không có trong danh mục của khối {bloc.code}; chọn: "
            f"{', '.join(a.code for a in profile.awards)}."
        )
    return found


if __name__ == "__main__":  # remake templates/profiles/_parsed.json after editing a profile
    print(write_snapshot())
