"""The catalogue of parent bodies a bloc answers to, as data (templates/bodies/*.yaml).

A bloc's parent body (a province or centrally-run city, a ministry or sector, a Party committee,
a national association) decides its awards, whom its proposal addresses and through whom, its
emulation council and, for the education sector, its year (năm học). The catalogue holds them,
each line sourced in its file; `bloc add --parent` matches the typed text against it (accents,
case, «UBND»/«Ủy ban nhân dân», «TP.»/«Thành phố» folded) and derives the bloc's profile from the
body. A body has a life like a unit: the provinces merged on 01/07/2025 end the day before and
name their successor.

Each file is `defaults` (per kind, fields with `{name}` standing for the body's `stem`) and
`bodies`; a body's own fields override its kind's defaults.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..core.errors import Ambiguous, InvalidInput, NotFound
from ..core.patterns import lazy
from ..files.resources import templates_dir
from ..text import loose_key

KINDS = {
    "tinh": "Tỉnh",
    "thanh-pho": "Thành phố trực thuộc trung ương",
    "bo": "Bộ, cơ quan ngang bộ",
    "nganh": "Ngành, cơ quan trung ương",
    "dang": "Cấp ủy, tổ chức Đảng",
    "hoi": "Hội, đoàn thể trung ương",
}
SYSTEMS = ("nha-nuoc", "dang", "hoi", "nganh")
_SYSTEM_WORDS = {"nha-nuoc": "Nhà nước", "dang": "Đảng", "hoi": "Hội, đoàn thể", "nganh": "Ngành"}
YEARS = ("calendar", "school")
FORMS = ("flag", "certificate")

# Abbreviations clerks type for the words of bodies' names, folded before matching (loose keys).
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tp": "thanh pho",
    "tw": "trung uong",
    "t u": "trung uong",
    "nhnn": "ngan hang nha nuoc",
    "bhxh": "bao hiem xa hoi",
    "ccb": "cuu chien binh",
    "lhpn": "lien hiep phu nu",
    "mttq": "mat tran to quoc",
    "tncs": "thanh nien cong san",
    "kh&kt": "khoa hoc va ky thuat",
    "khkt": "khoa hoc va ky thuat",
    "gd&dt": "giao duc va dao tao",
    "gddt": "giao duc va dao tao",
    "vn": "viet nam",
}
_WORD = lazy(r"[a-z0-9&]+")
# One pass for all abbreviations (no written-out form contains another abbreviation, so this is
# the same as replacing them one after another), longest first: the index folds ~1,000 names.
_SHORT = lazy(
    r"(?<![a-z0-9&])("
    + "|".join(re.escape(s) for s in sorted(_ABBREVIATIONS, key=len, reverse=True))
    + r")(?![a-z0-9&])"
)


def fold(text: str) -> str:
    """The key two spellings of one body's name share: no accents, case or punctuation, and
    abbreviations written out («UBND TP. Hồ Chí Minh» = «Ủy ban nhân dân Thành phố Hồ Chí Minh»)."""
    words = " ".join(_WORD.findall(loose_key(text)))
    return _SHORT.sub(lambda m: _ABBREVIATIONS[m.group(1)], words)


@dataclass(frozen=True)
class BodyAward:
    """An award the body gives: `code`, printed `name`, `form` (flag | certificate), whether it
    is the `leading` unit's award, and its default `quota` for one bloc (None: the body's rules do
    not fix it; the bloc's preset then gives it)."""

    code: str
    name: str
    form: str
    leading: bool
    quota: int | None


