"""The audit trail, undo and redo.

Triggers (migrations.audit_triggers) copy every changed row, old and new, into `change` under the
command that `begin()` registered for the transaction (floats also into `change_real`, exactly).

Undo and redo move along a linear history of the writes (commands of kind 'do'): `undo()` reverts
the most recent write still in effect, again one step further back; `undo(to=ID)` reverts every
write after ID still in effect; `redo()` re-applies what the most recent undo reverted, as long as
no new write came after it. An undo or a redo is logged (kind 'undo' / 'redo') but is never itself
a step of that history, so undoing twice goes two steps back. Both refuse when a row is no longer
as the history says it should be (an edit outside tdkt), since replaying would discard that work.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..core import clock
from ..core.errors import NotFound, RuleBroken
from ..core.patterns import lazy
from ..text import clean, parse_date


def who(by: str | None) -> str:
    if by:
        return clean(by, field="người thực hiện")
    try:
        return getpass.getuser()
    except Exception:  # no user name on this system
        return "?"


def begin(conn: sqlite3.Connection, argv: str, by: str | None) -> int:
    """Register the command this transaction carries out; its row changes attach to it."""
    cid = conn.execute(
        "INSERT INTO command (at, by, argv) VALUES (?, ?, ?)",
        (clock.stamp(), who(by), argv[:2000]),
    ).lastrowid
    conn.execute("UPDATE audit_context SET command_id = ? WHERE id = 1", (cid,))
    return cid


def end(conn: sqlite3.Connection, command_id: int) -> None:
    """Close the command; a command that changed nothing leaves no entry.

    A row deleted and inserted again unchanged (an import rewriting a bloc-year) is no change:
    such pairs cancel out, so re-importing the same file leaves no trace.
    """
    conn.execute("UPDATE audit_context SET command_id = NULL WHERE id = 1")
    reals: dict[tuple[int, str], list] = {}
    for change_id, side, col, value in conn.execute(
        "SELECT r.change_id, r.side, r.col, r.value FROM change_real r "
        "JOIN change x ON x.id = r.change_id WHERE x.command_id = ? AND x.op != 'U'",
        (command_id,),
    ):
        reals.setdefault((change_id, side), []).append((col, value))

    def exact(cid: int, side: str) -> tuple:
        return tuple(sorted(reals.get((cid, side), [])))

    deleted: dict[tuple, list[int]] = {}
    for cid, tbl, old in conn.execute(
        "SELECT id, tbl, old FROM change WHERE command_id = ? AND op = 'D'", (command_id,)
    ):
        deleted.setdefault((tbl, old, exact(cid, "old")), []).append(cid)
    if deleted:
        cancel = []
        for cid, tbl, new in conn.execute(
            "SELECT id, tbl, new FROM change WHERE command_id = ? AND op = 'I' ORDER BY id",
            (command_id,),
        ).fetchall():
            pending = deleted.get((tbl, new, exact(cid, "new")))
            if pending and pending[0] < cid:
                cancel += [pending.pop(0), cid]
        conn.executemany("DELETE FROM change WHERE id = ?", [(c,) for c in cancel])
        conn.executemany("DELETE FROM change_real WHERE change_id = ?", [(c,) for c in cancel])
    n = conn.execute("SELECT count(*) FROM change WHERE command_id = ?", (command_id,)).fetchone()
    if n[0] == 0:
        conn.execute("DELETE FROM command WHERE id = ?", (command_id,))
    else:  # the log prints it without counting again (m019)
        conn.execute("UPDATE command SET changes = ? WHERE id = ?", (n[0], command_id))


@contextmanager
def logged_in_bulk(conn: sqlite3.Connection) -> Iterator[None]:
    """Within the command `begin()` registered: when the file holds no record yet, write the rows
    without their triggers and then copy every row into the trail in one statement per table.

    An import into a new file writes a hundred thousand rows; each firing its trigger took three
    times as long as the rows themselves (bench/README.md). Starting from no record, what the
    command changed is exactly every row there is at its end, each inserted, so the trail is the
    same as the triggers' would be, only in table order: undo and redo do not depend on the order
    (foreign keys are checked at commit), and end() finds no delete to pair with an insert. A
    file that holds any record keeps the triggers, which also see updates and deletes.
    """
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
            "AND name = 'audit_' || tbl_name || '_insert' ORDER BY rowid"
        )
    ]
    state = conn.execute("SELECT command_id, detail FROM audit_context WHERE id = 1").fetchone()
    empty = not conn.execute(
        " UNION ALL ".join(f"SELECT 1 FROM (SELECT 1 FROM {t} LIMIT 1)" for t in tables)
    ).fetchone()
    if not (tables and empty and state and state[0] is not None and state[1] == 1):
        yield
        return
    conn.execute("UPDATE audit_context SET detail = 0 WHERE id = 1")
    try:
        yield
        from ..store.migrations.kit import insertions

        for table in tables:
            schema = conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone()[0]
            order = ", ".join(f"t.{c}" for c in _pk(conn, table))
            if "WITHOUT ROWID" not in schema.upper():
                order = "t.rowid"
            sql = insertions(conn, table, order)
            base = conn.execute("SELECT coalesce(max(id), 0) FROM change").fetchone()[0]
            n = conn.execute(sql.changes).rowcount
            if n <= 0:
                continue
            first, last = conn.execute(
                "SELECT min(id), max(id) FROM change WHERE id > ?", (base,)
            ).fetchone()
            if (first, last) != (base + 1, base + n):
                # not numbered one after another (only past the largest id SQLite gives in turn)
                conn.execute("DELETE FROM change WHERE id > ?", (base,))
                conn.execute(sql.numbered, (base,))
            if conn.execute(sql.inexact).fetchone()[0]:
                for statement in sql.exact:
                    conn.execute(statement, (base,))
    finally:
        conn.execute("UPDATE audit_context SET detail = 1 WHERE id = 1")


# --- the log ---------------------------------------------------------------------------------


def people_time(at: str) -> str:
    """An ISO time of the log as people read it: dd/mm/yyyy HH:MM."""
    try:
        return dt.datetime.fromisoformat(at).strftime("%d/%m/%Y %H:%M")
    except (TypeError, ValueError):
        return str(at)


@dataclass(frozen=True)
class Entry:
    """One command in the audit trail: when, by whom, its argv and how many rows it changed."""

    id: int
    at: str
    by: str | None
    argv: str
    changes: int
    undone_by: int | None
    kind: str = "do"

    def as_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class Step:
    """A write that an undo reverts or a redo re-applies."""

    id: int
    at: str
    by: str | None
    argv: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "when": self.at, "by": self.by, "argv": self.argv}

    def text(self) -> str:
        return f"thao tác số {self.id} lúc {people_time(self.at)} của {self.by or '?'}: {self.argv}"


def log(
    conn: sqlite3.Connection,
    since: str | None = None,
    until: str | None = None,
    bloc_id: int | None = None,
    unit_id: int | None = None,
    limit: int | None = None,
) -> list[Entry]:
    """Commands newest first; filtered by date, or by the bloc or unit their changes touch."""
    where, params = ["1 = 1"], []
    if since:
        where.append("c.at >= ?")
        params.append(parse_date(since).isoformat())
    if until:
        where.append("c.at < ?")
        params.append((parse_date(until) + dt.timedelta(days=1)).isoformat())
    for column, value, table in (("bloc_id", bloc_id, "bloc"), ("unit_id", unit_id, "unit")):
        if value is None:
            continue
        where.append(
            "EXISTS (SELECT 1 FROM change x WHERE x.command_id = c.id AND ("
            f"json_extract(COALESCE(x.new, x.old), '$.{column}') = ? OR "
            f"(x.tbl = '{table}' AND json_extract(COALESCE(x.new, x.old), '$.id') = ?)))"
        )
        params += [value, value]
    sql = (
        "SELECT c.*, coalesce(c.changes, "
        "(SELECT count(*) FROM change x WHERE x.command_id = c.id)) AS n FROM command c "
        f"WHERE {' AND '.join(where)} ORDER BY c.id DESC"
    )
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [
        Entry(r["id"], r["at"], r["by"], r["argv"], r["n"], r["undone_by"], r["kind"])
        for r in conn.execute(sql, params)
    ]


def _rows(conn: sqlite3.Connection, command_ids: list[int]) -> list[dict[str, Any]]:
    """The changes of these commands, oldest first, with every float exactly as it was."""
    marks = ",".join("?" * len(command_ids))
    rows = [
        {
            "id": r["id"],
            "tbl": r["tbl"],
            "op": r["op"],
            "old": json.loads(r["old"]) if r["old"] else None,
            "new": json.loads(r["new"]) if r["new"] else None,
        }
        for r in conn.execute(
            f"SELECT id, tbl, op, old, new FROM change WHERE command_id IN ({marks}) ORDER BY id",
            command_ids,
        )
    ]
    by_id = {r["id"]: r for r in rows}
    for change_id, side, col, value in conn.execute(
        "SELECT r.change_id, r.side, r.col, r.value FROM change_real r JOIN change x "
        f"ON x.id = r.change_id WHERE x.command_id IN ({marks})",
        command_ids,
    ):
        row = by_id[change_id][side]
        if row is not None and col in row:
            row[col] = value
    return rows


def _require_command(conn: sqlite3.Connection, command_id: int) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM command WHERE id = ?", (command_id,)).fetchone()
    if row is None:
        raise NotFound(f"Không có thao tác số {command_id} trong nhật ký.")
    return row


def changes(conn: sqlite3.Connection, command_id: int) -> list[dict[str, Any]]:
    """Every row the command changed, old and new (ISO dates, exact numbers), for --json."""
    _require_command(conn, command_id)
    return [
        {
            "table": r["tbl"],
            "op": {"I": "insert", "U": "update", "D": "delete"}[r["op"]],
            "old": r["old"],
            "new": r["new"],
            "text": _sentence(conn, r),
        }
        for r in _rows(conn, [command_id])
    ]


def describe(conn: sqlite3.Connection, command_id: int) -> tuple[Entry, list[str]]:
    """The command and what it changed, in Vietnamese sentences (derived lookup rows left out)."""
    row = _require_command(conn, command_id)
    lines = [_sentence(conn, r) for r in _rows(conn, [command_id])]
    entry = Entry(
        row["id"], row["at"], row["by"], row["argv"], len(lines), row["undone_by"], row["kind"]
    )
    return entry, [line for line in lines if line]


# --- the log in words ------------------------------------------------------------------------

TABLES = {
    "unit": "đơn vị",
    "unit_alias": "tên gọi khác",
    "unit_name_period": "tên của đơn vị theo thời gian",
    "bloc": "khối",
    "membership": "thành viên khối",
    "bloc_year": "trưởng, phó khối",
    "meeting": "hội nghị",
    "meeting_present": "đơn vị có mặt ở hội nghị",
    "meeting_guest": "khách mời hội nghị",
    "meeting_absence": "lý do vắng mặt ở hội nghị",
    "pledge": "đăng ký thi đua",
    "pledge_target": "chỉ tiêu đăng ký",
    "covenant": "giao ước thi đua",
    "covenant_signer": "đơn vị ký giao ước",
    "vote_rules": "quy chế bình xét",
    "vote": "cuộc bỏ phiếu",
    "vote_candidate": "đơn vị ứng cử",
    "ballot": "phiếu bầu",
    "vote_count": "số phiếu kiểm bằng tay",
    "vote_paper": "số phiếu trong biên bản kiểm phiếu",
    "vote_elected": "đơn vị trúng cử",
    "ineligible": "đơn vị không đủ điều kiện bình xét",
    "proposal": "đề nghị khen thưởng",
    "decision": "quyết định khen thưởng",
    "criterion": "tiêu chí chấm điểm",
    "score_setup": "cách tính điểm",
    "score_band": "mức xếp loại",
    "score": "điểm",
    "score_lock_log": "khóa, mở khóa điểm",
    "exemplar": "điển hình tiên tiến",
    "activity": "hoạt động chung",
    "contribution": "khoản đóng góp",
    "movement": "phong trào thi đua",
    "movement_unit": "đơn vị tham gia phong trào",
    "movement_report": "báo cáo phong trào",
}
FIELDS = {
    "name": "tên",
    "short": "tên viết tắt",
    "merged_into": "sáp nhập vào",
    "ended_on": "ngày kết thúc",
    "alias": "tên gọi khác",
    "until": "dùng đến ngày",
    "code": "mã",
    "parent": "cơ quan cấp trên",
    "place": "địa điểm",
    "doc_code": "ký hiệu văn bản",
    "issue_as": "ban hành văn bản với danh nghĩa",
    "year": "năm",
    "unit_id": "đơn vị",
    "bloc_id": "khối",
    "grp": "nhóm",
    "head_id": "trưởng khối",
    "deputy_id": "phó khối",
    "signer": "người ký",
    "signer_title": "chức vụ người ký",
    "date": "ngày",
    "kind": "loại",
    "title": "tiêu đề",
    "chair": "chủ trì",
    "secretary": "thư ký",
    "note": "ghi chú",
    "meeting_id": "hội nghị",
    "vote_id": "cuộc bỏ phiếu",
    "text": "nội dung",
    "reason": "lý do",
    "award": "danh hiệu",
    "award_name": "tên danh hiệu",
    "seats": "số suất",
    "members": "số thành viên",
    "present": "số có mặt",
    "closed": "đã kết thúc",
    "votes": "số phiếu",
    "valid": "phiếu hợp lệ",
    "blank": "phiếu trắng",
    "invalid": "phiếu không hợp lệ",
    "count": "số lượng",
    "marks": "đơn vị được bầu trên phiếu",
    "self_points": "điểm tự chấm",
    "self_note": "ghi chú tự chấm",
    "verified_points": "điểm thẩm định",
    "verified_note": "ghi chú thẩm định",
    "max_points": "điểm tối đa",
    "min_points": "điểm tối thiểu",
    "min_score": "điểm tối thiểu",
    "amount": "số tiền",
    "summary": "tóm tắt",
    "status": "trạng thái",
    "cut_reason": "lý do loại",
    "number": "số quyết định",
    "body": "cơ quan quyết định",
    "quorum": "tỷ lệ có mặt tối thiểu",
    "base": "căn cứ tính tỷ lệ",
    "threshold": "tỷ lệ phiếu để trúng",
    "strict": "phải vượt hẳn tỷ lệ",
    "self_vote": "được tự bầu",
    "max_rounds": "số vòng tối đa",
    "decider": "cách phân định khi bằng phiếu",
    "flag_quota": "số cờ thi đua",
    "certificate_quota": "số bằng khen",
    "flag_winner_may_stand": "đơn vị đã nhận cờ được ứng cử",
    "position": "thứ tự",
    "purpose": "mục đích",
    "beneficiaries": "số người được hỗ trợ",
    "beneficiary_note": "ghi chú người được hỗ trợ",
    "launched_by": "cơ quan phát động",
    "start": "bắt đầu",
    "finish": "kết thúc",
    "role": "vai trò",
    "locked": "đã khóa",
    "action": "việc",
    "at": "lúc",
    "by": "người thực hiện",
    "movement": "phong trào",
    "movement_id": "phong trào",
    "activity_id": "hoạt động",
    "pledge_id": "đăng ký thi đua",
    "description": "mô tả",
    "combine": "cách kết hợp điểm và phiếu",
    "bonus_cap": "điểm thưởng tối đa",
    "penalty_cap": "điểm trừ tối đa",
    "group_code": "mã nhóm",
    "group_title": "tên nhóm",
    "round": "vòng",
    "round_of": "vòng tiếp của cuộc bỏ phiếu",
    "mode": "cách nhập kết quả",
    "decided_by": "phân định bởi",
    "decision_note": "ghi chú phân định",
    "committee": "ban kiểm phiếu",
    "proposal_id": "đề nghị",
}
HIDDEN = {"unit_lookup"}  # derived from the names; rebuilt by the command that changes them
INTERNAL = {"key", "loose", "source"}
UNIT_COLUMNS = {"unit_id", "head_id", "deputy_id", "merged_into"}
_DATE = lazy(r"^\d{4}-\d{2}-\d{2}$")
_TIME = lazy(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _name(conn: sqlite3.Connection, table: str, value: Any) -> str | None:
    if table == "unit":
        row = conn.execute("SELECT name FROM unit WHERE id = ?", (value,)).fetchone()
        return f"«{row[0]}»" if row else None
    if table == "bloc":
        row = conn.execute("SELECT name, code FROM bloc WHERE id = ?", (value,)).fetchone()
        return f"«{row[0]}» ({row[1]})" if row else None
    if table == "meeting":
        row = conn.execute("SELECT date FROM meeting WHERE id = ?", (value,)).fetchone()
        return f"số {value} ngày {_value(conn, 'date', row[0])}" if row else None
    return None


def _value(conn: sqlite3.Connection, column: str, value: Any) -> str:
    if value is None:
        return "(trống)"
    if column in UNIT_COLUMNS:
        return _name(conn, "unit", value) or f"đơn vị số {value}"
    if column == "bloc_id":
        return _name(conn, "bloc", value) or f"khối số {value}"
    if column == "meeting_id":
        return _name(conn, "meeting", value) or f"số {value}"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        if _DATE.match(value):
            return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
        if _TIME.match(value):
            return people_time(value)
        return f"«{value}»"
    return str(value)


def _label(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> str:
    """Which record: its name, or the unit, bloc, year and date it belongs to."""
    parts = []
    for column in ("name", "title", "alias", "code"):
        if isinstance(row.get(column), str):
            parts.append(_value(conn, column, row[column]))
            break
    if table in ("vote", "meeting", "activity", "movement", "proposal", "decision") and "id" in row:
        parts.insert(0, f"số {row['id']}")
    for column in ("unit_id", "vote_id", "meeting_id", "bloc_id", "year", "date"):
        if row.get(column) is None:
            continue
        shown = _value(conn, column, row[column])
        if column in ("unit_id", "bloc_id", "date"):
            parts.append(f"ngày {shown}" if column == "date" else shown)
        else:
            parts.append(f"{FIELDS[column]} {shown}")
    return ", ".join(parts)


def _sentence(conn: sqlite3.Connection, change: dict[str, Any]) -> str:
    table, op, old, new = change["tbl"], change["op"], change["old"], change["new"]
    if table in HIDDEN:
        return ""
    what = TABLES.get(table, table)
    if op == "I":
        return f"Thêm {what} {_label(conn, table, new)}.".replace("  ", " ").replace(" .", ".")
    if op == "D":
        return f"Xóa {what} {_label(conn, table, old)}.".replace("  ", " ").replace(" .", ".")
    diffs = [
        f"{FIELDS.get(c, c)}: {_value(conn, c, old.get(c))} → {_value(conn, c, new.get(c))}"
        for c in new
        if c not in INTERNAL and old.get(c) != new.get(c)
    ]
    label = _label(conn, table, old)
    return f"Sửa {what} {label}: {'; '.join(diffs)}.".replace("  ", " ")


# --- undo and redo ---------------------------------------------------------------------------

_PK_CACHE: dict[str, list[str]] = {}


def _pk(conn: sqlite3.Connection, table: str) -> list[str]:
    if table not in _PK_CACHE:
        info = conn.execute(f"PRAGMA table_info({table})").fetchall()
        cols = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5] > 0]
        _PK_CACHE[table] = cols or ["rowid"]
    return _PK_CACHE[table]


def _key(conn: sqlite3.Connection, table: str, row: dict) -> tuple:
    return (table, *[row.get(c) for c in _pk(conn, table)])


def _steps(conn: sqlite3.Connection, ids: list[int]) -> list[Step]:
    marks = ",".join("?" * len(ids))
    return [
        Step(r["id"], r["at"], r["by"], r["argv"])
        for r in conn.execute(
            f"SELECT id, at, by, argv FROM command WHERE id IN ({marks}) ORDER BY id DESC", ids
        )
    ]


def _running(conn: sqlite3.Connection) -> int | None:
    return conn.execute("SELECT command_id FROM audit_context WHERE id = 1").fetchone()[0]


def undo_plan(conn: sqlite3.Connection, to: int | None = None) -> list[Step]:
    """The writes an undo would revert, newest first."""
    live = "kind = 'do' AND undone_by IS NULL AND id IS NOT ?"
    current = _running(conn)
    if to is None:
        row = conn.execute(
            f"SELECT id FROM command WHERE {live} ORDER BY id DESC LIMIT 1", (current,)
        ).fetchone()
        if row is None:
            raise NotFound("Chưa có thao tác nào để hoàn tác.")
        return _steps(conn, [row[0]])
    mark = _require_command(conn, to)
    if mark["kind"] != "do":
        raise RuleBroken(
            f"Thao tác số {to} là một lần hoàn tác hoặc làm lại; hãy chọn số của một thao tác "
            "ghi dữ liệu (xem tdkt log)."
        )
    if mark["undone_by"] is not None:
        raise RuleBroken(f"Thao tác số {to} đã được hoàn tác; dùng tdkt redo để làm lại nó trước.")
    ids = [
        r[0] for r in conn.execute(f"SELECT id FROM command WHERE {live} AND id > ?", (current, to))
    ]
    if not ids:
        raise RuleBroken(f"Không có thao tác nào sau thao tác số {to} để hoàn tác.")
    return _steps(conn, ids)


def _redo_source(conn: sqlite3.Connection) -> int:
    current = _running(conn)
    last = conn.execute(
        "SELECT max(id) FROM command WHERE kind = 'do' AND id IS NOT ?", (current,)
    ).fetchone()[0]
    row = conn.execute(
        "SELECT id FROM command c WHERE kind = 'undo' AND undone_by IS NULL AND id > ? "
        "AND EXISTS (SELECT 1 FROM command t WHERE t.undone_by = c.id AND t.kind = 'do') "
        "ORDER BY id DESC LIMIT 1",
        (last or 0,),
    ).fetchone()
    if row is None:
        raise NotFound(
            "Không có gì để làm lại: chỉ làm lại được những gì vừa hoàn tác, "
            "trước khi ghi thao tác mới."
        )
    return row[0]


def redo_plan(conn: sqlite3.Connection) -> list[Step]:
    """The writes a redo would re-apply (those the most recent undo reverted), newest first."""
    source = _redo_source(conn)
    ids = [r[0] for r in conn.execute("SELECT id FROM command WHERE undone_by = ?", (source,))]
    return _steps(conn, ids)


def _check(conn: sqlite3.Connection, expected: dict[tuple, dict | None], after: int) -> None:
    """Each row must be as the history says; otherwise something outside it changed the row,
    and replaying would silently discard that work."""
    for key, state in expected.items():
        table, pk = key[0], _pk(conn, key[0])
        found = conn.execute(
            f"SELECT * FROM {table} WHERE " + " AND ".join(f"{c} IS ?" for c in pk), key[1:]
        ).fetchone()
        now = dict(found) if found is not None else None
        if now is not None and state is not None:
            now = {c: now.get(c) for c in state}
        if now != state:
            later = conn.execute(
                "SELECT max(x.command_id) FROM change x JOIN command c ON c.id = x.command_id "
                "WHERE c.kind = 'do' AND c.undone_by IS NULL AND x.tbl = ? AND x.command_id > ? "
                "AND json_extract(COALESCE(x.new, x.old), ?) IS ?",
                (table, after, f"$.{pk[0]}", key[1]),
            ).fetchone()[0]
            by = f"thao tác số {later}" if later else "một thay đổi ngoài tdkt"
            raise RuleBroken(
                f"Không thể hoàn tác hay làm lại: {by} đã sửa dữ liệu này "
                f"({TABLES.get(table, table)}); hoàn tác phần đó trước, hoặc sửa tay."
            )


def _where(pk: list[str]) -> str:
    return " AND ".join(f"{c} IS ?" for c in pk)


def _replay(conn: sqlite3.Connection, ids: list[int], backward: bool) -> None:
    """Move the rows these writes touched from the state after them to the state before
    (backward) or the other way; refused unless every row is now where the move starts.

    Each row goes straight from one state to the other, so a row a write deleted and inserted
    again (a covenant signed anew) is updated in place, and no cascade takes its children along.
    """
    rows = _rows(conn, ids)
    if not rows:
        raise RuleBroken("Thao tác này không có thay đổi chi tiết để hoàn tác.")
    first: dict[tuple, int] = {}
    last: dict[tuple, int] = {}
    before: dict[tuple, dict | None] = {}
    after: dict[tuple, dict | None] = {}
    for n, r in enumerate(rows):  # oldest first
        key = _key(conn, r["tbl"], r["old"] or r["new"])
        if key not in first:
            first[key], before[key] = n, r["old"]
        last[key], after[key] = n, r["new"]
    start, goal = (after, before) if backward else (before, after)
    _check(conn, start, max(ids))
    # foreign keys are checked at commit, so rows may come back in any order
    conn.execute("PRAGMA defer_foreign_keys = ON")
    gone = [k for k in start if start[k] is not None and goal[k] is None]
    for key in sorted(gone, key=lambda k: -last[k]):  # children before their parents
        table, pk = key[0], _pk(conn, key[0])
        conn.execute(f"DELETE FROM {table} WHERE {_where(pk)}", key[1:])
    for key in sorted(first, key=lambda k: first[k]):
        row, table = goal[key], key[0]
        if row is None:
            continue
        cols = list(row)
        if start[key] is None:
            conn.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [row[c] for c in cols],
            )
        elif start[key] != row:
            pk = _pk(conn, table)
            conn.execute(
                f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE {_where(pk)}",
                [row[c] for c in cols] + list(key[1:]),
            )


def _same(planned: list[Step] | None, steps: list[Step]) -> None:
    if planned is not None and [s.id for s in planned] != [s.id for s in steps]:
        raise RuleBroken("Nhật ký vừa thay đổi (một người khác vừa ghi); hãy chạy lại lệnh.")


def undo(
    conn: sqlite3.Connection, to: int | None = None, planned: list[Step] | None = None
) -> list[Step]:
    """Revert the most recent write still in effect (or every one after `to`); returns them.

    Runs inside the caller's audited transaction: the undo is logged, as kind 'undo'.
    `planned` is what the user confirmed; if the log moved meanwhile, nothing is done.
    """
    current = _running(conn)
    steps = undo_plan(conn, to)
    _same(planned, steps)
    if current is not None:
        conn.execute("UPDATE command SET kind = 'undo' WHERE id = ?", (current,))
    ids = [s.id for s in steps]
    _replay(conn, ids, backward=True)
    conn.executemany("UPDATE command SET undone_by = ? WHERE id = ?", [(current, i) for i in ids])
    return steps


def redo(conn: sqlite3.Connection, planned: list[Step] | None = None) -> list[Step]:
    """Re-apply what the most recent undo reverted, if no write came after it; returns them."""
    current = _running(conn)
    source = _redo_source(conn)
    steps = redo_plan(conn)
    _same(planned, steps)
    if current is not None:
        conn.execute("UPDATE command SET kind = 'redo' WHERE id = ?", (current,))
    _replay(conn, [s.id for s in steps], backward=False)
    conn.execute("UPDATE command SET undone_by = NULL WHERE undone_by = ?", (source,))
    conn.execute("UPDATE command SET undone_by = ? WHERE id = ?", (current, source))
    return steps
