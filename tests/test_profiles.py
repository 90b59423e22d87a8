"""Bloc profiles: khối and cụm; state, Party, associations and sectors, through the real CLI,
with every document read back from .docx and markdown."""

import json

import pytest
from docx import Document

from tdkt_cli.blocs import profiles

MEMBERS = ["Đơn vị Một", "Đơn vị Hai", "Đơn vị Ba", "Đơn vị Bốn", "Đơn vị Năm"]

# system -> (kind, expected words and names); every value is what the preset in
# templates/profiles/ says, so a changed preset shows here.
KINDS = {
    "nha-nuoc": {
        "kind": "khoi",
        "national": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": True,
        "number": "Số: 05/TTr-X",
        "authority": "TM. KHỐI THI ĐUA X",
        "head": "TRƯỞNG KHỐI",
        "flag": "Cờ thi đua của Ủy ban nhân dân tỉnh",
        "cert": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "codes": ("co-thi-dua", "bang-khen"),
        "addressee": "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn (qua Sở Nội vụ).",
        "decider": "Chủ tịch Ủy ban nhân dân tỉnh",
        "recipient": "- Sở Nội vụ;",  # as the «(qua Sở Nội vụ)» line names it
        "leading": "dẫn đầu khối",
        "absent": ["cụm trưởng", "ĐẢNG CỘNG SẢN"],
    },
    "dang": {
        "kind": "cum",
        "national": "ĐẢNG CỘNG SẢN VIỆT NAM",
        "motto": False,
        "number": "Số 05-TTr/X",
        "authority": "T/M CỤM THI ĐUA X",
        "head": "CỤM TRƯỞNG",
        "flag": "Cờ thi đua xuất sắc của Ban Thường vụ Tỉnh ủy",
        "cert": "Bằng khen của Ban Thường vụ Tỉnh ủy",
        "codes": ("co-thi-dua", "bang-khen"),
        "addressee": "Kính gửi: Ban Thường vụ Tỉnh ủy (qua Hội đồng Thi đua - Khen thưởng Tỉnh ủy).",
        "decider": "Ban Thường vụ Tỉnh ủy",
        "recipient": "- Văn phòng Tỉnh ủy;",
        "leading": "dẫn đầu cụm",
        "absent": [
            "Ủy ban nhân dân",
            "trưởng khối",
            "phó khối",
            "dẫn đầu khối",
            "CỘNG HÒA",
            "Độc lập - Tự do",
            "Sở Nội vụ",
            "TM. ",
        ],
    },
    "hoi": {
        "kind": "khoi",
        "national": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": True,
        "number": "Số: 05/TTr-X",
        "authority": "TM. KHỐI THI ĐUA X",
        "head": "TRƯỞNG KHỐI",
        "flag": "Cờ thi đua của Ủy ban nhân dân tỉnh",
        "cert": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "codes": ("co-thi-dua", "bang-khen"),
        "addressee": "Kính gửi: Hội đồng Thi đua - Khen thưởng tỉnh.",
        "decider": "Chủ tịch Ủy ban nhân dân tỉnh",
        "recipient": "- Ban Thi đua - Khen thưởng, Sở Nội vụ;",
        "leading": "dẫn đầu khối",
        "absent": ["cụm trưởng", "ĐẢNG CỘNG SẢN", "tỉnh Bắc Kạn"],
    },
    "nganh": {
        "kind": "khoi",
        "national": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": True,
        "number": "Số: 05/TTr-X",
        "authority": "TM. KHỐI THI ĐUA X",
        "head": "TRƯỞNG KHỐI",
        "flag": "Cờ thi đua của Ngân hàng Nhà nước",
        "cert": "Bằng khen của Thống đốc Ngân hàng Nhà nước Việt Nam",
        "codes": ("co-thi-dua-nhnn", "bang-khen-thong-doc"),
        "addressee": "Kính gửi: Thống đốc Ngân hàng Nhà nước Việt Nam (qua Vụ Thi đua - Khen thưởng).",
        "decider": "Thống đốc Ngân hàng Nhà nước Việt Nam",
        "recipient": "- Vụ Thi đua - Khen thưởng;",
        "leading": "dẫn đầu khối",
        "absent": ["Ủy ban nhân dân", "cụm trưởng", "ĐẢNG CỘNG SẢN", "Sở Nội vụ"],
    },
}


