"""A clerk's meetings without workarounds (issue 24, points 4 and 8), through the real CLI: one
year-end meeting per bloc-year unless it is said to be an additional one, and the absent units
with their reasons instead of every present one typed out."""

import json
import sqlite3

import pytest
from conftest import Cli


def log(cli, date, kind, *extra):
    return ("meeting", "log", "--bloc", "vhxh", "--date", date, "--kind", kind, *extra)


def annual(cli, tmp_path, name="bc.md"):
    out = tmp_path / name
    cli.ok("report", "annual", "-b", "vhxh", "-y", "2019", "--format", "md", "-o", str(out))
    return out.read_text(encoding="utf-8")


def where_and_when(report):
    """The annual report's date line and the line naming the meeting it is presented at."""
    return [
        line
        for line in report.splitlines()
        if line.startswith("*Bắc Kạn, ngày") or "trình tại" in line
    ]


def test_a_second_year_end_meeting_is_refused_naming_the_first(vhxh, tmp_path):
    vhxh.ok(*log(vhxh, "08/01/2020", "tong-ket", "--place", "Hội trường BHXH tỉnh"))
    r = vhxh.fails(*log(vhxh, "15/01/2020", "tong-ket"))
    assert r.stderr.strip() == (
        "Khối vhxh đã có hội nghị tổng kết năm 2019 (mã số 1, ngày 08/01/2020); nếu đây là hội "
        "nghị bổ sung thì ghi thêm --additional (không đổi ngày và hội nghị của báo cáo tổng "
        "kết), nếu ghi nhầm thì sửa hội nghị 1 bằng «tdkt meeting edit 1»."
    )
    before = annual(vhxh, tmp_path, "truoc.md")
    assert "ngày 08 tháng 01 năm 2020" in before
    # an additional one is recorded, shown as such, and moves neither the date nor the meeting
    r = vhxh.ok(*log(vhxh, "15/01/2020", "tong-ket", "--additional", "--json"))
    assert json.loads(r.stdout)["additional"] is True
    assert "tổng kết năm bổ sung" in vhxh.ok("meeting", "show", "2").stdout
    assert "Tổng kết năm (bổ sung)" in vhxh.ok("meeting", "list").stdout
    after = annual(vhxh, tmp_path, "sau.md")
    assert after == before
    # --additional is for a year-end meeting only
    r = vhxh.fails(*log(vhxh, "20/02/2020", "giao-ban", "--year", "2019", "--additional"))
    assert r.stderr.strip().startswith("Tùy chọn --additional chỉ dùng cho hội nghị tổng kết năm")
    # the same in meeting edit: a briefing turned year-end, a year moved onto another's
    vhxh.ok(*log(vhxh, "20/07/2019", "so-ket"))
    r = vhxh.fails("meeting", "edit", "3", "--kind", "tong-ket", "--year", "2019")
    assert r.stderr.startswith("Khối vhxh đã có hội nghị tổng kết năm 2019 (mã số 1, ngày 08/01")
    r = vhxh.fails("meeting", "edit", "2", "--not-additional")
    assert "(mã số 1, ngày 08/01/2020)" in r.stderr
    vhxh.ok("bloc", "join", "vhxh", *[str(i) for i in range(1, 12)], "--year", "2020")
    vhxh.ok(*log(vhxh, "10/01/2021", "tong-ket"))  # the 2020 year-end meeting
    r = vhxh.fails("meeting", "edit", "4", "--year", "2019")
    assert "(mã số 1, ngày 08/01/2020)" in r.stderr
    vhxh.ok("meeting", "edit", "3", "--kind", "tong-ket", "--year", "2019", "--additional")
    again = annual(vhxh, tmp_path, "sau-nua.md")
    assert (
        where_and_when(again)
        == where_and_when(before)
        == [
            "*Bắc Kạn, ngày 08 tháng 01 năm 2020*",
            "Báo cáo này được trình tại Hội nghị tổng kết năm ngày 08/01/2020.",
        ]
    )
    assert "- Hội nghị tổng kết năm (bổ sung), ngày 20 tháng 7 năm 2019" in again
    fresh = sqlite3.connect(vhxh.round_trip())  # the mark travels with the file
    assert fresh.execute("SELECT id FROM meeting WHERE additional ORDER BY id").fetchall() == [
        (2,),
        (3,),
    ]
    fresh.close()


