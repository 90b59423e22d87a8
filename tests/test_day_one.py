"""Day one of a new clerk (issue 24, point 8), each small thing through the real CLI."""

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import COMMAND, dump

from tdkt_cli.cli.catalog import NOUNS


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


# words said twice in a row («Đã ghi 1 phiếu phiếu trống.»), digits aside
DOUBLED = re.compile(r"(?<![\w-])([^\W\d_]+)\s+\1(?![\w-])", re.IGNORECASE)


def test_every_refusal_starts_upper_case_and_says_no_word_twice(vhxh, tmp_path):
    cli = vhxh
    cli.ok("meeting", "log", "-b", "vhxh", "--date", "08/01/2020", "--kind", "tong-ket")
    vid = cli.ok(
        "vote",
        "open",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--award",
        "co-thi-dua",
        "--seats",
        "1",
        "--meeting",
        "1",
    ).stdout.strip()
    missing = str(tmp_path / "khong-co.yaml")
    bad_yaml = tmp_path / "hong.yaml"
    bad_yaml.write_text("tdkt: [\n", encoding="utf-8")
    year = ("-b", "vhxh", "-y", "2019")
    refusals = [
        ("unit", "add", ""),
        ("unit", "add", "Sở Y tế"),
        ("unit", "show", "Sở Không Có"),
        ("unit", "rename", "SYT", "Sở Y tế"),
        ("unit", "merge", "SYT", "--into", "SYT", "--on", "01/01/2020"),
        ("unit", "remove", "SYT"),
        ("unit", "end", "SYT", "--on", "31/02/2020"),
        ("unit", "alias", "SYT", ""),
        ("bloc", "add", "Khối mới", "--code", "vhxh"),
        ("bloc", "show", "khong-co"),
        ("bloc", "join", "vhxh", "99", "--year", "2019"),
        ("bloc", "head", "vhxh", "--year", "2019", "--head", "Sở Không Có"),
        ("bloc", "leave", "vhxh", "Sở Không Có", "--year", "2019"),
        ("bloc", "remove", "vhxh"),
        ("meeting", "log", "-b", "vhxh", "--date", "32/01/2020", "--kind", "giao-ban"),
        ("meeting", "log", "-b", "vhxh", "--date", "08/02/2020", "--kind", "hop"),
        ("meeting", "log", "-b", "vhxh", "--date", "08/03/2020", "--kind", "tong-ket"),
        ("meeting", "log", "-b", "vhxh", "--date", "08/03/2020", "--kind", "khac", "--additional"),
        (
            "meeting",
            "log",
            "-b",
            "vhxh",
            "--date",
            "08/03/2020",
            "--kind",
            "khac",
            "-y",
            "2019",
            "--absent-reason",
            "Ốm",
        ),
        (
            "meeting",
            "log",
            "-b",
            "vhxh",
            "--date",
            "08/03/2020",
            "--kind",
            "khac",
            "-y",
            "2019",
            "--start",
            "9:00",
            "--end",
            "8:00",
        ),
        ("meeting", "show", "9"),
        ("meeting", "edit", "1", "--kind", "tong-ket"),
        ("meeting", "remove", "1"),
        ("meeting", "list", "-o", "x.csv"),
        ("pledge", "record", *year, "--unit", "SYT", "--title", "Huân chương"),
        ("pledge", "edit", "9", "--title", "Bằng khen"),
        ("pledge", "remove", "9"),
        ("pledge", "sign", *year, "--date", "08/01/2020", "--meeting", "9"),
        ("vote", "cast", vid, "Sở Không Có"),
        ("vote", "close", "9"),
        ("vote", "tally", "9"),
        ("vote", "reopen", vid, "--reason", "x"),
        ("vote", "list", "--csv", "--xlsx", "x.xlsx"),
        ("award", "propose", *year, "--unit", "SYT", "--award", "Huân chương"),
        (
            "award",
            "decide",
            "-y",
            "2019",
            "--unit",
            "SYT",
            "--award",
            "bang-khen",
            "--number",
            "1/QĐ-UBND",
            "--date",
            "31/02/2020",
        ),
        ("award", "list", "-b", "khong-co"),
        ("score", "set", *year, "--unit", "SYT", "-c", "A1", "--self", "1"),
        ("score", "criteria", *year, missing),
        ("score", "lock", *year),
        ("score", "table", *year),
        ("exemplar", "remove", "9"),
        ("activity", "remove", "9"),
        ("movement", "remove", "9"),
        ("report", "minutes", "9", "--format", "md"),
        ("report", "annual", "-b", "vhxh", "-y", "2019", "--format", "doc"),
        ("report", "tally", "9"),
        ("body", "show", "Bộ Không Có"),
        ("import", missing),
        ("import", str(bad_yaml)),
        ("export", "--bloc", "khong-co"),
        ("redo",),
    ]
    wrong = []
    for args in refusals:
        before = dump(cli.db)
        r = cli(*args)
        said = r.stderr.strip()
        first = said.lstrip("«“(")[:1]
        if r.exit_code != 1 or not first.isupper() or DOUBLED.search(said) or "Traceback" in said:
            wrong.append((args, r.exit_code, said))
        assert dump(cli.db) == before, args
    assert wrong == []


