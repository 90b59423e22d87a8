"""Everything as plain data (for YAML export) and back (import).

Decisions:
- Records keep their ids in the file, so export → import into an empty database → export gives
  the same text, and a second import of the same file finds every record already there.
- Import checks the whole document first (every error names its line) and only then writes, in
  the caller's single transaction.
- A bloc-year in the file is taken as a whole: its members, head, registrations and covenant
  replace what the database held for that bloc-year. Units and meetings are matched by id; an id
  that means something else in the database is a conflict, reported, never overwritten.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from ..errors import InvalidInput
from ..models import MEETING_KINDS
from ..text import clean, clean_name, match_key, parse_date
from . import blocs as bloc_service
from . import integrity
from . import units as unit_service

FORMAT = 1


# --- out -------------------------------------------------------------------------------------


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != {}}


def dump(conn: sqlite3.Connection, bloc_code: str | None = None) -> dict[str, Any]:
    """The records as plain data: every unit and bloc, or one bloc and the units it uses."""
    _register_parts()
    blocs = bloc_service.list_blocs(conn)
    if bloc_code is not None:
        blocs = [bloc_service.resolve(conn, bloc_code)]
    bloc_docs = [_dump_bloc(conn, b) for b in blocs]
    if bloc_code is None:
        unit_ids = [r[0] for r in conn.execute("SELECT id FROM unit ORDER BY id")]
    else:
        unit_ids = _units_used(conn, [b.id for b in blocs])
    return {
        "tdkt": FORMAT,
        "units": [_dump_unit(conn, uid) for uid in unit_ids],
        "blocs": bloc_docs,
    }


def _units_used(conn: sqlite3.Connection, bloc_ids: list[int]) -> list[int]:
    marks = ",".join("?" * len(bloc_ids))
    ids = {
        r[0]
        for r in conn.execute(
            f"SELECT unit_id FROM membership WHERE bloc_id IN ({marks}) "
            f"UNION SELECT unit_id FROM pledge WHERE bloc_id IN ({marks})",
            bloc_ids * 2,
        )
    }
    # units merged into or from them travel along, so lineage stays whole
    frontier = list(ids)
    while frontier:
        uid = frontier.pop()
        for r in conn.execute(
            "SELECT id FROM unit WHERE merged_into = ? UNION SELECT merged_into FROM unit "
            "WHERE id = ? AND merged_into IS NOT NULL",
            (uid, uid),
        ):
            if r[0] not in ids:
                ids.add(r[0])
                frontier.append(r[0])
    return sorted(ids)


def _dump_unit(conn: sqlite3.Connection, unit_id: int) -> dict:
    from . import time_exchange

    u = unit_service.get(conn, unit_id)
    return _drop_none(
        {
            "id": u.id,
            "name": u.name,
            "short": u.short,
            "aliases": list(u.aliases),
            "former_names": [
                _drop_none({"name": f.name, "short": f.short, "until": f.until.isoformat()})
                for f in u.former
            ],
            "merged_into": u.merged_into,
            "ended_on": u.ended_on.isoformat() if u.ended_on else None,
            **time_exchange.unit_extra(conn, u.id),
        }
    )


def _years(conn: sqlite3.Connection, bloc_id: int) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT year FROM membership WHERE bloc_id = ? UNION SELECT year FROM bloc_year "
            "WHERE bloc_id = ? UNION SELECT year FROM covenant WHERE bloc_id = ? ORDER BY 1",
            (bloc_id, bloc_id, bloc_id),
        )
    ]


def _dump_bloc(conn: sqlite3.Connection, bloc: Any) -> dict:
    years = []
    for year in _years(conn, bloc.id):
        head, deputy = bloc_service.head_ids(conn, bloc.id, year)
        signer, signer_title = bloc_service.signer(conn, bloc.id, year)
        regs = []
        for p in conn.execute(
            "SELECT p.id, p.unit_id, p.title FROM pledge p LEFT JOIN membership m ON "
            "m.bloc_id = p.bloc_id AND m.year = p.year AND m.unit_id = p.unit_id "
            "WHERE p.bloc_id = ? AND p.year = ? ORDER BY m.position, p.id",
            (bloc.id, year),
        ):
            targets = [
                r[0]
                for r in conn.execute(
                    "SELECT text FROM pledge_target WHERE pledge_id = ? ORDER BY position", (p[0],)
                )
            ]
            regs.append(_drop_none({"unit": p[1], "title": p[2], "targets": targets}))
        cov = conn.execute(
            "SELECT date, meeting_id FROM covenant WHERE bloc_id = ? AND year = ?", (bloc.id, year)
        ).fetchone()
        covenant = None
        if cov:
            signers = [
                r[0]
                for r in conn.execute(
                    "SELECT s.unit_id FROM covenant_signer s LEFT JOIN membership m ON "
                    "m.bloc_id = s.bloc_id AND m.year = s.year AND m.unit_id = s.unit_id "
                    "WHERE s.bloc_id = ? AND s.year = ? ORDER BY m.position, s.unit_id",
                    (bloc.id, year),
                )
            ]
            covenant = _drop_none({"date": cov[0], "meeting": cov[1], "signers": signers})
        members = [
            _drop_none({"unit": m.unit_id, "group": m.group})
            for m in bloc_service.member_rows(conn, bloc.id, year)
        ]
        years.append(
            _drop_none(
                {
                    "year": year,
                    "head": head,
                    "deputy": deputy,
                    "signer": signer,
                    "signer_title": signer_title,
                    "members": members,
                    "registrations": regs,
                    "covenant": covenant,
                    **_dump_year_extra(conn, bloc.id, year),
                }
            )
        )
    meetings = []
    for m in conn.execute("SELECT * FROM meeting WHERE bloc_id = ? ORDER BY id", (bloc.id,)):
        present = [
            r[0]
            for r in conn.execute(
                "SELECT p.unit_id FROM meeting_present p LEFT JOIN membership s ON "
                "s.bloc_id = ? AND s.year = ? AND s.unit_id = p.unit_id "
                "WHERE p.meeting_id = ? ORDER BY s.position, p.unit_id",
                (bloc.id, m["year"], m["id"]),
            )
        ]
        guests = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM meeting_guest WHERE meeting_id = ? ORDER BY position", (m["id"],)
            )
        ]
        meetings.append(
            _drop_none(
                {
                    "id": m["id"],
                    "year": m["year"],
                    "date": m["date"],
                    "kind": m["kind"],
                    "title": m["title"],
                    "place": m["place"],
                    "chair": m["chair"],
                    "secretary": m["secretary"],
                    "note": m["note"],
                    "start": m["start_time"],
                    "end": m["end_time"],
                    "present": present,
                    "guests": guests,
                }
            )
        )
    return _drop_none(
        {
            "code": bloc.code,
            "name": bloc.name,
            "parent": bloc.parent,
            "place": bloc.place,
            "doc_code": bloc.doc_code,
            "issue_as": bloc.issue_as if bloc.issue_as != "bloc" else None,
            "years": years,
            "meetings": meetings,
            **_dump_bloc_extra(conn, bloc.id),
        }
    )


# Later parts of the schema (votes, awards…) hook in here; see services/votes_exchange.py.
_YEAR_EXTRAS: list = []
_BLOC_EXTRAS: list = []
_DOC_EXTRAS: list = []
_LOADERS: list = []


def _register_parts() -> None:
    from . import (  # noqa: F401  (register hooks)
        activities_exchange,
        profiles_exchange,
        scores_exchange,
        time_exchange,
        votes_exchange,
    )


def _dump_year_extra(conn: sqlite3.Connection, bloc_id: int, year: int) -> dict:
    out: dict = {}
    for fn in _YEAR_EXTRAS:
        out.update(fn(conn, bloc_id, year))
    return out


def _dump_bloc_extra(conn: sqlite3.Connection, bloc_id: int) -> dict:
    out: dict = {}
    for fn in _BLOC_EXTRAS:
        out.update(fn(conn, bloc_id))
    return out


# --- in --------------------------------------------------------------------------------------


class Problems:
    """Collects every problem in a document, so the user fixes them all in one go."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, node: Any, message: str) -> None:
        line = getattr(node, "line", 0)
        item = f"dòng {line}: {message}" if line else message
        if item not in self.items:
            self.items.append(item)

    def raise_if_any(self) -> None:
        if self.items:
            shown = "; ".join(self.items[:5])
            more = f" (và {len(self.items) - 5} lỗi khác)" if len(self.items) > 5 else ""
            raise InvalidInput(f"Tệp nhập có lỗi, chưa ghi gì: {shown}{more}.")


