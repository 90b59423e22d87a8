"""Schema steps, applied in order by sqlite-utils' Migrations and recorded in _sqlite_migrations.

A step is never edited once it has landed on main: a change to the schema is a new step. A step
that creates a table must also call `audit_triggers(db, table)` so its writes reach the audit
trail (tests/test_trust.py checks every table has them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

# Names of every step, in order. storage.py compares this list with the applied steps using plain
# sqlite3, so that a command on an up-to-date file never pays for importing sqlite-utils.
STEP_NAMES = [
    "m001_records",
    "m002_votes",
    "m003_scores",
    "m004_audit",
    "m005_activities",
    "m006_undo_history",
    "m007_time",
    "m008_bloc_profile",
    "m009_identity",
    "m012_corrections",
    "m013_audit_keys",
    "m014_lean_audit",
    "m015_signers",
]


def build():
    from sqlite_utils.migrations import Migrations

    migrations = Migrations("tdkt")
    for name in STEP_NAMES:
        migrations(name=name)(globals()[name])
    return migrations


def _script(db: Database, sql: str) -> None:
    for statement in sql.split(";\n"):
        if statement.strip():
            db.execute(statement)


def m001_records(db: Database) -> None:
    _script(
        db,
        """
CREATE TABLE unit (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    short TEXT,
    merged_into INTEGER REFERENCES unit(id),
    ended_on TEXT
);
CREATE TABLE unit_alias (
    unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    alias TEXT NOT NULL,
    PRIMARY KEY (unit_id, position)
);
-- Names a unit had before a rename: valid until the day before `until`.
CREATE TABLE unit_name (
    unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    short TEXT,
    until TEXT NOT NULL,
    PRIMARY KEY (unit_id, until)
);
-- Every name a unit answers to (name, short, aliases, former names) under its match keys;
-- rebuilt by services.units whenever one of those changes.
CREATE TABLE unit_lookup (
    unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    loose TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (unit_id, key)
);
CREATE INDEX unit_lookup_key ON unit_lookup(key);
CREATE INDEX unit_lookup_loose ON unit_lookup(loose);
CREATE TABLE bloc (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    parent TEXT,
    place TEXT,
    doc_code TEXT,
    issue_as TEXT NOT NULL DEFAULT 'bloc' CHECK (issue_as IN ('bloc', 'head'))
);
CREATE TABLE membership (
    bloc_id INTEGER NOT NULL REFERENCES bloc(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    position INTEGER NOT NULL,
    grp TEXT,
    PRIMARY KEY (bloc_id, year, unit_id)
);
CREATE INDEX membership_unit ON membership(unit_id, year);
CREATE TABLE bloc_year (
    bloc_id INTEGER NOT NULL REFERENCES bloc(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    head_id INTEGER REFERENCES unit(id),
    deputy_id INTEGER REFERENCES unit(id),
    signer TEXT,
    signer_title TEXT,
    PRIMARY KEY (bloc_id, year)
);
CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    year INTEGER NOT NULL,
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('so-ket', 'tong-ket', 'giao-ban', 'khac')),
    title TEXT,
    place TEXT,
    chair TEXT,
    secretary TEXT,
    note TEXT
);
CREATE INDEX meeting_bloc ON meeting(bloc_id, date);
CREATE TABLE meeting_present (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    PRIMARY KEY (meeting_id, unit_id)
);
CREATE TABLE meeting_guest (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (meeting_id, position)
);
CREATE TABLE pledge (
    id INTEGER PRIMARY KEY,
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    title TEXT NOT NULL,
    key TEXT NOT NULL,
    UNIQUE (bloc_id, year, unit_id, key)
);
CREATE TABLE pledge_target (
    pledge_id INTEGER NOT NULL REFERENCES pledge(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (pledge_id, position)
);
CREATE TABLE covenant (
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    year INTEGER NOT NULL,
    date TEXT NOT NULL,
    meeting_id INTEGER REFERENCES meeting(id),
    PRIMARY KEY (bloc_id, year)
);
CREATE TABLE covenant_signer (
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    PRIMARY KEY (bloc_id, year, unit_id),
    FOREIGN KEY (bloc_id, year) REFERENCES covenant(bloc_id, year) ON DELETE CASCADE
)
""",
    )


def m002_votes(db: Database) -> None:
    _script(
        db,
        """
CREATE TABLE vote_rules (
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    year INTEGER NOT NULL,
    quorum TEXT NOT NULL,
    base TEXT NOT NULL CHECK (base IN ('members', 'present', 'cast', 'valid')),
    threshold TEXT NOT NULL,
    strict INTEGER NOT NULL,
    self_vote INTEGER NOT NULL,
    max_rounds INTEGER NOT NULL,
    decider TEXT NOT NULL CHECK (decider IN ('head-deputy', 'score')),
    flag_quota INTEGER NOT NULL,
    certificate_quota INTEGER NOT NULL,
    flag_winner_may_stand INTEGER NOT NULL,
    min_score REAL,
    PRIMARY KEY (bloc_id, year)
);
CREATE TABLE vote (
    id INTEGER PRIMARY KEY,
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    year INTEGER NOT NULL,
    award TEXT NOT NULL CHECK (award IN ('co-thi-dua', 'bang-khen')),
    seats INTEGER NOT NULL CHECK (seats > 0),
    meeting_id INTEGER REFERENCES meeting(id),
    members INTEGER NOT NULL,
    present INTEGER NOT NULL,
    base TEXT NOT NULL CHECK (base IN ('members', 'present', 'cast', 'valid')),
    threshold TEXT NOT NULL,
    strict INTEGER NOT NULL,
    quorum TEXT NOT NULL,
    round INTEGER NOT NULL DEFAULT 1,
    round_of INTEGER REFERENCES vote(id),
    mode TEXT NOT NULL DEFAULT 'ballots' CHECK (mode IN ('ballots', 'counts')),
    closed INTEGER NOT NULL DEFAULT 0,
    decided_by TEXT,
    decision_note TEXT,
    committee TEXT
);
CREATE INDEX vote_bloc ON vote(bloc_id, year);
CREATE TABLE vote_candidate (
    vote_id INTEGER NOT NULL REFERENCES vote(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (vote_id, unit_id)
);
-- Ballots are kept as a multiset: one row per distinct marking with its count, and no order,
-- time or voter, so the record cannot tell who marked what.
CREATE TABLE ballot (
    vote_id INTEGER NOT NULL REFERENCES vote(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('valid', 'blank', 'invalid')),
    marks TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (vote_id, kind, marks)
) WITHOUT ROWID;
-- Counts typed in from a committee's paper count, for votes in mode 'counts'.
CREATE TABLE vote_count (
    vote_id INTEGER NOT NULL REFERENCES vote(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    votes INTEGER NOT NULL CHECK (votes >= 0),
    PRIMARY KEY (vote_id, unit_id)
);
CREATE TABLE vote_paper (
    vote_id INTEGER PRIMARY KEY REFERENCES vote(id) ON DELETE CASCADE,
    valid INTEGER NOT NULL,
    blank INTEGER NOT NULL,
    invalid INTEGER NOT NULL
);
CREATE TABLE vote_elected (
    vote_id INTEGER NOT NULL REFERENCES vote(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    PRIMARY KEY (vote_id, unit_id)
);
CREATE TABLE ineligible (
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    reason TEXT NOT NULL,
    PRIMARY KEY (bloc_id, year, unit_id)
);
CREATE TABLE proposal (
    id INTEGER PRIMARY KEY,
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    award TEXT NOT NULL,
    vote_id INTEGER REFERENCES vote(id),
    status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'cut')),
    cut_reason TEXT,
    UNIQUE (bloc_id, year, unit_id, award)
);
CREATE TABLE decision (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    year INTEGER NOT NULL,
    award TEXT NOT NULL,
    award_name TEXT NOT NULL,
    number TEXT NOT NULL,
    date TEXT NOT NULL,
    body TEXT NOT NULL,
    proposal_id INTEGER REFERENCES proposal(id),
    UNIQUE (unit_id, year, award)
);
CREATE INDEX decision_unit ON decision(unit_id, year)
""",
    )


def m003_scores(db: Database) -> None:
    _script(
        db,
        """
-- A bloc-year's scoring criteria; a year's scores always refer to that year's criteria.
CREATE TABLE criterion (
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    year INTEGER NOT NULL,
    code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('base', 'bonus', 'penalty')),
    group_code TEXT,
    group_title TEXT,
    title TEXT NOT NULL,
    max_points REAL NOT NULL CHECK (max_points > 0),
    position INTEGER NOT NULL,
    PRIMARY KEY (bloc_id, year, code)
);
CREATE TABLE score_setup (
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    year INTEGER NOT NULL,
    bonus_cap REAL,
    penalty_cap REAL,
    combine TEXT NOT NULL DEFAULT 'score-breaks-ties'
        CHECK (combine IN ('score-ranks', 'vote-decides', 'score-breaks-ties')),
    locked INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bloc_id, year)
);
CREATE TABLE score_band (
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    min_points REAL NOT NULL,
    PRIMARY KEY (bloc_id, year, position),
    FOREIGN KEY (bloc_id, year) REFERENCES score_setup(bloc_id, year) ON DELETE CASCADE
);
CREATE TABLE score (
    bloc_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    code TEXT NOT NULL,
    self_points REAL,
    self_note TEXT,
    verified_points REAL,
    verified_note TEXT,
    PRIMARY KEY (bloc_id, year, unit_id, code),
    FOREIGN KEY (bloc_id, year, code) REFERENCES criterion(bloc_id, year, code)
);
-- Every lock and unlock of a year's scores, with the reason for an unlock.
CREATE TABLE score_lock_log (
    id INTEGER PRIMARY KEY,
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    year INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('lock', 'unlock')),
    at TEXT NOT NULL,
    by TEXT,
    reason TEXT
)
""",
    )


AUDIT_TABLES = {"command", "change", "change_real", "audit_context", "_sqlite_migrations"}


def _change_real(db: Database) -> None:
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
    _change_real(db)
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


def m004_audit(db: Database) -> None:
    _script(
        db,
        """
