"""The one place tdkt reads the clock.

Records and documents are true as of a date the clerk gives; the clock only stamps when a
command ran (the audit trail, a lock, a reopening) and stands in for "today" where no date was
given. Reading it here, and nowhere else, keeps that visible and lets a test or a script fix it:
TDKT_TODAY=2025-01-08 makes every "today" that day (the time of day stays the real one).
"""

from __future__ import annotations

import datetime as dt
import os


def now() -> dt.datetime:
    """The local time now, to the second (TDKT_TODAY replaces the date)."""
    moment = dt.datetime.now().replace(microsecond=0)
    fixed = _fixed_day()
    return dt.datetime.combine(fixed, moment.time()) if fixed else moment


def today() -> dt.date:
    return _fixed_day() or dt.date.today()


def stamp() -> str:
    """now() as the ISO text the records keep (2026-11-23T15:04:05)."""
    return now().isoformat(timespec="seconds")


def _fixed_day() -> dt.date | None:
    text = os.environ.get("TDKT_TODAY", "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