def _get(
    node: Any, key: str, kind: type | tuple, problems: Problems, required: bool = False
) -> Any:
    if not isinstance(node, dict):
        if node is not None:  # a list or a number where a record (key: value) belongs
            problems.add(node, integrity.not_a_mapping(node, key))
        return None
    value = node.get(key)
    if value is None:
        if required:
            problems.add(node, f"thiếu «{key}»")
        return None
    if kind is int and isinstance(value, bool):
        problems.add(node, f"«{key}» phải là số")
        return None
    if not isinstance(value, kind):
        names = {int: "số", str: "chữ", list: "danh sách", dict: "bảng"}
        want = names.get(kind, "giá trị khác") if isinstance(kind, type) else "giá trị khác"
        problems.add(node, f"«{key}» phải là {want}")
        return None
    return value


def _text(node: Any, key: str, problems: Problems, required: bool = False) -> str | None:
    value = _get(node, key, (str, int, float), problems, required)
    if value is None:
        return None
    try:
        return (
            clean_name(str(value), field=key)
            if required
            else (clean(str(value), field=key) or None)
        )
    except InvalidInput as exc:
        problems.add(node, exc.message)
        return None


def _date(node: Any, key: str, problems: Problems, required: bool = False) -> str | None:
    value = node.get(key) if isinstance(node, dict) else None
    if value is None:
        if required:
            problems.add(node, f"thiếu «{key}»")
        return None
    try:
        return parse_date(value if isinstance(value, dt.date) else str(value)).isoformat()
    except InvalidInput as exc:
        problems.add(node, exc.message)
        return None


