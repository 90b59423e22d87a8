"""The one name check (text/names.py): invisible characters, mixed scripts, skeletons; and the
same check on every way a name comes in (command line, member lists, YAML import, merge)."""

import json
import sqlite3
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tdkt_cli.core.errors import InvalidInput
from tdkt_cli.text import clean_name, loose_key, match_key, names

INVISIBLES = [
    "\u200b",  # zero width space
    "\u200c",
    "\u200d",
    "\u2060",  # word joiner
    "\ufeff",
    "\u00ad",  # soft hyphen
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",  # bidi controls
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ufe0f",
    "\U000e0100",  # supplementary variation selector
    "\U000e01ef",
    "\u2800",  # Braille blank
    "\u17b4",
    "\u17b5",  # Khmer inherent vowels
    "\u3164",
    "\u115f",
    "\u1160",
    "\uffa0",  # Hangul fillers
    "\u034f",
]
FOREIGN = {
    "\u13da": "CHEROKEE",  # Ꮪ
    "\ua4e2": "LISU",  # ꓢ
    "\U0001d5b2": "MATHEMATICAL",  # 𝖲
    "\U0001d400": "MATHEMATICAL",
    "\u03b1": "GREEK",
    "\u0432": "CYRILLIC",
    "\u0561": "ARMENIAN",
    "\uff33": "FULLWIDTH",
}


def test_every_invisible_character_is_removed():
    for ch in INVISIBLES:
        assert names.visible(f"Sở Y{ch} tế") == "Sở Y tế", names.describe(ch)
        assert clean_name(f"Sở{ch} Y tế") == "Sở Y tế"
        assert names.invisible_in(f"Sở{ch}") == [(3, ch)]


def test_describe_names_the_code_point():
    assert names.describe("\u2060") == "U+2060 WORD JOINER"
    assert names.describe("\U000e0100") == "U+E0100 VARIATION SELECTOR-17"


@pytest.mark.parametrize("letter", sorted(FOREIGN))
def test_a_letter_of_another_script_beside_latin_is_refused_naming_it(letter):
    with pytest.raises(InvalidInput) as exc:
        clean_name(f"Sở {letter} tế", field="tên đơn vị")
    message = exc.value.message
    assert f"U+{ord(letter):04X}" in message and "ở vị trí 4" in message, message
    assert FOREIGN[letter] in message and message[0].isupper()


def test_known_look_alikes_are_still_mapped_and_other_scripts_may_stand_alone():
    assert clean_name("BHΧΗ tỉnh") == "BHXH tỉnh"  # Greek Chi and Eta
    assert clean_name("\u00d0ài") == "Đài"
    assert clean_name("Ѕở У tе") == "Sở Y te"  # Cyrillic Ѕ У е
    assert clean_name("東京 Tokyo") == "東京 Tokyo"  # Han may stand beside Latin (UTS #39)
    assert clean_name("Ꮪ Ꮫ") == "Ꮪ Ꮫ"  # a name all in one other script mixes nothing
    assert clean_name("Đắk Lắk ʼ") == "Đắk Lắk ʼ"  # a modifier letter is a mark, not a script


def test_skeletons_and_twin_keys():
    real = "Sở Y tế"
    for twin in ["Sở\u2060 Y tế", "SỞ Y TẾ", "Sở Y tế\U000e0100", "Sở Y t\u2800ế", "Sở  Y tế"]:
        assert names.skeleton(twin) == names.skeleton(real), twin
    # a look-alike of another script prints alike too (UTS #39 confusables)
    assert names.skeleton("S\U0001d5b2 Y tế") == names.skeleton("SS Y tế")
    assert names.skeleton("\ua4e2ở Y tế") == names.skeleton(real)
    assert names.skeleton("\u13daở Y tế") == names.skeleton(real)
    assert names.skeleton("Sở Y tê") != names.skeleton(real)  # a mark is seen, and a space
    assert names.skeleton("Sở\u2060Y tế") != names.skeleton(real)
    # the twin key also drops marks and punctuation: typed alike is refused too
    for twin in ["So Y te", "Ѕở У tе", "Sở Y-tế", "SởYtế"]:
        assert names.twin_key(twin) == names.twin_key(real), twin
    assert names.twin_key("Sở Tư pháp") != names.twin_key(real)


