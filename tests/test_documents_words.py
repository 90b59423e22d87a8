"""The words of the documents as a signed paper has them (issue 23, the text points; issue 22,
dates and years): each case renders the real document and reads its sentences."""

from __future__ import annotations

import json
import re

import pytest

from tdkt_cli.documents.context.report import meeting_label


def _md(cli, *args: str) -> str:
    return cli.ok("report", *args, "--format", "md", "-o", "-").stdout


def _cum(cli, parent: str = "UBND TP. Hồ Chí Minh", founded: str | None = None) -> list[str]:
    cli.ok("bloc", "add", "Cụm thi đua số 10", "--code", "c10", "--parent", parent)
    names = ["UBND phường Hòa Lợi", "UBND phường Bến Cát", "UBND phường Tây Nam"]
    for n in names:
        cli.ok("unit", "add", n, *(["--founded", founded] if founded else []))
    cli.ok("bloc", "join", "c10", *names, "--year", "2025")
    cli.ok("bloc", "head", "c10", "--year", "2025", "--head", names[1], "--deputy", names[0])
    return names


@pytest.mark.parametrize(
    ("title", "kind", "label"),
    [
        (
            "Hội nghị tổng kết công tác thi đua năm 2024",
            "tong-ket",
            "Hội nghị tổng kết công tác thi đua năm 2024",
        ),
        ("Hội nghị giữa năm", "so-ket", "Hội nghị giữa năm (sơ kết 6 tháng)"),
        ("Gặp mặt đầu xuân", "khac", "Gặp mặt đầu xuân"),
        (None, "giao-ban", "Hội nghị giao ban"),
        (None, "khac", "Hội nghị"),
    ],
)
def test_a_meeting_is_named_once_with_its_kind(title, kind, label):
    assert meeting_label(title, kind) == label


def test_the_count_minutes_keep_names_as_typed(cli):
    names = _cum(cli)
    r = cli.ok(
        "meeting", "log", "-b", "c10", "--date", "26/12/2025", "--kind", "tong-ket", "--json"
    )
    meeting = json.loads(r.stdout)["id"]
    opened = [
        "vote",
        "open",
        "-b",
        "c10",
        "-y",
        "2025",
        "--award",
        "co-thi-dua",
        "--seats",
        "1",
        "--meeting",
        str(meeting),
        "--json",
    ]
    committee = ["--committee", "Nguyễn Văn An - Chủ tịch UBND phường Hòa Lợi"]
    r = cli.ok(*opened, *committee)
    vote = json.loads(r.stdout)["id"]
    for _ in range(3):
        cli.ok("vote", "cast", str(vote), names[1])
    cli.ok("vote", "close", str(vote))
    text = _md(cli, "tally", str(vote))
    assert "1. Nguyễn Văn An, Chủ tịch UBND phường Hòa Lợi: trưởng ban;" in text
    assert "phường hòa lợi" not in text
    assert "là đơn vị có số phiếu cao nhất" in text and "01 đơn vị có số phiếu" not in text
    ballot = _md(cli, "ballot", str(vote))
    assert "Bầu không quá một đơn vị" in ballot and "không quá 01" not in ballot


def test_a_proposal_by_consensus_names_its_meeting_and_attaches_no_count_minutes(cli):
    names = _cum(cli)
    cli.ok("meeting", "log", "-b", "c10", "--date", "26/12/2025", "--kind", "tong-ket")
    cli.ok(
        "award",
        "propose",
        "-b",
        "c10",
        "-y",
        "2025",
        "--unit",
        names[1],
        "--award",
        "co-thi-dua",
        "--how",
        "consensus",
    )
    text = _md(cli, "proposal", "--bloc", "c10", "--year", "2025")
    assert "Tại hội nghị tổng kết năm 2025 ngày 26 tháng 12 năm 2025" in text
    assert "đã thống nhất đề nghị" in text
    assert "kiểm phiếu" not in text
    assert "Số phiếu" not in text and "Tỷ lệ" not in text
    assert "- Biên bản hội nghị tổng kết." in text
    # the subject names what is proposed, nothing else
    assert (
        "Về việc đề nghị tặng Cờ thi đua của Ủy ban nhân dân Thành phố Hồ Chí Minh năm 2025" in text
    )
    assert "Bằng khen" not in text.split("Kính gửi")[0]
    # the proposal is dated as its meeting
    assert "Thành phố Hồ Chí Minh, ngày 26 tháng 12 năm 2025" in text
    annual = _md(cli, "annual", "--bloc", "c10", "--year", "2025")
    assert (
        "Cụm đã thống nhất đề nghị tặng Cờ thi đua của Ủy ban nhân dân Thành phố Hồ Chí Minh cho UBND phường Bến Cát."
        in annual
    )
    assert "Kết quả bỏ phiếu: […cần bổ sung…]" not in annual
    assert "Kết quả bình xét, suy tôn: […cần bổ sung…]" not in annual


def test_a_show_of_hands_is_reported_with_its_figures(cli):
    names = _cum(cli)
    cli.ok("meeting", "log", "-b", "c10", "--date", "26/12/2025", "--kind", "tong-ket")
    cli.ok(
        "award",
        "propose",
        "-b",
        "c10",
        "-y",
        "2025",
        "--unit",
        names[2],
        "--award",
        "bang-khen",
        "--how",
        "hands",
        "--agree",
        "2",
        "--present",
        "3",
    )
    annual = _md(cli, "annual", "--bloc", "c10", "--year", "2025")
    assert "biểu quyết giơ tay (02/03 đơn vị có mặt đồng ý) đề nghị tặng Bằng khen" in annual


