"""A Typer-free path for the read commands that scripts call in loops with `--json`.

Importing Typer and building its command tree costs ~40 ms a call, more than the work itself.
When argv is exactly one of the shapes below, `main()` answers here with the same service calls
and the same JSON as the Typer commands; anything else (help, other options, usage errors) goes
to Typer. tests/test_fast.py runs both paths on the same arguments and compares their output.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

# noun, verb → (number of positional arguments, options that take a value)
SHAPES: dict[tuple[str, str], tuple[int, dict[str, str]]] = {
    ("bloc", "list"): (0, {}),
    ("bloc", "show"): (1, {"--year": "year", "-y": "year"}),
    ("unit", "list"): (0, {"--bloc": "bloc", "-b": "bloc", "--year": "year", "-y": "year"}),
}


def parse(argv: list[str]) -> tuple[str | None, tuple[str, str], list[str], dict[str, str]] | None:
    """(db, (noun, verb), positionals, options) when argv fits a fast shape, else None."""
    db = None
    args = list(argv)
    while args and args[0].startswith("--db"):
        if args[0] == "--db" and len(args) > 1:
            db, args = args[1], args[2:]
        elif args[0].startswith("--db="):
            db, args = args[0][5:], args[1:]
        else:
            return None
    if len(args) < 2 or (args[0], args[1]) not in SHAPES:
        return None
    key = (args[0], args[1])
    npos, takes = SHAPES[key]
    positionals: list[str] = []
    options: dict[str, str] = {}
    seen_json = False
    rest = args[2:]
    i = 0
    while i < len(rest):
        token = rest[i]
        if token == "--json" and not seen_json:
            seen_json = True
        elif token in takes and i + 1 < len(rest) and takes[token] not in options:
            options[takes[token]] = rest[i + 1]
            i += 1
        elif token.startswith("-"):
            return None
        else:
            positionals.append(token)
        i += 1
    if not seen_json or len(positionals) != npos:
        return None
    if "year" in options and not options["year"].lstrip("-").isdigit():
        return None
    return db, key, positionals, options


def run(argv: list[str]) -> int | None:
    """Answer argv on the fast path; None means "not mine, ask Typer"."""
    parsed = parse(argv)
    if parsed is None:
        return None
    db, key, positionals, options = parsed
    from . import storage
    from .failures import explain, pipe_gone

    try:
        conn = storage.connect(db or None)
        try:
            conn.execute("BEGIN")
            data = HANDLERS[key](conn, positionals, options)
        finally:
            conn.close()
        import json

        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        return pipe_gone(True)
    except BaseException as exc:  # exactly what cli.common.handle catches, said the same way
        said = explain(exc)
        if said is None:
            raise
        sys.stderr.write(said[0] + "\n")
        return said[1]
    return 0


def _bloc_list(conn, positionals, options):
    from .services import blocs

    return [b.as_json() for b in blocs.list_blocs(conn)]


def _bloc_show(conn, positionals, options):
    from .services import blocs

    year = int(options["year"]) if "year" in options else None
    return blocs.show(conn, blocs.resolve(conn, positionals[0]), year).as_json()


def _unit_list(conn, positionals, options):
    from .services import blocs, units

    bloc_id = blocs.resolve(conn, options["bloc"]).id if "bloc" in options else None
    year = int(options["year"]) if "year" in options else None
    return [u.as_json() for u in units.list_units(conn, bloc_id, year)]


HANDLERS: dict[tuple[str, str], Callable] = {
    ("bloc", "list"): _bloc_list,
    ("bloc", "show"): _bloc_show,
    ("unit", "list"): _unit_list,
}
