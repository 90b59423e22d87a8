"""Tables for Excel: CSV with BOM when written to a file, .xlsx out (read back with openpyxl) and
.xlsx in for scores and member lists; decimal comma for people, numbers in JSON."""

import csv
import io
import json
from pathlib import Path

from conftest import VHXH
from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).parents[1]
CRITERIA = ROOT / "sample_data" / "criteria-vhxh-2019.yaml"
SCORES = ROOT / "sample_data" / "scores-vhxh-2019.csv"


def _scored(cli):
    cli.ok("score", "criteria", "-b", "vhxh", "-y", "2019", str(CRITERIA))
    cli.ok("score", "import", "-b", "vhxh", "-y", "2019", str(SCORES))
    cli.ok(
        "score", "set", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "-c", "A1", "--self", "36.5"
    )
    return cli


def test_csv_file_has_bom_and_stdout_has_not(vhxh, tmp_path):
    _scored(vhxh)
    out = vhxh.ok("score", "table", "-b", "vhxh", "-y", "2019", "--csv").stdout
    assert not out.startswith("\ufeff") and out.startswith("Nhóm,Hạng,Đơn vị")
    target = tmp_path / "bang-diem.csv"
    vhxh.ok("score", "table", "-b", "vhxh", "-y", "2019", "--csv", "-o", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][2] == "Đơn vị"
    syt = next(r for r in rows if r[2] == "Sở Y tế")
    assert float(syt[6]) == float(syt[3]) + float(syt[4]) - float(syt[5])
    assert any("." in r[3] for r in rows[1:]) and all("e" not in r[6] for r in rows[1:])
    assert syt[8] in ("tự chấm", "đã thẩm định", "một phần đã thẩm định")
    # existing file kept without --force
    vhxh.fails("score", "table", "-b", "vhxh", "-y", "2019", "--csv", "-o", str(target))


def test_people_table_uses_decimal_comma_json_numbers(vhxh):
    _scored(vhxh)
    text = vhxh.ok("score", "table", "-b", "vhxh", "-y", "2019").stdout
    data = json.loads(vhxh.ok("score", "table", "-b", "vhxh", "-y", "2019", "--json").stdout)
    syt = next(s for s in data["standings"] if s["unit"] == "Sở Y tế")
    assert isinstance(syt["total"], float | int) and syt["total"] != int(syt["total"])
    assert f"{syt['total']}".replace(".", ",") in text
    assert f"{syt['total']}" not in text


def test_score_table_xlsx_read_back(vhxh, tmp_path):
    _scored(vhxh)
    target = tmp_path / "bang-diem.xlsx"
    r = vhxh.ok("score", "table", "-b", "vhxh", "-y", "2019", "--xlsx", str(target))
    assert str(target) in r.stdout
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nhóm", "Hạng", "Đơn vị")
    data = json.loads(vhxh.ok("score", "table", "-b", "vhxh", "-y", "2019", "--json").stdout)
    assert [r[2] for r in rows[1:]] == [s["unit"] for s in data["standings"]]
    for row, s in zip(rows[1:], data["standings"], strict=True):
        assert isinstance(row[6], int | float) and row[6] == s["total"]
        assert row[1] == s["rank"]


def test_province_and_award_history_xlsx(vhxh, tmp_path):
    vhxh.ok("award", "propose", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "--award", "bang-khen")
    vhxh.ok("vote", "open", "-b", "vhxh", "-y", "2019", "--award", "bang-khen", "--seats", "1")
    prov = tmp_path / "tinh.xlsx"
    vhxh.ok("province", "-y", "2019", "--xlsx", str(prov))
    rows = list(load_workbook(prov).active.iter_rows(values_only=True))
    assert rows[0][0] == "Khối" and rows[1][0] == "vhxh" and rows[1][3] == 11
    assert "Bằng khen" in rows[1][8] and "bang-khen" not in rows[1][8]
    csv_text = vhxh.ok("province", "-y", "2019", "--csv").stdout
    assert "bang-khen:" not in csv_text and "chưa có phiếu" in csv_text
    awards = tmp_path / "khen.xlsx"
    vhxh.ok("award", "list", "--xlsx", str(awards))
    rows = list(load_workbook(awards).active.iter_rows(values_only=True))
    assert rows[0] == ("Năm", "Đơn vị", "Hình thức", "Tình trạng", "Quyết định / lý do")
    assert rows[1][:4] == (
        2019,
        "Sở Y tế",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn",
        "đề nghị",
    )
    vhxh.fails("award", "list", "--xlsx", str(tmp_path / "khen.txt"))
    vhxh.fails("award", "list", "-o", str(tmp_path / "x.csv"))