@dataclass(frozen=True)
class Body:
    """A parent body of the catalogue, with what a bloc under it inherits.

    code: its slug («tinh-bac-kan»); kind: tinh | thanh-pho | bo | nganh | dang | hoi;
    name: full official name; header: the line printed above the bloc's name; aliases: other
    spellings; place: the date line's place; valid_from/valid_to: its life (None: open);
    successor: the code of the body it became part of; system: the profile preset it implies;
    decider, addressee, through, office, council: who decides, whom the proposal addresses, the
    office it goes through, the emulation office and council; year: calendar | school (năm học
    from 01/09); rules: the body's own emulation rules cited in the legal basis; awards;
    sources: where each field was read; unconfirmed: fields a source did not confirm.
    """

    code: str
    kind: str
    name: str
    header: str
    aliases: tuple[str, ...]
    place: str | None
    valid_from: str | None
    valid_to: str | None
    successor: str | None
    system: str
    decider: str
    addressee: str
    through: str | None
    office: str | None
    council: str | None
    year: str
    rules: tuple[dict[str, Any], ...]
    awards: tuple[BodyAward, ...]
    sources: tuple[str, ...] = field(default=())
    unconfirmed: bool = False

    def exists_on(self, day: dt.date) -> bool:
        on = day.isoformat()
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "name": self.name,
            "header": self.header,
            "aliases": list(self.aliases),
            "place": self.place,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "successor": self.successor,
            "system": self.system,
            "decider": self.decider,
            "addressee": self.addressee,
            "through": self.through,
            "office": self.office,
            "council": self.council,
            "year": self.year,
            "rules": [dict(r) for r in self.rules],
            "awards": [a.__dict__ for a in self.awards],
            "sources": list(self.sources),
            "unconfirmed": self.unconfirmed,
        }


def _folder() -> Path:
    return templates_dir() / "bodies"


_REQUIRED = ("code", "kind", "name", "header", "system", "decider", "addressee")
_TEXT = ("name", "header", "place", "successor", "decider", "addressee", "through", "office")
_KEYS = {
    *_REQUIRED,
    *_TEXT,
    "awards",
    "stem",
    "aliases",
    "valid_from",
    "valid_to",
    "council",
    "year",
    "rules",
    "sources",
    "unconfirmed",
    # informational, kept in the files for the reader: what merged in, the office's past names,
    # the Party committee or province a body belongs to, the word before the stem («tỉnh»…)
    "absorbed",
    "office_history",
    "committee",
    "province",
    "prefix",
    "notes",
}


_PLACEHOLDERS = ("prefix", "committee")  # words a kind's defaults leave to each body


def _fill(value: Any, words: dict[str, str]) -> Any:
    """`{name}` (and `{prefix}`, `{committee}`) in a kind's defaults filled from the body; the
    upper-case form (`{NAME}`) gives the words in capitals, for headers."""
    if isinstance(value, str):
        if "{" not in value:
            return value
        for key, word in words.items():
            value = value.replace("{" + key + "}", word).replace(
                "{" + key.upper() + "}", word.upper()
            )
        return value
    if isinstance(value, list):
        return [_fill(v, words) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, words) for k, v in value.items()}
    return value


