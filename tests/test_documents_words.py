"""The words of the documents as a signed paper has them (issue 23, the text points; issue 22,
dates and years): each case renders the real document and reads its sentences."""

from __future__ import annotations

import json

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
