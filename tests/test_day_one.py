"""Day one of a new clerk (issue 24, point 8), each small thing through the real CLI."""

import csv
import io
from pathlib import Path


def test_pledge_list_shows_the_id_edit_and_remove_take(vhxh):
    vhxh.ok(
        "pledge", "record", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "--title", "Cờ thi đua"
    )
    vhxh.ok(
        "pledge",
        "record",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--unit",
        "Ban Dân tộc",
        "--title",
        "Bằng khen",
    )
    shown = vhxh.ok("pledge", "list", "-b", "vhxh", "-y", "2019").stdout
    assert "Mã số" in shown.splitlines()[2]
    rows = [line for line in shown.splitlines() if "Ban Dân tộc" in line]
    assert len(rows) == 1 and rows[0].split("│")[1].strip() == "2"
    vhxh.ok("pledge", "remove", "2")
    assert vhxh.sql("SELECT id FROM pledge") == [(1,)]


def test_a_pledged_title_is_the_catalogue_award(vhxh):
    record = ("pledge", "record", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "--title")
    r = vhxh.ok(*record, "Bằng khen")
    assert r.stdout.strip() == (
        "Đã ghi đăng ký của Sở Y tế: Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn."
    )
    vhxh.ok(*record, "co-thi-dua")
    vhxh.ok(*record, "Cờ thi đua của UBND tỉnh")  # the same award: its targets replaced
    vhxh.ok(*record, "Tập thể lao động xuất sắc")  # the unit's own head gives it
    assert vhxh.sql("SELECT title FROM pledge ORDER BY id") == [
        ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn",),
        ("Cờ thi đua của Ủy ban nhân dân tỉnh Bắc Kạn",),
        ("Tập thể lao động xuất sắc",),
    ]
    r = vhxh.fails(*record, "Huân chương Lao động hạng Ba")
    err = r.stderr.strip()
    assert err.startswith(
        "Danh hiệu «Huân chương Lao động hạng Ba» không có trong danh mục khen thưởng của khối "
        "vhxh năm 2019 (co-thi-dua (Cờ thi đua của Ủy ban nhân dân tỉnh Bắc Kạn); bang-khen"
    )
    assert "tdkt bloc profile vhxh --file" in err and err.count("\n") == 0
    r = vhxh.fails("pledge", "edit", "1", "--title", "Giấy khen")
    assert r.stderr.startswith("Danh hiệu «Giấy khen» không có trong danh mục")


def test_unit_show_by_a_part_of_its_name(cli):
    # invented communes, not real ones
    for name in ("UBND Xã Mẫu Thanh Sơn", "UBND Xã Mẫu Thanh Hà", "UBND Xã Mẫu Sơn Thủy"):
        cli.ok("unit", "add", name)
    assert cli.ok("unit", "show", "thanh son").stdout.startswith("UBND Xã Mẫu Thanh Sơn (mã số 1)")
    assert cli.ok("unit", "show", "SON THUY").stdout.startswith("UBND Xã Mẫu Sơn Thủy (mã số 3)")
    r = cli.fails("unit", "show", "thanh")  # two units: suggested, not guessed
    assert r.stderr.strip() == (
        "Không tìm thấy đơn vị «thanh». Có phải: UBND Xã Mẫu Thanh Hà (mã số 2); "
        "UBND Xã Mẫu Thanh Sơn (mã số 1)?"
    )
    r = cli.fails("unit", "show", "than")  # a part of a word is not a part of the name
    assert r.stderr.startswith("Không tìm thấy đơn vị «than».")
    # a command that writes still needs the whole name
    cli.ok("bloc", "add", "Cụm thi đua Mẫu", "--code", "mau", "--parent", "UBND TỈNH MẪU")
    assert cli.fails("bloc", "join", "mau", "thanh son", "--year", "2025").stderr.startswith(
        "Không tìm thấy đơn vị «thanh son»."
    )


