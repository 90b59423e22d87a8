"""Schema steps m001–m004: the first records, the votes, the scores, the audit trail.

Shipped steps: never edited, only moved (see __init__.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .kit import AUDIT_TABLES, audit_triggers
from .kit import script as _script

if TYPE_CHECKING:
    from sqlite_utils import Database


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
