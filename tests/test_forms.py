"""The members' round trip: forms made by `score forms` / `pledge forms`, filled in with openpyxl
as a member would in Excel (renamed, cells typed, rows left blank, mistakes), read back by
`score collect` / `pledge collect` into a real database."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import VHXH, dump
from openpyxl import load_workbook

ROOT = Path(__file__).parents[1]
CRITERIA = ROOT / "sample_data" / "criteria-vhxh-2019.yaml"
SCORES = ROOT / "sample_data" / "scores-vhxh-2019.csv"
CODES = ["A1", "A2", "B1", "B2", "C1", "C2", "T1", "T2", "P1", "P2"]
SCORE = dict(zip(CODES, [37, 13, 14, 8, 10, 9, 3, 0, 0, 0], strict=True))


@pytest.fixture
def forms(vhxh, tmp_path):
    """The 2019 criteria loaded and one self-scoring form per member in tmp_path/out."""
    vhxh.ok("score", "criteria", "-b", "vhxh", "-y", "2019", str(CRITERIA))
    vhxh.ok("score", "forms", "-b", "vhxh", "-y", "2019", "--out", str(tmp_path / "out"))
    return vhxh


def form_of(folder: Path, unit: str) -> Path:
    """The form made for `unit`, found by what is inside it (as collect does)."""
    for path in sorted(folder.glob("*.xlsx")):
        book = load_workbook(path, read_only=True)
        meta = {r[0]: r[1] for r in book["tdkt"].iter_rows(values_only=True)}
        book.close()
        if meta["unit"] == unit:
            return path
    raise AssertionError(unit)


def fill(source: Path, target: Path, values: dict, notes: dict | None = None) -> Path:
    """Type `values` in column D of the rows whose column A holds the code, as a member would."""
    book = load_workbook(source)
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(min_row=1):
        code = row[0].value
        if code in values:
            row[3].value = values[code]
        if notes and code in notes:
            row[4].value = notes[code]
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def row_of(path: Path, code: str) -> int:
    sheet = load_workbook(path).worksheets[0]
    return next(r[0].row for r in sheet.iter_rows() if r[0].value == code)


AUDIT = ('INSERT INTO "command"', 'INSERT INTO "change"', 'INSERT INTO "change_real"')


def records(db: Path) -> list[str]:
    """The database's rows without the audit trail (which an undo adds to)."""
    return [line for line in dump(db) if not line.startswith(AUDIT) and "audit_context" not in line]


def collect(cli, *args):
    return cli("score", "collect", *map(str, args), "-b", "vhxh", "-y", "2019")


def points(cli, unit_id: int) -> dict:
    rows = cli.sql("SELECT code, self_points FROM score WHERE unit_id = ? AND year = 2019", unit_id)
    return dict(rows)


# --- the forms --------------------------------------------------------------------------------


