"""A bloc in its own setting: kind from its name, its profile from the catalogue of parent bodies,
a default ký hiệu, and every printed word following the kind."""

from __future__ import annotations

import json
import shutil

import pytest

from tdkt_cli.blocs import bodies
from tdkt_cli.blocs.setting import default_doc_code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Khối thi đua Văn hóa - Xã hội", "KTĐVHXH"),
        ("Cụm thi đua số 10", "CTĐ10"),
        ("Cụm thi đua số 6 Tỉnh ủy", "CTĐ6TU"),
        ("Khối thi đua 3", "KTĐ3"),
        ("Khối các cơ quan Đảng tỉnh", "KCQĐT"),
    ],
)
def test_default_doc_code_is_the_initials_of_the_name(name, code):
    assert default_doc_code(name) == code


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Cụm thi đua số 10", "cum"),
        ("CỤM THI ĐUA SỐ 5 CÁC XÃ PHÍA TÂY", "cum"),
        ("Khối thi đua 3", "khoi"),
        ("Nhóm thi đua các hội", None),
    ],
)
def test_kind_follows_the_name(name, kind):
    assert bodies.kind_from_name(name) == kind


def test_a_cum_named_so_is_a_cum_and_says_so(cli):
    r = cli.ok("bloc", "add", "Cụm thi đua số 10", "--code", "c10")
    assert r.stdout.strip() == "c10"
    assert "Loại: cụm (theo tên khối); cụm trưởng, cụm phó." in r.stderr
    assert "Ký hiệu văn bản: CTĐ10" in r.stderr
    shown = json.loads(cli.ok("bloc", "profile", "c10", "--json").stdout)
    assert shown["kind"] == "cum"
    cli.ok("unit", "add", "Phường Bến Cát")
    cli.ok("unit", "add", "Phường Tây Nam")
    cli.ok("bloc", "join", "c10", "Phường Bến Cát", "Phường Tây Nam", "--year", "2025")
    r = cli.ok("bloc", "head", "c10", "--year", "2025", "--head", "Phường Bến Cát")
    assert "cụm trưởng Phường Bến Cát" in r.stdout and "trưởng khối" not in r.stdout
    r = cli.ok("bloc", "show", "c10", "--year", "2025")
    assert "Cụm trưởng: Phường Bến Cát" in r.stdout and "trưởng khối" not in r.stdout.lower()
    r = cli.ok("province", "--year", "2025")
    assert "Cụm trưởng" in r.stdout and "Trưởng khối" not in r.stdout


def test_kind_given_wins_over_the_name(cli):
    cli.ok("bloc", "add", "Cụm thi đua số 2", "--code", "c2", "--kind", "khoi")
    assert json.loads(cli.ok("bloc", "profile", "c2", "--json").stdout)["kind"] == "khoi"


def test_a_plain_khoi_keeps_no_profile_row(cli):
    cli.ok("bloc", "add", "Khối thi đua Y", "--code", "y")
    assert cli.sql("SELECT count(*) FROM bloc_profile") == [(0,)]
    assert cli.sql("SELECT doc_code FROM bloc") == [("KTĐY",)]


def test_an_unknown_parent_is_kept_as_typed_and_the_clerk_is_told_what_to_set(cli):
    r = cli.ok("bloc", "add", "Khối thi đua X", "--code", "x", "--parent", "Ban Quản lý dự án Y")
    assert "không có trong danh mục cơ quan" in r.stderr
    assert "--decider" in r.stderr and "--addressee" in r.stderr and "--through" in r.stderr
    assert cli.sql("SELECT parent FROM bloc") == [("Ban Quản lý dự án Y",)]


def test_doc_code_given_is_kept(cli):
    r = cli.ok("bloc", "add", "Khối thi đua Z", "--code", "z", "--doc-code", "KZ")
    assert "Ký hiệu văn bản" not in r.stderr
    assert cli.sql("SELECT doc_code FROM bloc") == [("KZ",)]


# --- the catalogue of parent bodies --------------------------------------------------------------

import datetime as dt  # noqa: E402


def _provinces_on(day: dt.date) -> list[bodies.Body]:
    return [b for b in bodies.catalogue() if b.kind in ("tinh", "thanh-pho") and b.exists_on(day)]