def test_the_names_module_is_cheap_to_import_and_reads_its_data_on_first_use():
    code = (
        "import sys, tdkt_cli.text.names as n\n"
        "assert not n._PROTOTYPES\n"
        "n.skeleton('a')\n"
        "assert n._PROTOTYPES and n._PROTOTYPES['\\u0430'] == 'a'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


vietnamese = st.text(
    alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyAĐƠ hòaoàủỷýụếệ", min_size=1, max_size=25
)


@given(vietnamese, st.lists(st.sampled_from(INVISIBLES), min_size=1, max_size=4), st.data())
def test_a_name_with_invisible_characters_inserted_matches_the_clean_one(text, extra, data):
    chars = list(text)
    for ch in extra:
        chars.insert(data.draw(st.integers(0, len(chars))), ch)
    dirty = "".join(chars)
    assert match_key(dirty) == match_key(text)
    assert loose_key(dirty) == loose_key(text)
    assert names.skeleton(dirty) == names.skeleton(text)
    if text.strip():
        assert clean_name(dirty) == clean_name(text)


# Cyrillic and Greek letters that print like a Latin one
SWAPS = {
    "a": "\u0430",
    "e": "\u0435",
    "o": "\u043e",
    "p": "\u0440",
    "c": "\u0441",
    "x": "\u0445",
    "y": "\u0443",
    "i": "\u0456",
    "S": "\u0405",
    "Y": "\u0423",
    "H": "\u041d",
    "T": "\u0422",
    "B": "\u0392",
    "K": "\u039a",
    "o ": "\u03bf ",
}


# --- on the command line --------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_a_cyrillic_or_greek_substitution_never_makes_a_second_unit(tmp_path_factory, data):
    from conftest import Cli

    cli = Cli(tmp_path_factory.mktemp("swap") / "t.db")
    real = "Sở Y tế Thành phố Hà Tĩnh"
    cli.ok("unit", "add", real)
    spots = [i for i, ch in enumerate(real) if ch in SWAPS]
    chosen = data.draw(st.lists(st.sampled_from(spots), min_size=1, max_size=4, unique=True))
    twin = "".join(SWAPS[ch] if i in chosen else ch for i, ch in enumerate(real))
    r = cli("unit", "add", twin)
    assert r.exit_code == 1, (twin, r.output)
    assert "Traceback" not in r.output and "Sở Y tế Thành phố Hà Tĩnh" in r.stderr
    assert [u["name"] for u in json.loads(cli.ok("unit", "list", "--json").stdout)] == [real]
    # the look-alike finds the real unit
    assert json.loads(cli.ok("unit", "show", twin, "--json").stdout)["name"] == real


@pytest.mark.parametrize(
    "twin",
    [
        "Sở\u2060Y tế",  # a word joiner in place of the space
        "Ѕở У tе",  # Cyrillic, marks lost
        "So Y te",
        "Sở Y tế\U000e0100",
        "Sở Y t\u2800ế",
        "\u3164Sở Y tế",
        "Sở Y\u17b4 tế",
    ],
)
def test_twins_are_refused_naming_the_unit_and_force_makes_a_second_one(cli, twin):
    cli.ok("unit", "add", "Sở Y tế")
    r = cli.fails("unit", "add", twin)
    assert "Sở Y tế (mã số 1)" in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert json.loads(cli.ok("unit", "show", twin, "--json").stdout)["id"] == 1
    if names.twin_key(twin) and match_key(twin) != match_key("Sở Y tế"):
        assert cli.ok("unit", "add", twin, "--force").stdout.strip() == "2"


@pytest.mark.parametrize("letter", ["\u13da", "\ua4e2", "\U0001d5b2"])
def test_mixed_scripts_are_refused_on_every_name_command(cli, letter):
    cli.ok("unit", "add", "Sở Y tế")
    cli.ok("bloc", "add", "Khối Văn hóa", "--code", "vh")
    for args in (
        ["unit", "add", f"Sở {letter} tế"],
        ["unit", "add", "Sở Mới", "--short", f"S{letter}"],
        ["unit", "alias", "Sở Y tế", f"Sở {letter}"],
        ["unit", "rename", "Sở Y tế", f"Sở {letter}", "--on", "01/01/2025"],
        ["unit", "rename", "Sở Y tế", f"Sở {letter}", "--correct"],
        ["bloc", "add", f"Khối {letter}", "--code", "k2"],
        ["bloc", "edit", "vh", "--name", f"Khối {letter}"],
        ["bloc", "correct", "vh", "--name", f"Khối {letter}"],
    ):
        r = cli.fails(*args)
        assert f"U+{ord(letter):04X}" in r.stderr and "vị trí" in r.stderr, (args, r.stderr)
    assert len(json.loads(cli.ok("unit", "list", "--json").stdout)) == 1


def test_alias_rename_and_blocs_refuse_twins_unless_forced(cli):
    cli.ok("unit", "add", "Sở Y tế")
    cli.ok("unit", "add", "Sở Tư pháp")
    r = cli.fails("unit", "alias", "Sở Tư pháp", "So Y te")
    assert "Sở Y tế (mã số 1)" in r.stderr
    cli.ok("unit", "alias", "Sở Tư pháp", "So Y te", "--force")
    r = cli.fails("unit", "rename", "2", "Sở\u2060Y tế", "--on", "01/01/2025")
    assert "Sở Y tế (mã số 1)" in r.stderr
    cli.ok("bloc", "add", "Khối Văn hóa - Xã hội", "--code", "vhxh")
    r = cli.fails("bloc", "add", "Khoi Van hoa Xa hoi", "--code", "k2")
    assert "Khối Văn hóa - Xã hội" in r.stderr and "vhxh" in r.stderr
    cli.ok("bloc", "add", "Khối Kinh tế", "--code", "kt")
    r = cli.fails("bloc", "edit", "kt", "--name", "Khối Văn hóa\u200b Xã hội")
    assert "vhxh" in r.stderr
    cli.ok("bloc", "add", "Khoi Van hoa Xa hoi", "--code", "k2", "--force")
    # the look-alike finds the bloc it prints like
    r = cli.fails("bloc", "show", "Khối Kinh\u2060tế")  # found: it only has no members yet
    assert "Khối kt chưa có thành viên" in r.stderr, r.stderr


def test_member_lists_fold_look_alikes(cli, tmp_path):
    cli.ok("unit", "add", "Sở Y tế")
    cli.ok("unit", "add", "Sở Tư pháp")
    cli.ok("bloc", "add", "Khối Văn hóa", "--code", "vh")
    members = tmp_path / "members.csv"
    members.write_text("Đơn vị\nSở\u2060Y tế\nЅở Tư pháp\ufeff\n", encoding="utf-8")
    cli.ok("bloc", "join", "vh", "--from", str(members), "--year", "2025")
    got = json.loads(cli.ok("unit", "list", "--bloc", "vh", "--year", "2025", "--json").stdout)
    assert [u["name"] for u in got] == ["Sở Y tế", "Sở Tư pháp"]
    twice = tmp_path / "twice.csv"
    twice.write_text("Đơn vị\nSở Y tế\nSở\u200b Y tế\n", encoding="utf-8")
    r = cli.fails("bloc", "join", "vh", "--from", str(twice), "--year", "2026")
    assert "dòng 3" in r.stderr and "hai lần" in r.stderr, r.stderr


def test_import_refuses_mixed_scripts_and_matches_look_alikes(cli, tmp_path):
    cli.ok("unit", "add", "Sở Y tế")
    bad = tmp_path / "bad.yaml"
    bad.write_text('tdkt: 1\nunits:\n  - id: 5\n    name: "S\U0001d5b2 Y tế"\n', encoding="utf-8")
    r = cli.fails("import", str(bad))
    assert "U+1D5B2" in r.stderr, r.stderr
    twin = tmp_path / "twin.yaml"
    twin.write_text('tdkt: 1\nunits:\n  - id: 5\n    name: "Sở\u2060Y tế"\n', encoding="utf-8")
    r = cli.fails("import", str(twin))
    assert "Sở Y tế" in r.stderr, r.stderr
    assert len(json.loads(cli.ok("unit", "list", "--json").stdout)) == 1


def test_db_check_lists_every_pair_that_prints_alike(cli):
    cli.ok("unit", "add", "Sở Y tế")
    cli.ok("unit", "add", "Sở Tư pháp")
    cli.ok("unit", "add", "Sở Nội vụ")
    cli.ok("bloc", "add", "Khối Văn hóa", "--code", "vh")
    cli.ok("bloc", "add", "Khối Kinh tế", "--code", "kt")
    conn = sqlite3.connect(cli.db)
    conn.execute("UPDATE unit SET name = 'Sở Y tế\u2800' WHERE id = 2")
    conn.execute("UPDATE unit SET name = 'S\U0001d5b2ở Y tế' WHERE id = 3")
    conn.execute("UPDATE bloc SET name = 'Khối\u2060 Văn hóa' WHERE code = 'kt'")
    conn.commit()
    conn.close()
    r = cli("db", "check")
    assert r.exit_code == 1
    assert "unit 1 và 2: hai đơn vị có tên in ra giống nhau" in r.stderr, r.stderr
    assert "bloc kt và vh" in r.stderr or "bloc vh và kt" in r.stderr, r.stderr
    assert "U+2800 BRAILLE PATTERN BLANK ở vị trí 8" in r.stderr
    assert "U+1D5B2" in r.stderr


def test_nfd_input_is_checked_as_nfc():
    assert clean_name(unicodedata.normalize("NFD", "Sở Y tế")) == "Sở Y tế"


def test_force_never_records_two_names_that_print_alike(cli):
    cli.ok("unit", "add", "Phòng Il")
    r = cli.fails("unit", "add", "Phòng lI", "--force")  # capital i and small L: one skeleton
    assert "giống hệt" in r.stderr and "Phòng Il (mã số 1)" in r.stderr, r.stderr
    cli.ok("bloc", "add", "Khối 0", "--code", "k0")
    r = cli.fails("bloc", "add", "Khối O", "--code", "ko", "--force")
    assert "giống hệt" in r.stderr and "k0" in r.stderr, r.stderr
    assert cli("db", "check").exit_code == 0


def test_the_quick_latin_check_covers_no_letter_of_another_script():
    """foreign_letter skips names made only of the blocks in _ONLY_LATIN: no letter there may be
    one the slow path calls another script's (U+00B5 MICRO SIGN is Greek mu, and is left out)."""
    import unicodedata

    from tdkt_cli.text import names

    for cp in range(0x3000):
        ch = chr(cp)
        if not names._ONLY_LATIN.fullmatch(ch):
            continue
        if unicodedata.category(ch).startswith("L") and cp not in names.LOOKALIKES:
            assert names._script(ch) != "OTHER", hex(cp)
    assert names.foreign_letter("Sở µ tế") == (4, "µ")
    assert names.foreign_letter("Sở Y tế Bắc Kạn (cơ sở 2)") is None