def _iso(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InvalidInput(f"{where}: ngày «{value}» phải viết YYYY-MM-DD.") from None


def _body(raw: Any, defaults: dict[str, Any], source: str) -> Body:
    if not isinstance(raw, dict):
        raise InvalidInput(f"{source}: mỗi cơ quan phải là một bảng khóa: giá trị.")
    where = f"{source}, cơ quan «{raw.get('code', '?')}»"
    unknown = set(raw) - _KEYS
    if unknown:
        raise InvalidInput(f"{where}: khóa «{sorted(unknown)[0]}» không có trong danh mục.")
    kind = raw.get("kind")
    # the stem a kind's pattern fills in: a province's committee named in full («Tỉnh ủy Bắc Kạn»,
    # with `province:`) has its place as stem, or its awards read «… Tỉnh ủy Tỉnh ủy Bắc Kạn»
    stem = str(
        raw.get("stem") or (raw.get("province") and raw.get("place")) or raw.get("name") or ""
    )
    base = dict(defaults.get(kind) or {})
    words = {"name": stem}
    for key in _PLACEHOLDERS:
        words[key] = str(raw.get(key) or base.get(key) or "")
    data = {**_fill(base, words), **_fill(raw, words)}
    for key in _REQUIRED:
        if not data.get(key):
            raise InvalidInput(f"{where}: thiếu khóa «{key}».")
    if kind not in KINDS:
        raise InvalidInput(f"{where}: «kind» phải là một trong {', '.join(KINDS)}.")
    if data["system"] not in SYSTEMS:
        raise InvalidInput(f"{where}: «system» phải là một trong {', '.join(SYSTEMS)}.")
    year = data.get("year") or "calendar"
    if year not in YEARS:
        raise InvalidInput(f"{where}: «year» phải là calendar hoặc school.")
    for key in _TEXT:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise InvalidInput(f"{where}: «{key}» phải là một dòng chữ.")
    awards = []
    for i, a in enumerate(data.get("awards") or [], 1):
        if not isinstance(a, dict) or not a.get("code") or not a.get("name"):
            raise InvalidInput(f"{where}: khen thưởng thứ {i} cần «code» và «name».")
        if a.get("form", "certificate") not in FORMS:
            raise InvalidInput(f"{where}: khen thưởng «{a['code']}»: «form» là flag/certificate.")
        if a.get("decider"):  # decided by another body (Cờ thi đua của Chính phủ): not the bloc's
            continue
        quota = a.get("quota")
        awards.append(
            BodyAward(
                code=str(a["code"]),
                name=str(a["name"]),
                form=str(a.get("form", "certificate")),
                leading=bool(a.get("leading", False)),
                quota=int(quota) if isinstance(quota, int) else None,
            )
        )
    rules = []
    for r in data.get("rules") or []:
        if not isinstance(r, dict) or not r.get("title"):
            raise InvalidInput(f"{where}: mỗi quy định cần «title».")
        rules.append(
            {
                "title": str(r["title"]),
                "valid_from": _iso(r.get("valid_from"), where),
                "valid_to": _iso(r.get("valid_to"), where),
            }
        )
    return Body(
        code=str(data["code"]),
        kind=kind,
        name=data["name"],
        header=data["header"],
        aliases=tuple(str(a) for a in data.get("aliases") or ()),
        place=data.get("place"),
        valid_from=_iso(data.get("valid_from"), where),
        valid_to=_iso(data.get("valid_to"), where),
        successor=data.get("successor"),
        system=data["system"],
        decider=data["decider"],
        addressee=data["addressee"],
        through=data.get("through"),
        office=data.get("office"),
        council=data.get("council"),
        year=year,
        rules=tuple(rules),
        awards=tuple(awards),
        sources=tuple(str(s) for s in data.get("sources") or ()),
        unconfirmed=bool(data.get("unconfirmed", False)),
    )


def _read(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any], str]:
    from ..files import snapshot

    data = snapshot.read(path)
    source = f"Tệp {path.name}"
    if not isinstance(data, dict) or not isinstance(data.get("bodies"), list):  # other keys: notes
        raise InvalidInput(f"{source}: cần khóa «bodies» là danh sách cơ quan.")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise InvalidInput(f"{source}: «defaults» phải là bảng theo loại cơ quan.")
    return data["bodies"], defaults, source


def read_catalogue(path: Path) -> list[Body]:
    """One catalogue file, validated whole (one sentence naming the file and body on a problem)."""
    raws, defaults, source = _read(path)
    return [_body(raw, defaults, source) for raw in raws]


def _party_committees(provinces: list[Body], listed: set[str], defaults: dict, source: str):
    """The Tỉnh ủy / Thành ủy of every province the Party file does not list by name, from the
    file's pattern (`defaults.dang`): same life as the province, successor the successor's."""

    def slug(code: str) -> str:
        return (
            code.replace("tinh-", "tinh-uy-", 1)
            if code.startswith("tinh-")
            else (code.replace("tp-", "thanh-uy-", 1))
        )

    for p in provinces:
        if p.code in listed:
            continue
        stem = p.place or p.name
        committee = "Thành ủy" if p.kind == "thanh-pho" else "Tỉnh ủy"
        raw = {
            "code": slug(p.code),
            "kind": "dang",
            "stem": stem,
            "committee": committee,
            "province": p.code,
            "aliases": [f"{committee} {stem}", f"Ban Thường vụ {committee} {stem}"],
            "valid_from": p.valid_from,
            "valid_to": p.valid_to,
            "successor": slug(p.successor) if p.successor else None,
            "sources": [f"mẫu chung của cấp ủy tỉnh (party.yaml, defaults.dang) cho {p.name}"],
            "unconfirmed": True,
        }
        yield _body(raw, defaults, source)


