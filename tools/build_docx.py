"""Build the Word templates in templates/docx/ from this readable source.

Run `python tools/build_docx.py` after changing it; a test checks that the committed .docx
files match what this script builds. The layout follows Nghị định 30/2020/NĐ-CP, Phụ lục I: A4
portrait, margins 20/20/30/15 mm, Times New Roman, body 14 pt justified with a 1.27 cm first-line
indent and 6 pt after, the two-column header (parent body, issuer, rule, number | Quốc hiệu,
Tiêu ngữ with its rule, italic place-date), bold title and subject, the signature block with
"Nơi nhận", and the page number centred at the top from page 2.

Each Jinja tag sits in a single run, so docxtpl reads it whole; the variables are the fields of
the context classes in tdkt_cli/documents/context/. No tag sits in an XML attribute (an office
suite drops those when it saves the file again): the lines whose size differs between ND30 and
HD36, and the rules whose length follows the text, carry a "tdkt <role>" paragraph style
(tdkt_cli/documents/type_sizes.py) that the render reads to set them (render.apply_roles).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from tdkt_cli.documents.type_sizes import ROLE_STYLE, ROLES, RULES, form

OUT = Path(__file__).resolve().parents[1] / "templates" / "docx"
FONT = "Times New Roman"
CENTER, LEFT, JUSTIFY, RIGHT = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.RIGHT,
)
WIDTH = 16.5  # cm between the margins


def new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    fmt = normal.paragraph_format
    fmt.alignment = JUSTIFY
    fmt.first_line_indent = Cm(1.27)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.0
    # one paragraph style per role (type_sizes.py): it marks the line, so the render can give
    # a Party document the HD36 form and a rule its computed length, with no tag in an attribute
    from docx.enum.style import WD_STYLE_TYPE

    for role in (*ROLES, *RULES):
        style = doc.styles.add_style(ROLE_STYLE.format(role), WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = False
    # page number centred in the top margin, not on page 1
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = CENTER
    para.paragraph_format.first_line_indent = Cm(0)
    run = para.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
    para.style = ROLE_STYLE.format("page")
    run.font.size = Pt(form("page").size)
    run.font.name = FONT
    props = doc.core_properties
    props.author = props.last_modified_by = "tdkt"
    props.comments = "Mẫu văn bản của tdkt, dựng từ templates/build_docx.py"
    return doc


def p(
    container,
    text: str = "",
    *,
    bold=False,
    italic=False,
    size=14,
    align=None,
    indent=None,
    after=None,
    before=None,
    keep=False,
    role=None,
):
    """One paragraph with one run, so a Jinja tag in `text` is never split; a `role`
    (type_sizes.py) gives the paragraph its style and the run the role's ND30 form."""
    para = container.add_paragraph() if hasattr(container, "add_paragraph") else container
    if role is not None:
        para.style = ROLE_STYLE.format(role)
        f = form(role)
        size, bold, italic = f.size, f.bold, f.italic
    if align is not None:
        para.alignment = align
    fmt = para.paragraph_format
    if indent is not None:
        fmt.first_line_indent = Cm(indent)
    if after is not None:
        fmt.space_after = Pt(after)
    if before is not None:
        fmt.space_before = Pt(before)
    if keep:
        fmt.keep_with_next = True
    if text:
        run = para.add_run(text)
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size)
        run.font.name = FONT
        if role is not None and form(role).underline:
            run.underline = True
    return para


def tag(container, text: str):
    """A paragraph that holds only a docxtpl paragraph tag ({%p …%}); docxtpl removes it."""
    return p(container, text, indent=0, after=0)


def rule(container, width_cm: float, cell_cm: float, role=None):
    """A short horizontal rule: a bottom border on an empty paragraph indented to `width_cm`;
    a `role` (type_sizes.RULES) has its indents set at render time from the text above it."""
    para = p(container, "", align=CENTER, indent=0, after=0, size=2)
    if role is not None:
        para.style = ROLE_STYLE.format(role)
    side = max((cell_cm - width_cm) / 2, 0)
    para.paragraph_format.left_indent = Cm(side)
    para.paragraph_format.right_indent = Cm(side)
    ppr = para._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)
    run = para.add_run("")
    run.font.size = Pt(2)
    return para


def computed_rule(container, role: str, width_cm: float, cell_cm: float):
    """A rule whose length follows the text above it (ND30: 1/3 to 1/2 of the longest line; HD36:
    the length of «ĐẢNG CỘNG SẢN VIỆT NAM»): the render sets its indents (render.apply_roles);
    `width_cm` is the length a template keeps if nothing sets them."""
    return rule(container, width_cm, cell_cm, role=role)


def _cell(cell, width: float):
    cell.width = Cm(width)
    cell.paragraphs[0].paragraph_format.first_line_indent = Cm(0)
    return cell