def _list(node: Any, key: str, problems: Problems) -> list:
    return _get(node, key, list, problems) or []


def load(conn: sqlite3.Connection, doc: Any, progress: Any = None) -> dict[str, int]:
    """Check `doc` whole, then write it. Returns counts of what the file holds.

    `progress(done, total)` is called as blocs are written, for a progress bar.
    """
    _register_parts()
    problems = Problems()
    if not isinstance(doc, dict) or "tdkt" not in doc:
        raise InvalidInput("Tệp nhập không phải dữ liệu tdkt (thiếu khóa «tdkt» ở đầu tệp).")
    if type(doc.get("tdkt")) is not int or doc.get("tdkt") != FORMAT:  # `tdkt: true` == 1
        raise InvalidInput(
            f"Tệp nhập theo định dạng {doc.get('tdkt')!r}; tdkt này đọc định dạng {FORMAT}."
        )
    units = _check_units(conn, _list(doc, "units", problems), problems)
    integrity.check_import_units(conn, units, problems)
    known_units = set(units) | {r[0] for r in conn.execute("SELECT id FROM unit")}
    blocs = [_check_bloc(conn, b, known_units, problems) for b in _list(doc, "blocs", problems)]
    codes = [b["code"] for b in blocs if b]
    for code in {c for c in codes if codes.count(c) > 1}:
        problems.add(doc, f"khối «{code}» xuất hiện hai lần")
    meeting_ids = [m["id"] for b in blocs if b for m in b["meetings"]]
    for mid in {m for m in meeting_ids if meeting_ids.count(m) > 1}:
        problems.add(doc, f"hội nghị mã số {mid} xuất hiện hai lần")
    extras = [fn(conn, doc, blocs, known_units, problems, "check") for fn in _LOADERS]
    problems.raise_if_any()

    from . import time_exchange

    for unit in units.values():
        _write_unit(conn, unit)
    for unit in units.values():
        if unit["merged_into"] is not None or unit["ended_on"] is not None:
            conn.execute(
                "UPDATE unit SET merged_into = ?, ended_on = ? WHERE id = ?",
                (unit["merged_into"], unit["ended_on"], unit["id"]),
            )
        time_exchange.write_unit(conn, unit)
    for i, b in enumerate(blocs, 1):
        _write_bloc(conn, b)
        if progress:
            progress(i, len(blocs) + len(_LOADERS))
    for i, (fn, plan) in enumerate(zip(_LOADERS, extras, strict=True), len(blocs) + 1):
        if progress:
            progress(i, len(blocs) + len(_LOADERS))
        fn(conn, plan, blocs, known_units, problems, "write")
    return {"units": len(units), "blocs": len(blocs), "meetings": len(meeting_ids)}