def test_the_catalogue_has_63_provinces_before_the_merger_and_34_after():
    before = _provinces_on(dt.date(2025, 6, 30))
    after = _provinces_on(dt.date(2025, 7, 1))
    assert len(before) == 63
    assert len(after) == 34
    assert sum(1 for b in after if b.kind == "thanh-pho") == 6
    codes = {b.code for b in bodies.catalogue()}
    for b in before:
        if b not in after:  # merged away: its successor exists on 01/07/2025
            assert b.successor in {a.code for a in after}, b.code
    assert len(codes) == len(bodies.catalogue())


def test_every_body_has_its_words_and_awards_filled():
    for b in bodies.catalogue():
        for text in (b.name, b.header, b.decider, b.addressee, *[a.name for a in b.awards]):
            assert "{" not in text and "}" not in text, (b.code, text)
        assert b.header == b.header.upper(), b.code
        assert b.system in bodies.SYSTEMS
        leading = [a for a in b.awards if a.leading]
        assert len(leading) <= 1, b.code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("UBND TP. Hồ Chí Minh", "tp-ho-chi-minh"),
        ("ủy ban nhân dân thành phố hồ chí minh", "tp-ho-chi-minh"),
        ("UBND THÀNH PHỐ HỒ CHÍ MINH", "tp-ho-chi-minh"),
        ("UBND TỈNH BẮC KẠN", "tinh-bac-kan"),
        ("Uỷ ban nhân dân tỉnh Bắc Kạn", "tinh-bac-kan"),
        ("NHNN", "nhnn"),
        ("Tỉnh uỷ Đắk Lắk", "tinh-uy-dak-lak"),
        ("tinh uy dak lak", "tinh-uy-dak-lak"),
        ("Liên hiệp các Hội KH&KT Việt Nam", "lhh-viet-nam"),
        ("Bộ GD&ĐT", "bo-giao-duc-va-dao-tao"),
        ("Tỉnh ủy Bình Thuận", "tinh-uy-binh-thuan"),
    ],
)
def test_a_parent_body_is_found_however_it_is_typed(typed, code):
    found = bodies.match(typed)
    assert found is not None and found.code == code


def test_the_education_sector_counts_school_years():
    assert bodies.resolve("Bộ Giáo dục và Đào tạo").year == "school"


def test_the_bundled_catalogue_snapshot_is_the_yaml_as_parsed():
    """templates/bodies/_parsed.json must be remade (python -m tdkt_cli.blocs.bodies) after an
    edit: commands read it to spare PyYAML's import."""
    from tdkt_cli.files import yamlio
    from tdkt_cli.files.resources import templates_dir

    folder = templates_dir() / "bodies"
    snapshot = json.loads((folder / "_parsed.json").read_text(encoding="utf-8"))
    for path in sorted(folder.glob("*.yaml")):
        assert path.name in snapshot, path.name
        parsed = json.loads(json.dumps(yamlio.read(path), default=str, ensure_ascii=False))
        assert snapshot[path.name]["data"] == parsed, path.name


def test_the_built_catalogue_is_current_and_the_same_as_building_it():
    """templates/bodies/_built.json spares every read ~50 ms; it must be remade
    (python -m tdkt_cli.blocs.bodies) after an edit of the catalogue, bodies.py or the text keys,
    and what is read from it must be what building gives."""
    from tdkt_cli.files.resources import templates_dir

    built = json.loads((templates_dir() / "bodies" / bodies.BUILT).read_text(encoding="utf-8"))
    fresh = bodies.built_data()
    assert built["fingerprint"] == fresh["fingerprint"], "chạy: python -m tdkt_cli.blocs.bodies"
    assert built == json.loads(json.dumps(fresh, ensure_ascii=False))
    assert bodies.catalogue() == bodies._catalogue()
    assert bodies._index() == bodies._live_index(bodies._catalogue())


def test_a_stale_built_catalogue_is_not_read(tmp_path):
    """An edited catalogue file is read as edited, never shadowed by the built copy."""
    from tdkt_cli.files.resources import templates_dir

    folder = tmp_path / "bodies"
    shutil.copytree(templates_dir() / "bodies", folder)
    assert bodies.read_built(folder) is not None
    path = folder / "sectors.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert bodies.read_built(folder) is None


