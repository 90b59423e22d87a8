"""Render a context object to docx, md or html (and pdf through LibreOffice when present).

Decisions:
- Templates come from `--template FILE`, else the folder in TDKT_TEMPLATES, else the bundled
  `templates/`; every template renders in Jinja's sandbox with StrictUndefined, so a clerk's edited
  template can neither read files nor run code, and a misspelt variable is an error, not a blank.
- docxtpl renders with autoescape=True: "&" and "<" in unit names stay text.
- Same context, same bytes: zip entries get a fixed time and the core properties a fixed date,
  so cron can compare reports.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from ..errors import InvalidInput, TdktError
from ..resources import templates_dir
from .context import as_template_vars

FORMATS = ("docx", "md", "html", "pdf")
TEMPLATE_OF = {"semiannual": "report", "annual": "report"}
FIXED_TIME = (2000, 1, 1, 0, 0, 0)


def template_name(kind: str) -> str:
    return TEMPLATE_OF.get(kind, kind)


def search_path() -> list[Path]:
    user = os.environ.get("TDKT_TEMPLATES")
    paths = [Path(user)] if user else []
    return [*paths, templates_dir()]


def find_template(kind: str, fmt: str, override: Path | None = None) -> Path:
    if override is not None:
        if not override.is_file():
            raise InvalidInput(f"Không tìm thấy mẫu «{override}».")
        return override
    sub, suffix = ("docx", ".docx") if fmt in ("docx", "pdf") else (fmt, f".{fmt}.j2")
    for folder in search_path():
        candidate = folder / sub / f"{template_name(kind)}{suffix}"
        if candidate.is_file():
            return candidate
    raise InvalidInput(
        f"Không có mẫu {template_name(kind)}{suffix} trong {', '.join(map(str, search_path()))}."
    )


def environment(folder: Path | None = None, html: bool = False):
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    loaders = [str(folder)] if folder else []
    loaders += [str(p / ("html" if html else "md")) for p in search_path()]
    env = SandboxedEnvironment(
        loader=FileSystemLoader(loaders),
        undefined=StrictUndefined,
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render_text(ctx: Any, fmt: str, template: Path | None = None) -> str:
    from jinja2 import TemplateError

    path = find_template(ctx.kind, fmt, template)
    env = environment(path.parent, html=fmt == "html")
    try:
        return env.get_template(path.name).render(**as_template_vars(ctx))
    except TemplateError as exc:
        raise InvalidInput(f"Mẫu {path.name} lỗi: {exc}.") from None


def fix_dates(doc: Any) -> None:
    """Fixed core-property dates, so the same content saves to the same bytes."""
    stamp = dt.datetime(2000, 1, 1)
    props = doc.core_properties
    props.created = props.modified = props.last_printed = stamp


def deterministic(data: bytes) -> bytes:
    """The .docx zip rewritten with a fixed time on every entry."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render_docx(ctx: Any, template: Path | None = None) -> bytes:
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    path = find_template(ctx.kind, "docx", template)
    try:
        tpl = DocxTemplate(str(path))
        env = SandboxedEnvironment(undefined=StrictUndefined)
        tpl.render(as_template_vars(ctx), jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise InvalidInput(f"Mẫu {path.name} lỗi: {exc}.") from None
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InvalidInput(f"Mẫu {path.name} không phải tệp Word hợp lệ ({exc}).") from None
    fix_dates(tpl.docx)
    props = tpl.docx.core_properties
    props.revision = 1
    props.author = props.last_modified_by = "tdkt"
    props.title = f"{ctx.title} {ctx.subject}"[:200]
    buffer = io.BytesIO()
    tpl.save(buffer)
    return deterministic(buffer.getvalue())


def render_pdf(ctx: Any, template: Path | None = None, timeout: int = 120) -> bytes:
    from ..windows import find_office, profile_url

    office = find_office()
    docx = render_docx(ctx, template)
    with tempfile.TemporaryDirectory(prefix="tdkt-pdf-") as tmp:
        src = Path(tmp) / "vanban.docx"
        src.write_bytes(docx)
        profile = Path(tmp) / "profile"
        try:
            subprocess.run(
                [
                    office,
                    f"-env:UserInstallation={profile_url(profile)}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise TdktError(f"LibreOffice không xuất xong PDF sau {timeout} giây.") from None
        except subprocess.CalledProcessError as exc:
            raise TdktError(
                f"LibreOffice không xuất được PDF: {exc.stderr.decode(errors='replace')[:200]}"
            ) from None
        return (Path(tmp) / "vanban.pdf").read_bytes()


def render(ctx: Any, fmt: str, template: Path | None = None) -> bytes:
    if fmt not in FORMATS:
        raise InvalidInput(f"Định dạng «{fmt}» không có; chọn: {', '.join(FORMATS)}.")
    if fmt == "docx":
        return render_docx(ctx, template)
    if fmt == "pdf":
        return render_pdf(ctx, template)
    return render_text(ctx, fmt, template).encode("utf-8")


# --- checking a clerk's template -------------------------------------------------------------

_TAG = re.compile(r"\{[{%].*?[}%]\}", re.S)


def check_template(path: Path, known: set[str]) -> list[str]:
    """Problems in a template: unknown variables, and (docx) tags split across Word runs."""
    from jinja2 import TemplateSyntaxError, meta

    problems: list[str] = []
    if not path.is_file():
        raise InvalidInput(f"Không tìm thấy mẫu «{path}».")
    if path.suffix == ".docx":
        from docx import Document

        try:
            doc = Document(str(path))
        except Exception as exc:
            raise InvalidInput(f"«{path.name}» không phải tệp Word hợp lệ ({exc}).") from None
        paragraphs = list(_all_paragraphs(doc))
        for i, p in enumerate(paragraphs, 1):
            runs = [r.text for r in p.runs]
            joined = "".join(runs)
            for m in _TAG.finditer(joined):
                start = 0
                for text in runs:
                    end = start + len(text)
                    if start <= m.start() and m.end() <= end:
                        break
                    start = end
                else:
                    problems.append(
                        f"đoạn {i}: thẻ «{m.group(0)}» bị Word tách thành nhiều đoạn chữ (run)"
                    )
        source = "\n".join(p.text for p in paragraphs)
        source = re.sub(r"\{%(p|tr|tc|r) ", "{% ", source)
    else:
        source = path.read_text(encoding="utf-8")
    from jinja2 import Environment

    try:
        ast = Environment().parse(source)
    except TemplateSyntaxError as exc:
        problems.append(f"dòng {exc.lineno}: cú pháp Jinja sai ({exc.message})")
        return problems
    for name in sorted(meta.find_undeclared_variables(ast) - known):
        problems.append(f"biến «{name}» không có trong dữ liệu của văn bản")
    return problems


def _all_paragraphs(doc):
    """Paragraphs in reading order, tables included, so loops keep their scope."""
    for section in doc.sections:
        yield from section.header.paragraphs
    yield from _inner(doc)


def _inner(container):
    from docx.table import Table

    for item in container.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    yield from _inner(cell)
        else:
            yield item