def _check_units(conn: sqlite3.Connection, nodes: list, problems: Problems) -> dict[int, dict]:
    from . import time_exchange

    units: dict[int, dict] = {}
    keys: dict[str, int] = {}
    for node in nodes:
        uid = _get(node, "id", int, problems, required=True)
        name = _text(node, "name", problems, required=True)
        if uid is None or name is None:
            continue
        if uid in units:
            problems.add(node, f"đơn vị mã số {uid} xuất hiện hai lần")
            continue
        aliases = []
        for a in _list(node, "aliases", problems):
            try:
                aliases.append(clean_name(str(a), field="tên gọi khác"))
            except InvalidInput as exc:
                problems.add(node, exc.message)
        former = []
        for f in _list(node, "former_names", problems):
            fname = _text(f, "name", problems, required=True)
            until = _date(f, "until", problems, required=True)
            if fname and until:
                former.append({"name": fname, "short": _text(f, "short", problems), "until": until})
        unit = {
            "id": uid,
            "name": name,
            "short": _text(node, "short", problems),
            "aliases": aliases,
            "former": former,
            "merged_into": _get(node, "merged_into", int, problems),
            "ended_on": _date(node, "ended_on", problems),
            "line": getattr(node, "line", 0),
            **time_exchange.check_unit(node, problems),
        }
        for n in [name, *([unit["short"]] if unit["short"] else []), *aliases]:
            k = match_key(n)
            if keys.get(k, uid) != uid:
                problems.add(node, f"tên «{n}» đã dùng cho đơn vị mã số {keys[k]} trong tệp")
            keys[k] = uid
        existing = conn.execute("SELECT name FROM unit WHERE id = ?", (uid,)).fetchone()
        if existing and match_key(existing[0]) != match_key(name):
            problems.add(
                node,
                f"đơn vị mã số {uid} trong tệp là «{name}» nhưng trong cơ sở dữ liệu là «{existing[0]}»",
            )
        row = conn.execute(
            "SELECT u.id, u.name FROM unit_lookup l JOIN unit u ON u.id = l.unit_id "
            "WHERE l.key = ? AND u.id != ? AND l.source != 'former'",
            (match_key(name), uid),
        ).fetchone()
        if row:
            problems.add(
                node,
                f"«{name}» (mã số {uid} trong tệp) đã có trong cơ sở dữ liệu với mã số {row['id']}",
            )
        units[uid] = unit
    for unit in units.values():
        target = unit["merged_into"]
        if (
            target is not None
            and target not in units
            and not conn.execute("SELECT 1 FROM unit WHERE id = ?", (target,)).fetchone()
        ):
            problems.add(None, f"dòng {unit['line']}: đơn vị sáp nhập vào mã số {target} không có")
    return units