def test_a_cum_of_units_founded_mid_year_reports_from_their_founding(cli):
    _cum(cli, founded="01/07/2025")
    cli.ok("meeting", "log", "-b", "c10", "--date", "26/12/2025", "--kind", "tong-ket")
    annual = _md(cli, "annual", "--bloc", "c10", "--year", "2025")
    assert "từ ngày 01/07/2025, ngày thành lập các đơn vị thành viên, đến ngày 31/12/2025" in annual
    assert "01/01/2025" not in annual
    assert "Số:    /BC-CTĐ10" in annual  # a ký hiệu from the name, not a blank


def test_a_school_year_blocs_papers_say_nam_hoc(cli):
    cli.ok("bloc", "add", "Cụm thi đua số 1", "--code", "c1", "--parent", "Bộ GD&ĐT")
    for n in ("Đại học Huế", "Đại học Đà Nẵng"):
        cli.ok("unit", "add", n)
    cli.ok("bloc", "join", "c1", "Đại học Huế", "Đại học Đà Nẵng", "--year", "2022")
    cli.ok("bloc", "head", "c1", "--year", "2022", "--head", "Đại học Huế")
    cli.ok("meeting", "log", "-b", "c1", "--date", "25/07/2022", "--kind", "tong-ket")
    annual = _md(cli, "annual", "--bloc", "c1", "--year", "2022")
    assert "năm học 2021 - 2022" in annual and "năm học 2022 - 2023" in annual
    assert "từ ngày 01/09/2021 đến ngày 31/08/2022" in annual
    assert "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM HỌC 2022 - 2023" in annual
    assert "năm 2022 gồm" not in annual


def _vh(cli) -> list[str]:
    """A four-member khối of Bắc Kạn, 2024, entered through the CLI."""
    names = ["Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Tư pháp", "Ban Dân tộc"]
    for n in names:
        cli.ok("unit", "add", n)
    cli.ok(
        "bloc", "add", "Khối thi đua Văn hóa - Xã hội", "--code", "vh",
        "--parent", "UBND TỈNH BẮC KẠN", "--place", "Bắc Kạn",
    )  # fmt: skip
    cli.ok("bloc", "join", "vh", *names, "--year", "2024")
    cli.ok("bloc", "head", "vh", "--year", "2024", "--head", names[0], "--deputy", names[2])
    return names


def _docx_text(path) -> str:
    import docx

    doc = docx.Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize(
    "typed",
    ["Nguyễn Văn An - Giám đốc Sở Y tế", "Nguyễn Văn An, Giám đốc Sở Y tế"],
)
def test_a_chair_typed_with_the_title_keeps_the_name_and_signs_in_plain_case(cli, typed):
    _vh(cli)
    r = cli.ok(
        "meeting", "log", "-b", "vh", "--date", "26/12/2024", "--kind", "tong-ket",
        "--chair", typed, "--secretary", "Trần Thị Bình, Chuyên viên Sở Y tế", "--json",
    )  # fmt: skip
    meeting = json.loads(r.stdout)["id"]
    # stored once as name and title, whatever the clerk typed
    assert cli.sql("SELECT chair, secretary FROM meeting") == [
        ("Nguyễn Văn An - Giám đốc Sở Y tế", "Trần Thị Bình - Chuyên viên Sở Y tế")
    ]
    text = _md(cli, "minutes", str(meeting))
    assert "Chủ trì (chủ tọa): Nguyễn Văn An, Giám đốc Sở Y tế." in text
    assert "Thư ký (người ghi biên bản): Trần Thị Bình, Chuyên viên Sở Y tế." in text
    assert "| **CHUYÊN VIÊN SỞ Y TẾ** | **GIÁM ĐỐC SỞ Y TẾ** |" in text
    assert "| **Trần Thị Bình** | **Nguyễn Văn An** |" in text
    assert "NGUYỄN VĂN AN" not in text and "[…cần bổ sung…]** |" not in text
    cli.ok("report", "minutes", str(meeting), "-o", "bb.docx")
    signed = _docx_text(cli.db.parent / "bb.docx")
    assert "Nguyễn Văn An" in signed and "NGUYỄN VĂN AN" not in signed


def test_a_title_alone_is_kept_as_the_title(cli):
    _vh(cli)
    cli.ok(
        "meeting", "log", "-b", "vh", "--date", "26/12/2024", "--kind", "tong-ket",
        "--chair", "Lãnh đạo Sở Y tế, đơn vị trưởng khối",
    )  # fmt: skip
    assert cli.sql("SELECT chair FROM meeting") == [("Lãnh đạo Sở Y tế, đơn vị trưởng khối",)]
    text = _md(cli, "minutes", "1")
    assert "| **LÃNH ĐẠO SỞ Y TẾ, ĐƠN VỊ TRƯỞNG KHỐI** |" in text