def _widths(table, widths: list[float]) -> None:
    """Set the grid columns too: LibreOffice and Word lay the table out from tblGrid."""
    table.autofit = False
    for col, w in zip(table.columns, widths, strict=True):
        col.width = Cm(w)
        for cell in col.cells:
            cell.width = Cm(w)


def _keep_rows_whole(table, header_rows: int = 0) -> None:
    """No row breaks across pages (w:cantSplit); the first `header_rows` repeat on every page
    (w:tblHeader)."""
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))


def fit(headers: list[str], widths: list[float], size: int = 13) -> list[float]:
    """Widths that hold each heading word whole ("Hạng" never wraps): a column narrower than
    its longest heading word (bold, plus the cell margins) is widened, the widest column pays."""
    from tdkt_cli.documents.wording import text_cm

    need = [max(text_cm(w, size, True) for w in h.split()) + 0.45 if h else 0.8 for h in headers]
    out = [max(w, n) for w, n in zip(widths, need, strict=True)]
    extra = sum(out) - sum(widths)
    if extra > 0:
        widest = out.index(max(out))
        out[widest] = max(out[widest] - extra, need[widest])
    return [round(w, 2) for w in out]


def _no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def header(doc, *, number=True, date=True):
    left_w, right_w = 6.5, 10.0
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    _widths(table, [left_w, right_w])
    left, right = _cell(table.cell(0, 0), left_w), _cell(table.cell(0, 1), right_w)
    p(left.paragraphs[0], "{{ header.parent }}", role="parent", align=CENTER, indent=0, after=0)
    p(left, "{{ header.issuer }}", role="issuer", align=CENTER, indent=0, after=0)
    # the Party style (HD36) puts "*" under the issuer where ND30 draws a rule
    p(left, "{%p if header.mark %}", indent=0, after=0)
    p(left, "{{ header.mark }}", role="mark", align=CENTER, indent=0, after=0)
    p(left, "{%p else %}", indent=0, after=0)
    computed_rule(left, "issuer_rule", 3.0, left_w)
    p(left, "{%p endif %}", indent=0, after=0)
    if number:
        p(left, "{{ header.number }}", role="number", align=CENTER, indent=0, after=0, before=4)
    p(
        right.paragraphs[0],
        "{{ header.national }}",
        role="national",
        align=CENTER,
        indent=0,
        after=0,
    )
    # ND30: the Tiêu ngữ under the Quốc hiệu; HD36 has none (the rule goes under the title line)
    p(right, "{%p if header.motto %}", indent=0, after=0)
    p(right, "{{ header.motto }}", role="motto", align=CENTER, indent=0, after=0)
    p(right, "{%p endif %}", indent=0, after=0)
    computed_rule(right, "national_rule", 6.3, right_w)
    if date:
        p(
            right,
            "{{ header.place_date }}",
            role="place_date",
            align=CENTER,
            indent=0,
            after=0,
            before=6,
        )
    return table


def title(doc, text="{{ title }}"):
    p(doc, text, role="title", align=CENTER, indent=0, after=0, before=18, keep=True)
    p(doc, "{{ subject }}", role="subject", align=CENTER, indent=0, after=0, keep=True)
    computed_rule(doc, "subject_rule", 5.0, WIDTH)
    p(doc, "", indent=0, after=0)


def heading(doc, text: str):
    return p(doc, text, bold=True, keep=True)


def body(doc, text: str):
    return p(doc, text)


def section(doc, key: str, last: bool = False):
    """The clerk's paragraphs; `last` ends the text with "./." (ND30 Phụ lục III)."""
    tag(doc, f"{{%p for para in sections.{key}.paragraphs %}}")
    if last:
        # the last paragraph keeps with the signature that follows: no page with only a signature
        tag(doc, "{%p if loop.last %}")
        p(doc, "{{ para }}./.", keep=True)
        tag(doc, "{%p else %}")
        body(doc, "{{ para }}")
        tag(doc, "{%p endif %}")
    else:
        body(doc, "{{ para }}")
    tag(doc, "{%p endfor %}")


def grid(doc, headers: list[str], cells: list[str], loop: str, widths: list[float], left=(1,)):
    """A bordered table: a header row, and one row per item of `loop` ("r in members"); the
    columns in `left` are text, aligned left, the others centred."""
    widths = fit(headers, widths)
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, (h, w) in enumerate(zip(headers, widths, strict=True)):
        p(
            _cell(table.cell(0, i), w).paragraphs[0],
            h,
            bold=True,
            size=13,
            align=CENTER,
            indent=0,
            after=0,
        )
        for r in (1, 2, 3):
            _cell(table.cell(r, i), w)
    _widths(table, widths)
    p(table.cell(1, 0).paragraphs[0], f"{{%tr for {loop} %}}", size=13, indent=0, after=0)
    for i, c in enumerate(cells):
        align = LEFT if i in left else CENTER
        p(table.cell(2, i).paragraphs[0], c, size=13, align=align, indent=0, after=0)
    p(table.cell(3, 0).paragraphs[0], "{%tr endfor %}", size=13, indent=0, after=0)
    _keep_rows_whole(table, header_rows=1)
    return table


