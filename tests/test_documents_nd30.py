"""The ND30 checklist (domain.md, 25 points) read back from every document kind's .docx, and the
wording rules of issue 16 (truth first, nothing said twice, Vietnamese as documents write it)."""

import io
import re
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from test_documents import DOCS, find_run, plain, render, sample, texts  # noqa: F401

from tdkt_cli.documents import wording
from tdkt_cli.documents.context import BLANK

ADMIN = ["annual", "semiannual", "minutes", "tally", "proposal", "covenant"]


def all_paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def body_text(doc):
    return "\n".join(plain(t) for t in texts(doc))


def twips(value):
    return int(value) / 635  # EMU to twips


@pytest.mark.parametrize("name", list(DOCS))
def test_nd30_checklist(sample, name):  # noqa: F811
    doc = Document(render(sample, name))
    s = doc.sections[0]
    text = body_text(doc)
    # 1 A4 portrait; 2 margins; 3 Times New Roman; 4 body 13-14 pt, justified, indent, spacing
    assert abs(s.page_width - Mm(210)) < Mm(1) and s.page_height > s.page_width
    assert Mm(19.9) <= s.top_margin <= Mm(25.1) and Mm(29.9) <= s.left_margin <= Mm(35.1)
    assert Mm(14.9) <= s.right_margin <= Mm(20.1)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and Pt(13) <= normal.font.size <= Pt(14)
    assert normal.paragraph_format.alignment == 3  # justify
    assert Mm(10) <= normal.paragraph_format.first_line_indent <= Mm(12.8)
    assert normal.paragraph_format.space_after >= Pt(6)
    # 5 page number top centre, not on page 1
    assert s.different_first_page_header_footer and "PAGE" in s.header._element.xml
    assert "{{" not in text and "{%" not in text
    if name == "ballot":
        # the ballot: two to an A4 page with a cut line, a large box, the organiser's stamp
        assert text.count("PHIẾU BẦU") == 2 and "✂" in text
        assert "(Dấu của đơn vị tổ chức)" in text and "“Đồng ý”" in text
        _, box = find_run(doc, "☐")
        assert box.font.size >= Pt(16)
        return
    # 6 Quốc hiệu caps bold 12-13; 7 Tiêu ngữ bold 13-14
    _, r = find_run(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert r.bold and Pt(12) <= r.font.size <= Pt(13)
    _, r = find_run(doc, "Độc lập - Tự do - Hạnh phúc")
    assert r.bold and Pt(13) <= r.font.size <= Pt(14)
    # 9 parent caps upright, issuer caps bold; names never break at a hyphen
    header = doc.tables[0].cell(0, 0)
    parent, issuer = header.paragraphs[0].runs[0], header.paragraphs[1].runs[0]
    assert parent.text == parent.text.upper() and not parent.bold
    assert issuer.text == issuer.text.upper() and issuer.bold
    assert " - " not in issuer.text and "- " not in issuer.text  # held by no-break spaces
    # 8, 10, 15 rules: under the issuer 1/3-1/2 of its longest line (computed from the text)
    rule_par = header.paragraphs[2]
    ind = rule_par._p.pPr.find(qn("w:ind"))
    side_cm = int(ind.get(qn("w:left"))) / 1440 * 2.54
    rule_len = wording.ISSUER_CELL_CM - 2 * side_cm
    longest = max(
        wording.text_cm(line, 13, True)
        for line in wording.lines(issuer.text, wording.ISSUER_CELL_CM, 13, True)
    )
    assert longest / 3 - 0.05 <= rule_len <= longest / 2 + 0.05
    # 11 number: "Số: …/XX-KVHXH", ký hiệu from the document code, never the command code
    if name != "covenant":
        number = next(p.text for p in header.paragraphs if p.text.startswith("Số:"))
        code = "KVHXH" if name != "semiannual" else "KTĐ3"  # a bloc without one: its initials
        assert re.fullmatch(r"Số: {4}/(BC|BB|TTr)-" + re.escape(code), number), number
        assert "-VHXH" not in number
    # 12 place-date italic, none in minutes (24)
    place_dates = [p for p in all_paragraphs(doc) if re.search(r", ngày .* năm \d{4}$", p.text)]
    if name in ("minutes", "tally"):
        assert not [p for p in place_dates if p.text.startswith("Bắc Kạn")]
    else:
        assert place_dates and all(r.italic for r in place_dates[0].runs)
    # 13 tên loại caps bold, 14 trích yếu bold, centred
    title_p = next(p for p in doc.paragraphs if p.text and p.runs and p.runs[0].font.size)
    assert title_p.runs[0].bold and title_p.text == title_p.text.upper()
    # 23 the text ends "./."
    assert "./." in text
    # 25 tables: rows do not split, header rows repeat, headings fit ("Hạng" does not wrap)
    for table in doc.tables[1:]:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:cantSplit")) is not None
        if table.style is not None and table.style.name == "Table Grid":
            assert first.trPr.find(qn("w:tblHeader")) is not None
            for cell in table.rows[0].cells:
                longest_word = max(
                    (wording.text_cm(w, 13, True) for w in cell.text.split()), default=0
                )
                assert longest_word + 0.3 <= cell.width / 360000, cell.text
    if name in ("annual", "semiannual", "proposal"):
        # 17 Kính gửi; 18 authority caps bold; 19 name bold; 21 Nơi nhận; 22 Lưu line
        assert "Kính gửi:" in text
        _, r = find_run(doc, "Nơi nhận:")
        assert r.bold and r.italic and r.font.size == Pt(12)
        _, r = find_run(doc, "- Như trên;")
        assert r.font.size == Pt(11)
        lưu = [p.text for p in all_paragraphs(doc) if p.text.startswith("- Lưu: VT,")]
        assert lưu and re.fullmatch(r"- Lưu: VT, (KVHXH|KTĐ3), \d\db\.", lưu[-1])
        if name != "semiannual":
            _, r = find_run(doc, "TM. KHỐI THI ĐUA VĂN HÓA - XÃ HỘI")
            assert r.bold
            _, r = find_run(doc, "Nguyễn Văn An")
            assert r.bold
    if name == "minutes":
        # 24 Mẫu 1.9: start and end time, place, participants, chair, secretary, THƯ KÝ left,
        # CHỦ TỌA right, Lưu: VT, Hồ sơ.
        for needle in (
            "Thời gian bắt đầu: 14 giờ 00",
            "Địa điểm:",
            "Thành phần tham dự:",
            "Chủ trì (chủ tọa):",
            "Thư ký (người ghi biên bản): Hoàng Thị Mai",
            "Hội nghị kết thúc vào 17 giờ 00 cùng ngày",
            "- Lưu: VT, Hồ sơ.",
        ):
            assert needle in text, needle
        # Nơi nhận beside the signatures (left, over both rows), as in the reports
        sign = doc.tables[-1]
        assert sign.cell(0, 0).paragraphs[0].text == "Nơi nhận:"
        assert sign.cell(1, 0)._tc is sign.cell(0, 0)._tc
        assert sign.cell(0, 1).paragraphs[0].text == "THƯ KÝ"
        assert sign.cell(0, 2).paragraphs[0].text == "CHỦ TỌA"
        assert sign.cell(1, 1).paragraphs[0].text == "Hoàng Thị Mai"  # the name, title above
        assert plain(sign.cell(0, 1).paragraphs[1].text) == "CHUYÊN VIÊN BẢO HIỂM XÃ HỘI TỈNH"
    if name == "tally":
        for needle in (
            "Hôm nay, vào lúc",
            "hình thức: bỏ phiếu kín",
            "Số phiếu phát ra: 11; số phiếu thu về: 11; số phiếu hợp lệ: 10",
            "01 phiếu không hợp lệ; không có phiếu trắng.",
            "trưởng ban",
            "công bố tại hội nghị vào lúc",
        ):
            assert needle in text, needle
        # each figure once: the count sentence is not repeated in the result
        assert text.count("Số phiếu phát ra") == 1
    if name == "covenant":
        # 20 room for signature and seal: 3-4 cm before each name; commitments numbered
        cells = doc.tables[-1]
        # no signer recorded: the unit's name, and a blank for the post (no generic title)
        assert plain(cells.cell(0, 0).paragraphs[0].text) == "BẢO HIỂM XÃ HỘI TỈNH BẮC KẠN"
        assert cells.cell(0, 0).paragraphs[1].text == "[…cần bổ sung…]"
        room = cells.cell(1, 0).paragraphs[0].paragraph_format.space_before
        assert Mm(30) <= room <= Mm(40)
        assert re.search(r"^1\. ", text, re.M) and re.search(r"^5\. ", text, re.M)


def test_no_absence_printed_as_fact(sample):  # noqa: F811
    """Khối 3 (2018) recorded no registration: a marked blank and a warning, not "00/10"."""
    out = sample.db.parent / "s.docx"
    r = sample.ok(*DOCS["semiannual"], "-o", str(out), "--force")
    text = body_text(Document(out))
    assert "00/10" not in text and "chưa ký" not in text
    assert f"Đăng ký thi đua: {BLANK}" in text
    assert "Cảnh báo: chưa có đăng ký thi đua năm 2018" in r.stderr
    annual = body_text(Document(render(sample, "annual")))
    assert f"Giao ước thi đua: {BLANK}" in annual  # the 2019 covenant is not recorded


def test_proposal_refers_to_the_count_minutes(sample):  # noqa: F811
    text = body_text(Document(render(sample, "proposal")))
    assert "theo biên bản kiểm phiếu gửi kèm" in text
    assert "Số phiếu phát ra" not in text  # the counts live in the count minutes only
    assert "Sở Y tế" in text and "81,82%" in text


def test_decision_note_and_reopen_reason_in_the_count_minutes(cli):
    cli.ok("unit", "add", "Sở A")
    cli.ok("unit", "add", "Sở B")
    cli.ok("unit", "add", "Sở C")
    cli.ok("bloc", "add", "Khối thi đua thử", "--code", "thu", "--place", "Hà Nội")
    cli.ok("bloc", "join", "thu", "1", "2", "3", "--year", "2024")
    r = cli.ok("vote", "open", "-b", "thu", "-y", "2024", "--award", "co-thi-dua", "--json")
    import json

    vote_id = json.loads(r.stdout)["id"]
    cli.ok("vote", "cast", str(vote_id), "Sở A")
    cli.ok("vote", "cast", str(vote_id), "Sở A")
    cli.ok("vote", "cast", str(vote_id), "Sở B")
    cli.ok("vote", "close", str(vote_id))
    # `vote reopen --reason` comes with branch w7's CLI; its table (m012) is already here, so the
    # reason is stored the way that command stores it.
    import sqlite3

    with sqlite3.connect(cli.db) as conn:
        conn.execute(
            "INSERT INTO vote_reopen (vote_id, at, reason) VALUES (?, '2024-07-10', ?)",
            (vote_id, "Kiểm lại phiếu thứ ba"),
        )
    out = cli.db.parent / "t.md"
    cli.ok("report", "tally", str(vote_id), "-f", "md", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "lý do: Kiểm lại phiếu thứ ba." in text
    assert "Sở A được suy tôn là đơn vị dẫn đầu khối" in text
    assert "—" not in text


def test_markdown_escapes_unit_names(cli):
    cli.ok("unit", "add", "Sở A | B *x* <y>")
    cli.ok("unit", "add", "Sở C")
    cli.ok("bloc", "add", "Khối thi đua thử", "--code", "thu", "--place", "Hà Nội")
    cli.ok("bloc", "join", "thu", "1", "2", "--year", "2024")
    text = cli.ok("report", "semiannual", "-b", "thu", "-y", "2024", "-f", "md", "-o", "-").stdout
    assert r"Sở A \| B \*x\* \<y>" in text
    assert "| Sở A | B" not in text


def test_markdown_escapes_links_code_and_underscores_in_names(cli):
    """Found by hand (w15): a secretary typed «Lê [x](http://e) C» printed in the minutes as a
    live link, and `_`, `~`, a backtick as emphasis, strike-through and code."""
    cli.ok("unit", "add", "Sở [Y tế](http://e) _x_ ~y~ `z`")
    cli.ok("unit", "add", "Sở C")
    cli.ok("bloc", "add", "Khối thi đua thử", "--code", "thu", "--place", "Hà Nội")
    cli.ok("bloc", "join", "thu", "1", "2", "--year", "2024")
    cli.ok("meeting", "log", "-b", "thu", "--date", "1/6/2024", "--kind", "so-ket",
           "--secretary", "Lê [x](http://e) C")  # fmt: skip
    text = cli.ok("report", "semiannual", "-b", "thu", "-y", "2024", "-f", "md", "-o", "-").stdout
    assert r"Sở [Y tế\](http://e) \_x\_ \~y\~ \`z\`" in text
    minutes = cli.ok("report", "minutes", "1", "-f", "md", "-o", "-").stdout
    assert "](http" not in minutes.replace(r"\](http", "") and r"Lê [x\](http://e) C" in minutes


def test_shared_wording_helpers():
    assert wording.join_vi(["A"]) == "A"
    assert wording.join_vi(["A", "B"]) == "A và B"
    assert wording.join_vi(["A", "B", "C"]) == "A, B và C"
    assert wording.join_vi(["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế", "Ban Dân tộc"]) == (
        "Sở Văn hóa, Thể thao và Du lịch; Sở Y tế và Ban Dân tộc"
    )
    assert wording.count_phrase(0, "phiếu không hợp lệ") == "không có phiếu không hợp lệ"
    assert wording.count_phrase(1, "phiếu trắng") == "01 phiếu trắng"
    assert wording.clock("08:30") == "08 giờ 30" and wording.clock(None) == BLANK
    held = wording.header_name("KHỐI THI ĐUA VĂN HÓA - XÃ HỘI")
    assert held.startswith("KHỐI THI ĐUA ") and " " not in held[len("KHỐI THI ĐUA ") :]
    assert (
        wording.keep_hyphens("Sở Lao động - Thương binh") == "Sở Lao động\u00a0-\u00a0Thương binh"
    )
    # too long for one line: it may break between words only, never inside "cơ quan", "tỉnh ủy"
    long = wording.header_name("KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG THUỘC TỈNH ỦY")
    assert "CƠ\u00a0QUAN" in long and "TỈNH\u00a0ỦY" in long
    breaks = wording.lines(long, wording.ISSUER_CELL_CM, 13, True)
    assert len(breaks) > 1 and all(not line.endswith(("CƠ", "TỈNH")) for line in breaks)


def test_libreoffice_resaved_template_renders_clean(sample, tmp_path):  # noqa: F811
    """A .docx holding docProps/core.xml twice (as LibreOffice can leave it) renders to a valid
    file with one entry per name."""
    from tdkt_cli.files.resources import templates_dir

    src = templates_dir() / "docx" / "ballot.docx"
    doubled = tmp_path / "ballot.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(doubled, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            zout.writestr("docProps/core.xml", zin.read("docProps/core.xml"))
    out = render(sample, "ballot", "docx", "--template", str(doubled))
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        names = z.namelist()
    assert len(names) == len(set(names))
    Document(out)


def test_chair_and_secretary_are_a_name_and_a_title(vhxh):
    """issue 16: the chair and secretary are two fields each, co-chairs allowed; the minutes
    print the title above the signature and the name under it."""
    cli = vhxh
    cli.ok(
        "meeting", "log", "-b", "vhxh", "--date", "15/7/2019", "--kind", "so-ket",
        "--chair", "Nguyễn Văn An", "--chair-title", "Giám đốc Bảo hiểm Xã hội tỉnh",
        "--chair", "Trần Thị Bình", "--chair-title", "Phó Giám đốc Sở Y tế",
        "--secretary", "Lê Văn Cường", "--secretary-title", "Chuyên viên",
    )  # fmt: skip
    md = cli.ok("report", "minutes", "1", "-f", "md", "-o", "-").stdout
    assert (
        "Chủ trì (chủ tọa): Nguyễn Văn An, Giám đốc Bảo hiểm Xã hội tỉnh và Trần Thị Bình, "
        "Phó Giám đốc Sở Y tế." in md
    )
    # each co-chair signs in a block of their own (issue 24, 6)
    assert (
        "| **CHUYÊN VIÊN** | **GIÁM ĐỐC BẢO HIỂM XÃ HỘI TỈNH** | **PHÓ GIÁM ĐỐC SỞ Y TẾ** |" in md
    )
    assert "| **Lê Văn Cường** | **Nguyễn Văn An** | **Trần Thị Bình** |" in md
    r = cli.fails("meeting", "edit", "1", "--chair-title", "Giám đốc")
    assert r.stderr == "Tùy chọn --chair-title cần đi kèm --chair (họ tên).\n"
    cli.fails("meeting", "edit", "1", "--chair", "A", "--chair-title", "B", "--chair-title", "C")
    cli.ok("meeting", "edit", "1", "--secretary", "Phạm Thị Dung", "--secretary-title", "Văn thư")
    assert cli.sql("SELECT secretary FROM meeting") == [("Phạm Thị Dung - Văn thư",)]
