"""The covenant (giao ước thi đua): commitments and one signature cell per member."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from ...blocs import profiles as profile_service
from ...blocs import service as bloc_service
from ...core.errors import RuleBroken
from ...core.models import AsOf, Bloc
from ...pledges import service as pledge_service
from ...text import date_words
from ...units import service as unit_service
from .common import profile_of, upper, words
from .header import build_header
from .parts import BLANK, Common, PledgeRow, Signature
from .signature import build_signature, member_cell


@dataclass(frozen=True)
class CovenantContext(Common):
    """The covenant (giao ước thi đua): `commitments` (paragraphs: the clerk's, or the bundled
    defaults from covenant.yaml), `signers` (member names, upper case, in the bloc's order),
    `signer_rows` (the same in rows of three), `signed_on` (date words or BLANK), `signer_cells`
    (rows of three Signatures for the signature table: the unit's name and its signer on the day
    from `tdkt unit signer`; with none recorded, the unit's name and BLANK for the post and the
    name, to write by hand); `missing` (the signers not recorded, said on stderr);
    `registrations` (PledgeRow… of every signing member, in the bloc's order: the titles and
    targets it registered, as real covenants list them; empty when no member registered)."""

    commitments: tuple[str, ...] = ()
    signers: tuple[str, ...] = ()
    signer_rows: tuple[tuple[str, ...], ...] = ()
    signed_on: str = ""
    signer_cells: tuple[tuple[Signature, ...], ...] = ()
    registrations: tuple[PledgeRow, ...] = ()
    missing: tuple[str, ...] = ()


def covenant(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    commitments: list[str],
    day: dt.date | None = None,
) -> CovenantContext:
    members = bloc_service.member_ids(conn, bloc.id, year)
    if not members:
        raise RuleBroken(f"Khối {bloc.code} chưa có thành viên năm {year}.")
    cov = pledge_service.covenant(conn, bloc, year)
    if day is None and cov is not None:
        day = cov.date
    bloc = bloc_service.on(conn, bloc, day or dt.date(year, 12, 31))
    if day is not None:
        # those existing on the day sign (pledge sign says who does not, and why)
        members = bloc_service.member_ids_on(conn, bloc.id, year, day) or members
    plain = [(uid, unit_service.name_on(conn, uid, day)[0]) for uid in members]
    names = tuple(upper(name) for _, name in plain)
    rows = tuple(tuple(names[i : i + 3]) for i in range(0, len(names), 3))
    cell_rows = [plain[i : i + 3] for i in range(0, len(plain), 3)]
    at = AsOf(bloc, year, day)
    profile = profile_of(conn, at)
    cells = tuple(
        tuple(
            member_cell(conn, uid, name, day, profile.style_data["authority"]) for uid, name in row
        )
        for row in cell_rows
    )
    return CovenantContext(
        kind="covenant",
        header=build_header(conn, at, None, None),
        title=f"GIAO ƯỚC THI ĐUA NĂM {year}",
        subject=f"Giữa các đơn vị thành viên {bloc.name}",
        bloc_name=bloc.name,
        year=year,
        date=date_words(day) if day else BLANK,
        signature=build_signature(conn, at),
        recipients=(),
        profile=words(profile),
        commitments=tuple(commitments) or (BLANK,),
        signers=names,
        signer_rows=rows,
        signed_on=date_words(day) if day else BLANK,
        signer_cells=cells,
        registrations=_registrations(conn, bloc, year, plain),
        missing=_unsigned(cells),
    )


def _unsigned(cells: tuple[tuple[Signature, ...], ...]) -> tuple[str, ...]:
    """The gap the clerk is told of: how many members have no signer recorded on the day (their
    cell's name is the blank: a recorded signer always has a name)."""
    without = sum(1 for row in cells for cell in row if cell.name == BLANK)
    if not without:
        return ()
    return (f"người ký của {without:02d} đơn vị thành viên («tdkt unit signer»)",)


def _registrations(
    conn: sqlite3.Connection, bloc: Bloc, year: int, members: list[tuple[int, str]]
) -> tuple[PledgeRow, ...]:
    """Each signing member's registered titles and targets; a member that registered nothing
    shows a blank to fill, and no member registering gives no list at all."""
    by_unit: dict[int, list] = {}
    for p in pledge_service.list_pledges(conn, bloc, year).registrations:
        by_unit.setdefault(p.unit_id, []).append(p)
    if not by_unit:
        return ()
    rows = []
    for no, (uid, name) in enumerate(members, 1):
        pledges = by_unit.get(uid, [])
        titles = "; ".join(p.title for p in pledges) or BLANK
        targets = "; ".join(t.rstrip(".;") for p in pledges for t in p.targets)
        rows.append(PledgeRow(no, name, titles, targets))
    return tuple(rows)


def default_commitments(
    conn: sqlite3.Connection, bloc: Bloc, year: int, lines: list[Any]
) -> list[str]:
    """The bundled commitments (covenant.yaml) in the bloc's words: {Word}, {word} and
    {awarding_body} are filled from its profile."""
    w = words(profile_service.for_year(conn, bloc, year))
    fill = {"Word": w.Word, "word": w.word, "awarding_body": w.awarding_body}
    out = []
    for line in lines:
        text = str(line)
        for key, value in fill.items():
            text = text.replace("{" + key + "}", value)
        out.append(text)
    return out