def test_the_doubled_word_check_sees_one():
    assert DOUBLED.search("Đã ghi 1 phiếu phiếu trống.")
    assert not DOUBLED.search("Đã ghi 1 phiếu trắng; 2 phiếu, 2 đơn vị.")


def test_said_on_success_no_word_twice(vhxh, tmp_path):
    vid = vhxh.ok(
        "vote", "open", "-b", "vhxh", "-y", "2019", "--award", "co-thi-dua", "--seats", "1"
    ).stdout.strip()
    ballots = tmp_path / "phieu.csv"
    ballots.write_text("Sở Y tế\n\nINVALID\n", encoding="utf-8")
    said = [
        vhxh.ok("vote", "cast", vid, "--blank"),
        vhxh.ok("vote", "cast", vid, "--invalid"),
        vhxh.ok("vote", "cast", vid, "Sở Y tế"),
        vhxh.ok("vote", "import", vid, str(ballots)),
        vhxh.ok("vote", "uncast", vid, "--blank"),
        vhxh.ok("vote", "tally", vid, "--explain"),
        vhxh.ok("vote", "close", vid, "--at", "10:00"),
        vhxh.ok("meeting", "log", "-b", "vhxh", "--date", "20/07/2019", "--kind", "so-ket"),
        vhxh.ok("bloc", "show", "vhxh"),
        vhxh.ok("award", "list", "-b", "vhxh"),
    ]
    for r in said:
        assert not DOUBLED.search(r.stdout + r.stderr), r.stdout + r.stderr


@pytest.mark.parametrize(
    "args", [[], *[[noun] for noun in NOUNS]], ids=lambda a: a[0] if a else "tdkt"
)
def test_a_group_typed_alone_speaks_vietnamese(cli, args):
    for run in (cli(*args), fast(*args)):
        text = run.stdout + run.stderr
        assert "Cách dùng: tdkt" in text and "Tùy chọn:" in text, text
        assert "Lệnh:" in text
        for english in ("Usage", "Options", "Commands", "Arguments", "Show this message"):
            assert english not in text, (args, text)


class Ran:
    def __init__(self, done: subprocess.CompletedProcess) -> None:
        self.stdout, self.stderr, self.exit_code = done.stdout, done.stderr, done.returncode


def fast(*args, columns: str | None = None) -> Ran:
    """The installed program in its own process: the quick path answers help without Typer."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    if columns:
        env["COLUMNS"] = columns
    done = subprocess.run(
        [sys.executable, "-m", "tdkt_cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    return Ran(done)


@pytest.mark.parametrize("columns", ["80", "60"])
def test_the_help_wraps_at_words(cli, columns):
    from tdkt_cli.cli.catalog import TOP

    words = TOP["import"].help.split()
    r = cli.runner.invoke(COMMAND, ["--help"], env={"TDKT_DB": str(cli.db), "COLUMNS": columns})
    for text in (r.stdout, fast("--help", columns=columns).stdout):
        lines = text.splitlines()
        assert max(len(line) for line in lines) <= int(columns)
        start = next(i for i, line in enumerate(lines) if line.split()[:1] == ["import"])
        entry = lines[start].split()[1:]
        for line in lines[start + 1 :]:
            if not line.startswith(" " * 6) or not line.strip():
                break
            entry += line.split()
        assert entry[: len(words)] == words, text  # every word whole, none cut


def test_the_demo_says_once_and_calmly_what_it_leaves_blank(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    done = fast("demo", "--out", str(tmp_path / "demo"))
    assert done.exit_code == 0, done.stderr
    assert "Cảnh báo" not in done.stdout + done.stderr
    assert done.stderr == ""
    assert done.stdout.count("chỗ «[…cần bổ sung…]» là thông tin bài báo nguồn không có") == 1


def test_no_refusal_in_the_source_starts_lower_case():
    """Every refusal written as text starts with a capital (or a quoted name), not a lower-case
    word or an option: the refusals the test above drives are a sample, this is all of them."""
    import ast

    errors = {"InvalidInput", "RuleBroken", "NotFound", "Ambiguous", "Conflict", "TdktError"}
    wrong = []
    for path in sorted((Path(__file__).parents[1] / "src" / "tdkt_cli").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            if getattr(func, "id", getattr(func, "attr", None)) not in errors or not node.exc.args:
                continue
            text = node.exc.args[0]
            if isinstance(text, ast.JoinedStr) and text.values:
                text = text.values[0]
            if isinstance(text, ast.Constant) and isinstance(text.value, str) and text.value:
                first = text.value[0]
                if first == "-" or first.islower():
                    wrong.append(f"{path.name}:{node.lineno}: {text.value[:50]}")
    assert wrong == []
