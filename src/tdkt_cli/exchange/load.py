"""The core records (units, blocs, their years and meetings) checked, then written, on import.

Import checks the whole document first (every error names its file and line) and only then
writes, in the caller's single transaction. A bloc-year in the file is taken as a whole: its
members, head, registrations and covenant replace what the database held for that bloc-year.
Several secretariats' files: exchange/merge.py renumbers each and calls check_and_write.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..audit import integrity
from ..core.errors import InvalidInput
from ..core.models import MEETING_KINDS
from ..text import clean, clean_name, match_key
from ..units import service as unit_service
from .kit import Problems, walk
from .kit import date as _date
from .kit import get as _get
from .kit import lst as _list
from .kit import text as _text
from .registry import CORE, parts


def check_and_write(
    conn: sqlite3.Connection,
    doc: Any,
    problems: Problems,
    progress: Any = None,
    chosen: frozenset = frozenset(),
) -> dict[str, int] | None:
    """Check `doc` (ids already renumbered to this database); if it added no problem, write it.
    `chosen`: (bloc code, year) the office chose this file for, over what the database holds."""
    before = len(problems.items)
    units = _check_units(conn, _list(doc, "units", problems), problems)
    integrity.check_import_units(conn, units, problems)
    known_units = set(units) | {r[0] for r in conn.execute("SELECT id FROM unit")}
    blocs = [
        _check_bloc(conn, b, known_units, problems, chosen) for b in _list(doc, "blocs", problems)
    ]
    codes = [b["code"] for b in blocs if b]
    for code in {c for c in codes if codes.count(c) > 1}:
        problems.add(doc, f"khối «{code}» xuất hiện hai lần")
    meeting_ids = [m["id"] for b in blocs if b for m in b["meetings"]]
    for mid in {m for m in meeting_ids if meeting_ids.count(m) > 1}:
        problems.add(doc, f"hội nghị mã số {mid} xuất hiện hai lần")
    loaders = [p.load for p in parts() if p.load]
    extras = [fn(conn, doc, blocs, known_units, problems, "check") for fn in loaders]
    if len(problems.items) > before:
        return None

    from ..units import exchange as time_exchange

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
            progress(i, len(blocs) + len(loaders))
    for i, (fn, plan) in enumerate(zip(loaders, extras, strict=True), len(blocs) + 1):
        if progress:
            progress(i, len(blocs) + len(loaders))
        fn(conn, plan, blocs, known_units, problems, "write")
    removed = sum(
        _prune(conn, node, b) for node, b in zip(_list(doc, "blocs", problems), blocs, strict=True)
    )
    return {
        "units": len(units),
        "blocs": len(blocs),
        "meetings": len(meeting_ids),
        "removed": removed,
    }


def _prune(conn: sqlite3.Connection, node: Any, b: dict) -> int:
    """A bloc-year in a file is the whole bloc-year: what this database holds for the bloc in the
    years the file carries, and the file no longer has (a meeting, vote, proposal, exemplar or
    activity the secretariat removed), is removed, so re-importing an updated file replaces that
    bloc's records and nothing else. Other years and other blocs are untouched. Returns how many
    records were removed."""
    years = sorted({y["year"] for y in b["years"]} | {m["year"] for m in b["meetings"]})
    if not years:
        return 0
    removed = 0
    # the kinds that refer to others first: proposals (to votes), votes (to meetings), meetings
    for part in [*parts(), CORE]:
        for path, _kind, table, scope in part.ids:
            if scope != "bloc" or not path.startswith("blocs.*."):
                continue
            keep = [
                c[k] for c, k, _ in walk(node, path.split(".")[2:]) if isinstance(c.get(k), int)
            ]
            cols = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            when = "year" if "year" in cols else "CAST(substr(date, 1, 4) AS INTEGER)"
            gone = [
                r[0]
                for r in conn.execute(
                    f"SELECT id FROM {table} WHERE bloc_id = ? AND {when} IN "
                    f"({','.join('?' * len(years))}) AND id NOT IN ({','.join('?' * len(keep))})",
                    (b["id"], *years, *keep),
                )
            ]
            if gone:
                _detach(conn, table, gone)
                conn.executemany(f"DELETE FROM {table} WHERE id = ?", [(i,) for i in gone])
                removed += len(gone)
    return removed


def _detach(conn: sqlite3.Connection, table: str, ids: list[int]) -> None:
    """Records that stay but pointed at removed ones lose the pointer (a decision whose proposal
    was withdrawn keeps its number and date)."""
    marks = ",".join("?" * len(ids))
    for (child,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for fk in conn.execute(f"PRAGMA foreign_key_list({child})").fetchall():
            if fk[2] == table and fk[6].upper() in ("NO ACTION", "RESTRICT"):
                conn.execute(f"UPDATE {child} SET {fk[3]} = NULL WHERE {fk[3]} IN ({marks})", ids)


def _check_units(conn: sqlite3.Connection, nodes: list, problems: Problems) -> dict[int, dict]:
    from ..units import exchange as time_exchange

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
        official = _text(node, "official", problems)
        former_official = []
        for f in _list(node, "former_official", problems):
            code = _text(f, "code", problems, required=True)
            until = _date(f, "until", problems, required=True)
            if code and until:
                former_official.append((code, until))
        for code in [official, *(c for c, _ in former_official)]:
            if code is None:
                continue
            row = conn.execute(
                "SELECT u.id, u.name FROM unit_code c JOIN unit u ON u.id = c.unit_id "
                "WHERE c.code = ? AND u.id != ?",
                (code, uid),
            ).fetchone()
            if row:
                problems.add(node, f"mã định danh «{code}» đã là của «{row[1]}»")
        unit = {
            "id": uid,
            "uid": _text(node, "uid", problems),
            "official": official,
            "former_official": former_official,
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
        renamed = {match_key(f["name"]) for f in former} | {match_key(a) for a in aliases}
        if existing and match_key(existing[0]) not in {match_key(name)} | renamed:
            problems.add(
                node,
                f"một đơn vị mang hai tên: «{name}» trong tệp, «{existing[0]}» trong cơ sở dữ liệu "
                "(nếu đã đổi tên, ghi tên cũ vào «former_names»)",
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
    from ..units import exchange as time_exchange

    conn.execute(
        "INSERT INTO unit (id, name, short, uid) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, short = excluded.short, "
        "uid = coalesce(unit.uid, excluded.uid)",
        (unit["id"], unit["name"], unit["short"], unit["uid"]),
    )
    if unit["official"] or unit["former_official"]:
        conn.execute("DELETE FROM unit_code WHERE unit_id = ?", (unit["id"],))
        conn.executemany(
            "INSERT INTO unit_code (unit_id, code, until) VALUES (?, ?, ?)",
            [(unit["id"], unit["official"], None)] * bool(unit["official"])
            + [(unit["id"], c, u) for c, u in unit["former_official"]],
        )
    conn.execute("DELETE FROM unit_alias WHERE unit_id = ?", (unit["id"],))
    conn.executemany(
        "INSERT INTO unit_alias (unit_id, position, alias) VALUES (?, ?, ?)",
        [(unit["id"], i, a) for i, a in enumerate(unit["aliases"], 1)],
    )
    time_exchange.write_names(conn, unit)
    unit_service.reindex(conn, unit["id"])


def _ref(
    node: Any, key: str, known: set[int], problems: Problems, required: bool = False
) -> int | None:
    uid = _get(node, key, int, problems, required)
    if uid is not None and uid not in known:
        problems.add(node, f"«{key}»: không có đơn vị mã số {uid}")
        return None
    return uid


def _check_bloc(
    conn: sqlite3.Connection,
    node: Any,
    known: set[int],
    problems: Problems,
    chosen: frozenset = frozenset(),
) -> dict | None:
    code = _text(node, "code", problems, required=True)
    name = _text(node, "name", problems, required=True)
    if code is None or name is None:
        return None
    code = code.lower()
    integrity.check_import_code(node, code, problems)
    bloc = {
        "code": code,
        "uid": _text(node, "uid", problems),
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
        if (
            held
            and held[0] is not None
            and head is not None
            and held[0] != head
            and (code, year) not in chosen
        ):
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
        absences = []
        for a in _list(mnode, "absence_reasons", problems):
            unit = a.get("unit") if isinstance(a, dict) else None
            reason = a.get("reason") if isinstance(a, dict) else None
            if not isinstance(unit, int) or unit not in known:
                problems.add(mnode, f"đơn vị vắng mặt «{unit}» không có")
            elif unit in present:
                problems.add(mnode, f"đơn vị {unit} vừa có mặt vừa có lý do vắng mặt")
            elif not isinstance(reason, str) or not reason.strip():
                problems.add(mnode, f"lý do vắng mặt của đơn vị {unit} phải là một đoạn chữ")
            else:
                absences.append((unit, clean(reason, field="lý do vắng mặt")))
        additional = mnode.get("additional", False) if isinstance(mnode, dict) else False
        if not isinstance(additional, bool):
            problems.add(mnode, "«additional» phải là true hoặc false")
        bloc["meetings"].append(
            {
                "id": mid,
                "uid": _text(mnode, "uid", problems),
                "year": year,
                "date": date,
                "kind": kind,
                **{k: _text(mnode, k, problems) for k in ("title", "place", "chair", "secretary")},
                "note": clean(str(mnode.get("note")), field="ghi chú", multiline=True)
                if mnode.get("note") is not None
                else None,
                "present": present,
                "absences": absences,
                "additional": additional is True,
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
            "UPDATE bloc SET name = ?, key = ?, parent = ?, place = ?, doc_code = ?, issue_as = ?, "
            "uid = coalesce(uid, ?) WHERE id = ?",
            (
                b["name"],
                match_key(b["name"]),
                b["parent"],
                b["place"],
                b["doc_code"],
                b["issue_as"],
                b["uid"],
                bloc_id,
            ),
        )
    else:
        bloc_id = conn.execute(
            "INSERT INTO bloc (code, name, key, parent, place, doc_code, issue_as, uid) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                b["code"],
                b["name"],
                match_key(b["name"]),
                b["parent"],
                b["place"],
                b["doc_code"],
                b["issue_as"],
                b["uid"],
            ),
        ).lastrowid
    b["id"] = bloc_id
    for m in b["meetings"]:
        conn.execute("DELETE FROM meeting_present WHERE meeting_id = ?", (m["id"],))
        conn.execute("DELETE FROM meeting_guest WHERE meeting_id = ?", (m["id"],))
        conn.execute("DELETE FROM meeting_absence WHERE meeting_id = ?", (m["id"],))
        conn.execute(
            "INSERT INTO meeting (id, bloc_id, year, date, kind, title, place, chair, secretary, note, "
            "uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
            "uid = coalesce(meeting.uid, excluded.uid), "
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
                m["uid"],
            ),
        )
        conn.execute(
            "UPDATE meeting SET start_time = ?, end_time = ?, additional = ? WHERE id = ?",
            (m.get("start"), m.get("end"), int(m["additional"]), m["id"]),
        )
        conn.executemany(
            "INSERT INTO meeting_absence (meeting_id, unit_id, reason) VALUES (?, ?, ?)",
            [(m["id"], u, why) for u, why in m["absences"]],
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
    from ..core.errors import TdktError
    from ..meetings.service import parse_time

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