def test_a_bloc_under_a_city_takes_the_citys_awards_and_addressee(cli):
    r = cli.ok(
        "bloc", "add", "Cụm thi đua số 10", "--code", "c10", "--parent", "UBND TP. Hồ Chí Minh"
    )
    assert "Ủy ban nhân dân Thành phố Hồ Chí Minh (danh mục)" in r.stderr
    profile = json.loads(cli.ok("bloc", "profile", "c10", "--json").stdout)
    assert profile["kind"] == "cum" and profile["body"] == "tp-ho-chi-minh"
    assert profile["decider"] == "Chủ tịch Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert profile["addressee"] == "Chủ tịch Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert profile["through"] == "Sở Nội vụ Thành phố Hồ Chí Minh"
    names = [a["name"] for a in profile["awards"]]
    assert names == [
        "Cờ thi đua của Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "Bằng khen của Chủ tịch Ủy ban nhân dân Thành phố Hồ Chí Minh",
    ]
    assert not any("tỉnh" in json.dumps(v, ensure_ascii=False) for v in profile.values())
    assert cli.sql("SELECT parent, place FROM bloc") == [
        ("UBND THÀNH PHỐ HỒ CHÍ MINH", "Thành phố Hồ Chí Minh")
    ]
    # the clerk still overrides any field
    cli.ok("bloc", "profile", "c10", "--through", "Phòng Nội vụ")
    assert (
        json.loads(cli.ok("bloc", "profile", "c10", "--json").stdout)["through"] == "Phòng Nội vụ"
    )


def test_a_bloc_under_a_party_committee_or_an_association_speaks_its_system(cli):
    cli.ok("bloc", "add", "Cụm thi đua số 6 Tỉnh ủy", "--code", "c6", "--parent", "Tỉnh ủy Đắk Lắk")
    party = json.loads(cli.ok("bloc", "profile", "c6", "--json").stdout)
    assert (party["system"], party["style"], party["kind"]) == ("dang", "hd36", "cum")
    assert party["awards"][0]["name"] == "Cờ thi đua xuất sắc của Ban Thường vụ Tỉnh ủy Đắk Lắk"
    cli.ok("bloc", "add", "Cụm thi đua số 11", "--code", "c11", "--parent", "TW Hội CCB")
    assoc = json.loads(cli.ok("bloc", "profile", "c11", "--json").stdout)
    assert assoc["system"] == "hoi"
    assert "Ủy ban nhân dân" not in json.dumps(assoc["awards"], ensure_ascii=False)


def test_a_body_that_ended_is_named_with_its_successor(cli):
    r = cli.ok("bloc", "add", "Khối thi đua X", "--code", "x", "--parent", "UBND tỉnh Bình Thuận")
    assert "kết thúc ngày 30/06/2025, sáp nhập vào Ủy ban nhân dân tỉnh Lâm Đồng" in r.stderr


def test_body_list_and_show(cli):
    listed = json.loads(cli.ok("body", "list", "--kind", "thanh-pho", "--json").stdout)
    assert {b["code"] for b in listed} >= {"tp-ha-noi", "tp-ho-chi-minh"}
    shown = cli.ok("body", "show", "NHNN").stdout
    assert "Thống đốc Ngân hàng Nhà nước Việt Nam" in shown
    r = cli("body", "show", "Ủy ban Không Tồn Tại")
    assert r.exit_code == 1 and "Không có cơ quan «Ủy ban Không Tồn Tại» trong danh mục" in r.stderr
    assert cli("body", "list", "--kind", "xyz").exit_code == 1