def texts(path):
    doc = Document(str(path))
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                out += [p.text for p in cell.paragraphs]
    return [t.replace("\xa0", " ") for t in out]  # as printed: no-break spaces read as spaces


def header_cells(path):
    table = Document(str(path)).tables[0]
    left, right = table.rows[0].cells
    return [p.text for p in left.paragraphs], [p.text for p in right.paragraphs]


def build(cli, system):
    """A bloc of `system` with a year of records: two meetings, a covenant, two closed votes."""
    e = KINDS[system]
    name = "Cụm thi đua X" if e["kind"] == "cum" else "Khối thi đua X"
    cli.ok(
        "bloc",
        "add",
        name,
        "--code",
        "x",
        "--kind",
        e["kind"],
        "--system",
        system,
        "--place",
        "Bắc Kạn",
        "--parent",
        "Cơ quan cấp trên",
        "--doc-code",
        "X",
    )
    for m in MEMBERS:
        cli.ok("unit", "add", m)
    cli.ok("bloc", "join", "x", *MEMBERS, "--year", "2024")
    cli.ok(
        "bloc", "head", "x", "--year", "2024", "--head", MEMBERS[0], "--deputy", MEMBERS[1],
        "--signer", "Nguyễn Văn An",
    )  # fmt: skip
    cli.ok(
        "meeting",
        "log",
        "--bloc",
        "x",
        "--year",
        "2024",
        "--date",
        "10/07/2024",
        "--kind",
        "so-ket",
    )
    cli.ok(
        "meeting",
        "log",
        "--bloc",
        "x",
        "--year",
        "2024",
        "--date",
        "08/01/2025",
        "--kind",
        "tong-ket",
    )
    cli.ok("pledge", "sign", "-b", "x", "-y", "2024", "--date", "15/01/2024")
    flag, cert = e["codes"]
    for award, winner, n in ((flag, MEMBERS[2], 5), (cert, MEMBERS[3], 4)):
        vote = cli.ok(
            "vote", "open", "--bloc", "x", "--year", "2024", "--award", award, "--seats", "1",
            "--meeting", "2",
        ).stdout.strip()  # fmt: skip
        for _ in range(n):
            cli.ok("vote", "cast", vote, winner)
        cli.ok("vote", "close", vote)
    return cli


DOCS = {
    "annual": ["report", "annual", "--bloc", "x", "--year", "2024"],
    "semiannual": ["report", "semiannual", "--bloc", "x", "--year", "2024"],
    "minutes": ["report", "minutes", "2"],
    "tally": ["report", "tally", "1"],
    "proposal": ["report", "proposal", "--bloc", "x", "--year", "2024", "--number", "5"],
    "covenant": ["report", "covenant", "--bloc", "x", "--year", "2024"],
    "ballot": ["report", "ballot", "1"],
}


def render(cli, doc, fmt):
    out = cli.db.parent / f"{doc}.{fmt}"
    cli.ok(*DOCS[doc], "--format", fmt, "-o", str(out), "--force")
    return out


@pytest.mark.parametrize("system", sorted(KINDS))
def test_every_kind_renders_all_seven_documents(cli, system):
    e = KINDS[system]
    build(cli, system)
    for doc in DOCS:
        docx_path = render(cli, doc, "docx")
        md = render(cli, doc, "md").read_text(encoding="utf-8")
        words = texts(docx_path)
        joined = "\n".join(words)
        # the header: Quốc hiệu and Tiêu ngữ (ND30) or the Party's title alone with "*" (HD36);
        # a ballot is half a page cut from a sheet: its title and the stamp, no header
        if doc != "ballot":
            left, right = header_cells(docx_path)
            assert right[0] == e["national"], (doc, right)
            assert f"**{e['national']}**" in md
            assert ("Độc lập - Tự do - Hạnh phúc" in right) == e["motto"], (doc, right)
            assert ("Độc lập - Tự do - Hạnh phúc" in md) == e["motto"]
            assert ("*" in left) == (not e["motto"]), (doc, left)
            assert left[0] == "CƠ QUAN CẤP TRÊN"
        for bad in e["absent"]:
            assert bad not in joined, (doc, bad)
            assert bad not in md, (doc, bad)
        if doc in ("annual", "semiannual", "proposal"):
            assert e["authority"] in words and e["head"] in words, (doc, words[-12:])
            assert f"**{e['authority']}**" in md and f"**{e['head']}**" in md
            assert words.count("Nguyễn Văn An") == 1
        if doc in ("tally", "ballot"):
            assert e["flag"] in joined and e["leading"] in joined, doc
            assert e["flag"] in md
        if doc == "proposal":
            assert e["number"] in left, left
            assert e["number"] in md
            assert e["addressee"] in words and e["addressee"] in md
            assert f"1. Tặng {e['flag']} (đơn vị {e['leading']}):" in words
            assert f"2. Tặng {e['cert']}:" in words
            assert f"Kính trình {e['decider']} xem xét, quyết định./." in words
            assert e["recipient"] in words and e["recipient"] in md
            assert f"Về việc đề nghị tặng {e['flag']} và {e['cert']} năm 2024" in words
            assert "đã bỏ phiếu kín bình xét, suy tôn theo quy chế hoạt động của" in joined
        if doc == "annual":
            assert MEMBERS[2] in joined and e["flag"] in joined
            unit_head = "cụm trưởng" if e["kind"] == "cum" else "trưởng khối"
            assert f"đơn vị {unit_head}: {MEMBERS[0]}" in joined
            assert f"đơn vị {unit_head}: {MEMBERS[0]}" in md