CRITERIA = Path(__file__).parents[1] / "sample_data" / "criteria-vhxh-2019.yaml"
SCORES = Path(__file__).parents[1] / "sample_data" / "scores-vhxh-2019.csv"


def scored(cli):
    cli.ok("score", "criteria", "-b", "vhxh", "-y", "2019", str(CRITERIA))
    cli.ok("score", "import", "-b", "vhxh", "-y", "2019", str(SCORES))
    return cli


def test_score_sheets_have_a_column_per_criterion(vhxh, tmp_path):
    scored(vhxh)
    text = vhxh.ok("score", "table", "-b", "vhxh", "-y", "2019", "--csv").stdout
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    assert head[:9] == [
        "Nhóm",
        "Hạng",
        "Đơn vị",
        "Điểm cơ bản",
        "Điểm thưởng",
        "Điểm trừ",
        "Tổng",
        "Xếp loại",
        "Nguồn điểm",
    ]
    assert head[9] == "A1. Hoàn thành các chỉ tiêu, nhiệm vụ được giao trong năm"
    assert [h.split(".")[0] for h in head[9:]] == [
        "A1", "A2", "B1", "B2", "C1", "C2", "T1", "T2", "P1", "P2"
    ]  # fmt: skip
    bhxh = next(r for r in rows if r[2] == "Bảo hiểm Xã hội tỉnh")
    assert bhxh[9:] == ["37", "13", "14", "8", "10", "9", "3", "0", "0", "0"]
    assert float(bhxh[6]) == 37 + 13 + 14 + 8 + 10 + 9 + 3
    out = tmp_path / "xep-hang.xlsx"
    vhxh.ok("score", "table", "-b", "vhxh", "-y", "2019", "--xlsx", str(out))
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in values if r and r[0] == "Nhóm")
    assert len(header) == 19 and header[-1].startswith("P2. ")


def test_score_lock_says_what_is_missing(vhxh):
    scored(vhxh)
    r = vhxh.ok("score", "lock", "-b", "vhxh", "-y", "2019")
    assert r.stderr.strip() == (
        "Cảnh báo: 11 đơn vị đã tự chấm nhưng chưa được thẩm định (Bảo hiểm Xã hội tỉnh; "
        + r.stderr.split("(Bảo hiểm Xã hội tỉnh; ")[1].strip()
    )
    assert "thiếu điểm" not in r.stderr
    vhxh.ok("score", "unlock", "-b", "vhxh", "-y", "2019", "--reason", "Chấm lại")
    vhxh.ok("score", "unset", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "-c", "A1")
    r = vhxh.ok("score", "lock", "-b", "vhxh", "-y", "2019")
    lines = r.stderr.strip().splitlines()
    assert lines[0] == (
        "Cảnh báo: 1 đơn vị còn thiếu điểm tự chấm (Sở Y tế); xem «tdkt score missing»."
    )
    assert lines[1].startswith("Cảnh báo: 10 đơn vị đã tự chấm nhưng chưa được thẩm định")


def test_vote_list_as_csv_and_xlsx(vhxh, tmp_path):
    vhxh.ok("vote", "open", "-b", "vhxh", "-y", "2019", "--award", "co-thi-dua", "--seats", "1")
    text = vhxh.ok("vote", "list", "--csv").stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Mã số", "Khối", "Năm", "Khen thưởng", "Vòng", "Suất", "Phiếu", "Tình trạng"]
    assert rows[1][:3] == ["1", "vhxh", "2019"] and len(rows) == 2
    out = tmp_path / "bo-phieu.xlsx"
    assert vhxh.ok("vote", "list", "--xlsx", str(out)).stdout.strip() == str(out)
    assert out.stat().st_size > 0
    r = vhxh.fails("vote", "list", "--csv", "--xlsx", str(tmp_path / "x.xlsx"))
    assert r.stderr.strip() == "Chọn một trong --csv hoặc --xlsx."
