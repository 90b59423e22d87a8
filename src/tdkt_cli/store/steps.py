"""The names of the schema's steps, in order (the steps are in migrations/).

Every command opens the file and compares this list with the steps the file has applied, using
plain sqlite3 (storage.py); the steps themselves, and sqlite-utils, load only when a file needs
one. A new step's name goes at the end.
"""

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
    "m015_vote_details",
    "m016_signers",
    "m017_meeting_absence",
    "m018_proposal_meeting",
    "m019_change_counts",
]