def test_score_import_from_xlsx(vhxh, tmp_path):
    vhxh.ok("score", "criteria", "-b", "vhxh", "-y", "2019", str(CRITERIA))
    book = Workbook()
    sheet = book.active
    lines = SCORES.read_text(encoding="utf-8-sig").splitlines()
    for line in lines:
        cells = line.split(";")
        sheet.append([cells[0], *[int(c) if c.isdigit() else c for c in cells[1:]]])
    sheet.cell(2, 2).value = 36.5  # a real number in a cell
    path = tmp_path / "diem.xlsx"
    book.save(path)
    vhxh.ok("score", "import", "-b", "vhxh", "-y", "2019", str(path))
    got = vhxh.sql(
        "SELECT self_points FROM score s JOIN unit u ON u.id = s.unit_id WHERE u.id = 1 AND s.code = 'A1'"
    )
    assert got == [(36.5,)]
    n = vhxh.sql("SELECT count(*) FROM score WHERE self_points IS NOT NULL")[0][0]
    assert n == sum(1 for line in lines[1:] for c in line.split(";")[1:] if c.strip())
    sheet.cell(3, 2).value = "nhiều"
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    r = vhxh.fails("score", "import", "-b", "vhxh", "-y", "2019", str(bad))
    assert "dòng 3" in r.stderr and "nhiều" in r.stderr
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    r = vhxh.fails("score", "import", "-b", "vhxh", "-y", "2019", str(junk))
    assert "Excel" in r.stderr


def test_bloc_join_from_xlsx_and_csv(cli, tmp_path):
    for name, short in VHXH:
        cli.ok("unit", "add", name, *(["--short", short] if short else []))
    cli.ok("bloc", "add", "Khối Văn hóa - Xã hội", "--code", "vhxh")
    book = Workbook()
    sheet = book.active
    sheet.append(["Đơn vị", "Nhóm"])
    sheet.append(["Sở Y tế", "Sở"])
    sheet.append(["BHXH tỉnh", "Sở"])
    sheet.append(["Trường Cao đẳng Cộng đồng", "Trường"])
    path = tmp_path / "thanh-vien.xlsx"
    book.save(path)
    cli.ok("bloc", "join", "vhxh", "--year", "2019", "--from", str(path))
    members = json.loads(cli.ok("unit", "list", "-b", "vhxh", "-y", "2019", "--json").stdout)
    assert {m["name"] for m in members} == {
        "Sở Y tế",
        "Bảo hiểm Xã hội tỉnh",
        "Trường Cao đẳng Cộng đồng",
    }
    groups = dict(cli.sql("SELECT u.name, m.grp FROM membership m JOIN unit u ON u.id = m.unit_id"))
    assert groups["Sở Y tế"] == "Sở" and groups["Trường Cao đẳng Cộng đồng"] == "Trường"
    listed = tmp_path / "tv.csv"
    listed.write_text("đơn vị\nBan Dân tộc\nKhông có đơn vị này\n", encoding="utf-8-sig")
    r = cli.fails("bloc", "join", "vhxh", "--year", "2020", "--from", str(listed))
    assert "dòng 3" in r.stderr
    cli.fails("bloc", "join", "vhxh", "Ban Dân tộc", "--year", "2020", "--from", str(listed))


def test_decimal_comma():
    from tdkt_cli.text import decimal

    assert [decimal(x) for x in (97.5, 100.0, 1234.5, 0, None, -2.25)] == [
        "97,5",
        "100",
        "1.234,5",
        "0",
        "",
        "-2,25",
    ]


def test_meeting_list_as_a_sheet(vhxh, tmp_path):
    vhxh.ok("meeting", "log", "-b", "vhxh", "--date", "08/01/2020", "--kind", "tong-ket")
    target = tmp_path / "hoi-nghi.xlsx"
    vhxh.ok("meeting", "list", "--xlsx", str(target))
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0] == ("Mã số", "Khối", "Năm", "Ngày", "Loại", "Tên", "Có mặt")
    assert rows[1][1:5] == ("vhxh", 2019, "08/01/2020", "Tổng kết năm")
    text = vhxh.ok("meeting", "list", "--csv").stdout
    assert text.splitlines()[1].startswith(str(rows[1][0]) + ",vhxh,2019,08/01/2020")


def test_xlsx_to_a_folder_is_one_sentence_by_both_doors(vhxh, tmp_path):
    """Left open last round and found again (w15): `--xlsx FOLDER` (province, vote list, score
    table, award list, meeting list) ended in Click's usage error, exit 2; `--xlsx /dev/full`
    named only «full»."""
    from test_safety import run_tdkt

    (tmp_path / "dir").mkdir()
    for args in (
        ["province", "-y", "2019", "--xlsx", "dir"],
        ["vote", "list", "--xlsx", "dir"],
        ["award", "list", "--xlsx", "dir"],
        ["meeting", "list", "--xlsx", "dir"],
    ):
        said = f"«dir» là thư mục; hãy ghi tên tệp, ví dụ --xlsx {Path('dir', 'bang.xlsx')}.\n"
        assert vhxh.fails(*args).stderr == said, args
        r = run_tdkt("--db", str(vhxh.db), *args, cwd=tmp_path)
        assert (r.returncode, r.stderr.decode()) == (1, said), args
    r = vhxh.fails("vote", "list", "--xlsx", "/dev/full")
    assert r.stderr == "Tệp Excel phải có đuôi .xlsx («/dev/full»).\n"
    assert list((tmp_path / "dir").iterdir()) == []
