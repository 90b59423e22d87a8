"""The two-column header of ND30 (or HD36 for Party bodies) and the number line's ký hiệu."""

from __future__ import annotations

import sqlite3

from ...blocs import service as bloc_service
from ...core.models import AsOf, Bloc
from ...text import date_words
from ...units import service as unit_service
from .. import wording
from ..type_sizes import form
from .common import profile_of, upper
from .parts import BLANK, Header


def build_header(
    conn: sqlite3.Connection,
    at: AsOf,
    type_code: str | None,
    number: int | None,
    with_date: bool = True,
) -> Header:
    bloc, year, day = at.bloc, at.year, at.day
    profile = profile_of(conn, at)
    style = profile.style_data
    if bloc.issue_as == "head":
        head_id, _ = bloc_service.head_ids(conn, bloc.id, year)
        issuer = unit_service.name_on(conn, head_id, day)[0] if head_id else bloc.name
    else:
        issuer = bloc.name
    num = ""
    if type_code:
        num = (
            style["number"].format(number=f"{number:02d}", type=type_code, code=doc_code(bloc))
            if number
            else style["number_blank"].format(type=type_code, code=doc_code(bloc))
        )
    place_date = ""
    if with_date:
        place = bloc.place or "……"
        place_date = (
            f"{place}, {date_words(day)}" if day else f"{place}, ngày …… tháng …… năm {year}"
        )
    return Header(
        # the names wrap as their lines' type sizes do (HD36: 14 pt, ND30: 13 pt)
        wording.header_name(upper(bloc.parent or ""), pt=form("parent", profile.style).size),
        wording.header_name(upper(issuer), pt=form("issuer", profile.style).size),
        num,
        place_date,
        national=style["national"],
        motto=style["motto"],
        mark=style["mark"],
        style=profile.style,
    )


def doc_code(bloc: Bloc) -> str:
    """The ký hiệu of the drafting body: the bloc's document code, never its command code; a bloc
    without one uses the initials of its name (KTĐVHXH, CTĐ10), as `bloc add` gives it."""
    from ...blocs.setting import default_doc_code

    return bloc.doc_code or default_doc_code(bloc.name) or BLANK