def test_co_chairs_sign_in_two_blocks_side_by_side(cli):
    _vh(cli)
    cli.ok(
        "meeting", "log", "-b", "vh", "--date", "26/12/2024", "--kind", "tong-ket",
        "--chair", "Hà Văn Tuấn", "--chair-title", "Giám đốc Sở Y tế",
        "--chair", "Lê Thị Mai", "--chair-title", "Giám đốc Sở Tư pháp",
        "--secretary", "Trần Thị Bình", "--secretary-title", "Chuyên viên Sở Y tế",
    )  # fmt: skip
    text = _md(cli, "minutes", "1")
    assert "| THƯ KÝ | ĐỒNG CHỦ TỌA | ĐỒNG CHỦ TỌA |" in text
    assert "| **CHUYÊN VIÊN SỞ Y TẾ** | **GIÁM ĐỐC SỞ Y TẾ** | **GIÁM ĐỐC SỞ TƯ PHÁP** |" in text
    assert "| **Trần Thị Bình** | **Hà Văn Tuấn** | **Lê Thị Mai** |" in text
    assert "Hà Văn Tuấn và Lê Thị Mai" not in text.split("KẾT LUẬN")[1]
    html = cli.ok("report", "minutes", "1", "--format", "html", "-o", "-").stdout
    sign = html.split('<table class="sign">')[1]
    first_row = sign.split("</tr>")[0]
    assert first_row.count("<td>") == 3
    assert "<b>GIÁM ĐỐC SỞ Y TẾ</b><br><br><br><br><br><b>Hà Văn Tuấn</b></td>" in first_row
    assert "<b>GIÁM ĐỐC SỞ TƯ PHÁP</b><br><br><br><br><br><b>Lê Thị Mai</b></td>" in first_row
    cli.ok("report", "minutes", "1", "-o", "bb.docx")
    import docx

    def cells(table):  # as printed: phrases held by no-break spaces read as spaces
        return [[c.text.replace("\xa0", " ") for c in r.cells] for r in table.rows]

    signed = docx.Document(str(cli.db.parent / "bb.docx"))
    rows = cells(signed.tables[-1])
    assert rows == [
        ["THƯ KÝ\nCHUYÊN VIÊN SỞ Y TẾ", "ĐỒNG CHỦ TỌA\nGIÁM ĐỐC SỞ Y TẾ", "ĐỒNG CHỦ TỌA\nGIÁM ĐỐC SỞ TƯ PHÁP"],
        ["Trần Thị Bình", "Hà Văn Tuấn", "Lê Thị Mai"],
    ]  # fmt: skip
    # three blocks leave no room beside them: Nơi nhận follows, under the signatures
    body = list(signed.element.body.iterchildren())
    last_table = max(i for i, e in enumerate(body) if e.tag.endswith("}tbl"))
    after = [docx.text.paragraph.Paragraph(e, None).text for e in body[last_table + 1 :]]
    assert "Nơi nhận:" in after
    # one chair: Nơi nhận beside THƯ KÝ and CHỦ TỌA, as in the reports
    cli.ok("meeting", "edit", "1", "--chair", "Hà Văn Tuấn", "--chair-title", "Giám đốc Sở Y tế")
    cli.ok("report", "minutes", "1", "-o", "bb1.docx")
    rows = cells(docx.Document(str(cli.db.parent / "bb1.docx")).tables[-1])
    assert [r[1:] for r in rows] == [
        ["THƯ KÝ\nCHUYÊN VIÊN SỞ Y TẾ", "CHỦ TỌA\nGIÁM ĐỐC SỞ Y TẾ"],
        ["Trần Thị Bình", "Hà Văn Tuấn"],
    ]
    assert rows[0][0].startswith("Nơi nhận:\n")


def test_the_last_round_of_a_tie_calls_no_new_vote_and_says_who_settles_it(cli):
    names = _cum(cli)
    cli.ok("vote", "rules", "c10", "-y", "2025", "--threshold", "1/3", "--at-least")
    cli.ok("vote", "rules", "c10", "-y", "2025", "--max-rounds", "2")
    cli.ok("meeting", "log", "-b", "c10", "--date", "26/12/2025", "--kind", "tong-ket")
    opened = ["-b", "c10", "-y", "2025", "--award", "bang-khen", "--seats", "1", "--meeting", "1"]
    cli.ok("vote", "open", *opened)
    cast = [names[0], names[2]]
    for unit in cast:
        cli.ok("vote", "cast", "1", unit)
    cli.ok("vote", "open", "--round-of", "1")
    for unit in cast:
        cli.ok("vote", "cast", "2", unit)
    first = _md(cli, "tally", "1")
    assert "cụm bỏ phiếu lại giữa các đơn vị này" in first  # a round is left: it is announced
    last = _md(cli, "tally", "2")
    outcome = last.split("**Kết quả:**")[1].split("\n")[0]
    assert outcome == (
        " UBND phường Hòa Lợi và UBND phường Tây Nam ngang phiếu nhau ở suất cuối sau 2 vòng "
        "bỏ phiếu (số vòng tối đa theo quy chế); theo quy chế, cụm trưởng và cụm phó quyết "
        "định đơn vị được đề nghị."
    )
    assert "bỏ phiếu lại" not in outcome
    minutes = _md(cli, "minutes", "1")
    round_two = minutes.split("(bỏ phiếu lại vòng 2):**")[1].split("\n")[0]
    assert "bỏ phiếu lại" not in round_two and "cụm trưởng và cụm phó quyết định" in round_two
    cli.ok("report", "tally", "2", "-o", "bbkp.docx")
    signed = _docx_text(cli.db.parent / "bbkp.docx")
    assert "cụm trưởng và cụm phó quyết định đơn vị được đề nghị" in signed
    assert "bỏ phiếu lại" not in signed.split("Kết quả:")[-1]
    # the CLI's own account of the count says the same rule as people write it
    said = cli.ok("vote", "tally", "2").stdout
    assert "là đơn vị có số phiếu cao nhất" in said and "nằm trong 01" not in said
    cli.ok("vote", "decide", "2", names[2])
    decided = _md(cli, "tally", "2")
    assert (
        "Sau 2 vòng bỏ phiếu, UBND phường Hòa Lợi và UBND phường Tây Nam vẫn ngang phiếu nhau; "
        "theo quy chế, cụm trưởng và cụm phó quyết định: UBND phường Tây Nam được đề nghị tặng"
    ) in decided