BUILT = "_built.json"


def _fingerprint(folder: Path | None = None) -> str:
    """What the built catalogue depends on: the catalogue files and the code that reads and folds
    them (this module, the text keys). A change to any of them makes `_built.json` stale."""
    from .. import text
    from ..files.snapshot import digest

    parts = [
        path.name.encode() + b"\0" + path.read_bytes()
        for path in (
            *sorted((folder or _folder()).glob("[a-z]*.yaml")),
            Path(__file__),
            Path(text.__file__),
        )
    ]
    return digest(b"\0".join(parts))


def _from_json(d: dict[str, Any]) -> Body:
    return Body(
        **{
            **d,
            "aliases": tuple(d["aliases"]),
            "rules": tuple(d["rules"]),
            "awards": tuple(BodyAward(**a) for a in d["awards"]),
            "sources": tuple(d["sources"]),
        }
    )


@cache
def _built() -> dict[str, Any] | None:
    """The catalogue as built, from templates/bodies/_built.json when it is current: building it
    (filling 150 bodies from their kinds' defaults, folding ~1,000 names for the index) is
    ~50 ms, the most of `body show` and of every read that names a bloc's parent body."""
    return read_built(_folder())


def read_built(folder: Path) -> dict[str, Any] | None:
    """`folder`'s built catalogue, or None when it is missing, unreadable or stale."""
    import json

    try:
        data = json.loads((folder / BUILT).read_text(encoding="utf-8"))
        if data.get("fingerprint") == _fingerprint(folder):
            return data
    except (OSError, ValueError, AttributeError):
        pass
    return None


@cache
def catalogue() -> tuple[Body, ...]:
    """Every body of the bundled catalogue (codes unique across files, successors known)."""
    built = _built()
    if built is not None:
        try:
            return tuple(_from_json(d) for d in built["bodies"])
        except (KeyError, TypeError):
            pass
    return _catalogue()


def _catalogue() -> tuple[Body, ...]:
    bodies: list[Body] = []
    party: tuple | None = None
    for path in sorted(_folder().glob("[a-z]*.yaml")):
        raws, defaults, source = _read(path)
        bodies += [_body(raw, defaults, source) for raw in raws]
        if "dang" in defaults:
            party = (
                {str(r.get("province")) for r in raws if isinstance(r, dict)},
                defaults,
                source,
            )
    if party is not None:
        provinces = [b for b in bodies if b.kind in ("tinh", "thanh-pho")]
        bodies += list(_party_committees(provinces, *party))
    codes = [b.code for b in bodies]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise InvalidInput(f"Danh mục cơ quan: mã «{twice[0]}» xuất hiện hai lần.")
    for b in bodies:
        if b.successor and b.successor not in codes:
            raise InvalidInput(
                f"Danh mục cơ quan: «{b.code}» kế thừa bởi «{b.successor}» không có."
            )
    return tuple(bodies)


def list_bodies(kind: str | None = None) -> list[Body]:
    if kind is not None and kind not in KINDS:
        raise InvalidInput(f"Loại cơ quan «{kind}» không có; chọn: {', '.join(KINDS)}.")
    return [b for b in catalogue() if kind is None or b.kind == kind]


def _keys(body: Body) -> set[str]:
    return {fold(x) for x in (body.code, body.name, body.header, *body.aliases)} - {""}


