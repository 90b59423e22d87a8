"""The audit trail and undo.

Triggers (migrations.audit_triggers) copy every changed row, old and new, into `change` under the
command that `begin()` registered for the transaction. `undo()` replays a command's changes
backwards as a new, itself logged, command; it refuses when a later command changed one of the
same rows, since reverting would silently discard that later work.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from ..errors import NotFound, RuleBroken
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
        (dt.datetime.now().isoformat(timespec="seconds"), who(by), argv[:2000]),
    ).lastrowid
    conn.execute("UPDATE audit_context SET command_id = ? WHERE id = 1", (cid,))
    return cid


def end(conn: sqlite3.Connection, command_id: int) -> None:
    """Close the command; a command that changed nothing leaves no entry.

    A row deleted and inserted again unchanged (an import rewriting a bloc-year) is no change:
    such pairs cancel out, so re-importing the same file leaves no trace.
    """
    conn.execute("UPDATE audit_context SET command_id = NULL WHERE id = 1")
    deleted: dict[tuple[str, str], list[int]] = {}
    for cid, tbl, old in conn.execute(
        "SELECT id, tbl, old FROM change WHERE command_id = ? AND op = 'D'", (command_id,)
    ):
        deleted.setdefault((tbl, old), []).append(cid)
    if deleted:
        cancel = []
        for cid, tbl, new in conn.execute(
            "SELECT id, tbl, new FROM change WHERE command_id = ? AND op = 'I' ORDER BY id",
            (command_id,),
        ).fetchall():
            pending = deleted.get((tbl, new))
            if pending and pending[0] < cid:
                cancel += [pending.pop(0), cid]
        conn.executemany("DELETE FROM change WHERE id = ?", [(c,) for c in cancel])
    if (
        conn.execute("SELECT 1 FROM change WHERE command_id = ? LIMIT 1", (command_id,)).fetchone()
        is None
    ):
        conn.execute("DELETE FROM command WHERE id = ?", (command_id,))


# --- the log ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    by: str | None
    argv: str
    changes: int
    undone_by: int | None

    def as_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


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
        "SELECT c.*, (SELECT count(*) FROM change x WHERE x.command_id = c.id) AS n FROM command c "
        f"WHERE {' AND '.join(where)} ORDER BY c.id DESC"
    )
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [
        Entry(r["id"], r["at"], r["by"], r["argv"], r["n"], r["undone_by"])
        for r in conn.execute(sql, params)
    ]


def changes(conn: sqlite3.Connection, command_id: int) -> list[dict[str, Any]]:
    return [
        {
            "table": r["tbl"],
            "op": {"I": "insert", "U": "update", "D": "delete"}[r["op"]],
            "old": json.loads(r["old"]) if r["old"] else None,
            "new": json.loads(r["new"]) if r["new"] else None,
        }
        for r in conn.execute(
            "SELECT tbl, op, old, new FROM change WHERE command_id = ? ORDER BY id", (command_id,)
        )
    ]


# --- undo ------------------------------------------------------------------------------------

_PK_CACHE: dict[str, list[str]] = {}


def _pk(conn: sqlite3.Connection, table: str) -> list[str]:
    if table not in _PK_CACHE:
        info = conn.execute(f"PRAGMA table_info({table})").fetchall()
        cols = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5] > 0]
        _PK_CACHE[table] = cols or ["rowid"]
    return _PK_CACHE[table]


def _key(conn: sqlite3.Connection, table: str, row: dict) -> tuple:
    return (table, *[row.get(c) for c in _pk(conn, table)])


def undo(conn: sqlite3.Connection, to: int | None = None) -> list[int]:
    """Revert the last command (or every command after `to`); returns the ids reverted.

    Runs inside the caller's audited transaction, so the undo is itself a logged command.
    """
    current = conn.execute("SELECT command_id FROM audit_context WHERE id = 1").fetchone()[0]
    live = "undone_by IS NULL AND id != ?"
    if to is None:
        row = conn.execute(
            f"SELECT id FROM command WHERE {live} ORDER BY id DESC LIMIT 1", (current,)
        ).fetchone()
        if row is None:
            raise NotFound("Chưa có thao tác nào để hoàn tác.")
        targets = [row[0]]
    else:
        if not conn.execute("SELECT 1 FROM command WHERE id = ?", (to,)).fetchone():
            raise NotFound(f"Không có thao tác số {to} trong nhật ký.")
        targets = [
            r[0]
            for r in conn.execute(
                f"SELECT id FROM command WHERE {live} AND id > ? ORDER BY id DESC", (current, to)
            )
        ]
        if not targets:
            raise RuleBroken(f"Không có thao tác nào sau thao tác số {to} để hoàn tác.")
    rows = conn.execute(
        f"SELECT * FROM change WHERE command_id IN ({','.join('?' * len(targets))}) ORDER BY id DESC",
        targets,
    ).fetchall()
    if not rows:
        raise RuleBroken("Thao tác này không có thay đổi chi tiết để hoàn tác.")
    # Each row must still be as the command left it; otherwise something later (another command,
    # an edit outside tdkt) built on it, and reverting would silently discard that work.
    expected: dict[tuple, dict | None] = {}
    for r in reversed(rows):  # oldest first: the state after the targets ran
        row = json.loads(r["new"] or r["old"])
        expected[_key(conn, r["tbl"], row)] = json.loads(r["new"]) if r["new"] else None
    for key, state in expected.items():
        table, pk = key[0], _pk(conn, key[0])
        found = conn.execute(
            f"SELECT * FROM {table} WHERE " + " AND ".join(f"{c} IS ?" for c in pk), key[1:]
        ).fetchone()
        now = dict(found) if found is not None else None
        if now != state:
            later = conn.execute(
                "SELECT max(x.command_id) FROM change x WHERE x.tbl = ? AND x.command_id > ? "
                "AND json_extract(COALESCE(x.new, x.old), ?) IS ?",
                (table, max(targets), f"$.{pk[0]}", key[1]),
            ).fetchone()[0]
            by = f"thao tác số {later}" if later else "một thay đổi ngoài tdkt"
            raise RuleBroken(
                f"Không thể hoàn tác: {by} đã sửa lại dữ liệu này sau đó (bảng {table}); "
                "hoàn tác phần đó trước, hoặc sửa tay."
            )
    for r in rows:
        table, old, new = (
            r["tbl"],
            json.loads(r["old"]) if r["old"] else None,
            json.loads(r["new"]) if r["new"] else None,
        )
        pk = _pk(conn, table)
        if r["op"] == "I":
            conn.execute(
                f"DELETE FROM {table} WHERE " + " AND ".join(f"{c} IS ?" for c in pk),
                [new[c] for c in pk],
            )
        elif r["op"] == "D":
            cols = list(old)
            conn.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [old[c] for c in cols],
            )
        else:
            cols = list(old)
            conn.execute(
                f"UPDATE {table} SET "
                + ", ".join(f"{c} = ?" for c in cols)
                + " WHERE "
                + " AND ".join(f"{c} IS ?" for c in pk),
                [old[c] for c in cols] + [new[c] for c in pk],
            )
    conn.executemany(
        "UPDATE command SET undone_by = ? WHERE id = ?", [(current, t) for t in targets]
    )
    return sorted(targets)