def _write_unit(conn: sqlite3.Connection, unit: dict) -> None:
    from . import time_exchange

    conn.execute(
        "INSERT INTO unit (id, name, short) VALUES (?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, short = excluded.short",
        (unit["id"], unit["name"], unit["short"]),
    )
    conn.execute("DELETE FROM unit_alias WHERE unit_id = ?", (unit["id"],))
    conn.executemany(
        "INSERT INTO unit_alias (unit_id, position, alias) VALUES (?, ?, ?)",
        [(unit["id"], i, a) for i, a in enumerate(unit["aliases"], 1)],
    )
    time_exchange.write_names(conn, unit)
    unit_service._reindex(conn, unit["id"])


def _ref(
    node: Any, key: str, known: set[int], problems: Problems, required: bool = False
) -> int | None:
    uid = _get(node, key, int, problems, required)
    if uid is not None and uid not in known:
        problems.add(node, f"«{key}»: không có đơn vị mã số {uid}")
        return None
    return uid


def _check_bloc(
    conn: sqlite3.Connection, node: Any, known: set[int], problems: Problems
) -> dict | None:
    code = _text(node, "code", problems, required=True)
    name = _text(node, "name", problems, required=True)
    if code is None or name is None:
        return None
    code = code.lower()
    integrity.check_import_code(node, code, problems)
    bloc = {
        "code": code,
        "name": name,
        "parent": _text(node, "parent", problems),
        "place": _text(node, "place", problems),
        "doc_code": _text(node, "doc_code", problems),
        "issue_as": _text(node, "issue_as", problems) or "bloc",
        "years": [],
        "meetings": [],
        "node": node,
    }
    row = conn.execute(
        "SELECT code FROM bloc WHERE key = ? AND code != ?", (match_key(name), code)
    ).fetchone()
    if row:
        problems.add(node, f"tên khối «{name}» đã dùng cho khối «{row[0]}» trong cơ sở dữ liệu")
    years_seen: set[int] = set()
    for ynode in _list(node, "years", problems):
        year = _get(ynode, "year", int, problems, required=True)
        if year is None:
            continue
        if year in years_seen:
            problems.add(ynode, f"năm {year} xuất hiện hai lần")
        years_seen.add(year)
        members = []
        for m in _list(ynode, "members", problems):
            uid = _ref(m, "unit", known, problems, required=True)
            if uid is not None:
                if uid in [x[0] for x in members]:
                    problems.add(m, f"đơn vị mã số {uid} là thành viên hai lần")
                members.append((uid, _text(m, "group", problems)))
        member_ids = {m[0] for m in members}
        head = _ref(ynode, "head", known, problems)
        deputy = _ref(ynode, "deputy", known, problems)
        held = conn.execute(
            "SELECT y.head_id, u.name FROM bloc_year y JOIN bloc b ON b.id = y.bloc_id "
            "LEFT JOIN unit u ON u.id = y.head_id WHERE b.code = ? AND y.year = ?",
            (code, year),
        ).fetchone()
        if held and held[0] is not None and head is not None and held[0] != head:
            problems.add(
                ynode,
                f"hai trưởng khối cho khối {code} năm {year}: «{held[1]}» trong cơ sở dữ liệu và "
                f"đơn vị mã số {head} trong tệp; hãy thống nhất («tdkt bloc head») rồi nhập lại",
            )
        for role, uid in (("trưởng khối", head), ("phó khối", deputy)):
            if uid is not None and uid not in member_ids:
                problems.add(ynode, f"{role} (mã số {uid}) không phải thành viên năm {year}")
        regs = []
        for r in _list(ynode, "registrations", problems):
            uid = _ref(r, "unit", known, problems, required=True)
            title = _text(r, "title", problems, required=True)
            if uid is not None and uid not in member_ids:
                problems.add(r, f"đơn vị đăng ký (mã số {uid}) không phải thành viên năm {year}")
            targets = [clean(str(t), field="chỉ tiêu") for t in _list(r, "targets", problems)]
            if uid is not None and title:
                regs.append((uid, title, targets))
        covenant = None
        cnode = _get(ynode, "covenant", dict, problems)
        if cnode is not None:
            date = _date(cnode, "date", problems, required=True)
            signers = [s for s in _list(cnode, "signers", problems) if isinstance(s, int)]
            for s in signers:
                if s not in known:
                    problems.add(cnode, f"người ký: không có đơn vị mã số {s}")
            covenant = {
                "date": date,
                "meeting": _get(cnode, "meeting", int, problems),
                "signers": signers,
            }
        bloc["years"].append(
            {
                "year": year,
                "members": members,
                "head": head,
                "deputy": deputy,
                "signer": _text(ynode, "signer", problems),
                "signer_title": _text(ynode, "signer_title", problems),
                "registrations": regs,
                "covenant": covenant,
                "node": ynode,
            }
        )
    for mnode in _list(node, "meetings", problems):
        mid = _get(mnode, "id", int, problems, required=True)
        year = _get(mnode, "year", int, problems, required=True)
        date = _date(mnode, "date", problems, required=True)
        kind = _text(mnode, "kind", problems, required=True)
        if kind is not None and kind not in MEETING_KINDS:
            problems.add(mnode, f"loại hội nghị «{kind}» không có ({', '.join(MEETING_KINDS)})")
        if mid is None:
            continue
        row = conn.execute(
            "SELECT b.code FROM meeting m JOIN bloc b ON b.id = m.bloc_id WHERE m.id = ?", (mid,)
        ).fetchone()
        if row and row[0] != code:
            problems.add(
                mnode, f"hội nghị mã số {mid} đã có trong cơ sở dữ liệu, thuộc khối «{row[0]}»"
            )
        present = []
        for p in _list(mnode, "present", problems):
            if not isinstance(p, int) or p not in known:
                problems.add(mnode, f"đơn vị có mặt «{p}» không có")
            else:
                present.append(p)
        bloc["meetings"].append(
            {
                "id": mid,
                "year": year,
                "date": date,
                "kind": kind,
                **{k: _text(mnode, k, problems) for k in ("title", "place", "chair", "secretary")},
                "note": clean(str(mnode.get("note")), field="ghi chú", multiline=True)
                if mnode.get("note") is not None
                else None,
                "present": present,
                "guests": [
                    clean(str(g), field="khách mời") for g in _list(mnode, "guests", problems)
                ],
                **_meeting_times(mnode, problems),
            }
        )
    meeting_ids = {m["id"] for m in bloc["meetings"]}
    for y in bloc["years"]:
        cov = y["covenant"]
        if (
            cov
            and cov["meeting"] is not None
            and cov["meeting"] not in meeting_ids
            and not conn.execute("SELECT 1 FROM meeting WHERE id = ?", (cov["meeting"],)).fetchone()
        ):
            problems.add(y["node"], f"giao ước gắn với hội nghị mã số {cov['meeting']} không có")
    return bloc