def test_a_school_year_bloc_names_and_bounds_its_years(cli):
    from tdkt_cli.blocs import profiles
    from tdkt_cli.meetings.service import default_year

    cli.ok("bloc", "add", "Cụm thi đua số 1", "--code", "c1", "--parent", "Bộ GD&ĐT")
    profile = json.loads(cli.ok("bloc", "profile", "c1", "--json").stdout)
    assert profile["year"] == "school"
    school = profiles.merge("nha-nuoc", {"body": "bo-giao-duc-va-dao-tao"})
    assert school.year_words(2020) == "năm học 2019 - 2020"
    assert school.period(2020) == (dt.date(2019, 9, 1), dt.date(2020, 8, 31))
    assert school.period(2020, whole=False) == (dt.date(2019, 9, 1), dt.date(2020, 2, 29))
    assert school.year_of(dt.date(2019, 10, 15)) == 2020
    assert default_year("tong-ket", dt.date(2020, 7, 25), school=True) == 2020
    assert default_year("tong-ket", dt.date(2020, 9, 20), school=True) == 2020
    assert default_year("so-ket", dt.date(2020, 1, 10), school=True) == 2020
    assert default_year("giao-ban", dt.date(2019, 11, 10), school=True) == 2020
    cli.ok("unit", "add", "Đại học Huế")
    cli.ok("bloc", "join", "c1", "Đại học Huế", "--year", "2023")
    shown = json.loads(
        cli.ok(
            "meeting", "log", "-b", "c1", "--date", "25/07/2023", "--kind", "tong-ket", "--json"
        ).stdout
    )
    assert shown["year"] == 2023
    calendar = profiles.merge("nha-nuoc", {})
    assert calendar.year_words(2020) == "năm 2020"
    assert calendar.period(2020, whole=False) == (dt.date(2020, 1, 1), dt.date(2020, 6, 30))


def test_bloc_edit_parent_brings_the_bodys_setting_from_a_date(cli):
    """A bloc added without --parent and given one later gets the body's decider and awards, as
    `bloc add --parent` would; with --from only from that day, and the kind its name says stays."""
    cli.ok("bloc", "add", "Khối thi đua Văn hóa - Xã hội", "--code", "vh")
    r = cli.ok("bloc", "edit", "vh", "--parent", "UBND tỉnh Bắc Kạn")
    assert "Cơ quan cấp trên: Ủy ban nhân dân tỉnh Bắc Kạn (danh mục)" in r.stderr
    profile = json.loads(cli.ok("bloc", "profile", "vh", "--json").stdout)
    assert profile["decider"] == "Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn"
    assert profile["awards"][0]["name"] == "Cờ thi đua của Ủy ban nhân dân tỉnh Bắc Kạn"
    assert cli.sql("SELECT parent FROM bloc") == [("UBND TỈNH BẮC KẠN",)]
    r = cli.ok("bloc", "edit", "vh", "--parent", "Tỉnh ủy Bắc Kạn", "--from", "01/01/2026")
    assert "Cảnh báo: Tỉnh ủy Bắc Kạn kết thúc ngày 30/06/2025" in r.stderr
    later = json.loads(cli.ok("bloc", "profile", "vh", "--json").stdout)
    assert later["decider"] == "Ban Thường vụ Tỉnh ủy Bắc Kạn"
    assert later["kind"] == "khoi"  # «Khối …» by its name, though a Party preset says cụm
    assert later["awards"][0]["name"] == "Cờ thi đua của Ban Thường vụ Tỉnh ủy Bắc Kạn"
    r = cli.ok("bloc", "edit", "vh", "--parent", "Hội Không Có Trong Danh Mục")
    assert "không có trong danh mục cơ quan" in r.stderr


def test_bloc_edit_parent_without_a_date_corrects_the_setting_in_force(cli, monkeypatch):
    """Found by hand (w15): after a dated `--parent … --from 01/07/2025`, an undated `--parent`
    corrected today's name and parent (bloc_service.edit) but rewrote the profile since always:
    today printed «Bộ Y tế» over the Thái Nguyên decider and awards (the note said so: «Cơ quan
    cấp trên: Bộ Y tế …; đề nghị gửi Chủ tịch Ủy ban nhân dân tỉnh Thái Nguyên»), and 2019 got
    the ministry's decider under «UBND TỈNH BẮC KẠN»."""
    monkeypatch.setenv("TDKT_TODAY", "2026-03-01")
    cli.ok("bloc", "add", "Khối thi đua Văn hóa - Xã hội", "--code", "vh",
           "--parent", "UBND tỉnh Bắc Kạn")  # fmt: skip
    before = json.loads(cli.ok("bloc", "profile", "vh", "--from", "01/06/2019", "--json").stdout)
    cli.ok("bloc", "edit", "vh", "--parent", "UBND tỉnh Thái Nguyên", "--from", "01/07/2025")
    r = cli.ok("bloc", "edit", "vh", "--parent", "Bộ Y tế")
    assert "đề nghị gửi Bộ trưởng Bộ Y tế" in r.stderr, r.stderr
    now = json.loads(cli.ok("bloc", "profile", "vh", "--json").stdout)
    assert now["decider"] == "Bộ trưởng Bộ Y tế" and now["valid_from"] == "2025-07-01"
    then = json.loads(cli.ok("bloc", "profile", "vh", "--from", "01/06/2019", "--json").stdout)
    then.pop("history"), before.pop("history")
    assert then == before
    assert cli.sql("SELECT valid_from, parent FROM bloc_attr ORDER BY ifnull(valid_from, '')") == [
        (None, "UBND TỈNH BẮC KẠN"),
        ("2025-07-01", "BỘ Y TẾ"),
    ]


