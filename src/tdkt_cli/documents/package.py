"""A .docx as a package: what tdkt sets in every Word document it saves, whatever the template.

- Same content, same bytes: the zip entries get a fixed time and the core properties a fixed
  date, so cron can compare reports (`deterministic`, `fix_dates`).
- A template saved again by LibreOffice keeps its core properties as one part, related once
  (`adopt_core_properties`).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def adopt_core_properties(doc: Any) -> None:
    """A template saved again by LibreOffice relates its docProps/core.xml by the ISO
    relationship type (…/officedocument/2006/relationships/metadata/core-properties), not the
    one python-docx looks for; python-docx then made a second part of the same name, which
    zipfile warned of on the clerk's screen, and the saved file related core.xml twice. The
    template's own part is related again by the usual type, so there is one part, one
    relationship."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    package = doc.part.package
    rels = package.rels
    if any(rel.reltype == RT.CORE_PROPERTIES for rel in rels.values()):
        return
    for rid, rel in list(rels.items()):
        if not rel.is_external and rel.reltype.endswith("/metadata/core-properties"):
            part = rel.target_part
            rels.pop(rid)
            package.relate_to(part, RT.CORE_PROPERTIES)
            return


def fix_dates(doc: Any) -> None:
    """Fixed core-property dates, so the same content saves to the same bytes."""
    stamp = dt.datetime(2000, 1, 1)
    props = doc.core_properties
    props.created = props.modified = props.last_printed = stamp


def deterministic(data: bytes) -> bytes:
    """The .docx zip rewritten with a fixed time on every entry."""
    import zipfile  # here, not at the top: a Markdown document does without it

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        seen: set[str] = set()
        for info in src.infolist():
            # An entry written twice (python-docx did so for a LibreOffice template's core.xml
            # before adopt_core_properties): one each, the content zipfile reads (the last).
            if info.filename in seen:
                continue
            seen.add(info.filename)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
