"""The documents as an office suite has them (issue 23): the built-in templates saved again by
LibreOffice still check and render the same text, and the signed page, printed to PDF, holds
body text with its signature, whole rows of the covenant's grid and unbroken names.

LibreOffice is slow (seconds a call): each test converts all its files in one call. Without
soffice on the PATH (or TDKT_SOFFICE) the tests are skipped and say why; CI has it."""

import itertools
import re
import subprocess
import warnings
import zipfile
from pathlib import Path

import pytest
from docx import Document
from test_documents import DOCS, ROOT, render, sample, texts  # noqa: F401

from tdkt_cli.core.errors import TdktError
from tdkt_cli.files.windows import find_office

try:
    OFFICE = find_office()
except TdktError:  # not installed: the tests below are skipped and say why
    OFFICE = None
needs_office = pytest.mark.skipif(
    not OFFICE,
    reason="LibreOffice (soffice) không có trên máy: cần nó để lưu lại mẫu và xuất PDF "
    "(đặt TDKT_SOFFICE hoặc cài libreoffice-writer)",
)
TEMPLATES = ROOT / "templates" / "docx"


def convert(files: list[Path], fmt: str, out: Path, profile: Path) -> list[Path]:
    """Every file converted by one soffice call (fmt: docx, pdf), in a profile of its own."""
    out.mkdir(exist_ok=True)
    subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    done = [out / f"{f.stem}.{fmt}" for f in files]
    assert all(d.is_file() for d in done), [d for d in done if not d.is_file()]
    return done


def words(doc) -> list[str]:
    return [t.replace("\u00a0", " ").replace("\u2011", "-") for t in texts(doc)]


def forms(doc) -> list[tuple]:
    """What the render sets on the lines a role style marks: size, bold, underline, indents."""
    from docx.oxml.ns import qn

    out = []
    for para in doc.element.body.iter(qn("w:p")):
        ppr = para.pPr
        ref = ppr.pStyle if ppr is not None else None
        # LibreOffice renames the style ids («Tdktparent»), not the names the render reads
        if ref is None or not ref.val.lower().startswith("tdkt"):
            continue
        ind = ppr.find(qn("w:ind"))
        sides = (ind.get(qn("w:left")), ind.get(qn("w:right"))) if ind is not None else None
        runs = [r for r in para.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t")))]
        first = runs[0].rPr if runs else None
        sz = first.find(qn("w:sz")) if first is not None else None
        b = first.find(qn("w:b")) if first is not None else None
        u = first.find(qn("w:u")) if first is not None else None
        bold = b is not None and b.get(qn("w:val")) not in ("0", "false")
        out.append((ref.val.lower().replace("_", ""), sz.get(qn("w:val")) if sz is not None else None, bold,
                    u is not None, sides))  # fmt: skip
    return out


@needs_office
def test_templates_saved_again_by_libreoffice_check_and_render_the_same(sample, tmp_path):  # noqa: F811
    kinds = {"report": "annual", "minutes": "minutes", "tally": "tally"}
    kinds |= {"proposal": "proposal", "covenant": "covenant", "ballot": "ballot"}
    copies = tmp_path / "copies"
    copies.mkdir()
    sources = []
    for name in kinds:  # a copy each, so soffice writes beside nothing of ours
        src = copies / f"{name}.docx"
        src.write_bytes((TEMPLATES / f"{name}.docx").read_bytes())
        sources.append(src)
    resaved = convert(sources, "docx", tmp_path / "lo", tmp_path / "profile")
    for path, (name, kind) in zip(resaved, kinds.items(), strict=True):
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode()
        assert not re.search(r'="[^"]*\{[{%]', xml), name  # no tag in an attribute, before or after
        r = sample("report", "check-template", str(path), "--kind", kind)
        assert r.exit_code == 0, (name, r.stderr)
        assert sample("report", "check-template", str(path)).exit_code == 0, name  # kind by name
        ours = Document(render(sample, kind))
        with warnings.catch_warnings():  # no Python warning on the clerk's screen either
            warnings.simplefilter("error")
            made = render(sample, kind, "docx", "--template", str(path))
        with zipfile.ZipFile(made) as z:  # one core-properties part, related once
            names = [i.filename for i in z.infolist()]
            assert len(names) == len(set(names)), name
            assert z.read("_rels/.rels").decode().count("metadata/core-properties") == 1, name
        theirs = Document(made)
        assert words(theirs) == words(ours), name
        # the rules' lengths and the sizes, set at render time, survive the office suite
        assert [f for f in forms(theirs) if f[0] != "tdktpage"] == [
            f for f in forms(ours) if f[0] != "tdktpage"
        ], name
        if name == "proposal":  # a Party document (HD36) from the re-saved template too
            args = ["report", "proposal", "-b", "cum6-tu-daklak", "-y", "2015", "--force", "-o"]
            sample.ok(*args, str(tmp_path / "ours.docx"))
            sample.ok(*args, str(tmp_path / "theirs.docx"), "--template", str(path))
            ours, theirs = (
                Document(str(tmp_path / "ours.docx")),
                Document(str(tmp_path / "theirs.docx")),
            )
            assert words(theirs) == words(ours)
            assert forms(theirs) == forms(ours)
            assert ("tdktnational", "30", True, False, (None, None)) in forms(ours)


def test_check_template_refuses_tags_an_office_suite_drops(sample, tmp_path):  # noqa: F811
    # the templates before issue 23 put the rule's indents in tags inside XML attributes
    src = TEMPLATES / "report.docx"
    bad = tmp_path / "report.docx"
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(bad, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb'w:left="\d+"', b'w:left="{{ rules.issuer_side }}"', data, count=1)
            out.writestr(item, data)
    r = sample("report", "check-template", str(bad))
    assert r.exit_code == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "Mẫu report.docx có thẻ mẫu nằm trong thuộc tính"
    )
    assert "Traceback" not in r.stderr
    # a tag split over two paragraphs: Jinja would read it, docxtpl cannot
    doc = Document(str(src))
    doc.add_paragraph("{{ bloc_name")
    doc.add_paragraph("}}")
    split = tmp_path / "split.docx"
    doc.save(str(split))
    r = sample("report", "check-template", str(split), "--kind", "annual")
    assert r.exit_code == 1 and "bắt đầu mà không kết thúc trong cùng đoạn" in r.stderr
    # the kind follows the file's name: a covenant is checked against the covenant's data
    assert sample("report", "check-template", str(TEMPLATES / "covenant.docx")).exit_code == 0


