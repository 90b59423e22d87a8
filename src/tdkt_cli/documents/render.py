"""Render a context object to docx, md or html (and pdf through LibreOffice when present).

Decisions:
- Templates come from `--template FILE`, else the folder in TDKT_TEMPLATES, else the bundled
  `templates/`; every template renders in Jinja's sandbox with StrictUndefined, so a clerk's edited
  template can neither read files nor run code, and a misspelt variable is an error, not a blank.
- A template may include, extend or import only the bundled partials, by bare name
  (`_common.md.j2`, `base.html.j2`, `_macros.html.j2`…): the loader serves nothing else, so a
  template saved in a home folder cannot pull in `.ssh/id_rsa` or a file behind a symlink.
- Rendering is bounded, in process (no child to start and feed per document, `report all` stays
  fast): a timer (SIGALRM, where the system has it) stops Jinja's Python-level loops after
  RENDER_SECONDS; the address-space limit (RLIMIT_AS, where the system has it) is raised by at most
  RENDER_MEMORY for the render, so a template that builds huge strings ends in MemoryError, not in
  swapping; a .docx whose XML unpacks to more than DOCX_XML_LIMIT is refused before docxtpl reads
  it, because docxtpl's XML work is C code (regular expressions, lxml) that a timer cannot
  interrupt, and it is quadratic in paragraphs. Each ends in one Vietnamese sentence.
- docxtpl renders with autoescape=True: "&" and "<" in unit names stay text.
- Same context, same bytes (package.py): zip entries get a fixed time and the core properties
  a fixed date, so cron can compare reports.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..core.errors import InvalidInput, TdktError
from ..core.patterns import lazy
from ..files.resources import templates_dir
from . import wording
from .context import as_template_vars
from .package import adopt_core_properties, deterministic, fix_dates

FORMATS = ("docx", "md", "html", "pdf")
TEMPLATE_OF = {"semiannual": "report", "annual": "report"}
RENDER_SECONDS = float(os.environ.get("TDKT_RENDER_SECONDS") or 5)
RENDER_MEMORY = 1 << 30  # bytes of address space a render may add
DOCX_XML_LIMIT = 4 << 20  # uncompressed XML bytes in a .docx template (bundled ones: < 100 kB)


class RenderTooBig(TdktError):
    """A template that would run too long or too large."""


def _partials(html: bool) -> dict[str, Path]:
    """The bundled templates a template may include/extend/import, by bare file name."""
    folder = templates_dir() / ("html" if html else "md")
    return {p.name: p for p in sorted(folder.glob("*.j2")) if p.is_file() and not p.is_symlink()}


@contextmanager
def bounded(label: str) -> Iterator[None]:
    """Run a render under the time and memory bounds of the module's decisions."""
    import signal
    import threading

    def too_long(signum: int, frame: Any) -> None:
        raise RenderTooBig(
            f"Mẫu {label} chạy quá {RENDER_SECONDS:g} giây (vòng lặp quá lớn?); đã dừng, không ghi gì."
        )

    timer = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if timer:
        previous = signal.signal(signal.SIGALRM, too_long)
        signal.setitimer(signal.ITIMER_REAL, RENDER_SECONDS)
    limits = _limit_memory()
    try:
        yield
    except MemoryError:
        raise RenderTooBig(
            f"Mẫu {label} cần quá nhiều bộ nhớ (chuỗi hoặc bảng quá lớn); đã dừng, không ghi gì."
        ) from None
    except RecursionError:
        raise RenderTooBig(f"Mẫu {label} lồng nhau quá sâu; đã dừng, không ghi gì.") from None
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if limits is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, limits)


def _limit_memory() -> tuple[int, int] | None:
    """Cap the address space at what the process uses now plus RENDER_MEMORY; the old limits."""
    try:
        import resource

        with open("/proc/self/statm") as f:
            used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        old = resource.getrlimit(resource.RLIMIT_AS)
        cap = used + RENDER_MEMORY
        if old[0] != resource.RLIM_INFINITY and old[0] <= cap:
            return None
        if old[1] != resource.RLIM_INFINITY:
            cap = min(cap, old[1])
        resource.setrlimit(resource.RLIMIT_AS, (cap, old[1]))
        return old
    except (ImportError, OSError, ValueError, AttributeError):
        return None


