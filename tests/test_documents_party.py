"""HD 36-HD/VPTW type sizes and forms of a Party bloc's documents (issue 23), read back from the
.docx: sample 03, the Nam Định Tỉnh ủy's khối of Party bodies, 2020."""

import pytest
from docx import Document
from docx.shared import Pt
from test_documents import find_run, plain, sample  # noqa: F401

from tdkt_cli.documents.type_sizes import ROLE_STYLE, ROLES, form

PARTY_DOCS = {
    "annual": ["report", "annual", "--bloc", "dang", "--year", "2020"],
    "proposal": ["report", "proposal", "--bloc", "cum6-tu-daklak", "--year", "2015"],
    "covenant": ["report", "covenant", "--bloc", "dang", "--year", "2020"],
    "minutes": ["report", "minutes", "3"],
}


def party(cli, name):
    out = cli.db.parent / f"party-{name}.docx"
    cli.ok(*PARTY_DOCS[name], "-o", str(out), "--force")
    return Document(str(out))


def role_paragraphs(doc):
    """(role, paragraph) for every paragraph a template marks with a role's style."""
    names = {ROLE_STYLE.format(r): r for r in ROLES}

    def walk(container):
        yield from container.paragraphs
        for table in getattr(container, "tables", []):
            for row in table.rows:
                for cell in row.cells:
                    yield from walk(cell)

    sources = [doc, *(s.header for s in doc.sections)]
    for source in sources:
        for para in walk(source):
            role = names.get(para.style.name) if para.style is not None else None
            if role is not None and para.text.strip():
                yield role, para


def check_forms(doc, style):
    seen = set()
    for role, para in role_paragraphs(doc):
        f = form(role, style)
        for run in para.runs:
            if not run.text.strip():
                continue
            assert run.font.size is not None and run.font.size.pt <= f.size, (role, run.text)
            # a signature line may be one point smaller, so that no word breaks (fit_phrases)
            assert run.font.size.pt >= f.size - 1, (role, run.text)
            assert bool(run.bold) == f.bold and bool(run.italic) == f.italic, (role, run.text)
            assert bool(run.underline) == f.underline, (role, run.text)
        seen.add(role)
    return seen


@pytest.mark.parametrize("name", list(PARTY_DOCS))
def test_party_documents_have_hd36_sizes_and_forms(sample, name):  # noqa: F811
    doc = party(sample, name)
    seen = check_forms(doc, "hd36")
    assert {"national", "issuer", "mark", "title", "subject"} <= seen, seen
    # the lines HD 36 Phụ lục 3 names, as a reader sees them
    _, r = find_run(doc, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert r.bold and r.font.size == Pt(15)
    _, r = find_run(doc, "*")
    assert r.font.size == Pt(14)
    title = next(p for p in doc.paragraphs if p.style.name == ROLE_STYLE.format("title"))
    assert title.runs[0].bold and title.runs[0].font.size == Pt(16)
    header = doc.tables[0]
    issuer = header.cell(0, 0).paragraphs[1]
    assert plain(issuer.text).startswith(("KHỐI THI ĐUA", "CỤM THI ĐUA")) and issuer.runs[0].bold
    assert issuer.runs[0].font.size == Pt(14)
    page = doc.sections[0].header.paragraphs[0]
    assert page.runs[0].font.size == Pt(14)
    if name not in ("minutes", "covenant"):
        (number,) = [p for p in header.cell(0, 0).paragraphs if p.text.startswith("Số")]
        assert not number.text.startswith("Số:") and number.runs[0].font.size == Pt(14)
    if name in ("annual", "proposal"):
        date = next(p for p in header.cell(0, 1).paragraphs if "ngày" in p.text)
        assert date.runs[0].italic and date.runs[0].font.size == Pt(14)
        # T/M, bold 14; the post in capitals, upright and not bold; «Nơi nhận:» 14 underlined
        sign = doc.tables[-1].cell(0, 1)
        authority = sign.paragraphs[0]
        assert authority.text.startswith("T/M") and authority.runs[0].bold
        assert authority.runs[0].font.size == Pt(14)
        _, r = find_run(doc, "Nơi nhận:")
        assert r.underline and not r.bold and not r.italic and r.font.size == Pt(14)
        post = sign.paragraphs[1]
        assert post.text.isupper() and not post.runs[0].bold
        assert post.runs[0].font.size == Pt(14)
        entries = [p for p in doc.tables[-1].cell(0, 0).paragraphs if p.text.startswith("- ")]
        assert entries and all(p.runs[0].font.size == Pt(12) for p in entries)


def test_state_documents_keep_nd30_sizes(sample):  # noqa: F811
    from test_documents import DOCS, render

    for name in DOCS:
        if name == "ballot":
            continue
        doc = Document(render(sample, name))
        seen = check_forms(doc, "nd30")
        assert {"national", "motto", "issuer", "title", "subject"} <= seen, (name, seen)


def rule_under_national_cm(doc):
    from docx.oxml.ns import qn

    from tdkt_cli.documents import wording

    cell = doc.tables[0].cell(0, 1)
    (rule,) = [p for p in cell.paragraphs if p.style.name == ROLE_STYLE.format("national_rule")]
    side = int(rule._p.pPr.find(qn("w:ind")).get(qn("w:left"))) / 1440 * 2.54
    return wording.HEADER_RIGHT_CM - 2 * wording.CELL_MARGIN_CM - 2 * side


def test_rule_under_the_national_line_is_as_long_as_its_line(sample):  # noqa: F811
    """ND30: the rule under the Tiêu ngữ is the Tiêu ngữ's length; HD36: the rule under «ĐẢNG
    CỘNG SẢN VIỆT NAM» is that line's length."""
    from test_documents import render

    from tdkt_cli.documents import wording

    state = Document(render(sample, "annual"))
    motto = wording.text_cm("Độc lập - Tự do - Hạnh phúc", 14, True)
    assert abs(rule_under_national_cm(state) - motto) < 0.05
    party_doc = party(sample, "annual")
    national = wording.text_cm("ĐẢNG CỘNG SẢN VIỆT NAM", 15, True)
    assert abs(rule_under_national_cm(party_doc) - national) < 0.05
