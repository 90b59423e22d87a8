"""Small pieces every document kind builds with: the profile on the document's date, its words, names in capitals, the clerk's paragraphs, a person typed as «Họ tên - Chức vụ»."""

from __future__ import annotations

import sqlite3
from typing import Any

from ...blocs import profiles as profile_service
from ...core.models import AsOf
from ...meetings import service as meeting_service
from .parts import BLANK, NARRATIVE_SECTIONS, Paragraphs, Words


def upper(text: str) -> str:
    return text.upper()


def narrative_paragraphs(narrative: dict[str, Any], keys: list[str]) -> dict[str, Paragraphs]:
    out = {}
    for key in keys:
        value = narrative.get(key)
        if value is None or value == "" or value == []:
            out[key] = Paragraphs(NARRATIVE_SECTIONS[key], (BLANK,), False)
            continue
        if isinstance(value, str):
            paras = tuple(p.strip().replace("\n", " ") for p in value.split("\n\n") if p.strip())
        else:
            paras = tuple(str(p).strip() for p in value if str(p).strip())
        out[key] = Paragraphs(NARRATIVE_SECTIONS[key], paras or (BLANK,), bool(paras))
    return out


def profile_of(conn: sqlite3.Connection, at: AsOf) -> profile_service.Profile:
    """The bloc's profile on the document's day, or for its year when the day is not known."""
    if at.day:
        return profile_service.of(conn, at.bloc, at.day)
    return profile_service.for_year(conn, at.bloc, at.year)


def words(profile: profile_service.Profile) -> Words:
    w = profile.words
    others = [a for a in profile.awards if not a.leading]
    return Words(
        kind=profile.kind,
        word=w["word"],
        Word=w["word"][0].upper() + w["word"][1:],
        head=w["head"],
        deputy=w["deputy"],
        leading=w["leading"],
        system=profile.preset,
        system_name=profile.system_name,
        style=profile.style,
        decider=profile.decider,
        awarding_body=profile.leading_award.body,
        office=profile.office,
        leading_award=profile.leading_award.name,
        certificate_award=others[0].name if others else "",
        year_kind=profile.year,
    )


def person(text: str | None) -> tuple[str, str]:
    """A person recorded as «Họ tên - Chức vụ» → (name, title), split as `meeting log` splits it;
    text that is not a person's name stays whole as the title, the name BLANK."""
    name, title = meeting_service.person(text)
    return name or BLANK, title