def test_absent_units_with_their_reasons(vhxh, tmp_path):
    r = vhxh.ok(
        *log(vhxh, "08/01/2020", "tong-ket"),
        "--absent",
        "Sở Y tế",
        "--absent",
        "Ban Dân tộc",
        "--absent-reason",
        "Đi công tác tại Hà Nội",
    )
    assert r.stdout.strip() == "1"
    shown = vhxh.ok("meeting", "show", "1").stdout
    assert "Có mặt (9):" in shown and "Sở Y tế;" not in shown.split("Vắng mặt")[0]
    assert "Vắng mặt (2): Sở Y tế; Ban Dân tộc (lý do: Đi công tác tại Hà Nội)" in shown
    data = json.loads(vhxh.ok("meeting", "show", "1", "--json").stdout)
    assert data["absence_reasons"] == {"Ban Dân tộc": "Đi công tác tại Hà Nội"}
    assert vhxh.sql("SELECT count(*) FROM meeting_present") == [(9,)]
    out = tmp_path / "bb.md"
    vhxh.ok("report", "minutes", "1", "--format", "md", "-o", str(out))
    minutes = out.read_text(encoding="utf-8")
    assert "Thành phần tham dự: 09/11 đơn vị thành viên:" in minutes
    assert "Vắng mặt: Sở Y tế và Ban Dân tộc (lý do: Đi công tác tại Hà Nội)." in minutes
    # the reason goes with the unit typed before it
    vhxh.ok(
        *log(vhxh, "20/07/2019", "so-ket"),
        "--absent",
        "SYT",
        "--absent-reason",
        "Trùng lịch họp của Bộ",
        "--absent",
        "Sở GD&ĐT",
    )
    assert "Vắng mặt (2): Sở Y tế (lý do: Trùng lịch họp của Bộ); Sở Giáo dục" in (
        vhxh.ok("meeting", "show", "2").stdout
    )
    # refusals, the database untouched
    r = vhxh.fails(
        *log(
            vhxh,
            "20/02/2020",
            "giao-ban",
            "--year",
            "2019",
            "--present",
            "SYT",
            "--absent",
            "Ban Dân tộc",
        )
    )
    assert r.stderr.strip() == (
        "Ghi --present (đơn vị có mặt) hoặc --absent (đơn vị vắng mặt), không ghi cả hai."
    )
    vhxh.ok("unit", "add", "Sở Nội vụ")
    r = vhxh.fails(*log(vhxh, "20/02/2020", "giao-ban", "--year", "2019", "--absent", "Sở Nội vụ"))
    assert r.stderr.strip() == (
        "«Sở Nội vụ» không phải thành viên khối vhxh năm 2019, không ghi vắng mặt được."
    )
    r = vhxh.fails(*log(vhxh, "20/02/2020", "giao-ban", "--year", "2019", "--absent-reason", "Ốm"))
    assert r.stderr.strip() == "Tùy chọn --absent-reason cần đi kèm --absent (đơn vị vắng mặt)."
    r = vhxh.fails(
        *log(
            vhxh,
            "20/02/2020",
            "giao-ban",
            "--year",
            "2019",
            "--absent-reason",
            "Ốm",
            "--absent",
            "SYT",
        )
    )
    assert r.stderr.strip() == "Mỗi --absent-reason phải ghi sau --absent của đơn vị vắng mặt."
    # edit: --absent replaces who was there; a unit now present loses its reason
    r = vhxh.ok("meeting", "edit", "1", "--absent", "Ban Dân tộc", "--absent-reason", "Ốm")
    assert r.stdout.strip() == "Đã sửa hội nghị 1: đơn vị có mặt, lý do vắng mặt."
    assert "Vắng mặt (1): Ban Dân tộc (lý do: Ốm)" in vhxh.ok("meeting", "show", "1").stdout
    vhxh.ok("meeting", "edit", "1", "--present", "Ban Dân tộc")  # now there: no reason kept
    assert vhxh.sql("SELECT count(*) FROM meeting_absence WHERE meeting_id = 1") == [(0,)]
    fresh = sqlite3.connect(vhxh.round_trip())  # the reasons travel with the file
    assert fresh.execute("SELECT meeting_id, unit_id, reason FROM meeting_absence").fetchall() == [
        (2, 7, "Trùng lịch họp của Bộ")
    ]
    fresh.close()
    vhxh.ok("meeting", "remove", "2")
    assert vhxh.sql("SELECT count(*) FROM meeting_absence") == [(0,)]


def test_absences_merge_into_a_province_file_with_their_units(tmp_path):
    """Two secretariats number their units from 1: a reason follows its unit, not its number."""
    files = []
    for name, units in (("A", ["Sở Tư pháp", "Sở Y tế"]), ("B", ["Sở Tài chính", "Sở Xây dựng"])):
        cli = Cli(tmp_path / f"{name}.db")
        cli.ok("bloc", "add", f"Khối thi đua {name}", "--code", f"khoi{name.lower()}")
        for u in units:
            cli.ok("unit", "add", u)
        cli.ok("bloc", "join", f"khoi{name.lower()}", *units, "--year", "2024")
        cli.ok(
            "meeting", "log", "-b", f"khoi{name.lower()}", "--date", "10/07/2024",
            "--kind", "so-ket", "--absent", units[1], "--absent-reason", f"Đi công tác ({name})",
        )  # fmt: skip
        path = tmp_path / f"{name}.yaml"
        path.write_text(cli.ok("export").stdout, encoding="utf-8")
        files.append(str(path))
    province = Cli(tmp_path / "province.db")
    province.ok("import", *files)
    assert province.sql(
        "SELECT u.name, a.reason FROM meeting_absence a JOIN unit u ON u.id = a.unit_id "
        "ORDER BY u.name"
    ) == [("Sở Xây dựng", "Đi công tác (B)"), ("Sở Y tế", "Đi công tác (A)")]
    shown = [province.ok("meeting", "show", str(m)).stdout for m in (1, 2)]
    assert any("Vắng mặt (1): Sở Xây dựng (lý do: Đi công tác (B))" in s for s in shown)
    province.ok("db", "check")


