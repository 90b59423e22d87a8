"""Signers as dated data, through the real CLI: who signs for a unit from a date, the history,
the signer in force, bad input refused with nothing written, undo, a spreadsheet of signers,
export → import → export byte-identical."""

from __future__ import annotations

import json
import sqlite3

import pytest
from openpyxl import Workbook

from tdkt_cli.units import signers


@pytest.fixture
def ubnd(cli):
    cli.ok("unit", "add", "UBND huyện Ba Bể", "--founded", "01/01/2020")
    cli.ok("unit", "add", "Sở Y tế")
    cli.ok("unit", "add", "Huyện ủy Ba Bể")
    return cli


def history(cli, unit):
    return json.loads(cli.ok("unit", "signers", unit, "--json").stdout)["signers"]


def test_a_signer_history_and_the_signer_in_force(ubnd):
    ubnd.ok(
        "unit", "signer", "UBND huyện Ba Bể", "--name", "Nguyễn Văn An", "--title", "Chủ tịch",
        "--for", "Ủy ban nhân dân",
    )  # fmt: skip
    r = ubnd.ok(
        "unit", "signer", "UBND huyện Ba Bể", "--name", "Trần Thị Bình", "--title",
        "Phó Chủ tịch", "--for", "Ủy ban nhân dân", "--deputy-of", "Chủ tịch", "--from",
        "01/7/2025", "--json",
    )  # fmt: skip
    assert json.loads(r.stdout)["signer"]["lines"] == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]
    got = history(ubnd, "UBND huyện Ba Bể")
    assert [(s["name"], s["valid_from"], s["until"]) for s in got] == [
        ("Nguyễn Văn An", None, "2025-07-01"),
        ("Trần Thị Bình", "2025-07-01", None),
    ]
    # `unit signer UNIT` alone lists the same history
    plain = ubnd.ok("unit", "signer", "UBND huyện Ba Bể").stdout
    assert "Nguyễn Văn An" in plain and "01/07/2025" in plain
    show = json.loads(ubnd.ok("unit", "show", "UBND huyện Ba Bể", "--json").stdout)
    assert show["signer"]["name"] == "Trần Thị Bình"
    assert "Người ký: Trần Thị Bình" in ubnd.ok("unit", "show", "UBND huyện Ba Bể").stdout
    # the service documents call, on a day before and after the change
    conn = sqlite3.connect(ubnd.db)
    conn.row_factory = sqlite3.Row
    assert signers.signer_on(conn, 1, "2025-06-30").name == "Nguyễn Văn An"
    assert signers.signer_on(conn, 1, "2025-07-01").deputy_of == "Chủ tịch"
    assert signers.signer_on(conn, 2, "2025-07-01") is None
    conn.close()


def test_a_party_body_signs_t_m_and_a_deputy_kt(ubnd):
    r = ubnd.ok(
        "unit", "signer", "Huyện ủy Ba Bể", "--name", "Lê Văn Cường", "--title", "Bí thư",
        "--for", "Ban Thường vụ", "--json",
    )  # fmt: skip
    assert json.loads(r.stdout)["signer"]["lines"] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    r = ubnd.ok(
        "unit", "signer", "Sở Y tế", "--name", "Phạm Dũng", "--title", "Phó Giám đốc",
        "--deputy-of", "Giám đốc", "--json",
    )  # fmt: skip
    assert json.loads(r.stdout)["signer"]["lines"] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]


def test_bad_input_is_refused_and_nothing_written(ubnd):
    ubnd.ok("unit", "signer", "Sở Y tế", "--name", "A", "--title", "Giám đốc", "--from", "1/1/2024")
    for args, words in [
        (["Không có đơn vị này", "--name", "A", "--title", "B"], "Không tìm thấy đơn vị"),
        (["Sở Y tế", "--name", "A", "--title", "B", "--from", "31/02/2024"], "Ngày"),
        (["Sở Y tế", "--name", "C", "--title", "B", "--from", "2024-01-01"], "--replace"),
        (["Sở Y tế", "--name", " ", "--title", "B"], "không được để trống"),
        (["Sở Y tế", "--name", "A"], "--title"),
        (["UBND huyện Ba Bể", "--name", "A", "--title", "B", "--from", "2019-12-31"], "2020"),
    ]:
        r = ubnd.fails("unit", "signer", *args)
        assert words in r.stderr, r.stderr
        assert r.stderr.strip().lstrip("«")[0].isupper() and r.stderr.count("\n") == 1


def test_replace_remove_and_undo(ubnd):
    ubnd.ok("unit", "signer", "Sở Y tế", "--name", "A", "--title", "Giám đốc", "--from", "1/1/2024")
    ubnd.ok(
        "unit", "signer", "Sở Y tế", "--name", "Á", "--title", "Giám đốc", "--from", "1/1/2024",
        "--replace",
    )  # fmt: skip
    assert [s["name"] for s in history(ubnd, "Sở Y tế")] == ["Á"]
    ubnd.ok("undo", "--yes")
    assert [s["name"] for s in history(ubnd, "Sở Y tế")] == ["A"]
    ubnd.ok("unit", "signer", "Sở Y tế", "--remove", "--from", "1/1/2024")
    assert history(ubnd, "Sở Y tế") == []
    ubnd.fails("unit", "signer", "Sở Y tế", "--remove", "--from", "1/1/2024")
    ubnd.ok("undo", "--yes")
    assert [s["name"] for s in history(ubnd, "Sở Y tế")] == ["A"]


