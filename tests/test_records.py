"""Units, blocs, meetings and pledges through the real CLI and a real database file."""

import json
import unicodedata

import pytest
from conftest import VHXH


def test_unit_add_prints_id_and_json(cli):
    r = cli.ok("unit", "add", "Sở Y tế", "--short", "SYT")
    assert r.stdout.strip() == "1"
    r = cli.ok(
        "unit",
        "add",
        "Sở Giáo dục và Đào tạo",
        "--short",
        "Sở GD&ĐT",
        "--alias",
        "Sở GDĐT",
        "--json",
    )
    assert json.loads(r.stdout) == {
        "id": 2,
        "name": "Sở Giáo dục và Đào tạo",
        "short": "Sở GD&ĐT",
        "aliases": ["Sở GDĐT"],
    }
    assert cli.sql("SELECT name FROM unit ORDER BY id") == [
        ("Sở Y tế",),
        ("Sở Giáo dục và Đào tạo",),
    ]


def test_duplicate_unit_refused_in_any_spelling(cli):
    cli.ok("unit", "add", "Sở Văn hóa, Thể thao và Du lịch")
    r = cli.fails("unit", "add", unicodedata.normalize("NFD", "sở văn hoá thể thao và du lịch"))
    assert "trùng" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_nfd_input_is_stored_nfc(cli):
    cli.ok("unit", "add", unicodedata.normalize("NFD", "Ủy ban Kiểm tra Tỉnh ủy"))
    (name,) = cli.sql("SELECT name FROM unit")[0]
    assert unicodedata.is_normalized("NFC", name)


def test_unit_matching_folds_case_nfd_tone_placement_and_spaces(vhxh):
    for typed in ["sở  y tế", unicodedata.normalize("NFD", "SỞ Y TẾ"), "syt", "7", "So Y te"]:
        r = vhxh.ok("unit", "show", typed, "--json")
        assert json.loads(r.stdout)["name"] == "Sở Y tế", typed
    vhxh.ok(
        "unit", "add", "Sở Nông nghiệp và Phát triển nông thôn", "--alias", "Sở NN&PTNT Hòa Bình"
    )
    r = vhxh.ok("unit", "show", "sở nn&ptnt hoà bình", "--json")
    assert json.loads(r.stdout)["name"] == "Sở Nông nghiệp và Phát triển nông thôn"


def test_ambiguous_and_unknown_units_named(cli):
    cli.ok("unit", "add", "Sở Tư pháp")
    cli.ok("unit", "add", "Sở Tự pháp", "--force")  # a real second unit
    r = cli.fails("unit", "show", "So Tu phap")
    assert "Sở Tư pháp" in r.stderr and "Sở Tự pháp" in r.stderr
    r = cli.fails("unit", "show", "Sở Ngoại vụ")
    assert "Không tìm thấy" in r.stderr


def test_rename_keeps_history_for_earlier_dates(vhxh):
    vhxh.ok("meeting", "log", "--bloc", "vhxh", "--date", "08/01/2020", "--kind", "tong-ket")
    vhxh.ok(
        "unit",
        "rename",
        "Sở Thông tin và Truyền thông",
        "Sở Khoa học, Công nghệ và Truyền thông",
        "--on",
        "01/03/2025",
    )
    before = json.loads(vhxh.ok("meeting", "show", "1", "--json").stdout)
    assert "Sở Thông tin và Truyền thông" in before["present"]
    # the old name still finds the unit
    shown = json.loads(vhxh.ok("unit", "show", "Sở Thông tin và Truyền thông", "--json").stdout)
    assert shown["name"] == "Sở Khoa học, Công nghệ và Truyền thông"
    assert shown["former_names"][0]["until"] == "2025-03-01"
    vhxh.fails("unit", "rename", "5", "Tên khác", "--on", "01/01/2024")


def test_merge_records_lineage(vhxh):
    vhxh.ok("unit", "add", "Sở Tài chính")
    vhxh.ok(
        "unit", "merge", "Sở Khoa học và Công nghệ", "--into", "Sở Tài chính", "--on", "2025-03-01"
    )
    shown = json.loads(vhxh.ok("unit", "show", "Sở Tài chính", "--json").stdout)
    assert [m["name"] for m in shown["merged_from"]] == ["Sở Khoa học và Công nghệ"]
    r = vhxh.fails("bloc", "join", "vhxh", "Sở Khoa học và Công nghệ", "--year", "2026")
    assert "sáp nhập" in r.stderr


