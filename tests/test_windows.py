"""Where clerks work: Windows file names, LibreOffice where its installer puts it, a .docx Word
holds open."""

import os
from pathlib import Path

import pytest
from docx import Document

from tdkt_cli.files.windows import find_office, office_candidates, profile_url, safe_name, safe_stem

BAD = '<>:"/\\|?*'


@pytest.mark.parametrize(
    "raw",
    [
        "Khối thi đua Văn hóa - Xã hội",
        "a/b:c",
        "CON",
        "con.docx",
        "LPT1",
        "nul",
        "tên. ",
        "...",
        "Com9",
        'x<y>z"w|q?*',
    ],
)
def test_names_windows_accepts(raw):
    stem = safe_stem(raw)
    assert stem and not any(c in stem for c in BAD)
    assert not stem.endswith((".", " "))
    assert stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM9", "LPT1"}
    assert stem.isascii()


def test_safe_name_keeps_extension():
    assert safe_name("bao-cao-Văn hóa/XH-2019.docx") == "bao-cao-van-hoa-xh-2019.docx"
    assert safe_name("aux.docx") == "aux_.docx"


def test_report_name_from_the_code_whether_typed_by_code_or_name(vhxh, tmp_path):
    vhxh.ok("report", "covenant", "-b", "Khối thi đua Văn hóa - Xã hội", "-y", "2019")
    assert (tmp_path / "giao-uoc-thi-dua-vhxh-2019.docx").exists()
    r = vhxh.fails("report", "covenant", "-b", "VHXH", "-y", "2019")
    assert "giao-uoc-thi-dua-vhxh-2019.docx" in r.stderr and "--force" in r.stderr
    vhxh.ok("report", "covenant", "-b", "vhxh", "-y", "2019", "--force")
    assert sorted(p.name for p in tmp_path.glob("*.docx")) == ["giao-uoc-thi-dua-vhxh-2019.docx"]


def test_libreoffice_found_where_the_windows_installer_puts_it(tmp_path):
    program = tmp_path / "Program Files" / "LibreOffice" / "program"
    program.mkdir(parents=True)
    soffice = program / "soffice.exe"
    soffice.write_bytes(b"")
    env = {"PATH": str(tmp_path / "empty"), "PROGRAMFILES": str(tmp_path / "Program Files")}
    assert find_office(env) == str(soffice)
    assert any(
        "Program Files (x86)" in str(p) for p in office_candidates({"PATH": ""})
    )  # the 32-bit installer's folder is always looked at


def test_missing_libreoffice_says_how_to_install(tmp_path):
    from tdkt_cli.core.errors import TdktError

    with pytest.raises(TdktError) as exc:
        find_office({"PATH": str(tmp_path), "PROGRAMFILES": str(tmp_path)})
    assert "cài LibreOffice" in exc.value.message and "libreoffice.org" in exc.value.message


def test_profile_url_is_a_file_uri(tmp_path):
    folder = tmp_path / "hồ sơ" / "profile"
    url = profile_url(folder)
    assert url.startswith("file:///") and " " not in url and "%20" in url
    from urllib.parse import unquote, urlparse

    assert Path(unquote(urlparse(url).path)) == folder.resolve()


def _word_holds(monkeypatch, locked: set[str]):
    """Windows refuses to replace a file Word has open (a sharing violation, PermissionError);
    Linux does not, so the refusal is simulated at the os.replace call."""
    real = os.replace

    def replace(src, dst, *a, **kw):
        if Path(dst).name in locked:
            raise PermissionError(13, "The process cannot access the file", str(dst))
        return real(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)


def test_docx_held_open_by_word(vhxh, tmp_path, monkeypatch):
    target = tmp_path / "g.docx"
    target.write_bytes(b"old")
    _word_holds(monkeypatch, {"g.docx"})
    r = vhxh.fails("report", "covenant", "-b", "vhxh", "-y", "2019", "-o", str(target), "--force")
    assert "đóng tệp" in r.stderr and "Word" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.output
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir() if "docx" in p.name) == ["g.docx"]


def test_batch_carries_on_and_names_what_failed(vhxh, tmp_path, monkeypatch):
    vhxh.ok("bloc", "add", "Khối Kinh tế", "--code", "kt")
    vhxh.ok("bloc", "join", "kt", "1", "--year", "2019")
    out = tmp_path / "out"
    out.mkdir()
    _word_holds(monkeypatch, {"giao-uoc-thi-dua-kt-2019.docx"})
    r = vhxh("report", "batch", "-y", "2019", "--kind", "covenant", "--out", str(out))
    assert r.exit_code == 1, r.output
    assert "giao-uoc-thi-dua-kt-2019.docx" in r.stderr and "đóng tệp" in r.stderr
    assert "giao-uoc-thi-dua-vhxh-2019.docx" in r.stdout
    assert sorted(p.name for p in out.iterdir()) == ["giao-uoc-thi-dua-vhxh-2019.docx"]
    Document(str(out / "giao-uoc-thi-dua-vhxh-2019.docx"))


def test_batch_makes_the_folder_it_is_given(vhxh, tmp_path):
    out = tmp_path / "bc" / "2019"
    r = vhxh.ok("report", "batch", "-y", "2019", "--kind", "covenant", "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["giao-uoc-thi-dua-vhxh-2019.docx"]
    assert str(out / "giao-uoc-thi-dua-vhxh-2019.docx") in r.stdout
    a_file = tmp_path / "tep.txt"
    a_file.write_text("x")
    r = vhxh.fails("report", "batch", "-y", "2019", "--out", str(a_file))
    assert "không phải thư mục" in r.stderr and a_file.read_text() == "x"