def test_a_meeting_with_every_member_absent_is_refused(vhxh):
    """Found by hand (w15): `--absent` naming all eleven members logged a meeting whose minutes
    read «Thành phần tham dự: 00/11 đơn vị thành viên: .»; `meeting edit` allowed the same."""
    everyone = [w for i in range(1, 12) for w in ("--absent", str(i))]
    r = vhxh.fails("meeting", "log", "--bloc", "vhxh", "--date", "20/12/2019", "--kind", "so-ket",
                   *everyone)  # fmt: skip
    assert r.stderr == (
        "Cả 11 đơn vị thành viên đều được ghi vắng mặt; hội nghị cần ít nhất một đơn vị có mặt.\n"
    )
    vhxh.ok("meeting", "log", "--bloc", "vhxh", "--date", "20/12/2019", "--kind", "so-ket",
            *everyone[:-2])  # fmt: skip
    r = vhxh.fails("meeting", "edit", "1", *everyone)
    assert "hội nghị cần ít nhất một đơn vị có mặt" in r.stderr


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("Nguyễn Văn An; Trần Thị Bình", "Mỗi --chair là một người; đồng chủ trì thì lặp lại --chair.\n"),
        ("Nguyễn Văn An;Giám đốc", "Mỗi --chair là một người; đồng chủ trì thì lặp lại --chair.\n"),
        (";", "Mỗi --chair là một người; đồng chủ trì thì lặp lại --chair.\n"),
        (" - Giám đốc", "Tùy chọn --chair «- Giám đốc» thiếu họ tên hoặc chức vụ bên dấu «-» hay «,»; "
         "ghi «Họ tên - Chức vụ» hoặc chỉ họ tên.\n"),
        ("Nguyễn Văn An - ", "Tùy chọn --chair «Nguyễn Văn An -» thiếu họ tên hoặc chức vụ bên dấu «-» "
         "hay «,»; ghi «Họ tên - Chức vụ» hoặc chỉ họ tên.\n"),
        ("-", "Tùy chọn --chair «-» không có họ tên; ghi «Họ tên - Chức vụ».\n"),
    ],
)  # fmt: skip
def test_a_chair_that_is_not_one_person_is_refused(vhxh, typed, said):
    """Found by hand (w15): one --chair «A; B» became two co-chairs (the meeting keeps co-chairs
    joined by «; »), «A;Giám đốc» a co-chair with no name, and «- Giám đốc», «Nguyễn Văn An -»
    or «-» signed the minutes as a title over «[…cần bổ sung…]»."""
    vhxh.ok("meeting", "log", "--bloc", "vhxh", "--date", "20/06/2019", "--kind", "so-ket")
    r = vhxh.fails("meeting", "log", "--bloc", "vhxh", "--date", "21/06/2019", "--kind", "so-ket",
                   "--chair", typed)  # fmt: skip
    assert r.stderr == said
    assert vhxh.fails("meeting", "edit", "1", "--chair", typed).stderr == said


def test_an_old_file_with_two_year_end_meetings_imports_with_a_warning(cli, tmp_path):
    """A file exported before the one-a-year rule (m017) may hold two year-end meetings of a
    bloc-year, neither marked additional: it still imports (refusing would strand old files),
    and the clerk is told which one the documents use and how to mark the other."""
    cli.ok("bloc", "add", "Khối thi đua A", "--code", "a")
    cli.ok("unit", "add", "Sở Y tế")
    cli.ok("unit", "add", "Sở Tư pháp")
    cli.ok("bloc", "join", "a", "1", "2", "--year", "2024")
    cli.ok("meeting", "log", "-b", "a", "-y", "2024", "--date", "10/12/2024", "--kind", "tong-ket")
    cli.ok("meeting", "log", "-b", "a", "-y", "2024", "--date", "20/12/2024", "--kind",
           "tong-ket", "--additional")  # fmt: skip
    exported = tmp_path / "e.yaml"
    cli.ok("export", "-o", str(exported))
    old = tmp_path / "old.yaml"
    text = exported.read_text(encoding="utf-8")
    assert "additional: true" in text
    old.write_text(text.replace("additional: true", "additional: false"), encoding="utf-8")
    fresh = Cli(tmp_path / "fresh.db")
    r = fresh.ok("import", str(old))
    assert r.stderr == (
        "Cảnh báo: khối a năm 2024 có 2 hội nghị tổng kết năm (mã số 1, 2); văn bản dùng hội "
        "nghị 1, hãy đánh dấu hội nghị kia là bổ sung: «tdkt meeting edit 2 --additional».\n"
    )
    fresh.ok("meeting", "edit", "2", "--additional")
    assert fresh.ok("import", str(exported)).stderr == ""  # marked: nothing to say