def _check_docx_size(path: Path) -> None:
    import zipfile  # here, not at the top: a Markdown document does without it

    try:
        with zipfile.ZipFile(path) as z:
            xml = sum(i.file_size for i in z.infolist() if i.filename.endswith((".xml", ".rels")))
    except (zipfile.BadZipFile, OSError) as exc:
        raise InvalidInput(f"Mẫu {path.name} không phải tệp Word hợp lệ ({exc}).") from None
    if xml > DOCX_XML_LIMIT:
        raise RenderTooBig(
            f"Mẫu {path.name} chứa {xml // (1 << 20)} MB XML khi giải nén "
            f"(giới hạn {DOCX_XML_LIMIT >> 20} MB); hãy dùng một mẫu Word gọn hơn."
        )


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
    """The sandbox a md/html template renders in; `folder` is no longer searched (see above)."""
    from jinja2 import FunctionLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from .compiled import cached

    partials = _partials(html)

    def load(name: str):
        path = partials.get(name)
        if path is None:
            return None  # → TemplateNotFound: only bundled partials, by bare name
        return path.read_text(encoding="utf-8"), None, lambda: True

    env = SandboxedEnvironment(
        loader=FunctionLoader(load),
        undefined=StrictUndefined,
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return cached(wording.install(env))


def render_text(ctx: Any, fmt: str, template: Path | None = None) -> str:
    from jinja2 import TemplateError, TemplateNotFound

    from .compiled import template_from

    path = find_template(ctx.kind, fmt, template)
    env = environment(path.parent, html=fmt == "html")
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"Mẫu {path.name} không phải văn bản UTF-8.") from None
    shown = wording.escape_md(ctx) if fmt == "md" else ctx
    try:
        with bounded(path.name):
            return template_from(env, source, str(path)).render(**as_template_vars(shown))
    except TemplateNotFound as exc:
        raise InvalidInput(
            f"Mẫu {path.name} chỉ được include/extends/import các mẫu phụ đi kèm tdkt "
            f"({', '.join(_partials(fmt == 'html'))}), không được «{exc.name}»."
        ) from None
    except TemplateError as exc:
        raise InvalidInput(template_error(path, ctx.kind, exc)) from None
    except _EXPRESSION_ERRORS as exc:
        _clerks_expression(path, exc)
        raise


# what an expression in a template may raise while it renders ({{ 1/0 }}, {{ 1 + "a" }},
# {{ range(10**8) }}, which the sandbox refuses with OverflowError)
_EXPRESSION_ERRORS = (ArithmeticError, TypeError, ValueError, LookupError, AttributeError)


def _clerks_expression(path: Path, exc: Exception) -> None:
    """A clerk's template whose expression fails is refused in words («Lỗi không mong đợi
    (ZeroDivisionError …)» before); in a bundled template the error is tdkt's, and left as it is."""
    try:
        path.resolve().relative_to(templates_dir().resolve())
        return
    except ValueError:
        pass
    if isinstance(exc, ZeroDivisionError):
        what = "chia cho 0"
    elif isinstance(exc, OverflowError):
        what = "một số hoặc một vòng lặp quá lớn"
    else:
        what = f"{type(exc).__name__}: {exc}"[:200]
    raise InvalidInput(
        f"Mẫu {path.name} có một biểu thức không tính được ({what}); đã dừng, không ghi gì."
    ) from None