def test_no_body_of_the_catalogue_says_a_word_pair_twice():
    """A pattern filled with a full name instead of its stem printed «… Tỉnh ủy Tỉnh ủy Bắc Kạn»."""
    import re

    from tdkt_cli.blocs import bodies

    twice = re.compile(r"\b(\w+ \w+) \1\b")
    for body in bodies.catalogue():
        texts = [body.name, body.decider, body.addressee, body.council or "", body.through or ""]
        texts += [a.name for a in body.awards]
        for text in texts:
            assert not twice.search(text), (body.code, text)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["bloc", "add", "Khối V", "--code", "kv", "--parent", "Sở Y tế Ω"],
         "Cơ quan cấp trên «Sở Y tế Ω» trộn chữ Latin với chữ U+03A9 GREEK CAPITAL LETTER OMEGA"),
        (["bloc", "edit", "vh", "--parent", "Ủy ban nhân dân tỉnh Ⲃắc Kạn"],
         "Cơ quan cấp trên «Ủy ban nhân dân tỉnh Ⲃắc Kạn» trộn chữ Latin với chữ U+2C82 COPTIC"),
        (["bloc", "edit", "vh", "--place", "Ｂắc Kạn"],
         "Địa danh «Ｂắc Kạn» trộn chữ Latin với chữ U+FF22 FULLWIDTH LATIN CAPITAL LETTER B"),
        (["bloc", "add", "Khối V", "--code", "kv", "--place", "Hà Nộі𝐈"],
         "Địa danh «Hà Nộі𝐈» trộn chữ Latin với chữ U+1D408 MATHEMATICAL BOLD CAPITAL I"),
    ],
)  # fmt: skip
def test_a_parent_or_place_mixing_scripts_is_refused_as_a_name_is(cli, args, said):
    """Found by hand (w15): a unit or bloc name mixing Latin with Greek, Coptic, fullwidth or
    mathematical letters is refused, but the parent body and the place printed above and beside
    every document's title were kept as typed («Sở Y tế Ω» went into the header)."""
    cli.ok("bloc", "add", "Khối thi đua Văn hóa - Xã hội", "--code", "vh",
           "--parent", "UBND tỉnh Bắc Kạn", "--place", "Bắc Kạn")  # fmt: skip
    r = cli.fails(*args)
    assert r.stderr.startswith(said), r.stderr
    # the look-alikes tdkt maps to Latin are still mapped, not refused
    cli.ok("bloc", "edit", "vh", "--place", "Ваc Kạn")
    assert cli.sql("SELECT place FROM bloc") == [("Bac Kạn",)]


def test_a_blank_parent_clears_it_without_a_note_about_the_catalogue(cli):
    """Found by hand (w15): «--parent "   "» was stored as no parent but told «"   " is not in the
    catalogue of bodies; kept as typed»."""
    cli.ok(
        "bloc",
        "add",
        "Khối thi đua Văn hóa - Xã hội",
        "--code",
        "vh",
        "--parent",
        "UBND tỉnh Bắc Kạn",
    )
    r = cli.ok("bloc", "edit", "vh", "--parent", "   ")
    assert "danh mục" not in r.stderr and cli.sql("SELECT parent FROM bloc") == [(None,)]
    r = cli.ok("bloc", "add", "Khối thi đua Kinh tế", "--code", "kt", "--parent", " ")
    assert "danh mục" not in r.stderr
