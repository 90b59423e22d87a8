"""Schema steps m005 onwards: activities, corrections, the audit's keys, undo history, time,
profiles, identities; a new step goes at the end of this file.

Shipped steps: never edited, only moved (see __init__.py). They stand in the order they landed,
which is not their numbers' order (m012–m014 landed before m006).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .kit import AUDIT_TABLES, audit_triggers
from .kit import change_real as _change_real
from .kit import script as _script

if TYPE_CHECKING:
    from sqlite_utils import Database


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
    from ..views import create_views

    create_views(db)


def m015_vote_details(db: Database) -> None:
    """The count's time (`vote close --at`), and the reason a bloc went over its quota: on the
    vote that opened or closed over it, and on each proposal over it (`--over-quota --reason`)."""
    _script(
        db,
        """
ALTER TABLE vote ADD COLUMN closed_at TEXT;
ALTER TABLE vote ADD COLUMN over_quota TEXT;
ALTER TABLE proposal ADD COLUMN over_quota TEXT
""",
    )
    # the triggers copy the columns a table had when they were made: make them again
    audit_triggers(db, "vote")
    audit_triggers(db, "proposal")


def m016_signers(db: Database) -> None:
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


def m017_meeting_absence(db: Database) -> None:
    """Why a member was absent from a meeting (`meeting log --absent UNIT --absent-reason …`,
    issue 24): who was absent stays derived from the year's members minus the present; only the
    reason is stored, one row per absent unit that gave one. And whether a year-end meeting is
    an additional one (`--additional`): one per bloc-year is the year-end meeting the annual
    report is dated and presented at; an additional one never moves them."""
    _script(
        db,
        """
CREATE TABLE meeting_absence (
    meeting_id INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES unit(id),
    reason TEXT NOT NULL,
    PRIMARY KEY (meeting_id, unit_id)
);
ALTER TABLE meeting ADD COLUMN additional INTEGER NOT NULL DEFAULT 0 CHECK (additional IN (0, 1))
""",
    )
    audit_triggers(db, "meeting_absence")
    audit_triggers(db, "meeting")


def m018_proposal_meeting(db: Database) -> None:
    """The meeting a proposal made without a ballot was agreed at (`award propose --meeting`):
    NULL is the year's year-end meeting, as before; the minutes and the tờ trình name it."""
    _script(
        db,
        "ALTER TABLE proposal ADD COLUMN meeting_id INTEGER REFERENCES meeting(id)",
    )
    audit_triggers(db, "proposal")


def m019_change_counts(db: Database) -> None:
    """Each command keeps the number of rows it changed, written when it ends: `log` printed it
    by counting the command's changes, which on a province file (one import, 134,000 changes)
    was most of the work of `log --limit 5`."""
    _script(
        db,
        "ALTER TABLE command ADD COLUMN changes INTEGER;\n"
        "UPDATE command SET changes = "
        "(SELECT count(*) FROM change x WHERE x.command_id = command.id)",
    )