def test_score_form_layout(forms, tmp_path):
    out = tmp_path / "out"
    files = sorted(out.glob("*.xlsx"))
    assert len(files) == len(VHXH)
    syt = out / "cham-diem-2019-so-y-te.xlsx"
    assert syt in files
    assert (out / "cham-diem-2019-so-van-hoa-the-thao-va-du-lich.xlsx").exists()
    book = load_workbook(syt)
    sheet = book.worksheets[0]
    assert book.sheetnames[1] == "tdkt" and book["tdkt"].sheet_state == "hidden"
    assert book.security.lockStructure
    meta = {r[0]: r[1] for r in book["tdkt"].iter_rows(values_only=True)}
    assert (meta["bloc"], meta["year"], meta["unit"]) == ("vhxh", "2019", "Sở Y tế")
    text = [c for row in sheet.iter_rows(max_row=5, values_only=True) for c in row if c]
    assert "Đơn vị: Sở Y tế" in text and any(meta["checksum"] in t for t in text)
    assert any("2019" in t for t in text) and "KHỐI THI ĐUA VĂN HÓA - XÃ HỘI" in text
    header = [c.value for c in sheet[6]]
    assert header == ["Mã", "Nội dung tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Ghi chú"]
    a1 = row_of(syt, "A1")
    assert [c.value for c in sheet[a1]][:3] == [
        "A1",
        "Hoàn thành các chỉ tiêu, nhiệm vụ được giao trong năm",
        40,
    ]
    t1 = row_of(syt, "T1")
    assert (
        sheet.cell(t1 - 1, 2).value.startswith("Điểm thưởng") and sheet.cell(t1 - 1, 3).value == 10
    )
    # only the cells to fill are unlocked; the sheet is protected without a password
    assert sheet.protection.sheet and not sheet.protection.password
    assert not sheet.cell(a1, 4).protection.locked and not sheet.cell(a1, 5).protection.locked
    assert sheet.cell(a1, 1).protection.locked and sheet.cell(a1, 3).protection.locked
    # Excel refuses anything but a number from 0 to the maximum
    rules = {str(r.sqref): r for r in sheet.data_validations.dataValidation if r.type == "decimal"}
    rule = next(r for ref, r in rules.items() if f"D{a1}" in ref.split())
    assert (rule.formula1, float(rule.formula2), rule.showErrorMessage) == ("0", 40.0, True)
    assert sum(len(str(ref).split()) for ref in rules) == len(CODES)
    # a total by formula
    formulas = [c.value for c in sheet["D"] if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(formulas) == 4 and formulas[-1].count("+") == 1 and "-" in formulas[-1]
    assert f"D{a1}" in formulas[0] and "MIN(SUM(" in formulas[1]
    # printed as is: Times New Roman, A4 portrait, print area, the header row on every page
    filled = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert {c.font.name for c in filled} | {sheet.cell(a1, 4).font.name} == {"Times New Roman"}
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.print_title_rows == "$6:$6" and sheet.print_area.endswith(
        f"$A$1:$E${sheet.max_row}"
    )
    assert "2019" in sheet.oddHeader.center.text and "Văn hóa" in sheet.oddHeader.center.text
    longest = max(len(w) for r in sheet.iter_rows(min_row=7) for w in str(r[1].value or "").split())
    assert sheet.column_dimensions["B"].width >= longest + 2
    assert sheet.cell(a1, 2).alignment.wrap_text


def test_forms_refuse_to_replace_without_force(forms, tmp_path):
    out = tmp_path / "out"
    before = {p: p.read_bytes() for p in out.iterdir()}
    r = forms.fails("score", "forms", "-b", "vhxh", "-y", "2019", "--out", str(out))
    assert "--force" in r.stderr and r.stderr.count("\n") == 1
    assert {p: p.read_bytes() for p in out.iterdir()} == before
    forms.ok("score", "forms", "-b", "vhxh", "-y", "2019", "--out", str(out), "--force")
    assert sorted(out.iterdir()) == sorted(before)  # no temporary file left behind
    r = forms.fails("score", "forms", "-b", "vhxh", "-y", "2020", "--out", str(tmp_path / "n"))
    assert "chưa có tiêu chí" in r.stderr and not (tmp_path / "n").exists()


# --- collecting -------------------------------------------------------------------------------


def test_collect_renamed_forms_then_second_run_changes_nothing(forms, tmp_path):
    out, back = tmp_path / "out", tmp_path / "mail"
    returned = [name for name, _ in VHXH][:9]  # two members have not sent theirs back
    for i, unit in enumerate(returned):
        target = back / ("zalo" if i % 2 else "") / f"Bieu cham diem ({i}) - sua lan 2.xlsx"
        fill(form_of(out, unit), target, SCORE, {"A1": "Có minh chứng kèm theo"})
    (back / "~$Bieu cham diem (0) - sua lan 2.xlsx").write_bytes(b"lock file of Excel")
    r = collect(forms, back, "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [line["unit"] for line in data["returned"]] == returned
    assert all(line["filled"] == 10 and line["total"] == 94 for line in data["returned"])
    assert len(data["changes"]) == 9 * 10 and data["dry_run"] is False
    assert points(forms, 1) == SCORE
    note = forms.sql("SELECT self_note FROM score WHERE unit_id = 1 AND code = 'A1'")
    assert note == [("Có minh chứng kèm theo",)]
    commands = forms.sql("SELECT count(*) FROM command")
    again = collect(forms, back)
    assert again.exit_code == 0 and "Không có gì thay đổi" in again.stdout
    assert "không" in again.stdout and "Tổng" in again.stdout
    assert forms.sql("SELECT count(*) FROM command") == commands  # nothing to audit, no entry
    missing = forms("score", "missing", "-b", "vhxh", "-y", "2019", "--self", "--json")
    assert missing.exit_code == 1  # someone is missing: cron notices
    assert [m["unit"] for m in json.loads(missing.stdout)] == [name for name, _ in VHXH][9:]


def test_collect_names_every_bad_cell_and_writes_nothing(forms, tmp_path):
    out, back = tmp_path / "out", tmp_path / "mail"
    fill(form_of(out, "Sở Y tế"), back / "syt.xlsx", {**SCORE, "A1": 45})
    fill(form_of(out, "Ban Dân tộc"), back / "bdt.xlsx", {**SCORE, "B2": -1})
    fill(form_of(out, "Sở Khoa học và Công nghệ"), back / "khcn.xlsx", {**SCORE, "C1": "tám"})
    fill(
        form_of(out, "Sở Giáo dục và Đào tạo"),
        back / "gd.xlsx",
        {**SCORE, "C2": dt.datetime(2019, 5, 7)},
    )
    formula = fill(form_of(out, "Sở Y tế"), back / "c.xlsx", {**SCORE, "A2": "=10+3"})
    fill(form_of(out, "Bảo hiểm Xã hội tỉnh"), back / "ok.xlsx", SCORE)
    r = forms.fails("score", "collect", str(back), "-b", "vhxh", "-y", "2019")
    err = r.stderr
    assert err.startswith("Biểu mẫu trả về có lỗi, chưa ghi gì:") and err.count("\n") == 1
    assert "syt.xlsx» (Sở Y tế), A1, ô D" in err and "«45» ngoài khoảng 0 đến 40" in err
    assert "bdt.xlsx» (Ban Dân tộc), B2" in err and "«-1»" in err
    assert "khcn.xlsx» (Sở Khoa học và Công nghệ), C1" in err and "«tám» không phải số" in err
    assert "gd.xlsx» (Sở Giáo dục và Đào tạo), C2" in err and "«07/05/2019» là ngày tháng" in err
    a2 = row_of(formula, "A2")
    assert f"c.xlsx» (Sở Y tế), A2, ô D{a2}: còn công thức «=10+3»" in err
    assert forms.sql("SELECT count(*) FROM score") == [(0,)]


def test_formula_with_a_value_excel_computed_counts(forms, tmp_path):
    """A member's Excel saves a formula's value beside it; that value is the score."""
    out = tmp_path / "out"
    path = fill(form_of(out, "Sở Y tế"), tmp_path / "syt.xlsx", {**SCORE, "A2": "=10+3"})
    saved = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(saved, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text, n = re.subn(r"<f>10\+3</f><v\s*/>|<f>10\+3</f>", "<f>10+3</f><v>12</v>", text)
                assert n == 1
                data = text.encode()
            dst.writestr(item, data)
    assert collect(forms, saved).exit_code == 0
    assert points(forms, 7)["A2"] == 12


def test_year_old_form_other_criteria_other_bloc_are_refused(forms, tmp_path):
    cli = forms
    cli.ok("bloc", "join", "vhxh", *[str(i) for i in range(1, 12)], "--year", "2018")
    cli.ok("score", "criteria", "-b", "vhxh", "-y", "2018", str(CRITERIA))
    cli.ok("score", "forms", "-b", "vhxh", "-y", "2018", "--out", str(tmp_path / "2018"))
    old = fill(form_of(tmp_path / "2018", "Sở Y tế"), tmp_path / "a" / "syt.xlsx", SCORE)
    r = cli.fails("score", "collect", str(old), "-b", "vhxh", "-y", "2019")
    assert "(Sở Y tế) là biểu mẫu năm 2018, không phải năm 2019" in r.stderr
    # the year's criteria changed after the forms went out: the form asks other criteria
    sent = fill(form_of(tmp_path / "out", "Sở Y tế"), tmp_path / "b" / "syt.xlsx", SCORE)
    changed = tmp_path / "criteria.yaml"
    changed.write_text(
        CRITERIA.read_text(encoding="utf-8").replace("max: 40", "max: 35"), encoding="utf-8"
    )
    cli.ok("score", "criteria", "-b", "vhxh", "-y", "2019", str(changed))
    r = cli.fails("score", "collect", str(sent), "-b", "vhxh", "-y", "2019")
    assert "theo bộ tiêu chí khác, không phải tiêu chí năm 2019" in r.stderr
    assert "A1 tối đa 40 trong biểu mẫu, 35 theo tiêu chí năm 2019" in r.stderr
    # another bloc's form
    cli.ok("bloc", "add", "Khối Kinh tế", "--code", "kt")
    cli.ok("bloc", "join", "kt", "1", "--year", "2019")
    r = cli.fails("score", "collect", str(sent), "-b", "kt", "-y", "2019")
    assert "chưa có tiêu chí" in r.stderr
    cli.ok("score", "criteria", "-b", "kt", "-y", "2019", str(changed))
    r = cli.fails("score", "collect", str(sent), "-b", "kt", "-y", "2019")
    assert "là biểu mẫu của khối vhxh, không phải khối kt" in r.stderr


def test_blank_row_and_blank_form(forms, tmp_path):
    out, back = tmp_path / "out", tmp_path / "mail"
    fill(form_of(out, "Sở Y tế"), back / "syt.xlsx", {k: v for k, v in SCORE.items() if k != "B2"})
    shutil.copy(form_of(out, "Ban Dân tộc"), back / "bdt-chua-dien.xlsx")
    r = collect(forms, back, "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [(x["unit"], x["filled"]) for x in data["returned"]] == [("Sở Y tế", 9)]
    assert data["blank"] == [str(back / "bdt-chua-dien.xlsx")]
    missing = json.loads(forms("score", "missing", "-b", "vhxh", "-y", "2019", "--json").stdout)
    syt = next(m for m in missing if m["unit"] == "Sở Y tế")
    assert syt["self"] == ["B2"]
    assert "Ban Dân tộc" in [m["unit"] for m in missing]


def test_two_files_for_one_unit(forms, tmp_path):
    out = tmp_path / "out"
    a = fill(form_of(out, "Sở Y tế"), tmp_path / "x" / "syt.xlsx", SCORE)
    b = fill(form_of(out, "Sở Y tế"), tmp_path / "x" / "syt (1).xlsx", SCORE)
    r = collect(forms, a, b, "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["returned"][0]["files"] == [str(a), str(b)]
    c = fill(form_of(out, "Sở Y tế"), tmp_path / "y" / "syt-sua.xlsx", {**SCORE, "A1": 30})
    forms.ok("score", "unset", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "-c", "A1")
    before = dump(forms.db)
    r = collect(forms, a, c)
    assert r.exit_code == 1 and dump(forms.db) == before
    assert "Hai tệp của Sở Y tế ghi khác nhau" in r.stderr and "A1: 37 / 30" in r.stderr
    assert "syt.xlsx" in r.stderr and "syt-sua.xlsx" in r.stderr


def test_csv_and_forms_together(forms, tmp_path):
    out = tmp_path / "out"
    # the CSV gives every member; the form of Sở Y tế must agree with its CSV line
    csv_syt = dict(zip(CODES, [38, 14, 14, 9, 10, 10, 3, 0, 0, 0], strict=True))
    form = fill(form_of(out, "Sở Y tế"), tmp_path / "syt.xlsx", csv_syt)
    r = collect(forms, SCORES, form, "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data["returned"]) == len(VHXH)
    syt = next(x for x in data["returned"] if x["unit"] == "Sở Y tế")
    assert syt["files"] == [str(SCORES), str(form)]
    assert points(forms, 1) == SCORE
    wrong = fill(form_of(out, "Sở Y tế"), tmp_path / "syt2.xlsx", SCORE)
    forms.ok("score", "unset", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "-c", "A1")
    r = forms.fails("score", "collect", str(SCORES), str(wrong), "-b", "vhxh", "-y", "2019")
    assert "Hai tệp của Sở Y tế ghi khác nhau" in r.stderr


def test_correction_shown_old_to_new_and_undone_as_one_step(forms, tmp_path):
    out = tmp_path / "out"
    first = fill(form_of(out, "Sở Y tế"), tmp_path / "1" / "syt.xlsx", SCORE)
    fill(form_of(out, "Ban Dân tộc"), tmp_path / "1" / "bdt.xlsx", SCORE)
    assert collect(forms, tmp_path / "1").exit_code == 0
    after_first = dump(forms.db)
    records_first = records(forms.db)
    fixed = fill(first, tmp_path / "2" / "syt sua lan 2.xlsx", {"A1": 39, "T1": 4})
    dry = collect(forms, fixed, "--dry-run", "--json")
    assert dry.exit_code == 0, dry.stderr
    changes = json.loads(dry.stdout)["changes"]
    assert [(c["criterion"], c["old"], c["new"]) for c in changes] == [("A1", 37, 39), ("T1", 3, 4)]
    assert dump(forms.db) == after_first
    people = collect(forms, fixed, "--dry-run").stdout
    assert "37 → 39" in people and "chưa ghi gì" in people
    r = collect(forms, fixed)
    assert r.exit_code == 0 and "37 → 39" in r.stdout and "Đã ghi 2 điểm tự chấm" in r.stdout
    assert points(forms, 7)["A1"] == 39
    forms.ok("undo", "--yes")
    assert records(forms.db) == records_first
    forms.ok("undo", "--yes")  # the first collect, all 20 scores, in one step
    assert forms.sql("SELECT count(*) FROM score") == [(0,)]
    forms.ok("redo", "--yes")
    assert records(forms.db) == records_first


def test_collect_verified_needs_a_reason_where_it_differs(forms, tmp_path):
    out = tmp_path / "out"
    mine = fill(form_of(out, "Sở Y tế"), tmp_path / "self" / "syt.xlsx", SCORE)
    assert collect(forms, mine).exit_code == 0
    checked = fill(mine, tmp_path / "v" / "syt.xlsx", {"A1": 35})
    r = forms.fails("score", "collect", str(checked), "-b", "vhxh", "-y", "2019", "--verified")
    assert "A1: điểm thẩm định 35 khác điểm tự chấm 37; cần ghi lý do" in r.stderr
    reason = fill(checked, tmp_path / "v2" / "syt.xlsx", {}, {"A1": "Thiếu minh chứng"})
    r = collect(forms, reason, "--verified")
    assert r.exit_code == 0, r.stderr
    rows = forms.sql(
        "SELECT self_points, verified_points, verified_note FROM score WHERE unit_id = 7 AND code = 'A1'"
    )
    assert rows == [(37, 35, "Thiếu minh chứng")]


def test_unreadable_files_and_wrong_kinds(forms, tmp_path):
    cli = forms
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    r = cli.fails("score", "collect", str(bad), "-b", "vhxh", "-y", "2019")
    assert "hong.xlsx" in r.stderr and "Traceback" not in r.stderr
    old = tmp_path / "cu.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    r = cli.fails("score", "collect", str(old), "-b", "vhxh", "-y", "2019")
    assert ".xls" in r.stderr and "lưu lại" in r.stderr
    cli.ok("pledge", "forms", "-b", "vhxh", "-y", "2019", "--out", str(tmp_path / "dk"))
    pledge = next((tmp_path / "dk").glob("*.xlsx"))
    r = cli.fails("score", "collect", str(pledge), "-b", "vhxh", "-y", "2019")
    assert "là phiếu đăng ký thi đua, không phải biểu tự chấm điểm" in r.stderr
    r = cli.fails("score", "collect", str(tmp_path / "khong-co"), "-b", "vhxh", "-y", "2019")
    assert "Không tìm thấy" in r.stderr


# --- registration -----------------------------------------------------------------------------


def tick(source: Path, target: Path, ticks: dict, targets=(), signer=("", "")) -> Path:
    """Tick awards by name in column C, type targets and the signer, as a member would."""
    book = load_workbook(source)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows())
    for row in rows:
        if row[1].value in ticks:
            row[2].value = ticks[row[1].value]
    first = next(r[0].row for r in rows if r[1].value == "Chỉ tiêu") + 1
    for i, text in enumerate(targets):
        sheet.cell(first + i, 2).value = text
    name = next(r[0].row for r in rows if r[0].value == "Họ và tên")
    sheet.cell(name, 2).value, sheet.cell(name + 1, 2).value = signer
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def catalogue(cli) -> tuple[str, str]:
    """The names of the bloc's flag and certificate, as its profile prints them."""
    awards = json.loads(cli.ok("bloc", "profile", "vhxh", "--json").stdout)["awards"]
    names = {a["code"]: a["name"] for a in awards}
    return names["co-thi-dua"], names["bang-khen"]


def test_pledge_form_layout(vhxh, tmp_path):
    FLAG, CERT = catalogue(vhxh)
    vhxh.ok("pledge", "forms", "-b", "vhxh", "-y", "2019", "--out", str(tmp_path))
    path = tmp_path / "dang-ky-thi-dua-2019-so-y-te.xlsx"
    sheet = load_workbook(path).worksheets[0]
    rows = {r[1].value: r for r in sheet.iter_rows() if r[1].value}
    assert rows[FLAG][0].value == "co-thi-dua" and rows[CERT][0].value == "bang-khen"
    lists = [r for r in sheet.data_validations.dataValidation if r.type == "list"]
    assert lists[0].formula1 == '"Có,Không"'
    assert {c.coordinate for c in (rows[FLAG][2], rows[CERT][2])} <= set(
        str(lists[0].sqref).split()
    )
    assert not rows[FLAG][2].protection.locked and rows[FLAG][1].protection.locked
    assert sheet.protection.sheet and int(sheet.page_setup.paperSize) == 9  # A4


def test_pledge_collect_round_trip(vhxh, tmp_path):
    FLAG, CERT = catalogue(vhxh)
    out = tmp_path / "out"
    vhxh.ok("pledge", "forms", "-b", "vhxh", "-y", "2019", "--out", str(out))
    syt = out / "dang-ky-thi-dua-2019-so-y-te.xlsx"
    bdt = out / "dang-ky-thi-dua-2019-ban-dan-toc.xlsx"
    back = tmp_path / "mail"
    tick(
        syt,
        back / "DK thi dua SYT.xlsx",
        {FLAG: "Có", CERT: "Không"},
        ["Hoàn thành 100% chỉ tiêu được giao", "Không có cán bộ vi phạm kỷ luật"],
        ("Nguyễn Văn A", "Giám đốc"),
    )
    tick(bdt, back / "bdt.xlsx", {CERT: "Có"}, ["Giải ngân 100% vốn chương trình"])
    shutil.copy(out / "dang-ky-thi-dua-2019-so-giao-duc-va-dao-tao.xlsx", back / "trong.xlsx")
    r = vhxh("pledge", "collect", str(back), "-b", "vhxh", "-y", "2019", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [(x["unit"], x["awards"], x["signer"]) for x in data["returned"]] == [
        ("Sở Y tế", [FLAG], "Nguyễn Văn A, Giám đốc"),
        ("Ban Dân tộc", [CERT], ""),
    ]
    assert data["blank"] == [str(back / "trong.xlsx")]
    listed = json.loads(vhxh.ok("pledge", "list", "-b", "vhxh", "-y", "2019", "--json").stdout)
    regs = {(p["unit"], p["title"]): p["targets"] for p in listed["registrations"]}
    assert regs == {
        ("Sở Y tế", FLAG): [
            "Hoàn thành 100% chỉ tiêu được giao",
            "Không có cán bộ vi phạm kỷ luật",
        ],
        ("Ban Dân tộc", CERT): ["Giải ngân 100% vốn chương trình"],
    }
    before = dump(vhxh.db)
    before_records = records(vhxh.db)
    again = vhxh("pledge", "collect", str(back), "-b", "vhxh", "-y", "2019")
    assert again.exit_code == 0 and "Không có gì thay đổi" in again.stdout
    assert dump(vhxh.db) == before
    # a correction: Sở Y tế registers the certificate instead of the flag
    fixed = tick(syt, tmp_path / "sua" / "syt.xlsx", {CERT: "Có"}, ["Hoàn thành 100%"])
    dry = vhxh("pledge", "collect", str(fixed), "-b", "vhxh", "-y", "2019", "--dry-run", "--json")
    actions = [(c["title"], c["action"]) for c in json.loads(dry.stdout)["changes"]]
    assert actions == [(FLAG, "remove"), (CERT, "add")] and dump(vhxh.db) == before
    vhxh.ok("pledge", "collect", str(fixed), "-b", "vhxh", "-y", "2019")
    listed = json.loads(vhxh.ok("pledge", "list", "-b", "vhxh", "-y", "2019", "--json").stdout)
    assert {(p["unit"], p["title"]) for p in listed["registrations"]} == {
        ("Sở Y tế", CERT),
        ("Ban Dân tộc", CERT),
    }
    vhxh.ok("undo", "--yes")
    assert records(vhxh.db) == before_records


def test_pledge_collect_refuses_bad_answers(vhxh, tmp_path):
    FLAG, CERT = catalogue(vhxh)
    out = tmp_path / "out"
    vhxh.ok("pledge", "forms", "-b", "vhxh", "-y", "2019", "--out", str(out))
    syt = out / "dang-ky-thi-dua-2019-so-y-te.xlsx"
    tick(syt, tmp_path / "a" / "1.xlsx", {FLAG: "Có lẽ"})
    r = vhxh.fails("pledge", "collect", str(tmp_path / "a"), "-b", "vhxh", "-y", "2019")
    assert (
        f"1.xlsx» (Sở Y tế), {FLAG}, ô C" in r.stderr
        and "«Có lẽ» không phải «Có» hay «Không»" in r.stderr
    )
    # an award the catalogue does not have (the row's name typed over), ticked
    book = load_workbook(syt)
    sheet = book.worksheets[0]
    sheet.protection.sheet = False
    row = next(r for r in sheet.iter_rows() if r[1].value == FLAG)
    row[1].value, row[0].value, row[2].value = "Cờ thi đua của Bộ Y tế", "co-bo", "Có"
    (tmp_path / "b").mkdir()
    book.save(tmp_path / "b" / "2.xlsx")
    r = vhxh.fails("pledge", "collect", str(tmp_path / "b"), "-b", "vhxh", "-y", "2019")
    assert "danh hiệu «Cờ thi đua của Bộ Y tế» không có trong danh mục của khối vhxh" in r.stderr
    tick(syt, tmp_path / "c" / "3.xlsx", {}, ["Một chỉ tiêu"])
    r = vhxh.fails("pledge", "collect", str(tmp_path / "c"), "-b", "vhxh", "-y", "2019")
    assert "có chỉ tiêu nhưng chưa chọn «Có»" in r.stderr
    tick(syt, tmp_path / "d" / "4.xlsx", {FLAG: "Có"})
    tick(syt, tmp_path / "d" / "5.xlsx", {CERT: "Có"})
    r = vhxh.fails("pledge", "collect", str(tmp_path / "d"), "-b", "vhxh", "-y", "2019")
    assert "Hai phiếu của Sở Y tế ghi khác nhau" in r.stderr


def test_titles_stay_text_and_padding_rows_are_not_read(vhxh, tmp_path):
    odd = tmp_path / "criteria.yaml"
    odd.write_text(
        CRITERIA.read_text(encoding="utf-8").replace(
            "title: Báo cáo chậm hoặc không báo cáo", "title: '=HYPERLINK(\"http://x\")'"
        ),
        encoding="utf-8",
    )
    vhxh.ok("score", "criteria", "-b", "vhxh", "-y", "2019", str(odd))
    vhxh.ok("score", "forms", "-b", "vhxh", "-y", "2019", "--out", str(tmp_path / "out"))
    form = tmp_path / "out" / "cham-diem-2019-so-y-te.xlsx"
    cell = load_workbook(form).worksheets[0].cell(row_of(form, "P1"), 2)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    book = load_workbook(fill(form, tmp_path / "syt.xlsx", SCORE))
    book.worksheets[0].cell(5000, 4).value = "rác"  # far below the form: never read
    book.save(tmp_path / "syt.xlsx")
    assert collect(vhxh, tmp_path / "syt.xlsx").exit_code == 0
    assert points(vhxh, 7) == SCORE
    r = vhxh.fails("score", "forms", "-b", "vhxh", "-y", "2019", "--out", str(form))
    assert "là một tệp, không phải thư mục" in r.stderr


def test_renamed_member_left_member_and_locked_year(forms, tmp_path):
    out = tmp_path / "out"
    syt = fill(form_of(out, "Sở Y tế"), tmp_path / "a" / "syt.xlsx", SCORE)
    bdt = fill(form_of(out, "Ban Dân tộc"), tmp_path / "b" / "bdt.xlsx", SCORE)
    # renamed after the form went out: the form still belongs to it
    forms.ok("unit", "rename", "Sở Y tế", "Sở Y tế tỉnh Bắc Kạn", "--on", "1/6/2019")
    r = collect(forms, syt, "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["returned"][0]["unit"] == "Sở Y tế tỉnh Bắc Kạn"
    forms.ok("bloc", "leave", "vhxh", "Ban Dân tộc", "--year", "2019")
    r = forms.fails("score", "collect", str(bdt), "-b", "vhxh", "-y", "2019")
    assert "«Ban Dân tộc» không phải thành viên khối vhxh năm 2019" in r.stderr
    forms.ok("score", "lock", "-b", "vhxh", "-y", "2019")
    r = forms.fails("score", "collect", str(syt), "-b", "vhxh", "-y", "2019")
    assert "đã khóa" in r.stderr