def test_a_new_round_is_labelled_a_re_vote_wherever_its_round_is_printed(cli):
    """Issue 24: a round after a tie or a no-majority result is «bỏ phiếu lại vòng 2», in
    the annual report, the minutes and the count minutes, in every format."""
    names = _cum(cli)
    cli.ok("meeting", "log", "-b", "c10", "--date", "26/12/2025", "--kind", "tong-ket")
    opened = ["-b", "c10", "-y", "2025", "--award", "bang-khen", "--seats", "1", "--meeting", "1"]
    cli.ok("vote", "open", *opened)
    for unit in (names[0], names[2]):
        cli.ok("vote", "cast", "1", unit)
    cli.ok("vote", "open", "--round-of", "1")
    label = "Bằng khen của Chủ tịch Ủy ban nhân dân Thành phố Hồ Chí Minh (bỏ phiếu lại vòng 2)"
    for fmt in ("md", "html"):
        annual = cli.ok("report", "annual", "-b", "c10", "-y", "2025", "--format", fmt, "-o", "-")
        minutes = cli.ok("report", "minutes", "1", "--format", fmt, "-o", "-").stdout
        tally = cli.ok("report", "tally", "2", "--format", fmt, "-o", "-").stdout
        assert annual.stdout.count("(bỏ phiếu lại vòng 2)") == 1, fmt
        assert "Kết quả bỏ phiếu " + label in minutes, fmt
        assert "tặng " + label + "; hình thức: bỏ phiếu kín." in tally, fmt
        assert "năm 2025 (bỏ phiếu lại vòng 2)" in tally, fmt  # the title's subject line
        bare = re.compile(r"(?<!lại )\(vòng 2\)")  # a round named without «bỏ phiếu lại»
        assert not bare.search(annual.stdout + minutes + tally), fmt
    for kind, args in (
        ("annual", ("-b", "c10", "-y", "2025")),
        ("minutes", ("1",)),
        ("tally", ("2",)),
        ("ballot", ("2",)),
    ):
        cli.ok("report", kind, *args, "-o", f"{kind}.docx")
        signed = _docx_text(cli.db.parent / f"{kind}.docx")
        assert "(bỏ phiếu lại vòng 2)" in signed, kind
        assert not re.search(r"(?<!lại )\(vòng 2\)", signed), kind
    first = _md(cli, "tally", "1")
    assert "bỏ phiếu lại vòng" not in first.split("**Kết quả:**")[0]  # the first round is plain


@pytest.mark.parametrize(
    ("purpose", "note", "given"),
    [
        ("Thăm, tặng quà gia đình chính sách nhân ngày 27/7", None, "; 16 phần quà;"),
        (
            "Thăm, tặng quà gia đình chính sách nhân ngày 27/7",
            "phần quà cho gia đình chính sách",
            "; 16 phần quà cho gia đình chính sách;",
        ),
        ("Thăm, tặng quà nhân ngày 27/7", "cho hộ nghèo", "; 16 phần quà cho hộ nghèo;"),
        ("Hỗ trợ xây nhà đại đoàn kết", None, "; 16 người nhận;"),
    ],
)
def test_what_a_joint_activity_gave_is_written_as_people_write(cli, purpose, note, given):
    names = _vh(cli)
    cli.ok("meeting", "log", "-b", "vh", "--date", "26/12/2024", "--kind", "tong-ket")
    cli.ok(
        "activity", "add", "-b", "vh", "--date", "27/07/2024", "--purpose", purpose,
        "--beneficiaries", "16", *(["--beneficiary-note", note] if note else []),
        "--contribution", f"{names[0]}=2.000.000",
    )  # fmt: skip
    annual = _md(cli, "annual", "--bloc", "vh", "--year", "2024")
    line = next(x for x in annual.splitlines() if x.startswith("- Hoạt động chung"))
    assert given in line and "/người" not in line
    cli.ok("report", "annual", "--bloc", "vh", "--year", "2024", "-o", "bc.docx")
    signed = _docx_text(cli.db.parent / "bc.docx")
    assert given in signed and "phần quà/người nhận" not in signed


def test_the_proposal_is_dated_and_placed_at_the_logged_year_end_meeting(cli):
    names = _vh(cli)
    r = cli.ok(
        "meeting", "log", "-b", "vh", "--date", "10/01/2025", "--kind", "tong-ket", "--json"
    )  # fmt: skip
    assert json.loads(r.stdout)["year"] == 2024
    cli.ok("vote", "open", "-b", "vh", "-y", "2024", "--award", "bang-khen", "--seats", "1")
    for unit in (names[0], names[0], names[0], names[3]):
        cli.ok("vote", "cast", "1", unit)
    cli.ok("vote", "close", "1")
    text = _md(cli, "proposal", "--bloc", "vh", "--year", "2024")  # no --date
    assert "*Bắc Kạn, ngày 10 tháng 01 năm 2025*" in text
    assert "Tại hội nghị tổng kết năm 2024 ngày 10 tháng 01 năm 2025, Khối thi đua" in text
    assert "Tại hội nghị […cần bổ sung…]" not in text and "ngày […" not in text
    cli.ok("report", "proposal", "--bloc", "vh", "--year", "2024", "-o", "tt.docx")
    signed = _docx_text(cli.db.parent / "tt.docx")
    assert "Bắc Kạn, ngày 10 tháng 01 năm 2025" in signed
    assert "Tại hội nghị tổng kết năm 2024 ngày 10 tháng 01 năm 2025" in signed