def test_bloc_show_json_contract(vhxh):
    data = json.loads(vhxh.ok("bloc", "show", "vhxh", "--year", "2019", "--json").stdout)
    assert data["code"] == "vhxh" and data["year"] == 2019
    assert data["head"] == "Bảo hiểm Xã hội tỉnh" and data["deputy"] == "Sở Y tế"
    assert [m["name"] for m in data["members"]] == [n for n, _ in VHXH]
    assert set(data["members"][0]) >= {"id", "name", "group"}
    # the bloc is found by its name too, in any spelling
    data2 = json.loads(
        vhxh.ok("bloc", "show", "khoi thi dua van hoa xa hoi", "--year", "2019", "--json").stdout
    )
    assert data2 == data


def test_head_must_be_member_and_handover_kept(vhxh):
    vhxh.ok("unit", "add", "Sở Nội vụ")
    r = vhxh.fails("bloc", "head", "vhxh", "--year", "2019", "--head", "Sở Nội vụ")
    assert "không phải thành viên" in r.stderr
    vhxh.fails("bloc", "head", "vhxh", "--year", "2019", "--head", "SYT", "--deputy", "Sở Y tế")
    r = vhxh.fails(
        "bloc", "head", "vhxh", "--year", "2019", "--head", "Sở Y tế"
    )  # the deputy, alone
    assert "phó khối" in r.stderr  # found by the fuzzer: head and deputy would have become one unit
    vhxh.ok("bloc", "head", "vhxh", "--year", "2019", "--head", "Sở Y tế", "--deputy", "BHXH tỉnh")
    vhxh.ok("bloc", "head", "vhxh", "--year", "2019", "--head", "BHXH tỉnh", "--deputy", "Sở Y tế")
    vhxh.ok("bloc", "join", "vhxh", *[str(i) for i in range(1, 12)], "--year", "2020")
    vhxh.ok("bloc", "head", "vhxh", "--year", "2020", "--head", "Trường CĐ Nghề DTNT")
    data = json.loads(vhxh.ok("bloc", "show", "vhxh", "--json").stdout)
    assert data["year"] == 2020
    assert [h["head"] for h in data["handovers"]] == [
        "Bảo hiểm Xã hội tỉnh",
        "Trường Cao đẳng Nghề Dân tộc Nội trú",
    ]
    r = vhxh.fails("bloc", "leave", "vhxh", "BHXH tỉnh", "--year", "2019")
    assert "trưởng khối" in r.stderr


def test_groups_and_order(cli):
    for n in ["Thanh tra tỉnh", "Sở Tư pháp", "Văn phòng HĐND tỉnh", "Cục Thống kê"]:
        cli.ok("unit", "add", n)
    cli.ok("bloc", "add", "Khối thi đua 3", "--code", "k3")
    cli.ok(
        "bloc",
        "join",
        "k3",
        "Thanh tra tỉnh",
        "Sở Tư pháp",
        "--year",
        "2018",
        "--group",
        "Có đánh giá công vụ",
    )
    cli.ok(
        "bloc",
        "join",
        "k3",
        "Văn phòng HĐND tỉnh",
        "Cục Thống kê",
        "--year",
        "2018",
        "--group",
        "Không có đánh giá công vụ",
    )
    data = json.loads(cli.ok("bloc", "show", "k3", "--json").stdout)
    assert [(m["name"], m["group"]) for m in data["members"]] == [
        ("Thanh tra tỉnh", "Có đánh giá công vụ"),
        ("Sở Tư pháp", "Có đánh giá công vụ"),
        ("Văn phòng HĐND tỉnh", "Không có đánh giá công vụ"),
        ("Cục Thống kê", "Không có đánh giá công vụ"),
    ]
    units = json.loads(cli.ok("unit", "list", "--json").stdout)
    assert [u["name"] for u in units] == [
        "Cục Thống kê",
        "Sở Tư pháp",
        "Thanh tra tỉnh",
        "Văn phòng HĐND tỉnh",
    ]


