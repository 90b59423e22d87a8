"""A new bloc in its own setting: its parent body from the catalogue, its kind from its name, its
profile from both, and a default ký hiệu for its documents.

What is inferred is said back to the clerk (`Setting.notes`), so nothing is decided silently; an
unknown parent body is kept as typed and the clerk is told which profile fields to set.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from ..core import dated
from ..core.models import Bloc
from ..text import loose_key, parse_date
from . import bodies, profiles
from . import service as bloc_service

_SKIP = {"so", "va", "cac", "-"}


def default_doc_code(name: str) -> str:
    """The ký hiệu a bloc's documents carry by default: the initials of its name's words, numbers
    whole («Khối thi đua Văn hóa - Xã hội» → KTĐVHXH, «Cụm thi đua số 10» → CTĐ10)."""
    out = []
    for word in name.replace("-", " ").split():
        if word.isdigit():
            out.append(word)
        elif loose_key(word) not in _SKIP and word[0].isalpha():
            first = word[0].upper()
            out.append("Đ" if first in "ĐÐ" else loose_key(first).upper())
    return "".join(out)[:20]


@dataclass(frozen=True)
class Setting:
    """A bloc just added: the bloc, its profile, the catalogue body (or None), and the notes that
    say what was inferred or what the clerk should still set."""

    bloc: Bloc
    profile: profiles.Profile
    body: bodies.Body | None
    notes: tuple[str, ...]


def _ended(body: bodies.Body, day: dt.date) -> list[str]:
    """A warning when the parent body no longer exists on `day` (merged in 2025…)."""
    if body.valid_to is None or body.valid_to >= day.isoformat():
        return []
    successor = next((b for b in bodies.catalogue() if b.code == body.successor), None)
    return [
        f"Cảnh báo: {body.name} kết thúc ngày {dt.date.fromisoformat(body.valid_to):%d/%m/%Y}"
        + (f", sáp nhập vào {successor.name}" if successor else "")
        + "; văn bản từ sau ngày đó ghi theo «tdkt bloc edit --parent … --from …»."
    ]


def _from_catalogue(body: bodies.Body, profile: profiles.Profile) -> str:
    """What the catalogue's body brought, said back on `bloc add` and `bloc edit`."""
    return (
        f"Cơ quan cấp trên: {body.name} (danh mục); hệ thống {profile.system}; "
        f"đề nghị gửi {profile.addressee}"
        + (f" qua {profile.through}" if profile.through else "")
        + f"; khen thưởng: {'; '.join(a.name for a in profile.awards)}."
    )


def add(
    conn: sqlite3.Connection,
    name: str,
    code: str,
    parent: str | None,
    place: str | None,
    kind: str | None,
    system: str | None,
    doc_code: str | None,
    today: dt.date,
    *,
    force: bool = False,
) -> Setting:
    """Add the bloc, then set its profile from its parent body and its name."""
    notes: list[str] = []
    parent = parent if parent is None or parent.strip() else ""  # «   » is no parent, not a name
    body = bodies.match(parent, today) if parent else None
    if body is not None:
        notes += _ended(body, today)
        printed_parent = body.header
        place = place or body.place
    else:
        printed_parent = parent
    bloc = bloc_service.add(conn, name, code, printed_parent, place, force=force)
    derived = doc_code or default_doc_code(bloc.name)
    if derived:
        bloc = bloc_service.edit(conn, bloc, None, None, None, derived, None, None)
    named_kind = bodies.kind_from_name(bloc.name)
    chosen_kind = kind or named_kind
    overrides: dict = {"body": body.code} if body is not None else {}
    preset = system or (body.system if body is not None else None)
    if chosen_kind is not None and (
        kind is not None
        or chosen_kind != profiles.preset(preset or profiles.DEFAULT_PRESET)["kind"]
    ):
        overrides["kind"] = chosen_kind
    if preset is not None or overrides:
        profiles.set_profile(
            conn,
            bloc,
            preset_name=preset or profiles.DEFAULT_PRESET,
            overrides=overrides,
            source="Danh mục cơ quan" if body is not None else "Tùy chọn --kind",
        )
    profile = profiles.of(conn, bloc)
    words = profile.words
    if kind is None and named_kind is not None:
        notes.append(f"Loại: {words['word']} (theo tên khối); {words['head']}, {words['deputy']}.")
    if body is not None:
        notes.append(_from_catalogue(body, profile))
        if body.year == "school":
            notes.append(
                "Năm thi đua là năm học (từ 01/9 đến 31/8): --year 2020 là năm học 2019 - 2020."
            )
    elif parent:
        notes.append(
            f"Lưu ý: «{parent}» không có trong danh mục cơ quan (tdkt body list); đã ghi như gõ. "
            "Hãy đặt người quyết định, nơi gửi và khen thưởng bằng «tdkt bloc profile "
            f"{bloc.code} --decider … --addressee … --through …» (hoặc --file)."
        )
    if doc_code is None and derived:
        notes.append(
            f"Ký hiệu văn bản: {derived} (đổi bằng «tdkt bloc edit {bloc.code} --doc-code …»)."
        )
    return Setting(bloc=bloc, profile=profile, body=body, notes=tuple(notes))


def edit(
    conn: sqlite3.Connection,
    bloc: Bloc,
    name: str | None,
    parent: str | None,
    place: str | None,
    doc_code: str | None,
    issue_as: str | None,
    valid_from: str | None,
    today: dt.date,
    *,
    force: bool = False,
) -> Setting:
    """`bloc edit`: a new parent body of the catalogue also brings its setting (decider,
    addressee, awards, system), from `valid_from` when given, as `bloc add --parent` does; the
    bloc's own choice of kind is kept."""
    notes: list[str] = []
    day = parse_date(valid_from) if valid_from else today
    parent = parent if parent is None or parent.strip() else ""  # «   » clears it, as «» does
    body = bodies.match(parent, day) if parent else None
    printed_parent = body.header if body is not None else parent
    found = bloc_service.edit(
        conn, bloc, name, printed_parent, place, doc_code, issue_as, valid_from, force
    )
    if body is not None:
        notes += _ended(body, day)
        current = profiles.of(conn, found, day)
        overrides: dict = {"body": body.code}
        preset = body.system if body.system != current.preset else None
        # the bloc's kind as chosen (or as its name says) outlives a new preset's default kind
        kind = current.overrides.get("kind") or bodies.kind_from_name(found.name)
        if kind and kind != profiles.preset(preset or current.preset)["kind"]:
            overrides["kind"] = kind
        # without --from, the profile in force today is corrected, as bloc_service.edit corrects
        # the name and parent in force today: the profile since always was rewritten instead,
        # and a bloc with a dated profile got its new parent over the old body's decider
        in_force = dated.as_of(profiles.rows(conn, found.id), day.isoformat())
        profiles.set_profile(
            conn,
            found,
            valid_from=valid_from or (in_force["valid_from"] if in_force else None),
            preset_name=preset,
            overrides=overrides,
            source="Danh mục cơ quan",
        )
    profile = profiles.of(conn, found, day)
    if body is not None:
        notes.append(_from_catalogue(body, profile))
    elif parent:
        notes.append(
            f"Lưu ý: «{parent}» không có trong danh mục cơ quan (tdkt body list); đã ghi như gõ. "
            "Người quyết định, nơi gửi và khen thưởng giữ như trước; đổi bằng «tdkt bloc profile "
            f"{found.code} --decider … --addressee … --through …» (hoặc --file)."
        )
    return Setting(bloc=found, profile=profile, body=body, notes=tuple(notes))
