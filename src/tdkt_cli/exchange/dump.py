"""The core records (units, blocs, their years and meetings) as plain data, for YAML export.

Decisions:
- Records keep their ids in the file, so export → import into an empty database → export gives
  the same text, and a second import of the same file finds every record already there.
- Units, blocs, meetings, votes, proposals and decisions also carry `uid`, a stable identifier
  (UUID) given when they were created. Importing several secretariats' files (services.merge)
  matches records by `uid` first, renumbering local ids that mean something else here.
- Import checks the whole document first (every error names its file and line) and only then
  writes, in the caller's single transaction.
- A bloc-year in the file is taken as a whole: its members, head, registrations and covenant
  replace what the database held for that bloc-year.

The registry. Units, blocs and their years, meetings and registrations are the core, below. Every
other record kind is a module of this package that defines `PART = Part(...)`
(services/exchange_kit.py says what a Part holds: its dump at the document, bloc or bloc-year
level, its check-then-write loader, where it defines and references ids) and imports only
exchange_kit and its own service. Adding a kind is ONE line: its module name in PART_MODULES.
Kinds never import each other or this module's private names.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..blocs import service as bloc_service
from ..units import service as unit_service
from .kit import drop_none as _drop_none
from .registry import FORMAT, parts

# --- out -------------------------------------------------------------------------------------


def dump(conn: sqlite3.Connection, bloc_code: str | None = None) -> dict[str, Any]:
    """The records as plain data: every unit and bloc, or one bloc and the units it uses."""
    blocs = bloc_service.list_blocs(conn)
    if bloc_code is not None:
        blocs = [bloc_service.resolve(conn, bloc_code)]
    bloc_docs = [_dump_bloc(conn, b) for b in blocs]
    if bloc_code is None:
        unit_ids = [r[0] for r in conn.execute("SELECT id FROM unit ORDER BY id")]
    else:
        unit_ids = _units_used(conn, [b.id for b in blocs])
    doc = {
        "tdkt": FORMAT,
        "units": [_dump_unit(conn, uid) for uid in unit_ids],
        "blocs": bloc_docs,
    }
    for part in parts():
        if part.doc:
            doc.update(_drop_none(part.doc(conn, unit_ids, [b.id for b in blocs])))
    return doc


def _units_used(conn: sqlite3.Connection, bloc_ids: list[int]) -> list[int]:
    marks = ",".join("?" * len(bloc_ids))
    ids = {
        r[0]
        for r in conn.execute(
            f"SELECT unit_id FROM membership WHERE bloc_id IN ({marks}) "
            f"UNION SELECT unit_id FROM pledge WHERE bloc_id IN ({marks})",
            bloc_ids * 2,
        )
    }
    # units merged into or from them travel along, so lineage stays whole
    frontier = list(ids)
    while frontier:
        uid = frontier.pop()
        for r in conn.execute(
            "SELECT id FROM unit WHERE merged_into = ? UNION SELECT merged_into FROM unit "
            "WHERE id = ? AND merged_into IS NOT NULL",
            (uid, uid),
        ):
            if r[0] not in ids:
                ids.add(r[0])
                frontier.append(r[0])
    return sorted(ids)


def _dump_unit(conn: sqlite3.Connection, unit_id: int) -> dict:
    from ..units import exchange as time_exchange

    u = unit_service.get(conn, unit_id)
    uid = conn.execute("SELECT uid FROM unit WHERE id = ?", (unit_id,)).fetchone()[0]
    codes = conn.execute(
        "SELECT code, until FROM unit_code WHERE unit_id = ? ORDER BY until IS NULL, until, code",
        (unit_id,),
    ).fetchall()
    return _drop_none(
        {
            "id": u.id,
            "uid": uid,
            "official": next((c[0] for c in codes if c[1] is None), None),
            "former_official": [{"code": c[0], "until": c[1]} for c in codes if c[1]],
            "name": u.name,
            "short": u.short,
            "aliases": list(u.aliases),
            "former_names": [
                _drop_none({"name": f.name, "short": f.short, "until": f.until.isoformat()})
                for f in u.former
            ],
            "merged_into": u.merged_into,
            "ended_on": u.ended_on.isoformat() if u.ended_on else None,
            **time_exchange.unit_extra(conn, u.id),
        }
    )


def _years(conn: sqlite3.Connection, bloc_id: int) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT year FROM membership WHERE bloc_id = ? UNION SELECT year FROM bloc_year "
            "WHERE bloc_id = ? UNION SELECT year FROM covenant WHERE bloc_id = ? ORDER BY 1",
            (bloc_id, bloc_id, bloc_id),
        )
    ]


def _dump_bloc(conn: sqlite3.Connection, bloc: Any) -> dict:
    years = []
    for year in _years(conn, bloc.id):
        head, deputy = bloc_service.head_ids(conn, bloc.id, year)
        signer, signer_title = bloc_service.signer(conn, bloc.id, year)
        regs = []
        for p in conn.execute(
            "SELECT p.id, p.unit_id, p.title FROM pledge p LEFT JOIN membership m ON "
            "m.bloc_id = p.bloc_id AND m.year = p.year AND m.unit_id = p.unit_id "
            "WHERE p.bloc_id = ? AND p.year = ? ORDER BY m.position, p.id",
            (bloc.id, year),
        ):
            targets = [
                r[0]
                for r in conn.execute(
                    "SELECT text FROM pledge_target WHERE pledge_id = ? ORDER BY position", (p[0],)
                )
            ]
            regs.append(_drop_none({"unit": p[1], "title": p[2], "targets": targets}))
        cov = conn.execute(
            "SELECT date, meeting_id FROM covenant WHERE bloc_id = ? AND year = ?", (bloc.id, year)
        ).fetchone()
        covenant = None
        if cov:
            signers = [
                r[0]
                for r in conn.execute(
                    "SELECT s.unit_id FROM covenant_signer s LEFT JOIN membership m ON "
                    "m.bloc_id = s.bloc_id AND m.year = s.year AND m.unit_id = s.unit_id "
                    "WHERE s.bloc_id = ? AND s.year = ? ORDER BY m.position, s.unit_id",
                    (bloc.id, year),
                )
            ]
            covenant = _drop_none({"date": cov[0], "meeting": cov[1], "signers": signers})
        members = [
            _drop_none({"unit": m.unit_id, "group": m.group})
            for m in bloc_service.member_rows(conn, bloc.id, year)
        ]
        years.append(
            _drop_none(
                {
                    "year": year,
                    "head": head,
                    "deputy": deputy,
                    "signer": signer,
                    "signer_title": signer_title,
                    "members": members,
                    "registrations": regs,
                    "covenant": covenant,
                    **_dump_year_extra(conn, bloc.id, year),
                }
            )
        )
    meetings = []
    for m in conn.execute("SELECT * FROM meeting WHERE bloc_id = ? ORDER BY id", (bloc.id,)):
        present = [
            r[0]
            for r in conn.execute(
                "SELECT p.unit_id FROM meeting_present p LEFT JOIN membership s ON "
                "s.bloc_id = ? AND s.year = ? AND s.unit_id = p.unit_id "
                "WHERE p.meeting_id = ? ORDER BY s.position, p.unit_id",
                (bloc.id, m["year"], m["id"]),
            )
        ]
        guests = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM meeting_guest WHERE meeting_id = ? ORDER BY position", (m["id"],)
            )
        ]
        absences = [
            {"unit": r[0], "reason": r[1]}
            for r in conn.execute(
                "SELECT unit_id, reason FROM meeting_absence WHERE meeting_id = ? ORDER BY unit_id",
                (m["id"],),
            )
        ]
        meetings.append(
            _drop_none(
                {
                    "id": m["id"],
                    "uid": m["uid"],
                    "year": m["year"],
                    "date": m["date"],
                    "kind": m["kind"],
                    "title": m["title"],
                    "place": m["place"],
                    "chair": m["chair"],
                    "secretary": m["secretary"],
                    "note": m["note"],
                    "start": m["start_time"],
                    "end": m["end_time"],
                    "present": present,
                    "absence_reasons": absences or None,
                    "guests": guests,
                    "additional": True if m["additional"] else None,
                }
            )
        )
    return _drop_none(
        {
            "code": bloc.code,
            "uid": conn.execute("SELECT uid FROM bloc WHERE id = ?", (bloc.id,)).fetchone()[0],
            "name": bloc.name,
            "parent": bloc.parent,
            "place": bloc.place,
            "doc_code": bloc.doc_code,
            "issue_as": bloc.issue_as if bloc.issue_as != "bloc" else None,
            "years": years,
            "meetings": meetings,
            **_dump_bloc_extra(conn, bloc.id),
        }
    )


def _dump_year_extra(conn: sqlite3.Connection, bloc_id: int, year: int) -> dict:
    out: dict = {}
    for part in parts():
        if part.year:
            out.update(part.year(conn, bloc_id, year))
    return out


def _dump_bloc_extra(conn: sqlite3.Connection, bloc_id: int) -> dict:
    out: dict = {}
    for part in parts():
        if part.bloc:
            out.update(part.bloc(conn, bloc_id))
    return out
