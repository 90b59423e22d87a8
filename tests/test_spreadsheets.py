"""Issue 28.2 and 28.4: every spreadsheet tdkt reads (bloc join --from, score import, and
files.sheets.read_rows for the commands that collect members' returned forms) goes through one
safe reader. A damaged or hostile .xlsx, an .xls, a locked workbook, a zip bomb or a million rows
is one Vietnamese sentence naming the file, exit 1, nothing written, nothing else on stderr; an
external entity is never resolved. CSV from old Excel (CR line ends, UTF-16, Windows-1258) reads."""

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import hostile_xlsx as h
import pytest
from conftest import dump

from tdkt_cli.core.errors import InvalidInput
from tdkt_cli.files.sheets import MAX_ROWS, read_rows

ROOT = Path(__file__).parents[1]
CRITERIA = ROOT / "sample_data" / "criteria-vhxh-2019.yaml"
SECRET = "BÍ-MẬT-KHÔNG-ĐƯỢC-LỘ"


def _secret(folder: Path) -> Path:
    path = folder / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


HOSTILE = {
    "shared-index": (h.bad_shared_index, "chuỗi dùng chung"),
    "cut-xml": (h.cut_xml, "bị cắt"),
    "external-entity": (lambda p: h.external_entity(p, _secret(p.parent)), "DOCTYPE"),
    "entity-behind-70k": (lambda p: h.external_entity(p, _secret(p.parent), 70_000), "DOCTYPE"),
    "entity-in-utf16": (lambda p: h.utf16_doctype(p, _secret(p.parent)), "DOCTYPE"),
    "billion-laughs": (h.billion_laughs, "DOCTYPE"),
    "bad-styles": (h.bad_styles, "không đúng định dạng"),
    "date-past-9999": (h.date_past_9999, "năm 9999"),
    "not-a-zip": (h.not_a_zip, "tệp nén hỏng"),
    "truncated": (h.truncated_zip, "tệp nén hỏng"),
    "password": (h.encrypted, "mật khẩu"),
    "xls-named-xlsx": (h.old_xls, ".xls"),
    "zip-bomb": (h.zip_bomb, "bom zip"),
    "million-rows": (h.million_rows, "20.000 dòng"),
}


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {name: make(folder / f"{name}.xlsx") for name, (make, _) in HOSTILE.items()}


def _one_sentence(stderr: str, name: str, words: str) -> None:
    assert stderr.count("\n") == 1 and stderr.endswith(".\n"), stderr
    assert stderr[0].isupper() and f"«{name}.xlsx»" in stderr and words in stderr, stderr
    assert "Traceback" not in stderr and "Lỗi không mong đợi" not in stderr, stderr
    assert "Warning" not in stderr and SECRET not in stderr, stderr


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_xlsx_is_one_sentence_in_every_reader(vhxh, hostile_files, name):
    vhxh.ok("score", "criteria", "-b", "vhxh", "-y", "2019", str(CRITERIA))
    path = hostile_files[name]
    words = HOSTILE[name][1]
    for args in (
        ["bloc", "join", "vhxh", "--year", "2020", "--from", str(path)],
        ["score", "import", "-b", "vhxh", "-y", "2019", str(path)],
    ):
        r = vhxh.fails(*args)  # exit 1 and the database as it was
        _one_sentence(r.stderr, name, words)
        assert SECRET not in r.stdout
    with pytest.raises(InvalidInput) as caught:
        read_rows(path)  # the helper other commands call
    assert f"«{name}.xlsx»" in caught.value.message


