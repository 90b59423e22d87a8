"""The domain API: functions over an open sqlite3 connection, returning dataclasses from
models.py and raising errors.TdktError subclasses. No typer, rich, jinja2 or yaml here."""
