"""What every schema step builds on: running a script of statements, and the audit triggers a
step installs on each table it creates (tests/test_trust.py checks every table has them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def audit_triggers(db: Database, table: str) -> None:
    """Triggers that copy every inserted, updated or deleted row of `table` into `change`,
    under the command named in audit_context (set by storage.transaction).

    JSON renders a float with 15 digits (12.345678901234567 would come back as 12.3456789012346),
    so a float that 15 digits do not give back exactly is also kept, typed and exact, in
    `change_real` (from m006 on; from m014 only those, not 4.5 or 12.25, which JSON keeps).
    """
    change_real(db)
    info = db.execute(f"PRAGMA table_info({table})").fetchall()
    columns = [r[1] for r in info]
    reals = [r[1] for r in info if _may_hold_real(r[2])]

    def row(prefix: str) -> str:
        return "json_object(" + ", ".join(f"'{c}', {prefix}.{c}" for c in columns) + ")"

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
            f"FROM ({values}) WHERE typeof(value) = 'real' "
            "AND value IS NOT CAST(printf('%!.15g', value) AS REAL); "
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
