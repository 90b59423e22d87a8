"""Type sizes and forms of the lines a document is made of ("roles"), for the state format (ND30,
Nghị định 30/2020/NĐ-CP, Phụ lục I) and the Party's (HD36, Hướng dẫn 36-HD/VPTW, Phụ lục 3);
the figures and their sources are in docs/research/type_sizes.md.

tools/build_docx.py writes each role's paragraph with the paragraph style ROLE_STYLE.format(role)
and the ND30 form; a Party document gets the HD36 form at render time (render.apply_roles), so
one template serves both and nothing of it sits in an XML attribute an office suite would drop.
A rule role has no type: its length is computed from the text above it, at render time.
"""

from __future__ import annotations

from typing import NamedTuple


class Form(NamedTuple):
    size: float
    bold: bool = False
    italic: bool = False
    underline: bool = False


ROLE_STYLE = "tdkt {}"  # the paragraph style's name; its id is the name without spaces

# role: (ND30, HD36). Where the guide gives a range, the value a clerk uses (type_sizes.md).
ROLES: dict[str, tuple[Form, Form]] = {
    # header, left column: the parent body, the issuer, the Party's star, the number
    "parent": (Form(13), Form(14)),
    "issuer": (Form(13, bold=True), Form(14, bold=True)),
    "mark": (Form(13), Form(14)),
    "number": (Form(13), Form(14)),
    # header, right column: Quốc hiệu / «ĐẢNG CỘNG SẢN VIỆT NAM», Tiêu ngữ, place and date
    "national": (Form(13, bold=True), Form(15, bold=True)),
    "motto": (Form(14, bold=True), Form(14, bold=True)),
    "place_date": (Form(14, italic=True), Form(14, italic=True)),
    # tên loại and trích yếu
    "title": (Form(14, bold=True), Form(16, bold=True)),
    "subject": (Form(14, bold=True), Form(14, bold=True)),
    # the signature: quyền hạn (TM. / T/M), chức vụ, họ tên
    "authority": (Form(13, bold=True), Form(14, bold=True)),
    "sign_title": (Form(13, bold=True), Form(14)),
    "sign_name": (Form(14, bold=True), Form(14, bold=True)),
    # «Nơi nhận:» and its lines (HD36: 14 upright underlined, the list in 12)
    "recipients_label": (Form(12, bold=True, italic=True), Form(14, underline=True)),
    "recipients": (Form(11), Form(12)),
    # a member's cell in the covenant's grid, three to a row: the unit, the signer's title, name;
    # smaller than a single signature so names fit 5.5 cm, the Party's post upright as above
    "cell_unit": (Form(12, bold=True), Form(12, bold=True)),
    "cell_title": (Form(12, bold=True), Form(12)),
    "cell_name": (Form(13, bold=True), Form(13, bold=True)),
    # the page number, top centre from page 2
    "page": (Form(13), Form(14)),
}

# rules: short lines drawn as a paragraph's bottom border, their indents set at render time
RULES = ("issuer_rule", "national_rule", "subject_rule")

# lines in capitals that wrap between phrases, never inside one (wording.fit_phrases)
PHRASED = ("authority", "sign_title", "cell_unit", "cell_title")

STYLE_OF = {"nd30": 0, "hd36": 1}


def form(role: str, style: str = "nd30") -> Form:
    return ROLES[role][STYLE_OF.get(style, 0)]