def test_a_proposal_agreed_at_a_named_meeting_is_told_there(cli):
    """award propose --meeting: the show of hands is told in that meeting's minutes (not the
    year-end one's) and the tờ trình says «Tại hội nghị» of that meeting; a meeting of another
    bloc or year is refused; the meeting travels in the export."""
    names = _cum(cli)
    cli.ok("meeting", "log", "-b", "c10", "--date", "15/07/2025", "--kind", "so-ket")
    cli.ok("meeting", "log", "-b", "c10", "--date", "26/12/2025", "--kind", "tong-ket")
    cli.ok("bloc", "join", "c10", *names, "--year", "2024")
    cli.ok("meeting", "log", "-b", "c10", "--date", "10/01/2025", "--kind", "tong-ket")  # 2024
    cli.ok("bloc", "add", "Cụm thi đua số 11", "--code", "c11", "--parent", "UBND TP. Hồ Chí Minh")
    cli.ok("unit", "add", "UBND phường Phú Lợi")
    cli.ok("bloc", "join", "c11", "UBND phường Phú Lợi", "--year", "2025")
    cli.ok("meeting", "log", "-b", "c11", "--date", "20/07/2025", "--kind", "so-ket")
    hands = ["--how", "hands", "--agree", "2", "--present", "3"]
    propose = ["award", "propose", "-b", "c10", "-y", "2025", "--unit", names[2], "--award"]
    for meeting, whose in (("3", "c10 năm 2024"), ("4", "c11 năm 2025")):
        r = cli.fails(*propose, "bang-khen", *hands, "--meeting", meeting)
        assert r.stderr.strip() == (
            f"Hội nghị {meeting} không phải của cụm c10 năm 2025 (hội nghị đó của {whose})."
        )
    made = json.loads(cli.ok(*propose, "bang-khen", *hands, "--meeting", "1", "--json").stdout)
    assert made["meeting"] == 1
    assert cli.sql("SELECT meeting_id FROM proposal") == [(1,)]
    told = "Cụm đã biểu quyết giơ tay (02/03 đơn vị có mặt đồng ý) đề nghị tặng Bằng khen"
    assert told in _md(cli, "minutes", "1")
    assert "giơ tay" not in _md(cli, "minutes", "2")  # the year-end meeting did not agree it
    text = _md(cli, "proposal", "--bloc", "c10", "--year", "2025")
    assert "Tại hội nghị sơ kết 6 tháng đầu năm 2025 ngày 15 tháng 7 năm 2025, Cụm" in text
    cli.ok("report", "minutes", "1", "-o", "bb.docx")
    assert told in _docx_text(cli.db.parent / "bb.docx")
    r = cli.fails("meeting", "remove", "1")
    assert "đề nghị khen thưởng 1" in r.stderr
    # a proposal naming no meeting is still the year-end meeting's
    cli.ok(*propose[:-3], "--unit", names[0], "--award", "co-thi-dua", "--how", "consensus")
    assert "thống nhất đề nghị tặng Cờ thi đua" in _md(cli, "minutes", "2")
    assert "thống nhất" not in _md(cli, "minutes", "1")
    fresh = cli.round_trip()
    assert cli.sql("SELECT meeting_id FROM proposal ORDER BY id") == [(1,), (None,)]
    conn = __import__("sqlite3").connect(fresh)
    assert conn.execute("SELECT meeting_id FROM proposal ORDER BY id").fetchall() == [(1,), (None,)]
    conn.close()


def test_the_covenant_lists_what_each_member_registered(cli):
    names = _vh(cli)
    cli.ok(
        "pledge", "record", "-b", "vh", "-y", "2024", "--unit", names[0],
        "--title", "Cờ thi đua của Ủy ban nhân dân tỉnh",
        "--target", "100% cán bộ hoàn thành tốt nhiệm vụ", "--target", "Không có vi phạm kỷ luật",
    )  # fmt: skip
    cli.ok(
        "pledge", "record", "-b", "vh", "-y", "2024", "--unit", names[2],
        "--title", "Tập thể lao động xuất sắc", "--target", "Giải quyết 100% hồ sơ đúng hạn",
    )  # fmt: skip
    cli.ok("pledge", "sign", "-b", "vh", "-y", "2024", "--date", "15/01/2024")
    text = _md(cli, "covenant", "--bloc", "vh", "--year", "2024")
    assert (
        "6. Các đơn vị thành viên đăng ký danh hiệu thi đua và chỉ tiêu năm 2024 như sau:" in text
    )
    assert (
        # the title typed is stored as the bloc's catalogue names it (pledge record matches it)
        "| 1 | Sở Y tế | Cờ thi đua của Ủy ban nhân dân tỉnh Bắc Kạn | 100% cán bộ hoàn thành "
        "tốt nhiệm vụ; Không có vi phạm kỷ luật |" in text
    )
    assert "| 3 | Sở Tư pháp | Tập thể lao động xuất sắc | Giải quyết 100% hồ sơ đúng hạn |" in text
    assert "| 2 | Sở Giáo dục và Đào tạo | […cần bổ sung…] |  |" in text  # not registered
    html = cli.ok("report", "covenant", "-b", "vh", "-y", "2024", "-f", "html", "-o", "-").stdout
    assert "<td>Sở Tư pháp</td><td>Tập thể lao động xuất sắc</td>" in html
    cli.ok("report", "covenant", "--bloc", "vh", "--year", "2024", "-o", "gu.docx")
    import docx

    tables = docx.Document(str(cli.db.parent / "gu.docx")).tables
    listed = next(t for t in tables if t.rows[0].cells[0].text == "STT")
    rows = [[c.text for c in r.cells] for r in listed.rows]
    assert rows[0] == ["STT", "Đơn vị", "Danh hiệu đăng ký", "Chỉ tiêu"]
    assert rows[3] == [
        "3",
        "Sở Tư pháp",
        "Tập thể lao động xuất sắc",
        "Giải quyết 100% hồ sơ đúng hạn",
    ]
    assert len(rows) == 5