def test_a_bloc_without_profile_is_todays_state_khoi(cli):
    cli.ok("bloc", "add", "Khối thi đua Y", "--code", "y", "--place", "Bắc Kạn")
    assert cli.sql("SELECT count(*) FROM bloc_profile") == [(0,)]
    data = json.loads(cli.ok("bloc", "profile", "y", "--json").stdout)
    assert data["preset"] == "nha-nuoc" and data["kind"] == "khoi" and data["style"] == "nd30"
    assert [a["code"] for a in data["awards"]] == ["co-thi-dua", "bang-khen"]


def test_profile_show_change_dated_and_carried_by_export(cli, tmp_path):
    cli.ok("bloc", "add", "Cụm thi đua số 6", "--code", "c6", "--kind", "cum", "--system", "dang")
    cli.ok("unit", "add", MEMBERS[0])
    cli.ok("bloc", "join", "c6", MEMBERS[0], "--year", "2025")
    shown = cli.ok("bloc", "show", "c6").stdout
    assert "Loại: cụm; hệ thống: Đảng (Tỉnh ủy) (dang); thể thức: hd36" in shown
    assert "Cụm trưởng: (chưa có); cụm phó: (chưa có)" in shown
    brief = json.loads(cli.ok("bloc", "show", "c6", "--json").stdout)["profile"]
    assert (brief["kind"], brief["system"], brief["style"]) == ("cum", "dang", "hd36")
    r = cli.ok("bloc", "profile", "c6", "--addressee", "Ban Thường vụ Tỉnh ủy Đắk Lắk", "--json")
    assert json.loads(r.stdout)["addressee"] == "Ban Thường vụ Tỉnh ủy Đắk Lắk"
    # from 01/7/2025 the same bloc is a khối (a profile can change from a date)
    cli.ok("bloc", "profile", "c6", "--from", "01/07/2025", "--kind", "khoi")
    before = json.loads(cli.ok("bloc", "profile", "c6", "--from", "30/06/2025", "--json").stdout)
    after = json.loads(cli.ok("bloc", "profile", "c6", "--from", "02/07/2025", "--json").stdout)
    assert before["kind"] == "cum" and after["kind"] == "khoi"
    assert after["addressee"] == "Ban Thường vụ Tỉnh ủy Đắk Lắk"  # carried over to the new period
    assert cli.sql(
        "SELECT valid_from, preset FROM bloc_profile ORDER BY coalesce(valid_from, '')"
    ) == [
        (None, "dang"),
        ("2025-07-01", "dang"),
    ]
    fresh = cli.round_trip()
    conn_rows = cli.sql  # the fresh file holds the same rows
    assert fresh.exists() and conn_rows
    import sqlite3

    with sqlite3.connect(fresh) as conn:
        rows = conn.execute(
            "SELECT valid_from, preset, overrides FROM bloc_profile ORDER BY coalesce(valid_from, '')"
        ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [(None, "dang"), ("2025-07-01", "dang")]
    assert json.loads(rows[1][2]) == {"addressee": "Ban Thường vụ Tỉnh ủy Đắk Lắk", "kind": "khoi"}


def test_profile_file_is_checked_and_refused_in_one_sentence(cli, tmp_path):
    cli.ok("bloc", "add", "Khối thi đua Z", "--code", "z")
    bad = tmp_path / "hoso.yaml"
    bad.write_text("kind: khoi\nnguoi_nhan: [a]\n", encoding="utf-8")
    r = cli.fails("bloc", "profile", "z", "--file", str(bad))
    assert "hoso.yaml" in r.stderr and "nguoi_nhan" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    bad.write_text(
        "awards:\n- {code: a, name: A, body: B, rank: x, form: flag, leading: true, quota: 1}\n"
    )
    r = cli.fails("bloc", "profile", "z", "--file", str(bad))
    assert "rank" in r.stderr and "hoso.yaml" in r.stderr
    cli.fails("bloc", "profile", "z", "--system", "khong-co")
    cli.fails("bloc", "add", "Khối W", "--code", "w", "--kind", "nhom")
    good = tmp_path / "ok.yaml"
    good.write_text(
        "awards:\n"
        "- {code: co-lhh, name: Cờ thi đua của Liên hiệp Hội, body: Liên hiệp Hội, rank: 1, form: flag, leading: true, quota: 1}\n"
        "- {code: bk-lhh, name: Bằng khen của Liên hiệp Hội, body: Liên hiệp Hội, rank: 2, form: certificate, leading: false, quota: 2}\n",
        encoding="utf-8",
    )
    cli.ok("bloc", "profile", "z", "--system", "hoi", "--file", str(good))
    data = json.loads(cli.ok("bloc", "profile", "z", "--json").stdout)
    assert [a["code"] for a in data["awards"]] == ["co-lhh", "bk-lhh"]
    cli.ok("db", "check")


def test_every_preset_is_valid_and_named_in_cli():
    assert profiles.preset_names() == ["dang", "hoi", "nganh", "nha-nuoc"]
    for name in profiles.preset_names():
        p = profiles.merge(name, {})
        assert sum(a.leading for a in p.awards) == 1
        assert p.style in profiles.STYLES and p.kind in profiles.KINDS


def test_vote_takes_the_catalogues_codes(cli):
    build(cli, "nganh")
    r = cli.fails("vote", "open", "--bloc", "x", "--year", "2024", "--award", "co-thi-dua")
    assert "co-thi-dua-nhnn" in r.stderr
    data = json.loads(cli.ok("vote", "tally", "1", "--json").stdout)
    assert data["award"] == "co-thi-dua-nhnn"
    assert (
        "được suy tôn là đơn vị dẫn đầu khối, đề nghị tặng Cờ thi đua của Ngân hàng Nhà nước"
        in (data["explanation"])
    )
    rows = cli.sql("SELECT award FROM proposal ORDER BY id")
    assert rows == [("co-thi-dua-nhnn",), ("bang-khen-thong-doc",)]
    cli.ok("award", "decide", "--year", "2024", "--unit", MEMBERS[2], "--award", "co-thi-dua-nhnn",
           "--number", "12/QĐ-NHNN", "--date", "01/03/2025")  # fmt: skip
    assert cli.sql("SELECT award_name, body FROM decision") == [
        ("Cờ thi đua của Ngân hàng Nhà nước", "Thống đốc Ngân hàng Nhà nước Việt Nam")
    ]


def test_proposal_says_how_it_was_agreed(cli):
    cli.ok("bloc", "add", "Cụm thi đua số 6 Tỉnh ủy", "--code", "c6", "--system", "dang")
    for m in MEMBERS:
        cli.ok("unit", "add", m)
    cli.ok("bloc", "join", "c6", *MEMBERS, "--year", "2015")
    cli.ok("award", "propose", "--bloc", "c6", "--year", "2015", "--unit", MEMBERS[1],
           "--award", "co-thi-dua", "--how", "consensus")  # fmt: skip
    cli.ok("award", "propose", "--bloc", "c6", "--year", "2015", "--unit", MEMBERS[4],
           "--award", "bang-khen", "--how", "hands", "--agree", "4", "--present", "5")  # fmt: skip
    r = cli.fails("award", "propose", "--bloc", "c6", "--year", "2015", "--unit", MEMBERS[3],
                  "--award", "bang-khen", "--how", "ballot")  # fmt: skip
    assert "vote open" in r.stderr
    cli.fails("award", "propose", "--bloc", "c6", "--year", "2015", "--unit", MEMBERS[3],
              "--award", "bang-khen", "--how", "hands", "--agree", "6", "--present", "5")  # fmt: skip
    out = cli.db.parent / "p.md"
    cli.ok("report", "proposal", "--bloc", "c6", "--year", "2015", "--format", "md", "-o", str(out))
    md = out.read_text(encoding="utf-8")
    # one sentence for both ways of agreeing, the cụm's rules named once
    assert (
        "đã thống nhất đề nghị Cờ thi đua xuất sắc của Ban Thường vụ Tỉnh ủy và biểu quyết giơ tay "
        "đề nghị Bằng khen của Ban Thường vụ Tỉnh ủy (04/05 đơn vị có mặt đồng ý) theo quy chế "
        "hoạt động của cụm;"
    ) in md
    assert "bỏ phiếu kín" not in md
    # the cụm's own quy chế, not a khối's
    assert "Căn cứ Quy chế hoạt động của Cụm thi đua số 6 Tỉnh ủy;" in md
    assert "Khối thi đua" not in md
    # carried by export and import
    fresh = cli.round_trip()
    import sqlite3

    with sqlite3.connect(fresh) as conn:
        assert conn.execute(
            "SELECT award, how, agree, present FROM proposal_how ORDER BY award"
        ).fetchall() == [
            ("bang-khen", "hands", 4, 5),
            ("co-thi-dua", "consensus", None, None),
        ]


def test_addressee_is_not_built_from_the_place(cli):
    """The place of the date line is a district: the addressee stays the profile's."""
    cli.ok(
        "bloc", "add", "Cụm thi đua số 6", "--code", "c6", "--system", "dang", "--place", "Ea H'leo"
    )
    for m in MEMBERS:
        cli.ok("unit", "add", m)
    cli.ok("bloc", "join", "c6", *MEMBERS, "--year", "2015")
    cli.ok("award", "propose", "--bloc", "c6", "--year", "2015", "--unit", MEMBERS[1],
           "--award", "co-thi-dua", "--how", "consensus")  # fmt: skip
    out = cli.db.parent / "p.docx"
    cli.ok("report", "proposal", "--bloc", "c6", "--year", "2015", "-o", str(out))
    words = texts(out)
    assert any(w.startswith("Ea H'leo, ngày") for w in words)
    assert not any("Kính gửi" in w and "Ea H'leo" in w for w in words)


def test_db_check_reports_a_broken_stored_profile(cli):
    cli.ok("bloc", "add", "Khối thi đua Z", "--code", "z", "--system", "hoi")
    cli.ok("db", "check")
    conn = __import__("sqlite3").connect(cli.db)
    with conn:
        conn.execute("UPDATE bloc_profile SET overrides = '{\"nguoi_nhan\": 1}'")
    conn.close()
    r = cli("db", "check")
    assert r.exit_code == 1, r.output
    assert "nguoi_nhan" in r.output and "Traceback" not in r.output


def test_the_bundled_profile_snapshot_is_the_yaml_as_parsed(tmp_path):
    """Read commands read templates/profiles/_parsed.json instead of importing PyYAML; it must be
    exactly the YAML files (remake it with `python -m tdkt_cli.blocs.profiles`), and a file
    whose bytes differ from the snapshot's is read from its YAML."""
    from pathlib import Path

    from tdkt_cli.blocs import profiles
    from tdkt_cli.files import snapshot as snapshots
    from tdkt_cli.files import yamlio

    folder = Path(__file__).parents[1] / "templates" / "profiles"
    snapshot = json.loads((folder / "_parsed.json").read_text(encoding="utf-8"))
    assert set(snapshot) == {p.name for p in folder.glob("*.yaml")}
    for path in folder.glob("*.yaml"):
        assert snapshot[path.name]["digest"] == snapshots.digest(path.read_bytes())
        assert snapshot[path.name]["data"] == yamlio.read(path)
        assert profiles.read_file(path) == snapshot[path.name]["data"]
    edited = tmp_path / "hoi.yaml"
    text = (folder / "hoi.yaml").read_text(encoding="utf-8")
    edited.write_text(text.replace("Hội, đoàn thể", "HỘI-ĐÃ-SỬA"), encoding="utf-8")
    assert "HỘI-ĐÃ-SỬA" in json.dumps(profiles.read_file(edited), ensure_ascii=False)