def test_meeting_present_and_absent(vhxh):
    r = vhxh.ok(
        "meeting",
        "log",
        "--bloc",
        "vhxh",
        "--date",
        "8/1/2020",
        "--kind",
        "tong-ket",
        "--guest",
        "Đồng chí Phạm Duy Hưng, Phó Chủ tịch UBND tỉnh",
        "--json",
    )
    m = json.loads(r.stdout)
    assert (
        m["year"] == 2019
        and m["date"] == "2020-01-08"
        and len(m["present"]) == 11
        and m["absent"] == []
    )
    r = vhxh.ok(
        "meeting",
        "log",
        "-b",
        "vhxh",
        "--date",
        "2019-07-18",
        "--kind",
        "so-ket",
        "--present",
        "SYT",
        "--present",
        "Sở GD&ĐT",
    )
    m = json.loads(vhxh.ok("meeting", "show", r.stdout.strip(), "--json").stdout)
    assert m["present"] == ["Sở Y tế", "Sở Giáo dục và Đào tạo"] and len(m["absent"]) == 9
    vhxh.ok("unit", "add", "Sở Nội vụ")
    vhxh.fails(
        "meeting",
        "log",
        "-b",
        "vhxh",
        "--date",
        "2019-07-18",
        "--kind",
        "so-ket",
        "--present",
        "Sở Nội vụ",
    )
    vhxh.fails("meeting", "log", "-b", "vhxh", "--date", "31/02/2019", "--kind", "so-ket")
    vhxh.fails("meeting", "log", "-b", "vhxh", "--date", "2019-07-18", "--kind", "hop")
    assert (
        len(
            json.loads(
                vhxh.ok("meeting", "list", "--bloc", "vhxh", "--year", "2019", "--json").stdout
            )
        )
        == 2
    )


def test_pledges_and_covenant(vhxh):
    vhxh.ok(
        "pledge",
        "record",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--unit",
        "Sở TT&TT",
        "--title",
        "Cờ thi đua của Ủy ban nhân dân tỉnh",
        "--target",
        "100% hồ sơ trực tuyến",
    )
    vhxh.ok(
        "pledge",
        "record",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--unit",
        "Sở TT&TT",
        "--title",
        "Cờ thi đua của Uỷ ban nhân dân tỉnh",
        "--target",
        "Chỉ tiêu mới",
    )
    vhxh.ok("pledge", "sign", "-b", "vhxh", "-y", "2019", "--date", "15/01/2019")
    data = json.loads(vhxh.ok("pledge", "list", "-b", "vhxh", "-y", "2019", "--json").stdout)
    assert len(data["registrations"]) == 1 and data["registrations"][0]["targets"] == [
        "Chỉ tiêu mới"
    ]
    assert len(data["covenant"]["signers"]) == 11 and len(data["not_registered"]) == 10
    r = vhxh.fails("pledge", "sign", "-b", "vhxh", "-y", "2019", "--date", "16/01/2019")
    assert "--replace" in r.stderr


def test_usage_errors_exit_2(cli):
    assert cli("unit", "add").exit_code == 2
    assert cli("bloc", "show", "--bogus").exit_code == 2


def test_init_says_where(cli):
    r = cli.ok("init")
    assert str(cli.db) in r.stdout and cli.db.exists()
    assert (cli.db.stat().st_mode & 0o777) == 0o600


def test_db_option_before_command(cli, tmp_path):
    other = tmp_path / "other.db"
    cli.ok("--db", str(other), "unit", "add", "Sở Y tế")
    assert other.exists()
    assert cli.sql("SELECT count(*) FROM sqlite_master WHERE name = 'unit'") in ([(0,)], [(1,)])


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["bloc", "show"], "Thiếu tham số"),
        (["bloc", "show", "vhxh", "--yeer", "2019"], "có phải ý bạn là --year"),
        (["bloc", "shw"], "Không có lệnh «shw»; có phải ý bạn là «show»"),
        (["bloc", "show", "vhxh", "--year", "hai"], "«hai» không phải số nguyên"),
        (["vote", "open", "--seats"], "cần một giá trị"),
    ],
)
def test_usage_errors_in_vietnamese(cli, args, says):
    r = cli(*args)
    assert r.exit_code == 2
    assert says in r.stderr and "Traceback" not in r.output and "╭" not in r.stderr


def test_help_is_vietnamese(cli):
    r = cli.ok("bloc", "show", "-h")
    assert (
        "Cách dùng: tdkt bloc show" in r.stdout
        and "Tùy chọn" in r.stdout
        and "Hiện hướng dẫn" in r.stdout
    )