def test_a_covenant_nobody_registered_for_has_no_empty_list(cli):
    _vh(cli)
    text = _md(cli, "covenant", "--bloc", "vh", "--year", "2024")
    assert "đăng ký danh hiệu thi đua" not in text and "| STT |" not in text


def test_the_annual_report_tells_every_decision_and_asks_no_ballot_that_was_not_held(cli):
    names = _vh(cli)
    cli.ok("meeting", "log", "-b", "vh", "--date", "26/12/2024", "--kind", "tong-ket")
    annual = _md(cli, "annual", "--bloc", "vh", "--year", "2024")
    # nothing decided yet: a marked blank that presumes no ballot
    section = annual.split("### 4. Kết quả chấm điểm, bình xét, suy tôn")[1].split("### 5.")[0]
    assert section.strip() == "Kết quả bình xét, suy tôn: […cần bổ sung…]"
    cli.ok("vote", "open", "-b", "vh", "-y", "2024", "--award", "co-thi-dua", "--seats", "1")
    for unit in (names[0], names[0], names[0], names[1]):
        cli.ok("vote", "cast", "1", unit)
    cli.ok("vote", "close", "1")
    cli.ok(
        "award", "propose", "-b", "vh", "-y", "2024", "--unit", names[3], "--award", "bang-khen",
        "--how", "hands", "--agree", "3", "--present", "4",
    )  # fmt: skip
    annual = _md(cli, "annual", "--bloc", "vh", "--year", "2024")
    section = annual.split("### 4. Kết quả chấm điểm, bình xét, suy tôn")[1].split("### 5.")[0]
    assert "| 1 | Sở Y tế | 3/4 | 75,00% | đạt |" in section  # the ballot
    # and the show of hands beside it, with its figures: not dropped because a ballot was held
    assert (
        "Khối đã biểu quyết giơ tay (03/04 đơn vị có mặt đồng ý) đề nghị tặng Bằng khen của Chủ "
        "tịch Ủy ban nhân dân tỉnh Bắc Kạn cho Ban Dân tộc." in section
    )
    assert "[…cần bổ sung…]" not in section
    cli.ok("report", "annual", "--bloc", "vh", "--year", "2024", "-o", "bc.docx")
    signed = _docx_text(cli.db.parent / "bc.docx")
    assert "biểu quyết giơ tay (03/04 đơn vị có mặt đồng ý)" in signed
    assert "Kết quả bỏ phiếu: […" not in signed and "Kết quả bình xét, suy tôn: […" not in signed


# --- a heading is never left with nothing under it (issue 23, 4) ---------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _md_level(line: str) -> int | None:
    found = re.match(r"^(#{1,6}) ", line)
    if found:
        return len(found.group(1))
    if re.match(r"^\*\*[a-zđ\d]+\) .*\*\*$", line):  # «**a) Ưu điểm**», «**1) Cờ thi đua**»
        return 4
    return None


def _empty_md(text: str) -> list[str]:
    """Headings followed by a heading of the same or a higher level, by the signature, or by
    nothing: sections left empty (a «[…cần bổ sung…]» under a heading is a marked blank)."""
    lines = [x for x in text.splitlines() if x.strip()]
    out = []
    for i, line in enumerate(lines):
        level = _md_level(line)
        if level is None:
            continue
        after = lines[i + 1] if i + 1 < len(lines) else ""
        below = _md_level(after)
        if not after or (below is not None and below <= level) or after.startswith("***Nơi"):
            out.append(line)
    return out


def _empty_html(text: str) -> list[str]:
    found = re.findall(r"<h([1-6])>([^<]*)</h\1>\s*(?=<h([1-6])>|</body>|$)", text)
    return [title for level, title, nxt in found if not nxt or int(nxt) <= int(level)]


def _empty_docx(path) -> list[str]:
    """The same on the docx read back: a bold numbered heading («I. …», «1. …», «a) …»,
    «NỘI DUNG») followed by another of its level or higher, or by the end; a table is content."""
    import docx

    def level(el) -> int | None:
        if el.tag != _W + "p":
            return None
        runs = [r for r in el.iter(_W + "r") if "".join(t.text or "" for t in r.iter(_W + "t"))]
        text = "".join(t.text or "" for t in el.iter(_W + "t")).strip()
        bold = [r.find(f"{_W}rPr/{_W}b") for r in runs]
        if not text or not all(b is not None and b.get(_W + "val") != "0" for b in bold):
            return None
        for n, pattern in (
            (2, r"^[IVX]+\. |^(NỘI DUNG|KẾT LUẬN)$"),
            (3, r"^\d+\. "),
            (4, r"^[a-zđ\d]+\) "),
        ):
            if re.match(pattern, text):
                return n
        return None

    body = docx.Document(str(path)).element.body
    items = [
        el
        for el in body.iterchildren()
        if el.tag == _W + "tbl" or "".join(t.text or "" for t in el.iter(_W + "t")).strip()
    ]
    out = []
    for i, el in enumerate(items):
        mine = level(el)
        if mine is None:
            continue
        nxt = items[i + 1] if i + 1 < len(items) else None
        theirs = level(nxt) if nxt is not None else None
        if nxt is None or (theirs is not None and theirs <= mine):
            out.append("".join(t.text or "" for t in el.iter(_W + "t")))
    return out


