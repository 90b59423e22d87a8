"""Vietnamese order as a dictionary has it: syllable by syllable, tone placement never decides,
numbers by value."""

import json
import random

from tdkt_cli.text import sort_key

# Province and place names in the order a Vietnamese dictionary (and the list of provinces in
# official tables) puts them: each syllable compared in turn, letters in the Vietnamese alphabet
# (a ă â b c d đ e ê … o ô ơ … u ư …), then the tone (ngang, huyền, hỏi, ngã, sắc, nặng).
GOLDEN = [
    "An Giang",
    "An Khê",
    "An Lão",
    "Ân Thi",
    "Ba Bể",
    "Ba Chẽ",
    "Ba Vì",
    "Bà Rịa",
    "Bá Thước",
    "Bạc Liêu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Dương",
    "Bình Định",
    "Bình Phước",
    "Cà Mau",
    "Cao Bằng",
    "Cần Thơ",
    "Dân tộc",
    "Đà Nẵng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Hà Giang",
    "Hà Nam",
    "Hà Nội",
    "Hà Tĩnh",
    "Hải Dương",
    "Hải Phòng",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Khối 2",
    "Khối 3",
    "Khối 10",
    "Khối 21",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lạng Sơn",
    "Lào Cai",
    "Lâm Đồng",
    "Long An",
    "Sóc Trăng",
    "Sơn La",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Ủy ban",
    "Ưu tú",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
]


def test_golden_dictionary_order():
    for seed in range(5):
        shuffled = GOLDEN[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=sort_key) == GOLDEN


def test_syllable_decides_before_later_letters():
    assert sorted(["Bà Rịa", "Ba Vì"], key=sort_key) == ["Ba Vì", "Bà Rịa"]


def test_tone_placement_never_decides():
    for a, b in [("Hòa An", "Hoà An"), ("Hóa An", "Hoá An"), ("Thủy", "Thuỷ"), ("Khỏe", "Khoẻ")]:
        assert sort_key(a)[0] == sort_key(b)[0]
        # and neither falls on another side of a third name
        for other in ["Hoa", "Hòa Bình", "Hóa Châu", "Hỏa"]:
            assert (sort_key(a)[0] < sort_key(other)[0]) == (sort_key(b)[0] < sort_key(other)[0])
    # NFD input sorts as NFC does
    import unicodedata

    assert sort_key(unicodedata.normalize("NFD", "Bà Rịa"))[0] == sort_key("Bà Rịa")[0]


def test_numbers_by_value():
    names = ["Khối 10", "Khối 3", "Khối 1", "Cụm 12", "Cụm 2"]
    assert sorted(names, key=sort_key) == ["Cụm 2", "Cụm 12", "Khối 1", "Khối 3", "Khối 10"]


def test_award_list_sorts_units_in_vietnamese(cli):
    names = ["Trường Cao đẳng Cộng đồng", "Đài Phát thanh và Truyền hình tỉnh", "Ban Dân tộc"]
    for n in names:
        cli.ok("unit", "add", n)
    cli.ok("bloc", "add", "Khối Văn hóa - Xã hội", "--code", "vhxh")
    cli.ok("bloc", "join", "vhxh", "1", "2", "3", "--year", "2019")
    for n in names:
        cli.ok("award", "propose", "-b", "vhxh", "-y", "2019", "--unit", n, "--award", "bang-khen")
    got = [r["unit"] for r in json.loads(cli.ok("award", "list", "--json").stdout)]
    assert got == ["Ban Dân tộc", "Đài Phát thanh và Truyền hình tỉnh", "Trường Cao đẳng Cộng đồng"]
    text = cli.ok("award", "list").stdout
    assert text.index("Đài Phát") < text.index("Trường Cao")