def test_a_spreadsheet_of_signers_is_joined_and_a_second_run_changes_nothing(ubnd, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["unit", "name", "title", "for", "from"])
    sheet.append(["UBND huyện Ba Bể", "Nguyễn Văn An", "Chủ tịch", "Ủy ban nhân dân", None])
    sheet.append(["Sở Y tế", "Phạm Dũng", "Giám đốc", None, "01/01/2025"])
    path = tmp_path / "signers.xlsx"
    book.save(path)
    r = ubnd.ok("unit", "signer", "--from-file", str(path), "--json")
    assert json.loads(r.stdout)["written"] == 2
    again = json.loads(ubnd.ok("unit", "signer", "--from-file", str(path), "--json").stdout)
    assert again["written"] == 0 and again["unchanged"] == 2
    assert history(ubnd, "Sở Y tế")[0]["valid_from"] == "2025-01-01"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "unit,name,title,from\nSở Y tế,Người khác,Giám đốc,01/01/2025\n", encoding="utf-8"
    )
    r = ubnd.fails("unit", "signer", "--from-file", str(bad))
    assert "bad.csv, dòng 2" in r.stderr
    typo = tmp_path / "typo.csv"
    typo.write_text("unit,name,title\nSở Y tế,B,C\nKhông có,D,E\n", encoding="utf-8")
    assert "dòng 3" in ubnd.fails("unit", "signer", "--from-file", str(typo)).stderr


def test_signers_survive_export_and_import(ubnd):
    ubnd.ok("unit", "signer", "Sở Y tế", "--name", "A", "--title", "Giám đốc")
    ubnd.ok(
        "unit", "signer", "Sở Y tế", "--name", "B", "--title", "Phó Giám đốc", "--deputy-of",
        "Giám đốc", "--from", "1/7/2025",
    )  # fmt: skip
    ubnd.ok(
        "unit",
        "signer",
        "Huyện ủy Ba Bể",
        "--name",
        "C",
        "--title",
        "Bí thư",
        "--for",
        "Ban Thường vụ",
    )
    fresh = ubnd.round_trip()
    assert "signers:" in ubnd.ok("export").stdout
    rows = (
        sqlite3.connect(fresh)
        .execute("SELECT name, authority FROM unit_signer ORDER BY unit_id, ifnull(valid_from, '')")
        .fetchall()
    )
    assert rows == [("A", None), ("B", None), ("C", "T/M")]


def test_documents_are_signed_by_the_people_recorded(cli, tmp_path):
    """The covenant's grid carries each member's signer on the signing day (a deputy's «KT.»,
    a collective body's «TM.» in a state bloc's paper); the report is signed by the head unit's
    signer under the bloc's title; a member without a signer keeps the blank to fill."""
    from docx import Document

    for name in ("Sở Y tế", "Sở Tài chính", "Hội Nông dân tỉnh", "Sở Xây dựng"):
        cli.ok("unit", "add", name)
    cli.ok("bloc", "add", "Khối thi đua Văn hóa - Xã hội", "--code", "vh")
    cli.ok("bloc", "join", "vh", "Sở Y tế", "Sở Tài chính", "Hội Nông dân tỉnh", "Sở Xây dựng",
           "--year", "2024")  # fmt: skip
    cli.ok("bloc", "head", "vh", "--year", "2024", "--head", "Sở Y tế")
    cli.ok("unit", "signer", "Sở Y tế", "--name", "Nguyễn Văn An", "--title", "Giám đốc")
    cli.ok("unit", "signer", "Sở Y tế", "--name", "Đỗ Thị Hoa", "--title", "Giám đốc",
           "--from", "01/07/2024")  # fmt: skip
    cli.ok("unit", "signer", "Sở Tài chính", "--name", "Trần Thị Bình", "--title",
           "Phó Giám đốc", "--deputy-of", "Giám đốc")  # fmt: skip
    cli.ok("unit", "signer", "Hội Nông dân tỉnh", "--name", "Lê Văn Cường", "--title",
           "Chủ tịch", "--for", "Ban Thường vụ")  # fmt: skip
    cli.ok("pledge", "sign", "-b", "vh", "-y", "2024", "--date", "15/01/2024")
    md = tmp_path / "cov.md"
    cli.ok("report", "covenant", "-b", "vh", "-y", "2024", "--format", "md", "-o", str(md))
    text = md.read_text(encoding="utf-8")
    assert "**SỞ Y TẾ**<br>**GIÁM ĐỐC**<br>" in text and "**Nguyễn Văn An**" in text
    assert "Đỗ Thị Hoa" not in text  # she signs from 01/07, the covenant was signed in January
    assert "**KT. GIÁM ĐỐC**<br>**PHÓ GIÁM ĐỐC**" in text and "**Trần Thị Bình**" in text
    assert "**TM. BAN THƯỜNG VỤ**<br>**CHỦ TỊCH**" in text and "T/M" not in text
    # no signer recorded: the unit's name over honest blanks, never a generic title (issue 22)
    assert "**SỞ XÂY DỰNG**<br>**[…cần bổ sung…]**" in text and "THỦ TRƯỞNG ĐƠN VỊ" not in text
    docx_path = tmp_path / "cov.docx"
    cli.ok("report", "covenant", "-b", "vh", "-y", "2024", "--format", "docx", "-o", str(docx_path))
    cells = [c.text for t in Document(docx_path).tables for r in t.rows for c in r.cells]
    assert "Trần Thị Bình" in cells and "Lê Văn Cường" in cells
    report = tmp_path / "r.md"
    cli.ok("report", "annual", "-b", "vh", "-y", "2024", "--format", "md", "-o", str(report))
    signed = report.read_text(encoding="utf-8")
    assert "**TRƯỞNG KHỐI**  \n**GIÁM ĐỐC SỞ Y TẾ**" in signed and "**Đỗ Thị Hoa**" in signed