def render_docx(ctx: Any, template: Path | None = None) -> bytes:
    import zipfile  # here, not at the top: a Markdown document does without it

    from jinja2 import StrictUndefined, TemplateError

    from .compiled import CachedSandbox, cached, docx_template

    path = find_template(ctx.kind, "docx", template)
    _check_docx_size(path)
    try:
        tpl = docx_template()(str(path))
        tpl.init_docx()
        adopt_core_properties(tpl.docx)  # before docxtpl renders the core properties' text
        env = cached(wording.install(CachedSandbox(undefined=StrictUndefined)))
        with bounded(path.name):
            tpl.render(as_template_vars(ctx), jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise InvalidInput(template_error(path, ctx.kind, exc)) from None
    except (ArithmeticError, TypeError) as exc:
        _clerks_expression(path, exc)
        raise
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InvalidInput(f"Mẫu {path.name} không phải tệp Word hợp lệ ({exc}).") from None
    fix_dates(tpl.docx)
    apply_roles(tpl.docx, ctx)
    drop_columns(tpl.docx, getattr(ctx, "hidden_columns", ()))
    props = tpl.docx.core_properties
    props.revision = 1
    props.author = props.last_modified_by = "tdkt"
    props.title = f"{ctx.title} {ctx.subject}"[:200]
    buffer = io.BytesIO()
    tpl.save(buffer)
    return deterministic(buffer.getvalue())


def apply_roles(document: Any, ctx: Any) -> None:
    """The lines a template marks with a role's paragraph style (type_sizes.py): a rule gets the
    indents that give it its computed length, and in a Party document (HD36) each role's run
    gets the Party's size and form. Values are set here, in code, so a template holds no tag in
    an XML attribute, which an office suite drops when it saves the file again."""
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from docx.text.run import Run

    from . import type_sizes

    roles: dict[str, str] = {}
    for st in document.styles.element.findall(qn("w:style")):
        name = st.find(qn("w:name"))
        value = name.get(qn("w:val")) if name is not None else ""
        if value.startswith("tdkt "):
            roles[st.get(qn("w:styleId"))] = value[5:]
    if not roles:
        return
    header = getattr(ctx, "header", None)
    style = getattr(header, "style", "nd30")
    party = style != "nd30"
    sides = _rule_sides(ctx, style)
    parts = [document.element.body]
    # the headers as docxtpl left them (it puts a new part behind each relationship; python-docx's
    # section.header may still hand out the template's part)
    for rel in document.part.rels.values():
        if not rel.is_external and rel.reltype.endswith("/header"):
            parts.append(rel.target_part.element)
    val = qn("w:val")
    for part in parts:
        # the paragraphs with a style, found by their w:pStyle: far fewer than the paragraphs
        for ref in list(part.iter(qn("w:pStyle"))):
            role = roles.get(ref.get(val))
            ppr = ref.getparent()
            para = ppr.getparent() if ppr is not None else None
            if role is None or para is None or para.tag != qn("w:p"):
                continue
            if role in sides:
                ind = ppr.get_or_add_ind()
                ind.set(qn("w:left"), str(sides[role]))
                ind.set(qn("w:right"), str(sides[role]))
                continue
            if party and role in type_sizes.ROLES:
                f = type_sizes.form(role, style)
                for r in para.iter(qn("w:r")):
                    font = Run(r, None).font
                    font.size = Pt(f.size)
                    font.bold, font.italic = f.bold, f.italic
                    font.underline = True if f.underline else None
            if role in type_sizes.PHRASED:
                _break_phrases(para, type_sizes.form(role, style))


def _break_phrases(para: Any, form: Any) -> None:
    """A signature line in capitals wraps between phrases in its cell (wording.fit_phrases),
    a point smaller when a word would have to break; a line of several runs is left alone."""
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from docx.text.run import Run

    texts = list(para.iter(qn("w:t")))
    if len(texts) != 1 or not texts[0].text or " " not in texts[0].text:
        return
    width = wording.TEXT_CM
    cell = next((a for a in para.iterancestors(qn("w:tc"))), None)
    if cell is not None:
        tcw = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
        value = tcw.get(qn("w:w")) if tcw is not None else None
        if value and value.isdecimal() and tcw.get(qn("w:type"), "dxa") == "dxa":
            width = int(value) / 1440 * 2.54 - 2 * wording.CELL_MARGIN_CM
    run = texts[0].getparent()
    size = Run(run, None).font.size
    pt = size.pt if size is not None else form.size
    held, fitted = wording.fit_phrases(texts[0].text, width, pt, form.bold)
    texts[0].text = held
    if fitted != pt:
        Run(run, None).font.size = Pt(fitted)


def _rule_sides(ctx: Any, style: str) -> dict[str, int]:
    """Left and right indent (twips) of each rule: under the issuer and under the subject 1/3 to
    1/2 of the line's length (Rules), under the Tiêu ngữ its full length (ND30) or under
    «ĐẢNG CỘNG SẢN VIỆT NAM» the length of that line (HD36)."""
    from . import type_sizes

    out: dict[str, int] = {}
    rules = getattr(ctx, "rules", None)
    if rules is not None:
        out["issuer_rule"], out["subject_rule"] = rules.issuer_side, rules.subject_side
    header = getattr(ctx, "header", None)
    if header is not None:
        role, text = ("motto", header.motto) if header.motto else ("national", header.national)
        f = type_sizes.form(role, style)
        length = wording.text_cm(text, f.size, f.bold) if text else 6.3
        side = max((wording.HEADER_RIGHT_CM - 2 * wording.CELL_MARGIN_CM - length) / 2, 0)
        out["national_rule"] = int(side / 2.54 * 1440)
    return out


def drop_columns(document: Any, headings: tuple[str, ...]) -> None:
    """Leave out the table columns whose heading the context names (a column nobody has a value
    in); their width is shared by the columns left, so the table keeps its width. A table with
    merged cells is left as it is."""
    if not headings:
        return
    from docx.oxml.ns import qn

    def width(node: Any) -> int:
        value = node.get(qn("w:w")) if node is not None else None
        return int(value) if value and value.isdecimal() else 0

    for table in document.tables:
        rows = table._tbl.findall(qn("w:tr"))
        grid = table._tbl.find(qn("w:tblGrid"))
        if not rows or grid is None:
            continue
        first = rows[0].findall(qn("w:tc"))
        texts = ["".join(t.text or "" for t in tc.iter(qn("w:t"))).strip() for tc in first]
        drop = [i for i, text in enumerate(texts) if text in headings]
        cols = grid.findall(qn("w:gridCol"))
        if not drop or len(drop) == len(first) or len(cols) != len(first):
            continue
        if any(len(r.findall(qn("w:tc"))) != len(first) for r in rows):
            continue
        kept = [i for i in range(len(first)) if i not in drop]
        # the freed width is shared by the columns left but the first (STT stays narrow)
        takers = kept[1:] or kept
        freed = sum(width(cols[i]) for i in drop)
        share = {
            i: freed // len(takers) + (freed % len(takers) if i == takers[0] else 0) for i in takers
        }
        for i, extra in share.items():
            cols[i].set(qn("w:w"), str(width(cols[i]) + extra))
        for row in rows:
            cells = row.findall(qn("w:tc"))
            for i, extra in share.items():
                props = cells[i].find(qn("w:tcPr"))
                tcw = props.find(qn("w:tcW")) if props is not None else None
                if tcw is not None:
                    tcw.set(qn("w:w"), str(width(tcw) + extra))
            for i in drop:
                row.remove(cells[i])
        for i in drop:
            grid.remove(cols[i])


def _convert_alone(command: list[str], timeout: int, tmp: str) -> None:
    """Run LibreOffice in a process group of its own and end the whole group when tdkt stops
    early (a signal, the timeout): `soffice` is a launcher whose soffice.bin outlived
    subprocess.run's kill of the launcher, went on writing into the temporary folder after its
    removal and left it behind. Its own temporary files (lu*.tmp, left when it is killed) go in
    `tmp`, removed with the rest."""
    import signal
    import subprocess

    posix = hasattr(os, "killpg")
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=posix,
        env={**os.environ, "TMPDIR": tmp, "TMP": tmp, "TEMP": tmp},
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:
        with contextlib.suppress(OSError):
            if posix:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
        proc.communicate()
        raise
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, command, out, err)