@cache
def _index() -> dict[str, tuple[Body, ...]]:
    built = _built()
    if built is not None:
        by_code = {b.code: b for b in catalogue()}
        try:
            return {k: tuple(by_code[c] for c in codes) for k, codes in built["index"].items()}
        except (KeyError, TypeError, AttributeError):
            pass
    return _live_index(catalogue())


def _live_index(bodies: tuple[Body, ...]) -> dict[str, tuple[Body, ...]]:
    out: dict[str, list[Body]] = {}
    for body in bodies:
        for key in sorted(_keys(body)):
            out.setdefault(key, []).append(body)
    return {k: tuple(v) for k, v in out.items()}


def match(text: str, day: dt.date | None = None) -> Body | None:
    """The body `text` names, or None; on `day`, a body that existed then is preferred when two
    share a spelling (a province before and after a merger). Several: Ambiguous."""
    found = _index().get(fold(text), ())
    if len(found) > 1 and day is not None:
        found = tuple(b for b in found if b.exists_on(day)) or found
    if len(found) > 1:
        raise Ambiguous(
            f"«{text}» trùng với nhiều cơ quan: {', '.join(b.name for b in found)}; "
            "ghi mã cơ quan (tdkt body list)."
        )
    return found[0] if found else None


def resolve(text: str) -> Body:
    body = match(text)
    if body is None:
        raise NotFound(f"Không có cơ quan «{text}» trong danh mục (xem: tdkt body list).")
    return body


def kind_from_name(name: str) -> str | None:
    """«Cụm …» is a cụm, «Khối …» a khối; None when the name says neither."""
    key = loose_key(name)
    if key.startswith("cum "):
        return "cum"
    if key.startswith("khoi "):
        return "khoi"
    return None


def profile_overrides(body: Body, preset_awards: list[dict[str, Any]] = ()) -> dict[str, Any]:
    """The profile fields a bloc under `body` takes (over the preset of the body's system); an
    award whose quota the catalogue leaves open takes the preset's quota for its code, else 1."""
    preset_quota = {a["code"]: a["quota"] for a in preset_awards}
    awards = [
        {
            "code": a.code,
            "name": a.name,
            "body": body.name,
            "rank": rank,
            "form": a.form,
            "leading": a.leading,
            "quota": a.quota if a.quota is not None else preset_quota.get(a.code, 1),
        }
        for rank, a in enumerate(body.awards, 1)
    ]
    out: dict[str, Any] = {
        "system_name": f"{_SYSTEM_WORDS[body.system]} ({body.name})",
        "decider": body.decider,
        "addressee": body.addressee,
        "addressee_with_place": None,  # the old "… tỉnh <place>" form: the body names it whole
        "through": body.through,
        # one name for the office in every line of a document: the one proposals go through
        "office": body.through or body.office or body.name,
        **({"awards": awards} if awards else {}),  # none in the catalogue: the preset's stand
        "recipients": {
            "report": [body.through or body.office or body.name, "Các đơn vị thành viên {word}"],
            "proposal": ["Như trên", *([body.through] if body.through else [])],
        },
        "body": body.code,
        "year": body.year,
    }
    if body.rules:
        out["rules"] = [dict(r) for r in body.rules]
    return out


def built_data() -> dict[str, Any]:
    """The catalogue built from its files now, as `_built.json` holds it."""
    bodies = _catalogue()
    return {
        "fingerprint": _fingerprint(),
        "bodies": [b.as_json() for b in bodies],
        "index": {k: [b.code for b in v] for k, v in sorted(_live_index(bodies).items())},
    }


def write_snapshot() -> Path:
    """Remake templates/bodies/_parsed.json and _built.json (`python -m tdkt_cli.blocs.bodies`)."""
    import json

    from ..files import snapshot

    target = snapshot.write(_folder())
    (_folder() / BUILT).write_text(
        json.dumps(built_data(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    _built.cache_clear()
    return target


if __name__ == "__main__":  # after editing a catalogue file
    print(write_snapshot())