LONG_NAMES = [
    "Ủy ban nhân dân xã Nghĩa Hưng Đông",
    "Trường Trung học phổ thông chuyên Lê Quý Đôn",
    "Sở Lao động - Thương binh và Xã hội tỉnh Quảng Nam",
    "Công ty Xổ số kiến thiết Nam Định",
    "Bệnh viện Đa khoa khu vực Ngọc Hồi",
    "Trung tâm Phát triển quỹ đất huyện Krông Búk",
]


def big_bloc(cli, members: int) -> None:
    """A bloc of `members` units with long names, for the covenant's grid over pages."""
    ids = [
        cli.ok("unit", "add", f"{LONG_NAMES[i % len(LONG_NAMES)]} {i + 1:02d}").stdout.strip()
        for i in range(members)
    ]
    cli.ok("bloc", "add", "Cụm thi đua số 5 các xã phía Tây", "--code", "big", "--place", "Huế")
    cli.ok("bloc", "join", "big", *ids, "--year", "2020")


def pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True)
    return [p for p in out.stdout.decode().split("\f") if p.strip()]


def tokens(text: str) -> set[str]:
    return {t.strip(".,;:()«»“”/") for t in re.split(r"[\s\u00a0]+", text)} - {""}


@needs_office
def test_signed_pages_keep_text_rows_and_names_whole(sample, tmp_path):  # noqa: F811
    big_bloc(sample, 30)
    # the review's two titles that wrapped inside a word (issue 23)
    secretary = "Lê Văn Bình - Công chức Văn phòng - Thống kê"
    sample.ok("meeting", "edit", "1", "--secretary", secretary)
    files = {
        "annual": render(sample, "annual"),
        "covenant": render(sample, "covenant"),
        "minutes": render(sample, "minutes"),
    }
    for name, args in (
        ("covenant30", ["covenant", "--bloc", "big"]),
        ("annual-big", ["annual", "--bloc", "big"]),
    ):
        files[name] = tmp_path / f"{name}.docx"
        sample.ok("report", *args, "--year", "2020", "-o", str(files[name]))
    pdfs = convert(list(files.values()), "pdf", tmp_path / "pdf", tmp_path / "profile")
    for (name, docx), pdf in zip(files.items(), pdfs, strict=True):
        doc = Document(str(docx))
        known = tokens("\n".join(texts(doc)))
        shown = pages(pdf)
        lines = [line.strip() for page in shown for line in page.splitlines()]
        if name == "minutes":
            assert any("THỐNG KÊ" in line for line in lines), lines
        if name == "annual-big":  # «TM. CỤM THI ĐUA SỐ 5 CÁC XÃ PHÍA / TÂY» no more
            assert sum(line.endswith("PHÍA TÂY") for line in lines) >= 2 and "TÂY" not in lines
        # no syllable broken across lines: every word printed is a word of the document
        for n, page in enumerate(shown, 1):
            odd = {t for t in tokens(page) - known if not t.isdigit()}
            assert not odd, (name, n, odd)
        if name == "annual-big":
            continue
        if name.startswith("covenant"):
            # the grid starts on the page of the text's end; no row pair splits over a page:
            # each unit's line and its signer's title stay on one page
            start = next(i for i, p in enumerate(shown) if "ĐẠI DIỆN CÁC ĐƠN VỊ" in p)
            assert "./." in shown[start], name
            # a member without a recorded signer: its name, then blanks for the post and the name
            every = texts(doc)
            units = [
                t
                for t, after in itertools.pairwise(every)
                if after == "[…cần bổ sung…]" and t.isupper() and "ĐẠI DIỆN" not in t
            ]
            assert units

            def flat(text):  # pdftotext drops a hyphen that ends a line: compare without them
                return re.sub(r"\s+", " ", re.sub(r"[-\u2011]", " ", text))

            blank = "[…cần bổ sung…]"
            for page in shown[start:]:
                text = flat(page)
                here = [text.index(flat(u)) for u in units if flat(u) in text]
                if not here:
                    continue
                # each unit's line, its post and its name on one page: after the first unit of
                # the page, two blanks a unit, and a blank after every unit's line
                grid = text[min(here) :]
                assert grid.count(blank) >= 2 * len(here), (name, grid)
                assert all(blank in text[i:] for i in here), (name, text)
            assert len(shown) - start >= (2 if name == "covenant30" else 1)
            continue
        # the page with the signature and Nơi nhận holds body text too (the last paragraph)
        last = next(i for i, p in enumerate(shown) if "Nơi nhận:" in p)
        assert "./." in shown[last], (name, shown[last])
        assert len(shown[last].split()) > 30, (name, shown[last])