-- One row per write command: when, who, the command line; undone_by points at the undo.
CREATE TABLE command (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    by TEXT,
    argv TEXT NOT NULL,
    undone_by INTEGER REFERENCES command(id)
);
-- Every row a command inserted (I), updated (U) or deleted (D), as JSON of all its columns.
CREATE TABLE change (
    id INTEGER PRIMARY KEY,
    command_id INTEGER REFERENCES command(id),
    tbl TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('I', 'U', 'D')),
    old TEXT,
    new TEXT
);
CREATE INDEX change_command ON change(command_id);
CREATE TABLE audit_context (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    command_id INTEGER,
    detail INTEGER NOT NULL DEFAULT 1
);
INSERT INTO audit_context (id, command_id, detail) VALUES (1, NULL, 1)
""",
    )
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    for table in tables:
        if table not in AUDIT_TABLES:
            audit_triggers(db, table)


def m005_activities(db: Database) -> None:
    _script(
        db,
        """
-- Exemplars (điển hình tiên tiến). `count` lets one line stand for several people when a bloc
-- reports only numbers (seed 001: "08 tập thể và 27 cá nhân").
CREATE TABLE exemplar (
    id INTEGER PRIMARY KEY,
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('tap-the', 'ca-nhan')),
    name TEXT NOT NULL,
    unit_id INTEGER REFERENCES unit(id),
    movement TEXT,
    title TEXT,
    description TEXT,
    count INTEGER NOT NULL DEFAULT 1 CHECK (count > 0)
);
CREATE INDEX exemplar_bloc ON exemplar(bloc_id, year);
-- Joint activities paid for by member contributions, amounts in đồng.
CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    date TEXT NOT NULL,
    place TEXT,
    purpose TEXT NOT NULL,
    beneficiaries INTEGER,
    beneficiary_note TEXT
);
CREATE TABLE contribution (
    activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    amount INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (activity_id, unit_id)
);
-- Emulation movements launched by the Prime Minister or the province, with the units that chair
-- (chu-tri) and co-run (phoi-hop) them, and their periodic reports.
CREATE TABLE movement (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    launched_by TEXT NOT NULL,
    start TEXT,
    finish TEXT
);
CREATE TABLE movement_unit (
    movement_id INTEGER NOT NULL REFERENCES movement(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    role TEXT NOT NULL CHECK (role IN ('chu-tri', 'phoi-hop')),
    PRIMARY KEY (movement_id, unit_id)
);
CREATE TABLE movement_report (
    id INTEGER PRIMARY KEY,
    movement_id INTEGER NOT NULL REFERENCES movement(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    date TEXT NOT NULL,
    summary TEXT NOT NULL
)
""",
    )
    for table in (
        "exemplar",
        "activity",
        "contribution",
        "movement",
        "movement_unit",
        "movement_report",
    ):
        audit_triggers(db, table)


def m012_corrections(db: Database) -> None:
    """Meeting times, and the reasons a closed vote was reopened (printed in the count minutes).

    `meeting` gains two columns, so its audit triggers are made again: a trigger lists the
    columns it copies, and an undo must restore the times too."""
    _script(
        db,
        """
ALTER TABLE meeting ADD COLUMN start_time TEXT;
ALTER TABLE meeting ADD COLUMN end_time TEXT;
-- Every reopening of a closed vote, with the reason the clerk gave.
CREATE TABLE vote_reopen (
    id INTEGER PRIMARY KEY,
    vote_id INTEGER NOT NULL REFERENCES vote(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    reason TEXT NOT NULL
)
""",
    )
    for event in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS audit_meeting_{event}")
    audit_triggers(db, "meeting")
    audit_triggers(db, "vote_reopen")


def m013_audit_keys(db: Database) -> None:
    """A primary key for the two audited tables that had none, so undo can find their rows.

    Undo names a row by its primary key; bloc_profile and unit_code had only UNIQUE, so undoing
    `bloc profile` or an import that wrote unit codes refused ("một thay đổi ngoài tdkt").
    SQLite cannot add a primary key to a table, so each is made again and its rows copied
    (sqlite.org/lang_altertable.html, section 7). A NULL valid_from (the profile from the
    start) is kept unique by an index, as for bloc_attr. The Vietnamese views name unit_code;
    legacy_alter_table lets the new table take the old name without SQLite checking the views
    against the moment the table is missing (they read it again by name once it is back).
    """
    _script(
        db,
        """
PRAGMA legacy_alter_table = ON;
CREATE TABLE bloc_profile_new (
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    valid_from TEXT,
    preset TEXT NOT NULL,
    overrides TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (bloc_id, valid_from)
);
INSERT INTO bloc_profile_new SELECT bloc_id, valid_from, preset, overrides FROM bloc_profile;
DROP TABLE bloc_profile;
ALTER TABLE bloc_profile_new RENAME TO bloc_profile;
CREATE UNIQUE INDEX bloc_profile_key ON bloc_profile(bloc_id, ifnull(valid_from, ''));
CREATE TABLE unit_code_new (
    code TEXT PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    until TEXT
);
INSERT INTO unit_code_new (code, unit_id, until) SELECT code, unit_id, until FROM unit_code;
DROP TABLE unit_code;
ALTER TABLE unit_code_new RENAME TO unit_code;
PRAGMA legacy_alter_table = OFF
""",
    )
    audit_triggers(db, "bloc_profile")
    audit_triggers(db, "unit_code")


def m014_lean_audit(db: Database) -> None:
    """The audit triggers again, copying into change_real only the floats JSON cannot keep.

    Every score (self and verified) put two rows into change_real although 4.5 reads back from
    JSON exactly; an import of a province's scores spent about a sixth of its time there. A float
    is now copied when it differs from its own 15-digit rendering, the one json_object uses."""
    tables = sorted(
        {
            r[0]
            for r in db.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'"
            ).fetchall()
        }
    )
    for table in tables:
        audit_triggers(db, table)


def m006_undo_history(db: Database) -> None:
    """Undo as a linear history, and floats kept exactly in the audit trail.

    `command.kind` tells a write ('do') from an undo or a redo; undo and redo step along the
    writes only. For a write, `undone_by` is the undo that reverted it (NULL while in effect);
    for an undo, the redo that re-applied it. Before this step an undo could itself be undone:
    such chains are read here as what they left in the file (a write undone an odd number of
    times is undone, by the last undo of its chain).
    """
    _script(
        db,
        """
ALTER TABLE command ADD COLUMN kind TEXT NOT NULL DEFAULT 'do'
    CHECK (kind IN ('do', 'undo', 'redo'))
""",
    )
    _change_real(db)
    undoer = dict(db.execute("SELECT id, undone_by FROM command").fetchall())
    undoers = {u for u in undoer.values() if u is not None}
    for cid in sorted(undoer):
        if cid in undoers:
            db.execute("UPDATE command SET kind = 'undo', undone_by = NULL WHERE id = ?", [cid])
            continue
        chain, at = [], undoer[cid]
        while at is not None and at not in chain:
            chain.append(at)
            at = undoer.get(at)
        db.execute(
            "UPDATE command SET undone_by = ? WHERE id = ?",
            [chain[-1] if len(chain) % 2 else None, cid],
        )
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    for table in tables:
        if table not in AUDIT_TABLES:
            audit_triggers(db, table)


def m007_time(db: Database) -> None:
    """Dated bloc attributes, dated unit names and unit lifecycles (issue 13).

    `bloc_attr` holds every period of a bloc's name, parent body, place, document code and issuing
    style, each from `valid_from` (NULL: since always) until the next row's; the `bloc` row keeps
    the latest period's values so lookups by name and old readers still work. An existing bloc
    gets one period "since always" with its current values: its meaning is kept. A unit gains an
    optional founding date and the reason it ended (a dissolution has `ended_on` and no
    `merged_into`).
    """
    _script(
        db,
        """
CREATE TABLE bloc_attr (
    bloc_id INTEGER NOT NULL REFERENCES bloc(id) ON DELETE CASCADE,
    valid_from TEXT,
    name TEXT NOT NULL,
    parent TEXT,
    place TEXT,
    doc_code TEXT,
    issue_as TEXT NOT NULL DEFAULT 'bloc' CHECK (issue_as IN ('bloc', 'head')),
    -- the key the audit trail names a row by; NULL valid_from is kept unique by the index below
    PRIMARY KEY (bloc_id, valid_from)
);
CREATE UNIQUE INDEX bloc_attr_key ON bloc_attr(bloc_id, ifnull(valid_from, ''));
INSERT INTO bloc_attr (bloc_id, valid_from, name, parent, place, doc_code, issue_as)
    SELECT id, NULL, name, parent, place, doc_code, issue_as FROM bloc;
ALTER TABLE unit ADD COLUMN founded_on TEXT;
ALTER TABLE unit ADD COLUMN end_reason TEXT;
-- A unit's names as periods (the shape of bloc_attr): each from `valid_from` (NULL: since always)
-- until the next one's; the unit row keeps the latest. Replaces unit_name, whose rows held a
-- former name "until" the day the next name started: the same facts, read the other way round.
CREATE TABLE unit_name_period (
    unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    valid_from TEXT,
    name TEXT NOT NULL,
    short TEXT,
    PRIMARY KEY (unit_id, valid_from)
);
CREATE UNIQUE INDEX unit_name_period_key ON unit_name_period(unit_id, ifnull(valid_from, ''));
INSERT INTO unit_name_period (unit_id, valid_from, name, short)
    SELECT unit_id, LAG(until) OVER (PARTITION BY unit_id ORDER BY until), name, short
    FROM unit_name;
INSERT INTO unit_name_period (unit_id, valid_from, name, short)
    SELECT u.id, (SELECT MAX(until) FROM unit_name n WHERE n.unit_id = u.id), u.name, u.short
    FROM unit u;
DROP TABLE unit_name
""",
    )
    audit_triggers(db, "bloc_attr")
    audit_triggers(db, "unit_name_period")
    # the unit table's triggers list its columns: rebuild them with the two new ones
    for event in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS audit_unit_{event}")
    audit_triggers(db, "unit")


def m008_bloc_profile(db: Database) -> None:
    """Bloc profiles (dated), how each proposal was agreed, and votes on any award of a profile.

    A bloc without a profile row keeps today's meaning: a provincial state khối (preset
    nha-nuoc). vote.award loses its CHECK (co-thi-dua, bang-khen): the bloc's catalogue decides
    which codes a vote may take. Removing a CHECK does not change the stored rows, so it is done
    by rewriting the table's declaration (sqlite.org/lang_altertable.html, section 7).
    """
    _script(
        db,
        """
CREATE TABLE bloc_profile (
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    valid_from TEXT,
    preset TEXT NOT NULL,
    overrides TEXT NOT NULL DEFAULT '{}',
    UNIQUE (bloc_id, valid_from)
);
CREATE TABLE proposal_how (
    bloc_id INTEGER NOT NULL REFERENCES bloc(id),
    year INTEGER NOT NULL,
    award TEXT NOT NULL,
    how TEXT NOT NULL CHECK (how IN ('consensus', 'hands', 'ballot')),
    agree INTEGER,
    present INTEGER,
    PRIMARY KEY (bloc_id, year, award)
)
""",
    )
    audit_triggers(db, "bloc_profile")
    audit_triggers(db, "proposal_how")
    conn = db.conn
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'vote'"
    ).fetchone()
    old = "award TEXT NOT NULL CHECK (award IN ('co-thi-dua', 'bang-khen'))"
    if old in sql:
        (version,) = conn.execute("PRAGMA schema_version").fetchone()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'vote'",
            (sql.replace(old, "award TEXT NOT NULL"),),
        )
        conn.execute(f"PRAGMA schema_version = {version + 1}")
        conn.execute("PRAGMA writable_schema = OFF")


# Records that carry a stable identifier (`uid`) travelling between files (m009_identity).
IDENTIFIED = ("unit", "bloc", "meeting", "vote", "proposal", "decision")

# A random version-4 UUID in SQL (SQLite has no uuid function): 122 random bits, the version
# nibble 4 and the variant bits 10xx, written as 8-4-4-4-12 hex digits.
UUID_SQL = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
)


def m009_identity(db: Database) -> None:
    """Stable identifiers, official electronic identifiers, and the Vietnamese views.

    Existing rows get RANDOM UUIDs, not ones derived from their contents or local ids: two
    secretariats both have a unit 1 and a meeting 1 that are different things, so any key built
    from local ids would collide across files, and a key built from a name would silently join two
    records that only look alike (the merge matches by name as its own, reported step). A random
    UUID, given once and then carried in every export, is the one key that means "this very
    record" wherever the file travels.
    """
    for table in IDENTIFIED:
        db.execute(f"ALTER TABLE {table} ADD COLUMN uid TEXT")
        db.execute(f"UPDATE {table} SET uid = {UUID_SQL} WHERE uid IS NULL")
        db.execute(f"CREATE UNIQUE INDEX {table}_uid ON {table}(uid)")
        # every new row gets one; an import that brings one keeps it
        db.execute(
            f"CREATE TRIGGER uid_{table} AFTER INSERT ON {table} WHEN NEW.uid IS NULL BEGIN "
            f"UPDATE {table} SET uid = {UUID_SQL} WHERE rowid = NEW.rowid; END"
        )
        # the audit triggers list columns by name: rebuild them so `uid` is audited and restored
        for event in ("insert", "update", "delete"):
            db.execute(f"DROP TRIGGER IF EXISTS audit_{table}_{event}")
        audit_triggers(db, table)
    _script(
        db,
        """
-- Official electronic identifiers of a unit (mã định danh điện tử: Quyết định 20/2020/QĐ-TTg
-- of 22/07/2020, thuvienphapluat.vn; code structure in QCVN 102:2016/BTTTT, issued by Thông tư
-- 10/2016/TT-BTTTT, amended 01/2022/TT-BTTTT), kept as text, not validated: the current one with
-- `until` NULL, former ones until the day they stopped being used (a re-organisation).
CREATE TABLE unit_code (
    unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    code TEXT NOT NULL UNIQUE,
    until TEXT
)
""",
    )
    audit_triggers(db, "unit_code")
    from .views import create_views

    create_views(db)


def m015_signers(db: Database) -> None:
    """Who signs for a unit, as dated rows (issue 22): each from `valid_from` (NULL: since always)
    until the next one's, read with core/dated.as_of like every dated value.

    `for_body` is the collective body the signer signs on behalf of («Ủy ban nhân dân»: «TM. ỦY
    BAN NHÂN DÂN»), `deputy_of` the head's title a deputy signs for («Giám đốc»: «KT. GIÁM ĐỐC»),
    `authority` the word before the body: 'TM.' (state, associations) or 'T/M' (Party).
    """
    _script(
        db,
        """
CREATE TABLE unit_signer (
    unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
    valid_from TEXT,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    for_body TEXT,
    deputy_of TEXT,
    authority TEXT CHECK (authority IN ('TM.', 'T/M')),
    PRIMARY KEY (unit_id, valid_from)
);
CREATE UNIQUE INDEX unit_signer_key ON unit_signer(unit_id, ifnull(valid_from, ''))
""",
    )
    audit_triggers(db, "unit_signer")