@pytest.mark.parametrize("name", ["date-past-9999", "bad-styles", "billion-laughs", "cut-xml"])
def test_nothing_but_the_sentence_reaches_stderr_of_the_real_program(vhxh, hostile_files, name):
    """Python warnings (openpyxl's «Cell … is marked as a date») would print in a real process."""
    before = dump(vhxh.db)
    env = {
        **os.environ,
        "TDKT_DB": str(vhxh.db),
        "PYTHONWARNINGS": "default",
        "PYTHONPATH": os.pathsep.join(
            p for p in (os.environ.get("PYTHONPATH"), str(ROOT / "src")) if p
        ),
    }
    r = subprocess.run(
        [sys.executable, "-m", "tdkt_cli", "bloc", "join", "vhxh", "-y", "2020", "--from",
         str(hostile_files[name])],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert r.returncode == 1, r.stderr
    _one_sentence(r.stderr, name, HOSTILE[name][1])
    assert dump(vhxh.db) == before


def test_a_real_sheet_still_reads_even_when_it_claims_a_huge_size(vhxh, tmp_path):
    for make in (h.members, h.wide_dimension):
        path = make(tmp_path / f"{make.__name__}.xlsx")
        assert read_rows(path) == h.MEMBERS
    vhxh.ok("bloc", "join", "vhxh", "-y", "2020", "--from", str(tmp_path / "members.xlsx"))
    got = json.loads(vhxh.ok("unit", "list", "-b", "vhxh", "-y", "2020", "--json").stdout)
    assert sorted(u["name"] for u in got) == ["Bảo hiểm Xã hội tỉnh", "Sở Y tế"]


def test_an_xls_and_a_csv_over_the_row_limit_say_what_to_do(vhxh, tmp_path):
    xls = h.old_xls(tmp_path / "cu.xls")
    r = vhxh.fails("bloc", "join", "vhxh", "-y", "2020", "--from", str(xls))
    assert "«cu.xls»" in r.stderr and ".xlsx" in r.stderr and r.stderr.count("\n") == 1
    big = tmp_path / "lon.csv"
    big.write_text("Đơn vị\n" + "Sở Y tế\n" * (MAX_ROWS + 5), encoding="utf-8")
    r = vhxh.fails("bloc", "join", "vhxh", "-y", "2020", "--from", str(big))
    assert "«lon.csv»" in r.stderr and "dòng" in r.stderr and r.stderr.count("\n") == 1


# --- CSV as old Excel saves it ---------------------------------------------------------------


def windows_1258(text: str) -> bytes:
    """As Windows writes Vietnamese in code page 1258: a letter it has (ơ, ư, ă, â, đ…) as one
    byte, the tone mark after it as a combining byte (ị = i + 0xF2, ợ = ơ + 0xF2)."""
    import unicodedata

    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += (base + tones).encode("cp1258")
    return out


MEMBER_CSV = "Đơn vị;Nhóm\nSở Y tế;Sở\nBảo hiểm Xã hội tỉnh;Sở\n"


@pytest.mark.parametrize(
    "encoding",
    ["cr-only", "crlf", "utf-16", "utf-16-be", "cp1258", "utf-8-sig"],
)
def test_member_csv_from_any_excel_reads(vhxh, tmp_path, encoding):
    text = MEMBER_CSV
    if encoding == "cr-only":  # Excel's «CSV (Macintosh)»
        raw = text.replace("\n", "\r").encode("utf-8")
    elif encoding == "crlf":
        raw = text.replace("\n", "\r\n").encode("utf-8")
    elif encoding == "utf-16":  # «Unicode Text»: little-endian with a BOM
        raw = text.encode("utf-16")
    elif encoding == "utf-16-be":
        raw = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    elif encoding == "cp1258":
        raw = windows_1258(text)
    else:
        raw = text.encode("utf-8-sig")
    path = tmp_path / "thanh-vien.csv"
    path.write_bytes(raw)
    assert read_rows(path) == [r.split(";") for r in MEMBER_CSV.splitlines()]
    vhxh.ok("bloc", "join", "vhxh", "-y", "2020", "--from", str(path))
    got = json.loads(vhxh.ok("unit", "list", "-b", "vhxh", "-y", "2020", "--json").stdout)
    assert sorted(u["name"] for u in got) == ["Bảo hiểm Xã hội tỉnh", "Sở Y tế"]


def test_a_cell_with_its_own_line_break_survives_cr_line_ends(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes('Đơn vị,Ghi chú\r"Sở Y tế","dòng 1\rdòng 2"\r'.encode())
    assert read_rows(path) == [["Đơn vị", "Ghi chú"], ["Sở Y tế", "dòng 1\rdòng 2"]]


def test_cp1252_names_read_and_an_unknown_code_page_is_one_sentence(vhxh, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("Đơn vị\nMüller & Söhne\n".replace("Đơn vị", "Don vi").encode("cp1252"))
    assert read_rows(path) == [["Don vi"], ["Müller & Söhne"]]
    koi = tmp_path / "koi8.csv"
    koi.write_bytes("Имя\n€ ¤ Привет\n".encode("cp1251") + b"\x81\x8d")
    r = vhxh.fails("bloc", "join", "vhxh", "-y", "2020", "--from", str(koi))
    assert "«koi8.csv»" in r.stderr and "CSV UTF-8" in r.stderr and r.stderr.count("\n") == 1
