"""The signature block of the bloc's documents and the «Nơi nhận» list, from the profile."""

from __future__ import annotations

import dataclasses
import sqlite3

from ...blocs import profiles as profile_service
from ...blocs import service as bloc_service
from ...core.models import AsOf, Bloc, Signer
from ...text import loose_key
from ...units import service as unit_service
from ...units import signers as signer_service
from .. import wording
from .common import profile_of, upper
from .header import doc_code
from .parts import BLANK, Signature


def head_signer(conn: sqlite3.Connection, at: AsOf) -> tuple[Signer | None, str | None]:
    """The signer of the bloc's head unit in force on the document's day (the year's last day
    when the document has none), and the head unit's name on that day."""
    head_id, _ = bloc_service.head_ids(conn, at.bloc.id, at.year)
    if head_id is None:
        return None, None
    day = at.day or profile_of(conn, at).period(at.year)[1]
    unit_name = unit_service.name_on(conn, head_id, day)[0]
    return signer_service.signer_on(conn, head_id, day), unit_name


def post_of(signer: Signer, unit_name: str | None) -> str:
    """The signer's post as printed under the bloc's title: «Giám đốc» of «Sở Y tế» gives «GIÁM
    ĐỐC SỞ Y TẾ»; a title that already names the unit is kept as it is."""
    title = signer.title
    if unit_name and loose_key(unit_name) not in loose_key(title):
        title = f"{title} {unit_name}"
    return upper(title)


def build_signature(conn: sqlite3.Connection, at: AsOf) -> Signature:
    """The bloc's signature: the name and post given with `bloc head --signer` for the year, else
    the head unit's signer on the day (`tdkt unit signer`), else an honest blank."""
    bloc, year = at.bloc, at.year
    profile = profile_of(conn, at)
    name, position = bloc_service.signer(conn, bloc.id, year)
    signer, unit_name = (None, None) if name else head_signer(conn, at)
    if bloc.issue_as == "head":
        if signer is not None:
            return _issued_by_head(signer, profile.style_data["authority"])
        return Signature("", upper(position) if position else BLANK, "", name or BLANK)
    if signer is not None:
        name, post = signer.name, post_of(signer, unit_name)
    else:
        post = upper(position or "")
    return Signature(
        f"{profile.style_data['authority']} {upper(bloc.name)}",
        upper(profile.words["head"]),
        post,
        name or BLANK,
    )


def _lines(signer: Signer, authority: str) -> list[str]:
    """The signer's lines in the document's own style: «T/M» in a Party document (HD 36), «TM.»
    in a state or association one (ND 30), whatever body the signer signs for."""
    return dataclasses.replace(signer, authority=authority).lines()


def _issued_by_head(signer: Signer, authority: str) -> Signature:
    """A document the head unit issues in its own name: its signer's block as the unit signs
    («TM. BAN THƯỜNG VỤ / CHỦ TỊCH», «KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC», or the title alone)."""
    lines = _lines(signer, authority)
    if len(lines) == 3:
        return Signature(lines[0], lines[1], lines[2], signer.name)
    if len(lines) == 2:
        return Signature(lines[0], lines[1], "", signer.name)
    return Signature("", lines[0], "", signer.name)


def member_cell(
    conn: sqlite3.Connection, unit_id: int, unit_name: str, day, authority: str
) -> Signature:
    """A member's cell in the covenant's signature grid: the unit's name and its signer on the
    day («GIÁM ĐỐC» and the name; «KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC»; «T/M BAN THƯỜNG VỤ / BÍ THƯ»),
    or, with no signer recorded, the unit's name and honest blanks for the post and the name (a
    generic «THỦ TRƯỞNG ĐƠN VỊ» under «TM.» is how no Sở signs: its Giám đốc signs as such)."""
    shown = wording.keep_hyphens(upper(wording.hold_proper_names(unit_name)))
    signer = signer_service.signer_on(conn, unit_id, day)
    if signer is None:
        return Signature(shown, BLANK, "", BLANK)
    lines = _lines(signer, authority)
    if signer.for_body:
        # «T/M BAN THƯỜNG VỤ» says for whom only with the unit's name: it goes first
        return Signature(
            shown, lines[0], lines[1] if len(lines) == 2 else " - ".join(lines[1:]), signer.name
        )
    if signer.deputy_of:
        return Signature(shown, lines[0], lines[1], signer.name)
    return Signature(shown, lines[0], "", signer.name)


ARCHIVE_COPIES = 2  # the copies kept: one by văn thư (VT), one by the drafting unit


def build_recipients(
    profile: profile_service.Profile,
    doc: str,
    bloc: Bloc,
    lines: tuple[str, ...] | None = None,
) -> tuple[str, ...]:
    """The "Nơi nhận" of `doc` from the profile (or `lines`), then the archive line: ND30 Phụ
    lục I, II.9.d "- Lưu: VT, <ký hiệu>, <copies>b." ({code} and {copies} in the profile)."""
    word = profile.words["word"]
    end = profile.style_data["recipient_end"]
    given = lines if lines is not None else profile.recipients.get(doc, ())
    out = [f"- {r.format(word=word)}{end}" for r in given]
    archive = profile.archive.format(
        word=word, code=doc_code(bloc), copies=f"{ARCHIVE_COPIES:02d}b"
    )
    return (*out, f"- {archive}")
