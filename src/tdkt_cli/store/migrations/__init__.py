"""Schema steps, applied in order by sqlite-utils' Migrations and recorded in _sqlite_migrations.

A step is never edited once it has landed on main: a change to the schema is a new step. A step
that creates a table must also call `audit_triggers(db, table)` so its writes reach the audit
trail (tests/test_trust.py checks every table has them).

The steps live in first.py (m001–m004) and later.py (m005 on; a new step goes at the end there,
its name at the end of STEP_NAMES in store/steps.py, then `python -m tdkt_cli.store.fresh`
writes the schema a new file is made from); kit.py holds what they build on (the audit
triggers). Every step and these names stay importable from here: `getattr(migrations, name)`
gives a step.
"""

from __future__ import annotations

from ..steps import STEP_NAMES
from .first import m001_records, m002_votes, m003_scores, m004_audit
from .kit import AUDIT_TABLES, audit_triggers
from .later import (
    IDENTIFIED,
    UUID_SQL,
    m005_activities,
    m006_undo_history,
    m007_time,
    m008_bloc_profile,
    m009_identity,
    m012_corrections,
    m013_audit_keys,
    m014_lean_audit,
    m015_vote_details,
    m016_signers,
    m017_meeting_absence,
    m018_proposal_meeting,
    m019_change_counts,
)

__all__ = [
    "AUDIT_TABLES",
    "IDENTIFIED",
    "STEP_NAMES",
    "UUID_SQL",
    "audit_triggers",
    "build",
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
    "m015_vote_details",
    "m016_signers",
    "m017_meeting_absence",
    "m018_proposal_meeting",
    "m019_change_counts",
]


def build():
    from sqlite_utils.migrations import Migrations

    migrations = Migrations("tdkt")
    for name in STEP_NAMES:
        migrations(name=name)(globals()[name])
    return migrations