def test_the_section_checks_find_an_empty_section(tmp_path):
    assert _empty_md("### 1. A\n\n### 2. B\n\ntext\n") == ["### 1. A"]
    assert _empty_md("## I. A\n\n### 1. B\n\ntext\n") == []
    assert _empty_html("<h2>A</h2><h2>B</h2><p>x</p>") == ["A"]
    import docx

    doc = docx.Document()
    for text, bold in (("I. A", True), ("1. B", True), ("text", False), ("2. C", True)):
        doc.add_paragraph().add_run(text).bold = bold
    doc.add_paragraph().add_run("II. D").bold = True
    doc.add_table(rows=1, cols=1)
    doc.save(str(tmp_path / "t.docx"))
    assert _empty_docx(tmp_path / "t.docx") == ["2. C"]


def _every_document(cli, bloc: str, year: int, meeting: int | None, vote: int | None):
    """Every document kind of the bloc-year in md, html and docx: (name, kind, text or path)."""
    jobs = [
        (k, ["--bloc", bloc, "--year", str(year)]) for k in ("annual", "semiannual", "covenant")
    ]
    if cli.sql("SELECT 1 FROM proposal"):
        jobs.append(("proposal", ["--bloc", bloc, "--year", str(year)]))
    if meeting:
        jobs.append(("minutes", [str(meeting)]))
    if vote:
        jobs += [("tally", [str(vote)]), ("ballot", [str(vote)])]
    for kind, args in jobs:
        yield kind, "md", _md(cli, kind, *args)
        yield kind, "html", cli.ok("report", kind, *args, "-f", "html", "-o", "-").stdout
        out = cli.db.parent / f"{kind}.docx"
        cli.ok("report", kind, *args, "-o", str(out), "--force")
        yield kind, "docx", out


def test_no_document_leaves_a_heading_with_nothing_under_it(cli):
    names = _vh(cli)
    found = []
    check = {"md": _empty_md, "html": _empty_html, "docx": _empty_docx}
    # a bare bloc-year: nothing recorded but its members
    for kind, fmt, doc in _every_document(cli, "vh", 2024, None, None):
        found += [(kind, fmt, h) for h in check[fmt](doc)]
    # a full one: covenant, meeting, a ballot, a show of hands, a joint activity
    cli.ok(
        "pledge", "record", "-b", "vh", "-y", "2024", "--unit", names[0], "--title", "Cờ thi đua"
    )
    cli.ok("meeting", "log", "-b", "vh", "--date", "26/12/2024", "--kind", "tong-ket")
    cli.ok("pledge", "sign", "-b", "vh", "-y", "2024", "--date", "15/01/2024")
    cli.ok("vote", "open", "-b", "vh", "-y", "2024", "--award", "co-thi-dua", "--meeting", "1")
    for unit in (names[0], names[0], names[0], names[1]):
        cli.ok("vote", "cast", "1", unit)
    cli.ok("vote", "close", "1")
    cli.ok(
        "award", "propose", "-b", "vh", "-y", "2024", "--unit", names[3], "--award", "bang-khen",
        "--how", "hands", "--agree", "3", "--present", "4",
    )  # fmt: skip
    cli.ok(
        "activity", "add", "-b", "vh", "--date", "27/07/2024", "--purpose", "Thăm, tặng quà",
        "--contribution", f"{names[0]}=1.000.000",
    )  # fmt: skip
    for kind, fmt, doc in _every_document(cli, "vh", 2024, 1, 1):
        found += [(kind, fmt, h) for h in check[fmt](doc)]
    assert found == []


def test_no_golden_document_of_any_setting_has_an_empty_section():
    from pathlib import Path

    golden = sorted((Path(__file__).parent / "expected").rglob("*.md"))
    assert len(golden) >= 7
    assert [(p.name, h) for p in golden for h in _empty_md(p.read_text(encoding="utf-8"))] == []


# --- one name per body per document (issue 23, 4) --------------------------------------------


def _bodies_named(text: str) -> dict[str, set[str]]:
    """The bodies a document writes to, goes through or copies («Kính gửi: A (qua B).», the
    Nơi nhận lines), grouped: the emulation office (Sở Nội vụ, Ban/Phòng/Vụ Thi đua - Khen
    thưởng) and the council (Hội đồng Thi đua - Khen thưởng)."""
    names = []
    for line in text.splitlines():
        found = re.match(r"^Kính gửi: (.*?)(?: \(qua (.*)\))?\.$", line)
        if found:
            names += [n for n in found.groups() if n]
        found = re.match(r"^- (.*?)[;.]\s*$", line)
        if found:
            names.append(found.group(1))
    out: dict[str, set[str]] = {"office": set(), "council": set()}
    for name in names:
        if "Hội đồng Thi đua" in name:
            out["council"].add(name)
        elif "Sở Nội vụ" in name or "Thi đua - Khen thưởng" in name:
            out["office"].add(name)
    return out


def test_the_body_check_sees_two_names_for_one_office():
    text = "Kính gửi: Chủ tịch UBND tỉnh (qua Sở Nội vụ).\n- Như trên;\n- Sở Nội vụ (Phòng X);\n"
    assert _bodies_named(text)["office"] == {"Sở Nội vụ", "Sở Nội vụ (Phòng X)"}