def render_pdf(ctx: Any, template: Path | None = None, timeout: int = 120) -> bytes:
    import subprocess  # only here: ~5 ms of every other document
    import tempfile  # here, not at the top: a Markdown document does without it

    from ..files.windows import find_office, profile_url

    office = find_office()
    docx = render_docx(ctx, template)
    with tempfile.TemporaryDirectory(prefix="tdkt-pdf-") as tmp:
        src = Path(tmp) / "vanban.docx"
        src.write_bytes(docx)
        profile = Path(tmp) / "profile"
        command = [
            office,
            f"-env:UserInstallation={profile_url(profile)}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            _convert_alone(command, timeout, tmp)
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


def template_error(path: Path, kind: str, exc: Exception) -> str:
    """A template that fails while rendering, in one Vietnamese sentence that says how to find
    every such place at once."""
    from jinja2 import TemplateSyntaxError, UndefinedError

    check = f"kiểm tra cả mẫu bằng «tdkt report check-template {path.name} --kind {kind}»"
    message = str(exc)
    if isinstance(exc, UndefinedError):
        m = re.search(r"has no attribute '(\w+)'", message) or re.search(
            r"'(\w+)' is undefined", message
        )
        what = f"«{m.group(1)}»" if m else "một tên"
        return f"Mẫu {path.name} dùng {what}, không có trong dữ liệu của văn bản; {check}."
    if isinstance(exc, TemplateSyntaxError):
        return f"Mẫu {path.name} có {_syntax_words(exc.message or '')}; {check}."
    if "unsafe" in message or "access to attribute" in message:
        return f"Mẫu {path.name} dùng một thao tác không được phép trong mẫu văn bản."
    return f"Mẫu {path.name} không dựng được văn bản; {check}."


def check_template(path: Path, context_class: Any) -> list[str]:
    """Problems in a clerk's template, each one Vietnamese sentence quoting where it is: Jinja
    syntax, variables the document does not have, and fields the data does not have
    (`{{ header.numbr }}`), followed through loops (`{% for s in signatures %}{{ s.nme }}`).

    A .docx is read as docxtpl reads it: a tag Word split across runs of one paragraph renders
    fine and is not a problem; the places quoted are paragraphs (tables included), not numbers.
    """
    from jinja2 import Environment, TemplateSyntaxError

    if not path.is_file():
        raise InvalidInput(f"Không tìm thấy mẫu «{path}».")
    if path.suffix == ".docx":
        from docx import Document

        try:
            doc = Document(str(path))
        except Exception:
            raise InvalidInput(f"«{path.name}» không phải tệp Word hợp lệ.") from None
        dropped = _tags_an_office_drops(path)
        if dropped:
            return dropped
        # one paragraph a line: a line number of the parse is a paragraph to quote
        lines = [p.text for p in _all_paragraphs(doc)]
        source = re.sub(r"\{%(p|tr|tc|r) ", "{% ", "\n".join(lines))
        where = "đoạn"
    else:
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise InvalidInput(
                f"Không đọc được mẫu «{path.name}» (cần tệp văn bản UTF-8)."
            ) from None
        lines = source.splitlines()
        where = "dòng"

    def at(lineno: int) -> str:
        text = lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
        text = text if len(text) <= 70 else text[:67] + "…"
        return f"{where} «{text}»" if where == "đoạn" else f"dòng {lineno} «{text}»"

    try:
        ast = Environment(extensions=["jinja2.ext.loopcontrols"]).parse(source)
    except TemplateSyntaxError as exc:
        return [f"Ở {at(exc.lineno)}, {_syntax_words(exc.message or '')}."]
    split = [t for t in lines if _unclosed(t)] if where == "đoạn" else []
    if split:
        # Jinja reads a tag across a line break; docxtpl reads a paragraph at a time
        text = split[0].strip()
        text = text if len(text) <= 70 else text[:67] + "…"
        return [
            f"Ở đoạn «{text}», một thẻ {{{{ … }}}} hoặc {{% … %}} bắt đầu mà không kết thúc "
            "trong cùng đoạn, nên không dựng được văn bản; hãy viết cả thẻ trong một đoạn."
        ]
    return [f"Ở {at(line)}, {message}." for line, message in _fields(ast, context_class)]


_IN_ATTRIBUTE = lazy(r'[\w:]+="[^"]*(?:\{\{|\{%)[^"]*"')
_IN_FIELD = lazy(r"<w:instrText[^>]*>[^<]*(?:\{\{|\{%)")


def _tags_an_office_drops(path: Path) -> list[str]:
    """A template whose tags sit where Word or LibreOffice drop them when they save the file
    again: inside an XML attribute (a width, an indent) or in a field's code. One sentence."""
    import zipfile  # here, not at the top: a Markdown document does without it

    try:
        with zipfile.ZipFile(path) as z:
            parts = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
            xml = {n: z.read(n).decode("utf-8", errors="replace") for n in parts}
    except (zipfile.BadZipFile, OSError):
        return []
    for name, text in xml.items():
        found = _IN_ATTRIBUTE.search(text) or _IN_FIELD.search(text)
        if found:
            shown = found.group(0) if len(found.group(0)) <= 60 else found.group(0)[:57] + "…"
            return [
                f"Mẫu {path.name} có thẻ mẫu nằm trong thuộc tính XML hoặc mã trường ({shown} "
                f"trong {name}), chỗ mà Word và LibreOffice xóa khi lưu lại tệp; hãy chỉ đặt thẻ "
                "trong chữ của đoạn văn."
            ]
    return []


def _unclosed(text: str) -> bool:
    """A paragraph where a tag opens and does not close (or closes one opened before it)."""
    depth = 0
    for m in re.finditer(r"\{\{|\{%|\}\}|%\}", text):
        depth += 1 if m.group(0) in ("{{", "{%") else -1
        if depth < 0 or depth > 1:
            return True
    return depth != 0


def _syntax_words(message: str) -> str:
    """Jinja's English reason, said in Vietnamese."""
    m = re.search(r"unknown tag '(\w+)'", message)
    if m:
        return f"thẻ «{m.group(1)}» không có trong Jinja"
    ends = [t for t in re.findall(r"'(\w+)'", message) if t.startswith("end")]
    if "unexpected end of template" in message or ends:
        closing = f" «{{% {ends[-1]} %}}»" if ends else ""
        return f"mẫu hết mà một khối chưa đóng (thiếu thẻ đóng{closing})"
    m = re.search(r"unexpected '(.+?)'", message)
    if m:
        return f"ký hiệu «{m.group(1)}» không đúng chỗ trong một thẻ"
    return "một thẻ {{ … }} hoặc {% … %} viết sai cú pháp"


def _fields(ast: Any, context_class: Any) -> list[tuple[int, str]]:
    """(line, problem) for every name or field the template reads that the data lacks."""
    import dataclasses
    import types
    import typing

    from jinja2 import nodes

    hints: dict[Any, dict[str, Any]] = {}

    def fields_of(tp: Any) -> dict[str, Any] | None:
        if not (isinstance(tp, type) and dataclasses.is_dataclass(tp)):
            return None
        if tp not in hints:
            hints[tp] = typing.get_type_hints(tp)
        return hints[tp]

    def plain(tp: Any) -> Any:
        """X | None → X; anything else as it is."""
        if typing.get_origin(tp) in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            return args[0] if len(args) == 1 else None
        return tp

    def element(tp: Any) -> Any:
        tp = plain(tp)
        if typing.get_origin(tp) in (tuple, list) and typing.get_args(tp):
            return plain(typing.get_args(tp)[0])
        return None

    problems: list[tuple[int, str]] = []
    top = fields_of(context_class) or {}
    builtins = {"loop", "range", "dict", "lipsum", "cycler", "joiner", "namespace"}

    def type_of(node: Any, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            return plain(scope.get(node.name))
        if isinstance(node, nodes.Getattr):
            owner = type_of(node.node, scope)
            known = fields_of(owner)
            if known is None:
                return None
            if node.attr in known:
                return plain(known[node.attr])
            if not hasattr(owner, node.attr):
                names = ", ".join(sorted(known))
                problems.append(
                    (
                        node.lineno,
                        f"trường «{_dotted(node)}» không có trong dữ liệu của văn bản "
                        f"(có: {names})",
                    )
                )
            return None
        return None

    def stored(target: Any) -> set[str]:
        """The names a `for` or `set` target binds (find_all skips the node itself)."""
        found = [target, *target.find_all(nodes.Name)]
        return {n.name for n in found if isinstance(n, nodes.Name)}

    def visit(node: Any, scope: dict[str, Any], bound: set[str]) -> None:
        if isinstance(node, nodes.For):
            visit(node.iter, scope, bound)
            inner = dict(scope)
            names = stored(node.target)
            for n in names:
                inner[n] = None
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = element(type_of(node.iter, scope))
            for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
                visit(child, inner, bound | names)
            return
        if isinstance(node, (nodes.Macro, nodes.CallBlock)):
            args = {a.name for a in getattr(node, "args", [])}
            inner = {**scope, **{a: None for a in args}}
            for child in node.body:
                visit(child, inner, bound | args | {"caller", "varargs", "kwargs"})
            return
        if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            for name in stored(node.target):
                bound.add(name)
                scope[name] = None
        if isinstance(node, (nodes.Import, nodes.FromImport)):
            for n in [node.target] if isinstance(node, nodes.Import) else node.names:
                name = n if isinstance(n, str) else n[-1]
                bound.add(name)
                scope[name] = None
        if isinstance(node, nodes.Name) and node.ctx == "load":
            if node.name not in scope and node.name not in bound and node.name not in builtins:
                problems.append(
                    (node.lineno, f"biến «{node.name}» không có trong dữ liệu của văn bản")
                )
            return
        if isinstance(node, nodes.Getattr):
            type_of(node, scope)
            if not isinstance(node.node, (nodes.Name, nodes.Getattr)):
                visit(node.node, scope, bound)
            else:
                root = node.node
                while isinstance(root, nodes.Getattr):
                    root = root.node
                visit(root, scope, bound)
            return
        for child in node.iter_child_nodes():
            visit(child, scope, bound)

    visit(ast, dict(top), set())
    return list(dict.fromkeys(problems))  # each once, in the template's order


def _dotted(node: Any) -> str:
    from jinja2 import nodes

    parts = []
    while isinstance(node, nodes.Getattr):
        parts.append(node.attr)
        node = node.node
    if isinstance(node, nodes.Name):
        parts.append(node.name)
    return ".".join(reversed(parts))


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