def signature(doc, *, recipients=True):
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    _widths(table, [7.5, 9.0])
    _keep_rows_whole(table)
    left, right = _cell(table.cell(0, 0), 7.5), _cell(table.cell(0, 1), 9.0)
    if recipients:
        recipients_cell(left)
    p(
        right.paragraphs[0],
        "{{ signature.authority }}",
        role="authority",
        align=CENTER,
        indent=0,
        after=0,
    )
    p(right, "{{ signature.title }}", role="sign_title", align=CENTER, indent=0, after=0)
    p(right, "{{ signature.position }}", role="sign_title", align=CENTER, indent=0, after=0)
    for _ in range(4):
        p(right, "", indent=0, after=0)
    p(right, "{{ signature.name }}", role="sign_name", align=CENTER, indent=0, after=0)


def signature_rows(doc, rows: str, title: str | None, name: str):
    """Signatures side by side, three to a row, one row pair per item of `rows` (rows of three):
    the titles in one table row, the names (after room to sign) in the next, so names line up.

    `title` and `name` are expressions with {i} for the column, e.g. "row[{i}].title"."""
    table = doc.add_table(rows=4, cols=3)
    _no_borders(table)
    _widths(table, [5.5, 5.5, 5.5])
    _keep_rows_whole(table)
    p(table.cell(0, 0).paragraphs[0], f"{{%tr for row in {rows} %}}", indent=0, after=0)
    for i in range(3):
        guard = f"if row|length > {i} else ''"
        if title:
            p(
                table.cell(1, i).paragraphs[0],
                f"{{{{ {title.format(i=i)} {guard} }}}}",
                role="sign_title",
                align=CENTER,
                indent=0,
                after=0,
                keep=True,
            )
        last = p(
            table.cell(2, i).paragraphs[0],
            f"{{{{ {name.format(i=i)} {guard} }}}}",
            role="sign_name",
            align=CENTER,
            indent=0,
            after=6,
        )
        last.paragraph_format.space_before = Cm(2.5)
    p(table.cell(3, 0).paragraphs[0], "{%tr endfor %}", indent=0, after=0)
    return table


def vote_block(doc, item: str):
    grid(
        doc,
        ["STT", "Đơn vị", "Số phiếu", "Tỷ lệ", "Kết quả"],
        [
            "{{ r.no }}",
            "{{ r.name }}",
            "{{ r.votes }}/{{ r.base }}",
            "{{ r.share }}",
            "{{ r.verdict }}",
        ],
        f"r in {item}.results",
        [1.4, 7.1, 2.5, 2.5, 3.0],
    )


# --- the documents ---------------------------------------------------------------------------