@pytest.mark.parametrize(
    ("system", "parent"),
    [
        ("nha-nuoc", "UBND TỈNH BẮC KẠN"),  # the catalogue's province
        ("nha-nuoc", "UBND TỈNH MIỀN XA"),  # not in the catalogue: the preset
        ("hoi", "UBND TỈNH MIỀN XA"),
        ("dang", "TỈNH ỦY MIỀN XA"),
        ("nganh", "NGÂN HÀNG NHÀ NƯỚC VIỆT NAM"),
    ],
)
def test_each_document_names_each_body_one_way(cli, system, parent):
    names = ["Sở Y tế", "Sở Tư pháp", "Ban Dân tộc"]
    for n in names:
        cli.ok("unit", "add", n)
    cli.ok("bloc", "add", "Khối thi đua 2", "--code", "k2", "--parent", parent, "--system", system)
    cli.ok("bloc", "join", "k2", *names, "--year", "2024")
    cli.ok("bloc", "head", "k2", "--year", "2024", "--head", names[0])
    cli.ok("meeting", "log", "-b", "k2", "--date", "26/12/2024", "--kind", "tong-ket")
    award = json.loads(cli.ok("bloc", "profile", "k2", "--json").stdout)["awards"][-1]["code"]
    cli.ok(
        "award", "propose", "-b", "k2", "-y", "2024", "--unit", names[1], "--award", award,
        "--how", "consensus",
    )  # fmt: skip
    for kind in ("annual", "semiannual", "proposal"):
        text = _md(cli, kind, "--bloc", "k2", "--year", "2024")
        named = _bodies_named(text)
        assert len(named["office"]) <= 1 and len(named["council"]) <= 1, (kind, named)
        assert named["office"] | named["council"], kind  # the check saw the lines
    cli.ok("report", "proposal", "--bloc", "k2", "--year", "2024", "-o", "tt.docx")
    signed = _bodies_named(_docx_text(cli.db.parent / "tt.docx"))
    assert len(signed["office"]) <= 1 and len(signed["council"]) <= 1, signed


def test_a_proposal_of_a_ballot_and_a_show_of_hands_tells_both_with_their_figures(cli):
    names = _vh(cli)
    cli.ok("meeting", "log", "-b", "vh", "--date", "26/12/2024", "--kind", "tong-ket")
    cli.ok("vote", "open", "-b", "vh", "-y", "2024", "--award", "co-thi-dua", "--meeting", "1")
    for unit in (names[0], names[0], names[0], names[1]):
        cli.ok("vote", "cast", "1", unit)
    cli.ok("vote", "close", "1")
    cli.ok(
        "award", "propose", "-b", "vh", "-y", "2024", "--unit", names[3], "--award", "bang-khen",
        "--how", "hands", "--agree", "3", "--present", "4",
    )  # fmt: skip
    text = _md(cli, "proposal", "--bloc", "vh", "--year", "2024")
    assert (
        "đã bỏ phiếu kín bình xét, suy tôn Cờ thi đua của Ủy ban nhân dân tỉnh Bắc Kạn và biểu "
        "quyết giơ tay đề nghị Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn (03/04 đơn vị "
        "có mặt đồng ý) theo quy chế hoạt động của khối, theo biên bản kiểm phiếu gửi kèm;"
    ) in text
    assert text.count("theo quy chế hoạt động của khối") == 1
    assert "| 1 | Sở Y tế | 3/4 | 75,00% |" in text
    assert "| 1 | Ban Dân tộc | 3/4 (giơ tay) | 75,00% |" in text  # no empty figures
    cli.ok("report", "proposal", "--bloc", "vh", "--year", "2024", "-o", "tt.docx")
    import docx

    tables = docx.Document(str(cli.db.parent / "tt.docx")).tables
    rows = [[c.text for c in r.cells] for t in tables for r in t.rows]
    assert ["1", "Ban Dân tộc", "3/4 (giơ tay)", "75,00%"] in rows


def test_the_year_end_minutes_tell_a_show_of_hands_with_its_figures(cli):
    names = _vh(cli)
    cli.ok("meeting", "log", "-b", "vh", "--date", "20/06/2024", "--kind", "so-ket")
    cli.ok("meeting", "log", "-b", "vh", "--date", "26/12/2024", "--kind", "tong-ket")
    cli.ok(
        "award", "propose", "-b", "vh", "-y", "2024", "--unit", names[3], "--award", "bang-khen",
        "--how", "hands", "--agree", "3", "--present", "4",
    )  # fmt: skip
    said = (
        "Khối đã biểu quyết giơ tay (03/04 đơn vị có mặt đồng ý) đề nghị tặng Bằng khen của Chủ "
        "tịch Ủy ban nhân dân tỉnh Bắc Kạn cho Ban Dân tộc."
    )
    year_end = _md(cli, "minutes", "2")
    assert said in year_end.split("## NỘI DUNG")[1].split("## KẾT LUẬN")[0]
    assert said not in _md(cli, "minutes", "1")  # the mid-year meeting decided nothing of it
    html = cli.ok("report", "minutes", "2", "-f", "html", "-o", "-").stdout
    assert f"<p>{said}</p>" in html
    cli.ok("report", "minutes", "2", "-o", "bb.docx")
    assert said in _docx_text(cli.db.parent / "bb.docx")


def test_two_people_typed_in_one_chair_are_refused(cli):
    _vh(cli)
    r = cli.fails(
        "meeting", "log", "-b", "vh", "--date", "26/12/2024", "--kind", "tong-ket",
        "--chair", "Nguyễn Văn An, Trần Thị Bình",
    )  # fmt: skip
    assert r.stderr == (
        "Có hai người trong «Nguyễn Văn An, Trần Thị Bình»; đồng chủ trì thì lặp lại --chair cho "
        "mỗi người.\n"
    )
