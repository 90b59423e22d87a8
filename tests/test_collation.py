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


# --- agreement with ICU's Vietnamese collation --------------------------------------------------
# CLDR's `vi` tailoring ([normalization on] &̀<<̉<<̃<<́<<̣ &a<ă<â &d<đ &e<ê &o<ô<ơ &u<ư) says
# nothing of punctuation, so CLDR root's setting holds: variable weighting "non-ignorable" (CLDR
# root differs here from the UCA's DUCET default "shifted"): a space, then punctuation, then
# symbols weigh less than digits, and digits less than letters; nothing is skipped. Letters outside
# the alphabet are their base letter with a secondary mark (ü, ø, ł), two letters (æ, ß) or a
# letter of their own (ı after i). Each pair below is in the order ICU gives (checked with
# Intl.Collator("vi", {numeric: true}), ICU 78); the numeric option matches tdkt's numbers by
# value. Where tdkt deliberately differs from ICU (a syllable's tone decides before later
# syllables; tone placement never decides) the tests above say so.
ICU_PAIRS = [
    # punctuation
    ("Sở (cũ) Y tế", "Sở Y tế"),
    ("Sở Y tế - cơ sở 2", "Sở Y tế 2"),
    ("Sở Y tế Hà Nội", "Sở Y tế, Hà Nội"),
    ("Sở Y tế (Hà Nội)", "Sở Y tế 1"),
    ("Sở Y tế", "Sở Y tế."),
    ("Sở Y tế", "Sở Y-tế"),
    ("Sở Y tế 'mới'", "Sở Y tế (Hà Nội)"),
    ("Sở Y tế - cơ sở 2", "Sở Y tế, Hà Nội"),
    ("Sở Y tế – Dân số", "Sở Y tế: Dân số"),
    ("Sở Y tế; Dân số", "Sở Y tế: Dân số"),
    ("Sở Y tế: Dân số", "Sở Y tế!"),
    ("Sở Y tế?", "Sở Y tế."),
    ("Sở Y tế «mới»", "Sở Y tế (Hà Nội)"),
    ("Sở Y tế [2]", "Sở Y tế @Hà Nội"),
    ("Sở Y tế/Hà Nội", "Sở Y tế&Dân số"),
    ("Sở Y tế #2", "Sở Y tế + Dân số"),
    ("Sở Y tế_2", "Sở Y tế-2"),
    ("Sở Y tế 10", "Sở Y tế Hà Nội"),
    ("Sở Y tế…", "Sở Y tế'mới'"),
    # letters outside Vietnamese
    ("Müller", "Mỹ"),
    ("Mu", "Müll"),
    ("Muller", "Müller"),
    ("Mù", "Mü"),  # a tone weighs less than a foreign mark,
    ("Ångström", "Ăn uống"),
    ("Cao", "Çelik"),
    ("Çelik", "Cường"),
    ("Nam", "Ñam"),
    ("Ñam", "Nhà"),
    ("Oslo", "Øster"),
    ("Øster", "Ông"),
    ("Ae", "Ærø"),
    ("Ærø", "Af"),
    ("Lò", "Łódź"),
    ("Łódź", "Lz"),
    ("Strasse", "Straße"),
    ("Straße", "Strat"),
    ("Zu", "Zürich"),
    ("Zürich", "Zv"),
    ("Über", "Ủy ban"),
    ("Ünal", "Ưu"),
    ("Ivan", "ıa"),
    ("nz", "ŋa"),
    ("z", "þ"),
    ("Sa", "Şahin"),
    ("Em", "Émile"),
]


def test_golden_pairs_follow_icu_vietnamese():
    assert len(ICU_PAIRS) >= 30
    for before, after in ICU_PAIRS:
        assert sort_key(before) < sort_key(after), (before, after)


def test_punctuation_and_foreign_letters_agree_with_icu_where_node_has_it():
    """The same against ICU itself, on every pair of a list, when Node.js (built with ICU) is
    on the machine; the pinned pairs above hold everywhere."""
    import shutil
    import subprocess

    import pytest

    node = shutil.which("node")
    if node is None:
        pytest.skip("no Node.js here to ask ICU")
    names = sorted({n for pair in ICU_PAIRS for n in pair})
    script = (
        "const c=new Intl.Collator('vi',{numeric:true});"
        "const n=JSON.parse(require('fs').readFileSync(0,'utf8'));"
        "if(c.resolvedOptions().locale!=='vi'){console.log('null')}"
        "else console.log(JSON.stringify(n.slice().sort(c.compare)))"
    )
    r = subprocess.run(
        [node, "-e", script], input=json.dumps(names), capture_output=True, text=True, timeout=60
    )
    icu = json.loads(r.stdout or "null")
    if icu is None:
        pytest.skip("this Node.js has no Vietnamese collation")
    assert sorted(names, key=sort_key) == icu