def shown_lines(text: str, width_cm: float, pt: float) -> list[str]:
    """The lines an office suite makes of `text`: breaks only at ordinary spaces."""
    from tdkt_cli.documents import wording

    return [line.replace("\u00a0", " ") for line in wording.lines(text, width_cm, pt, True)]


@pytest.mark.parametrize(
    ("text", "width", "pt", "want"),
    [
        # the reviews' two cases (issue 23): a break between phrases, never inside a word
        ("CÔNG CHỨC VĂN PHÒNG - THỐNG KÊ", 5.37, 13, ["CÔNG CHỨC", "VĂN PHÒNG -", "THỐNG KÊ"]),
        (
            "TM. CỤM THI ĐUA SỐ 5 CÁC XÃ PHÍA TÂY",
            8.62,
            13,
            ["TM. CỤM THI ĐUA", "SỐ 5 CÁC XÃ PHÍA TÂY"],
        ),
        ("TM. KHỐI THI ĐUA VĂN HÓA - XÃ HỘI", 7.5, 13, ["TM. KHỐI THI ĐUA VĂN HÓA -", "XÃ HỘI"]),
    ],
)
def test_signature_lines_wrap_between_phrases(text, width, pt, want):
    from tdkt_cli.documents import wording

    held, size = wording.fit_phrases(text, width, pt)
    assert size == pt
    assert shown_lines(held, width, size) == want