def report():
    doc = new_document()
    header(doc)
    title(doc)
    p(doc, "Kính gửi: {{ addressee }}.", align=CENTER, indent=0, after=12)
    body(
        doc,
        "Thực hiện Quy chế hoạt động của {{ bloc_name }}, đơn vị {{ profile.head }} báo cáo kết quả "
        "công tác thi đua, khen thưởng {{ period }}{% if period_range %} ({{ period_range }})"
        "{% endif %} như sau:",
    )
    heading(doc, "I. KẾT QUẢ CÔNG TÁC THI ĐUA, KHEN THƯỞNG {{ period|upper }}")
    heading(doc, "1. {{ sections.direction.title }}")
    body(
        doc,
        "{{ bloc_name }} {{ year_words }} gồm {{ members_count }} đơn vị thành viên; đơn vị "
        "{{ profile.head }}: {{ head }}; đơn vị {{ profile.deputy }}: {{ deputy }}.{% if groups %} {{ profile.Word }} chia thành "
        "{{ '%02d'|format(groups|length) }} nhóm: {{ groups|join_vi }}.{% endif %}",
    )
    tag(doc, "{%p if meetings %}")
    body(
        doc,
        "Trong {{ period }}, {{ profile.word }} đã tổ chức {{ '%02d'|format(meetings|length) }} hội nghị:",
    )
    tag(doc, "{%p for m in meetings %}")
    body(
        doc,
        "- {{ m.label }}, {{ m.date }}; có mặt {{ m.present }} đơn vị.",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if held_at %}")
    body(doc, "Báo cáo này được trình tại {{ held_at }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for a in activities %}")
    body(
        doc,
        "- Hoạt động chung: {{ a.purpose }}, ngày {{ a.date }}, tại {{ a.place }}{% if a.given %}; "
        "{{ a.given }}{% endif %}; kinh phí {{ a.total }} đồng ({{ a.total_words }}) "
        "do các đơn vị thành viên đóng góp.",
    )
    tag(doc, "{%p endfor %}")
    body(
        doc,
        "Đăng ký thi đua: {% if registered %}{{ registered }} đơn vị đã đăng ký{% if not_registered %}; "
        "chưa đăng ký: {{ not_registered|join_vi }}{% endif %}{% else %}[…cần bổ sung…]{% endif %}. "
        "Giao ước thi đua: {% if covenant %}các đơn vị thành viên đã ký {{ covenant }}"
        "{% else %}[…cần bổ sung…]{% endif %}.",
    )
    section(doc, "direction")
    heading(doc, "2. {{ sections.results.title }}")
    tag(doc, "{%p if movements and not sections.results.filled %}")
    body(doc, "Các đơn vị thành viên tham gia các phong trào thi đua: {{ movements|join_vi }}.")
    tag(doc, "{%p endif %}")
    section(doc, "results")
    for with_group in (True, False):
        tag(doc, "{%p if groups %}" if with_group else "{%p else %}")
        grid(
            doc,
            [
                "STT",
                "Đơn vị",
                *(["Nhóm"] if with_group else []),
                "Đăng ký thi đua",
                "Đề nghị khen thưởng",
            ],
            [
                "{{ r.no }}",
                "{{ r.name }}",
                *(["{{ r.group }}"] if with_group else []),
                "{{ r.registered }}",
                "{{ r.proposed }}",
            ],
            "r in members",
            [1.3, 5.4, 2.4, 3.9, 3.5] if with_group else [1.3, 6.7, 4.5, 4.0],
        )
    tag(doc, "{%p endif %}")
    p(doc, "", after=0)
    heading(doc, "3. {{ sections.exemplars.title }}")
    tag(doc, "{%p if exemplar_counts and not sections.exemplars.filled %}")
    body(
        doc,
        "Trong {{ period }}, các đơn vị trong {{ profile.word }} đã lựa chọn, biểu dương {{ exemplar_counts }}.",
    )
    tag(doc, "{%p endif %}")
    section(doc, "exemplars")
    tag(doc, "{%p if kind == 'annual' %}")
    heading(doc, "4. Kết quả chấm điểm, bình xét, suy tôn")
    tag(doc, "{%p if standings %}")
    for with_group in (True, False):
        tag(doc, "{%p if groups %}" if with_group else "{%p else %}")
        grid(
            doc,
            [
                "Hạng",
                "Đơn vị",
                *(["Nhóm"] if with_group else []),
                "Tổng điểm",
                "Xếp loại",
                "Nguồn điểm",
            ],
            [
                "{{ s.rank }}",
                "{{ s.name }}",
                *(["{{ s.group }}"] if with_group else []),
                "{{ s.total }}",
                "{{ s.band }}",
                "{{ s.source }}",
            ],
            "s in standings",
            [1.6, 5.3, 2.2, 2.3, 2.3, 2.8] if with_group else [1.6, 7.0, 2.6, 2.5, 2.8],
        )
    tag(doc, "{%p endif %}")
    p(doc, "", after=0)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for v in votes %}")
    p(
        doc,
        "{{ loop.index }}) {{ v.award_name }}{% if v.round > 1 %} (bỏ phiếu lại vòng {{ v.round }}){% endif %}",
        bold=True,
        keep=True,
    )
    vote_block(doc, "v")
    body(doc, "{{ v.outcome }}")
    tag(doc, "{%p for n in v.notes %}")
    body(doc, "{{ n }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    # the proposals agreed without a ballot are told too, with how and the figures
    tag(doc, "{%p for sentence in agreed %}")
    body(doc, "{{ sentence }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not votes and not agreed %}")
    body(doc, "Kết quả bình xét, suy tôn: […cần bổ sung…]")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    heading(doc, "{{ '5' if kind == 'annual' else '4' }}. Đánh giá chung")
    for letter, key in (("a", "strengths"), ("b", "shortcomings"), ("c", "causes")):
        p(doc, f"{letter}) {{{{ sections.{key}.title }}}}", bold=True, italic=True, keep=True)
        section(doc, key)
    heading(
        doc,
        "II. {{ ('PHƯƠNG HƯỚNG, NHIỆM VỤ ' ~ next_year_words if kind == 'annual' else "
        "'NHIỆM VỤ TRỌNG TÂM 6 THÁNG CUỐI ' ~ year_words)|upper }}",
    )
    section(doc, "tasks")
    tag(doc, "{%p if kind == 'annual' %}")
    # kept with section III and the signature: the signed page holds more than one line of text
    p(
        doc,
        "Đơn vị {{ profile.head }} {{ next_year_words }}: {{ next_head }}; đơn vị "
        "{{ profile.deputy }}: {{ next_deputy }}.",
        keep=True,
    )
    tag(doc, "{%p endif %}")
    heading(doc, "III. {{ sections.proposals.title|upper }}")
    section(doc, "proposals", last=True)
    signature(doc)
    return doc


def minutes():
    """ND30 Phụ lục III, Mẫu 1.9: time, place, participants, chair, secretary, content, the end
    time, THƯ KÝ left and CHỦ TỌA right, Nơi nhận ending "- Lưu: VT, Hồ sơ."."""
    doc = new_document()
    header(doc, date=False)
    title(doc)
    body(doc, "Thời gian bắt đầu: {{ start }}, {{ time }}.")
    body(doc, "Địa điểm: {{ place }}.")
    body(
        doc,
        "Thành phần tham dự: {{ present_count }} đơn vị thành viên: {{ present|join_vi }}."
        "{% if absent %} Vắng mặt: {{ absent|join_vi }}.{% endif %}",
    )
    tag(doc, "{%p if guests %}")
    body(doc, "Khách mời: {{ guests|join_vi }}.")
    tag(doc, "{%p endif %}")
    body(doc, "Chủ trì (chủ tọa): {{ chair }}.")
    body(doc, "Thư ký (người ghi biên bản): {{ secretary }}.")
    heading(doc, "NỘI DUNG")
    tag(doc, "{%p if note %}")
    body(doc, "{{ note }}")
    tag(doc, "{%p endif %}")
    section(doc, "content")
    tag(doc, "{%p for v in votes %}")
    body(
        doc,
        "Kết quả bỏ phiếu {{ v.award_name }}{% if v.round > 1 %} (bỏ phiếu lại vòng {{ v.round }}){% endif %}: "
        "{{ v.explanation }}",
    )
    tag(doc, "{%p for n in v.notes %}")
    body(doc, "{{ n }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for sentence in agreed %}")
    body(doc, "{{ sentence }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if covenant_year %}")
    body(doc, "Các đơn vị thành viên đã ký giao ước thi đua năm {{ covenant_year }}.")
    tag(doc, "{%p endif %}")
    heading(doc, "KẾT LUẬN")
    section(doc, "conclusions")
    body(
        doc,
        "Hội nghị kết thúc vào {{ end }} cùng ngày. Biên bản được lập xong và thông qua tại hội nghị./.",
    ).paragraph_format.keep_with_next = True
    # one chair: Nơi nhận beside THƯ KÝ and CHỦ TỌA, as in the reports; co-chairs: each signs in
    # a block of their own beside THƯ KÝ, and Nơi nhận comes under them (no room for four columns)
    tag(doc, "{%p if chair_signatures|length == 1 %}")
    minutes_signatures(doc)
    tag(doc, "{%p else %}")
    _minutes_signatures(doc, ["chair_signatures[0]", "chair_signatures[1]"], 5.5)
    recipients_block(doc)
    tag(doc, "{%p endif %}")
    return doc


def minutes_signatures(doc):
    """Nơi nhận beside the signatures, as in the reports: Nơi nhận on the left (one cell over
    both rows), THƯ KÝ and CHỦ TỌA to the right, their titles in one row and their names in the
    next so the names line up; no row splits and the titles keep with the names. Nơi nhận is
    5.9 cm wide: «- Các đơn vị thành viên khối;» at HD 36's 12 pt takes 5.0 cm of text plus the
    cell's margins, and wrapped its last word in 5 cm."""
    widths = [5.9, 5.3, 5.3]
    table = doc.add_table(rows=2, cols=3)
    _no_borders(table)
    _widths(table, widths)
    _keep_rows_whole(table)
    recipients = table.cell(0, 0).merge(table.cell(1, 0))
    _cell(recipients, widths[0])
    recipients_cell(recipients)
    left, right = _cell(table.cell(0, 1), widths[1]), _cell(table.cell(0, 2), widths[2])
    p(left.paragraphs[0], "THƯ KÝ", role="sign_title", align=CENTER, indent=0, after=0, keep=True)
    p(
        left,
        "{{ secretary_signature.position }}",
        role="sign_title",
        align=CENTER,
        indent=0,
        after=0,
        keep=True,
    )
    p(
        right.paragraphs[0],
        "{{ signature.title }}",
        role="sign_title",
        align=CENTER,
        indent=0,
        after=0,
        keep=True,
    )
    tag(right, "{%p for c in chair_signatures %}")
    p(right, "{{ c.position }}", role="sign_title", align=CENTER, indent=0, after=0, keep=True)
    tag(right, "{%p endfor %}")
    sec = p(
        _cell(table.cell(1, 1), widths[1]).paragraphs[0],
        "{{ secretary_signature.name }}",
        role="sign_name",
        align=CENTER,
        indent=0,
        after=0,
    )
    sec.paragraph_format.space_before = Cm(3.0)
    chairs = p(
        _cell(table.cell(1, 2), widths[2]).paragraphs[0],
        "{{ chair_signatures|map(attribute='name')|join_vi }}",
        role="sign_name",
        align=CENTER,
        indent=0,
        after=0,
    )
    chairs.paragraph_format.space_before = Cm(3.0)
    return table


def recipients_cell(cell):
    """ "Nơi nhận" in the left cell of a signature table: ND30 12 pt bold italic, the list 11 pt
    (HD36 at render time: 14 underlined, the list 12)."""
    p(cell.paragraphs[0], "{%p if recipients %}", indent=0, after=0)
    p(cell, "Nơi nhận:", role="recipients_label", align=LEFT, indent=0, after=0, keep=True)
    p(cell, "{%p for r in recipients %}", indent=0, after=0)
    p(cell, "{{ r }}", role="recipients", align=LEFT, indent=0, after=0, keep=True)
    p(cell, "{%p endfor %}", indent=0, after=0)
    p(cell, "{%p endif %}", indent=0, after=0)


def _minutes_signatures(doc, chairs: list[str], width: float) -> None:
    """The signatures of the minutes side by side, names on one line: THƯ KÝ, then one block
    per chair in `chairs` (expressions of the context), each with its role, title and name; a
    third co-chair and more sign in a row below, under the last column."""
    cols = 1 + len(chairs)
    table = doc.add_table(rows=2, cols=cols)
    _no_borders(table)
    _widths(table, [width] * cols)
    _keep_rows_whole(table)
    people = [("THƯ KÝ", "secretary_signature")] + [(f"{{{{ {c}.title }}}}", c) for c in chairs]
    for i, (role, who) in enumerate(people):
        top = _cell(table.cell(0, i), width)
        p(top.paragraphs[0], role, role="sign_title", align=CENTER, indent=0, after=0, keep=True)
        p(
            top,
            f"{{{{ {who}.position }}}}",
            role="sign_title",
            align=CENTER,
            indent=0,
            after=0,
            keep=True,
        )
        name = p(
            _cell(table.cell(1, i), width).paragraphs[0],
            f"{{{{ {who}.name }}}}",
            role="sign_name",
            align=CENTER,
            indent=0,
            after=0,
        )
        name.paragraph_format.space_before = Cm(3.0)
    if len(chairs) < 2:
        return
    row = table.add_row()
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    first = _cell(row.cells[0], width)
    p(first.paragraphs[0], "{%tr for s in chair_signatures[2:] %}", indent=0, after=0)
    row = table.add_row()
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    last = _cell(row.cells[cols - 1], width)
    p(
        last.paragraphs[0],
        "{{ s.title }}",
        role="sign_title",
        align=CENTER,
        indent=0,
        after=0,
        keep=True,
    )
    p(last, "{{ s.position }}", role="sign_title", align=CENTER, indent=0, after=0, keep=True)
    name = p(last, "{{ s.name }}", role="sign_name", align=CENTER, indent=0, after=0)
    name.paragraph_format.space_before = Cm(3.0)
    row = table.add_row()
    end = _cell(row.cells[0], width)
    p(end.paragraphs[0], "{%tr endfor %}", indent=0, after=0)


def recipients_block(doc):
    """ "Nơi nhận" under a signature table (minutes): 12 pt bold italic, the list 11 pt."""
    p(
        doc,
        "Nơi nhận:",
        role="recipients_label",
        align=LEFT,
        indent=0,
        after=0,
        before=12,
        keep=True,
    )
    tag(doc, "{%p for r in recipients %}")
    p(doc, "{{ r }}", role="recipients", align=LEFT, indent=0, after=0, keep=True)
    tag(doc, "{%p endfor %}")


def tally():
    """Count minutes as real ones read: time and place, the committee with roles, the secret
    ballot, ballots issued / received / valid / invalid, the rule, votes per unit with the
    share, the result, the time it was read out, the committee's signatures."""
    doc = new_document()
    header(doc, date=False)
    title(doc)
    body(
        doc,
        "Hôm nay, vào lúc {{ start }}, {{ date_plain }}, tại {{ place }}, trong chương trình "
        "{{ meeting_title }}, Ban kiểm phiếu gồm:",
    )
    tag(doc, "{%p for line in committee_lines %}")
    body(doc, "{{ loop.index }}. {{ line }};")
    tag(doc, "{%p endfor %}")
    body(
        doc,
        "đã tiến hành kiểm phiếu bầu đơn vị đề nghị tặng {{ vote.award_name }}{% if vote.round > 1 %} "
        "(bỏ phiếu lại vòng {{ vote.round }}){% endif %}; hình thức: bỏ phiếu kín. Kết quả như sau:",
    )
    body(
        doc,
        "- Tổng số đơn vị thành viên: {{ vote.members }}; số đơn vị có mặt: {{ vote.present }}.",
    )
    body(doc, "- {{ vote.counts }}")
    body(doc, "- Quy định: đơn vị được đề nghị phải {{ vote.rule }}.")
    body(doc, "- Số phiếu của từng đơn vị (tỷ lệ trên {{ vote.base_words }}):")
    vote_block(doc, "vote")
    p(doc, "", after=0)
    body(doc, "Kết quả: {{ vote.outcome }}")
    tag(doc, "{%p for n in vote.notes %}")
    body(doc, "{{ n }}")
    tag(doc, "{%p endfor %}")
    body(
        doc,
        "Biên bản kiểm phiếu được lập xong và công bố tại hội nghị vào lúc {{ read_at }} cùng "
        "ngày./.",
    ).paragraph_format.keep_with_next = True
    p(doc, "BAN KIỂM PHIẾU", bold=True, align=CENTER, indent=0, before=6, after=6, keep=True)
    signature_rows(doc, "committee_rows", "row[{i}].title", "row[{i}].name")
    return doc


def proposal():
    doc = new_document()
    header(doc)
    title(doc)
    p(
        doc,
        "Kính gửi: {{ addressee }}{% if through %} (qua {{ through }}){% endif %}.",
        align=CENTER,
        indent=0,
        after=12,
    )
    tag(doc, "{%p for line in legal_basis %}")
    p(doc, "{{ line }}", italic=True)
    tag(doc, "{%p endfor %}")
    body(
        doc,
        "Tại {{ meeting_words }}, {{ bloc_name }} ({{ members_count }} đơn vị "
        "thành viên) {{ decided }}{% if votes %}, theo biên bản kiểm phiếu gửi kèm{% endif %}; "
        "{{ bloc_name }} kính đề nghị {{ profile.decider }} xem xét, khen thưởng:",
    )
    for n, (key, label) in enumerate(
        (
            ("flags", "Tặng {{ flag_award }} (đơn vị {{ profile.leading }})"),
            ("certificates", "Tặng {{ certificate_award }}"),
        )
    ):
        tag(doc, f"{{%p if {key} %}}")
        number = "1" if n == 0 else "{{ '2' if flags else '1' }}"
        p(doc, f"{number}. {label}:", bold=True, keep=True)
        # the votes' columns only when the bloc voted: a consensus has no figures to print
        tag(doc, "{%p if with_votes %}")
        grid(
            doc,
            ["STT", "Đơn vị", "Số phiếu", "Tỷ lệ"],
            ["{{ r.no }}", "{{ r.name }}", "{{ r.votes }}", "{{ r.share }}"],
            f"r in {key}",
            [1.4, 9.1, 3.0, 3.0],
        )
        tag(doc, "{%p else %}")
        grid(doc, ["STT", "Đơn vị"], ["{{ r.no }}", "{{ r.name }}"], f"r in {key}", [1.4, 15.1])
        tag(doc, "{%p endif %}")
        p(doc, "", after=0)
        tag(doc, "{%p endif %}")
    # the enclosures, the closing line and the signature keep together: the last page is never
    # the signature with one line of text
    p(doc, "Hồ sơ kèm theo:", keep=True)
    tag(doc, "{%p for e in enclosures %}")
    p(doc, "- {{ e }}.", keep=True)
    tag(doc, "{%p endfor %}")
    p(doc, "Kính trình {{ profile.decider }} xem xét, quyết định./.", keep=True)
    signature(doc)
    return doc


def covenant():
    doc = new_document()
    header(doc, number=False)
    title(doc)
    body(
        doc,
        "Hôm nay, {{ signed_on }}, các đơn vị thành viên {{ bloc_name }} cùng ký giao ước thi "
        "đua {{ year_words }} với các nội dung sau:",
    )
    tag(doc, "{%p for line in commitments %}")
    body(doc, "{{ loop.index }}. {{ line }}")
    tag(doc, "{%p endfor %}")
    covenant_pledges(doc)
    p(
        doc,
        "Giao ước này được các đơn vị thành viên nhất trí ký kết và cùng thực hiện./.",
        keep=True,
    )
    p(
        doc,
        "ĐẠI DIỆN CÁC ĐƠN VỊ THÀNH VIÊN",
        bold=True,
        align=CENTER,
        indent=0,
        before=12,
        after=12,
        keep=True,
    )
    covenant_cells(doc)
    return doc


def covenant_pledges(doc):
    """What each member registered (`tdkt pledge record`), as real covenants list it: the next
    numbered point and a table of unit, registered titles and targets; none when nobody
    registered."""
    tag(doc, "{%p if registrations %}")
    body(
        doc,
        "{{ commitments|length + 1 }}. Các đơn vị thành viên đăng ký danh hiệu thi đua và chỉ "
        "tiêu {{ year_words }} như sau:",
    )
    grid(
        doc,
        ["STT", "Đơn vị", "Danh hiệu đăng ký", "Chỉ tiêu"],
        ["{{ r.no }}", "{{ r.name }}", "{{ r.titles }}", "{{ r.targets }}"],
        "r in registrations",
        [1.4, 5.0, 4.6, 5.5],
        left=(1, 2, 3),
    )
    p(doc, "", after=0)
    tag(doc, "{%p endif %}")


def covenant_cells(doc):
    """Three members to a row; each cell: "TM. <UNIT>", the title, about 3.5 cm for the signature
    and seal, the name line. Titles and names sit in rows of their own, so the names line up."""
    table = doc.add_table(rows=4, cols=3)
    _no_borders(table)
    _widths(table, [5.5, 5.5, 5.5])
    _keep_rows_whole(table)
    p(table.cell(0, 0).paragraphs[0], "{%tr for row in signer_cells %}", indent=0, after=0)
    for i in range(3):
        guard = f"if row|length > {i} else ''"
        top = table.cell(1, i)
        p(
            top.paragraphs[0],
            f"{{{{ row[{i}].authority {guard} }}}}",
            role="cell_unit",
            align=CENTER,
            indent=0,
            after=0,
            keep=True,
        )
        p(
            top,
            f"{{{{ row[{i}].title {guard} }}}}",
            role="cell_title",
            align=CENTER,
            indent=0,
            after=0,
            keep=True,
        )
        name = p(
            table.cell(2, i).paragraphs[0],
            f"{{{{ row[{i}].name {guard} }}}}",
            role="cell_name",
            align=CENTER,
            indent=0,
            after=12,
        )
        name.paragraph_format.space_before = Cm(3.5)
    p(table.cell(3, 0).paragraphs[0], "{%tr endfor %}", indent=0, after=0)
    return table


def ballot_copy(doc, first: bool):
    """One ballot, half an A4 page: the organiser's stamp place, title, instruction, large boxes."""
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    _widths(table, [6.0, 10.5])
    left, right = _cell(table.cell(0, 0), 6.0), _cell(table.cell(0, 1), 10.5)
    p(
        left.paragraphs[0],
        "{{ header.issuer }}",
        bold=True,
        size=12,
        align=CENTER,
        indent=0,
        after=0,
    )
    p(
        left,
        "(Dấu của đơn vị tổ chức)",
        italic=True,
        size=11,
        align=CENTER,
        indent=0,
        after=0,
        before=18,
    )
    p(right.paragraphs[0], "{{ title }}", bold=True, size=14, align=CENTER, indent=0, after=0)
    p(right, "{{ subject }}", bold=True, size=13, align=CENTER, indent=0, after=0)
    p(doc, "{{ instruction }}", size=12, after=3, before=3)
    widths = fit(["STT", "Tên đơn vị", "Đồng ý"], [1.3, 12.2, 3.0])
    grid_table = doc.add_table(rows=4, cols=3)
    grid_table.style = doc.styles["Table Grid"]
    grid_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid_table.autofit = False
    for i, h in enumerate(["STT", "Tên đơn vị", "Đồng ý"]):
        p(
            _cell(grid_table.cell(0, i), widths[i]).paragraphs[0],
            h,
            bold=True,
            size=12,
            align=CENTER,
            indent=0,
            after=0,
        )
    _widths(grid_table, widths)
    p(
        grid_table.cell(1, 0).paragraphs[0],
        "{%tr for name in candidates %}",
        size=12,
        indent=0,
        after=0,
    )
    for i, c in enumerate(["{{ loop.index }}", "{{ name }}", "☐"]):
        p(
            grid_table.cell(2, i).paragraphs[0],
            c,
            size=16 if i == 2 else 12,
            align=LEFT if i == 1 else CENTER,
            indent=0,
            after=0,
        )
    p(grid_table.cell(3, 0).paragraphs[0], "{%tr endfor %}", size=12, indent=0, after=0)
    _keep_rows_whole(grid_table, header_rows=1)
    if first:
        cut = p(
            doc,
            "✂ - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -",
            size=11,
            align=CENTER,
            indent=0,
            before=12,
            after=12,
        )
        cut.paragraph_format.keep_with_next = False


def ballot():
    """Two ballots to an A4 page with a cut line between them."""
    doc = new_document()
    ballot_copy(doc, first=True)
    ballot_copy(doc, first=False)
    return doc


BUILDERS = {
    "report": report,
    "minutes": minutes,
    "tally": tally,
    "proposal": proposal,
    "covenant": covenant,
    "ballot": ballot,
}


def build(name: str) -> bytes:
    """The template's bytes, deterministic (fixed zip times and dates) so the check test can compare."""
    from tdkt_cli.documents.package import deterministic, fix_dates

    doc = BUILDERS[name]()
    fix_dates(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return deterministic(buffer.getvalue())


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name in BUILDERS:
        (OUT / f"{name}.docx").write_bytes(build(name))
        print(OUT / f"{name}.docx")


if __name__ == "__main__":
    sys.exit(main())
