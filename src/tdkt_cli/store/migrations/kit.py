"""What every schema step builds on: running a script of statements, and the audit triggers a
step installs on each table it creates (tests/test_trust.py checks every table has them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sqlite_utils import Database


def script(db: Database, sql: str) -> None:
    for statement in sql.split(";\n"):
        if statement.strip():
            db.execute(statement)


AUDIT_TABLES = {"command", "change", "change_real", "audit_context", "_sqlite_migrations"}


def change_real(db: Database) -> None:
    # The exact value of every float in a change's old or new row (JSON keeps only 15 digits).
    # Created by the first trigger that needs it, so any later step may write audited rows.
    db.execute(
        "CREATE TABLE IF NOT EXISTS change_real ("
        "change_id INTEGER NOT NULL, "
        "side TEXT NOT NULL CHECK (side IN ('old', 'new')), "
        "col TEXT NOT NULL, "
        "value, "
        "PRIMARY KEY (change_id, side, col)"
        ") WITHOUT ROWID"
    )


# Columns whose affinity is TEXT cannot hold a float; every other column may.
def _may_hold_real(declared: str) -> bool:
    t = (declared or "").upper()
    return not ("CHAR" in t or "CLOB" in t or "TEXT" in t)


# A float that JSON's 15 digits would not give back exactly (kept typed in change_real).
_INEXACT = "typeof({v}) = 'real' AND {v} IS NOT CAST(printf('%!.15g', {v}) AS REAL)"


def _columns(db, table: str) -> tuple[list[str], list[str]]:
    """The columns of `table` in order, and those of them that may hold a float."""
    info = db.execute(f"PRAGMA table_info({table})").fetchall()
    return [r[1] for r in info], [r[1] for r in info if _may_hold_real(r[2])]


def _json_row(columns: list[str], prefix: str) -> str:
    return "json_object(" + ", ".join(f"'{c}', {prefix}.{c}" for c in columns) + ")"


class Insertions(NamedTuple):
    """The statements that copy every row of a table into the trail, as its insert trigger
    would, in a given order, under the command named in audit_context (audit/trail.logged_in_bulk).

    `changes` writes the `change` rows, numbered by SQLite from the last id on; `numbered` does
    the same with the ids given (the id before the first as its parameter), for a file where
    SQLite would not number them one after another. `inexact` answers whether any float of the
    table needs `change_real`, and `exact` (one per column that may hold a float, same
    parameter) writes those, the n-th row in the order being change id + n.
    """

    changes: str
    numbered: str
    inexact: str
    exact: list[str]


def insertions(db, table: str, order: str) -> Insertions:
    columns, reals = _columns(db, table)
    n = f"? + row_number() OVER (ORDER BY {order})"
    values = (
        f"(SELECT command_id FROM audit_context WHERE id = 1), '{table}', 'I', NULL, "
        f"{_json_row(columns, 't')} FROM {table} AS t"
    )
    return Insertions(
        changes=f"INSERT INTO change (command_id, tbl, op, old, new) SELECT {values} ORDER BY {order}",
        numbered=f"INSERT INTO change (id, command_id, tbl, op, old, new) SELECT {n}, {values}",
        inexact=(
            f"SELECT EXISTS (SELECT 1 FROM {table} AS t WHERE "
            + (" OR ".join(f"({_INEXACT.format(v=f't.{c}')})" for c in reals) or "0")
            + ")"
        ),
        exact=[
            "INSERT INTO change_real (change_id, side, col, value) "
            f"SELECT n, 'new', '{c}', v FROM (SELECT {n} AS n, t.{c} AS v FROM {table} AS t) "
            f"WHERE {_INEXACT.format(v='v')}"
            for c in reals
        ],
    )


def audit_triggers(db: Database, table: str) -> None:
    """Triggers that copy every inserted, updated or deleted row of `table` into `change`,
    under the command named in audit_context (set by storage.transaction).

    JSON renders a float with 15 digits (12.345678901234567 would come back as 12.3456789012346),
    so a float that 15 digits do not give back exactly is also kept, typed and exact, in
    `change_real` (from m006 on; from m014 only those, not 4.5 or 12.25, which JSON keeps).
    """
    change_real(db)
    columns, reals = _columns(db, table)

    def row(prefix: str) -> str:
        return _json_row(columns, prefix)

    def exact(*prefixes: str) -> str:
        if not reals:
            return ""
        values = " UNION ALL ".join(
            f"SELECT '{p.lower()}' AS side, '{c}' AS col, {p}.{c} AS value"
            for p in prefixes
            for c in reals
        )
        return (
            "INSERT INTO change_real (change_id, side, col, value) "
            "SELECT (SELECT max(id) FROM change), side, col, value "
            f"FROM ({values}) WHERE {_INEXACT.format(v='value')}; "
        )

    current = "(SELECT command_id FROM audit_context WHERE id = 1)"
    detail = "(SELECT detail FROM audit_context WHERE id = 1)"
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)  # a no-op update is no change
    for op, event, old, new, when, sides in (
        ("I", "INSERT", "NULL", row("NEW"), detail, ("NEW",)),
        ("U", "UPDATE", row("OLD"), row("NEW"), f"{detail} AND ({changed})", ("OLD", "NEW")),
        ("D", "DELETE", row("OLD"), "NULL", detail, ("OLD",)),
    ):
        db.execute(f"DROP TRIGGER IF EXISTS audit_{table}_{event.lower()}")
        db.execute(
            f"CREATE TRIGGER audit_{table}_{event.lower()} AFTER {event} ON {table} "
            f"WHEN {when} BEGIN "
            f"INSERT INTO change (command_id, tbl, op, old, new) "
            f"VALUES ({current}, '{table}', '{op}', {old}, {new}); "
            f"{exact(*sides)}END"
        )