def test_covenant_cells_break_no_word():
    from tdkt_cli.documents import wording

    name = wording.keep_hyphens(
        wording.hold_proper_names("Sở Lao động - Thương binh và Xã hội tỉnh Quảng Nam").upper()
    )
    held, size = wording.fit_phrases(f"TM. {name}", 5.12, 12)
    lines = shown_lines(held, 5.12, size)
    assert all(not line.endswith(("LAO", "THƯƠNG", "XÃ", "QUẢNG")) for line in lines), lines
    assert "QUẢNG NAM" in lines[-1]


@pytest.mark.parametrize("fmt", ["docx", "md", "html"])
def test_every_bundled_template_checks_clean_with_and_without_its_kind(cli, fmt):
    folder = ROOT / "templates" / fmt
    files = [f for f in sorted(folder.iterdir()) if f.name[0] not in "_." and "base" not in f.name]
    assert len(files) == 6
    for f in files:
        kind = {"report": "annual"}.get(f.name.split(".")[0], f.name.split(".")[0])
        for extra in (["--kind", kind], []):
            r = cli("report", "check-template", str(f), *extra)
            assert r.exit_code == 0, (f.name, extra, r.stderr)


@pytest.mark.parametrize("authority", ["TM.", "T/M", "KT."])
@pytest.mark.parametrize(
    "name",
    [
        "UBND PHƯỜNG THỦ DẦU MỘT",
        "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY",
        "TRƯỜNG CAO ĐẲNG KỸ THUẬT CÔNG NGHIỆP QUẢNG NGÃI",
    ],
)
@pytest.mark.parametrize("width", [3.0, 4.0, 5.12, 8.0])
def test_an_authority_is_never_alone_on_its_line(authority, name, width):
    """«TM.», «T/M», «KT.» go with the first phrase of what follows, whether the line is broken
    by the phrase rule or left to the office suite (a no-break space after them)."""
    from tdkt_cli.documents import wording

    held, size = wording.fit_phrases(f"{authority} {name}", width, 12)
    assert held.startswith(authority + "\u00a0"), held
    lines = shown_lines(held, width, size)
    assert lines[0] != authority and lines[0].startswith(authority + " "), lines


@needs_office
def test_party_minutes_keep_recipients_whole_and_no_authority_alone(sample, tmp_path):  # noqa: F811
    """The Party minutes' Nơi nhận (HD 36: 12 pt) prints «- Các đơn vị thành viên khối;» on one
    line; in the covenants' grids and every signature no line is «TM.» or «T/M» alone."""
    # a signer for the body a member signs on behalf of, in each covenant: «T/M BAN THƯỜNG VỤ»
    # in the Party's, «TM. BAN GIÁM ĐỐC» in the state's (members with none sign as blanks)
    for code, year, body in (("dang", 2020, "Ban Thường vụ"), ("vhxh", 2019, "Ban Giám đốc")):
        (uid,) = sample.sql(
            "SELECT m.unit_id FROM membership m JOIN bloc b ON b.id = m.bloc_id "
            "WHERE b.code = ? AND m.year = ? ORDER BY m.position LIMIT 1",
            code,
            year,
        )[0]
        sample.ok("unit", "signer", str(uid), "--name", "Người Ký Mẫu", "--title", "Bí thư",
                  "--for", body)  # fmt: skip
    files = {}
    for name, args in (
        ("minutes-party", ["minutes", "3"]),
        ("covenant-party", ["covenant", "--bloc", "dang", "--year", "2020"]),
        ("covenant", ["covenant", "--bloc", "vhxh", "--year", "2019"]),
    ):
        files[name] = tmp_path / f"{name}.docx"
        sample.ok("report", *args, "-o", str(files[name]), "--force")
    pdfs = convert(list(files.values()), "pdf", tmp_path / "pdf", tmp_path / "profile")
    shown = {
        name: [line.strip() for page in pages(pdf) for line in page.splitlines()]
        for name, pdf in zip(files, pdfs, strict=True)
    }
    assert "- Các đơn vị thành viên khối;" in shown["minutes-party"], shown["minutes-party"]
    for name, lines in shown.items():
        alone = [line for line in lines if line in ("TM.", "T/M", "KT.", "K/T")]
        assert not alone, name
        if name.startswith("covenant"):  # the grid's cells are there to be checked
            assert any(line.startswith(("TM. ", "T/M ")) for line in lines), name