def _write_bloc(conn: sqlite3.Connection, b: dict) -> None:
    row = conn.execute("SELECT id FROM bloc WHERE code = ?", (b["code"],)).fetchone()
    if row:
        bloc_id = row[0]
        conn.execute(
            "UPDATE bloc SET name = ?, key = ?, parent = ?, place = ?, doc_code = ?, issue_as = ? "
            "WHERE id = ?",
            (
                b["name"],
                match_key(b["name"]),
                b["parent"],
                b["place"],
                b["doc_code"],
                b["issue_as"],
                bloc_id,
            ),
        )
    else:
        bloc_id = conn.execute(
            "INSERT INTO bloc (code, name, key, parent, place, doc_code, issue_as) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                b["code"],
                b["name"],
                match_key(b["name"]),
                b["parent"],
                b["place"],
                b["doc_code"],
                b["issue_as"],
            ),
        ).lastrowid
    b["id"] = bloc_id
    for m in b["meetings"]:
        conn.execute("DELETE FROM meeting_present WHERE meeting_id = ?", (m["id"],))
        conn.execute("DELETE FROM meeting_guest WHERE meeting_id = ?", (m["id"],))
        conn.execute(
            "INSERT INTO meeting (id, bloc_id, year, date, kind, title, place, chair, secretary, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "year = excluded.year, date = excluded.date, kind = excluded.kind, title = excluded.title, "
            "place = excluded.place, chair = excluded.chair, secretary = excluded.secretary, "
            "note = excluded.note",
            (
                m["id"],
                bloc_id,
                m["year"],
                m["date"],
                m["kind"],
                m["title"],
                m["place"],
                m["chair"],
                m["secretary"],
                m["note"],
            ),
        )
        conn.execute(
            "UPDATE meeting SET start_time = ?, end_time = ? WHERE id = ?",
            (m.get("start"), m.get("end"), m["id"]),
        )
        conn.executemany(
            "INSERT INTO meeting_present (meeting_id, unit_id) VALUES (?, ?)",
            [(m["id"], u) for u in m["present"]],
        )
        conn.executemany(
            "INSERT INTO meeting_guest (meeting_id, position, name) VALUES (?, ?, ?)",
            [(m["id"], i, g) for i, g in enumerate(m["guests"], 1)],
        )
    for y in b["years"]:
        year = y["year"]
        for table in ("covenant_signer", "covenant", "bloc_year", "membership"):
            conn.execute(f"DELETE FROM {table} WHERE bloc_id = ? AND year = ?", (bloc_id, year))
        conn.executemany(
            "INSERT INTO membership (bloc_id, year, unit_id, position, grp) VALUES (?, ?, ?, ?, ?)",
            [(bloc_id, year, uid, i, grp) for i, (uid, grp) in enumerate(y["members"], 1)],
        )
        if y["head"] is not None or y["deputy"] is not None or y["signer"]:
            conn.execute(
                "INSERT INTO bloc_year (bloc_id, year, head_id, deputy_id, signer, signer_title) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (bloc_id, year, y["head"], y["deputy"], y["signer"], y["signer_title"]),
            )
        # registrations keep their ids when the file has them again
        kept = set()
        for uid, title, targets in y["registrations"]:
            row = conn.execute(
                "SELECT id FROM pledge WHERE bloc_id = ? AND year = ? AND unit_id = ? AND key = ?",
                (bloc_id, year, uid, match_key(title)),
            ).fetchone()
            if row:
                pid = row[0]
                conn.execute("UPDATE pledge SET title = ? WHERE id = ?", (title, pid))
                conn.execute("DELETE FROM pledge_target WHERE pledge_id = ?", (pid,))
            else:
                pid = conn.execute(
                    "INSERT INTO pledge (bloc_id, year, unit_id, title, key) VALUES (?, ?, ?, ?, ?)",
                    (bloc_id, year, uid, title, match_key(title)),
                ).lastrowid
            kept.add(pid)
            conn.executemany(
                "INSERT INTO pledge_target (pledge_id, position, text) VALUES (?, ?, ?)",
                [(pid, i, t) for i, t in enumerate(targets, 1)],
            )
        for (pid,) in conn.execute(
            "SELECT id FROM pledge WHERE bloc_id = ? AND year = ?", (bloc_id, year)
        ).fetchall():
            if pid not in kept:
                conn.execute("DELETE FROM pledge WHERE id = ?", (pid,))
        cov = y["covenant"]
        if cov:
            conn.execute(
                "INSERT INTO covenant (bloc_id, year, date, meeting_id) VALUES (?, ?, ?, ?)",
                (bloc_id, year, cov["date"], cov["meeting"]),
            )
            conn.executemany(
                "INSERT INTO covenant_signer (bloc_id, year, unit_id) VALUES (?, ?, ?)",
                [(bloc_id, year, s) for s in cov["signers"]],
            )


def _meeting_times(mnode: dict, problems) -> dict:
    """A meeting's start and end times ("08:00"), checked as `meeting log` checks them."""
    from ..errors import TdktError
    from .meetings import parse_time

    times = {}
    for key, words in (("start", "bắt đầu"), ("end", "kết thúc")):
        try:
            value = mnode.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                value = f"{value // 60}:{value % 60:02d}"  # YAML 1.1 reads 14:30 as 870
            times[key] = parse_time(None if value is None else str(value), words)
        except TdktError as exc:
            problems.add(mnode, exc.message)
    return times
