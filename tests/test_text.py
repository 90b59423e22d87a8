import datetime as dt
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tdkt_cli.core.errors import InvalidInput
from tdkt_cli.text import (
    amount_words,
    clean,
    date_words,
    loose_key,
    match_key,
    number_words,
    parse_date,
    percent,
    sort_key,
)

GOLDEN_NUMBERS = {
    0: "không",
    5: "năm",
    10: "mười",
    15: "mười lăm",
    21: "hai mươi mốt",
    24: "hai mươi bốn",
    25: "hai mươi lăm",
    101: "một trăm linh một",
    105: "một trăm linh năm",
    1005: "một nghìn không trăm linh năm",
    1015: "một nghìn không trăm mười lăm",
    2024: "hai nghìn không trăm hai mươi bốn",
    20001: "hai mươi nghìn không trăm linh một",
    523056: "năm trăm hai mươi ba nghìn không trăm năm mươi sáu",
    145001000: "một trăm bốn mươi lăm triệu không trăm linh một nghìn",
    10**9: "một tỷ",
    11: "mười một",
    20_000_000: "hai mươi triệu",
    1_000_005: "một triệu không trăm linh năm",
}


@pytest.mark.parametrize(("n", "words"), GOLDEN_NUMBERS.items())
def test_number_words_golden(n, words):
    assert number_words(n) == words


def test_amount_words():
    assert amount_words(20_000_000) == "Hai mươi triệu đồng"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8/1/2020", dt.date(2020, 1, 8)),
        ("08/01/2020", dt.date(2020, 1, 8)),
        ("2020-01-08", dt.date(2020, 1, 8)),
        ("29/7/2020", dt.date(2020, 7, 29)),
    ],
)
def test_dates_read_day_first(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("bad", ["32/1/2020", "2020/13/01", "hôm qua", "", "29/02/2023"])
def test_bad_dates_refused(bad):
    with pytest.raises(InvalidInput):
        parse_date(bad)


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2020, 1, 5), "ngày 05 tháng 01 năm 2020"),
        (dt.date(2020, 7, 29), "ngày 29 tháng 7 năm 2020"),
        (dt.date(2023, 2, 28), "ngày 28 tháng 02 năm 2023"),
        (dt.date(2020, 1, 8), "ngày 08 tháng 01 năm 2020"),
        (dt.date(2020, 12, 1), "ngày 01 tháng 12 năm 2020"),
    ],
)
def test_nd30_dates(day, words):
    assert date_words(day) == words


def test_match_key_folds_tone_placement_case_nfd_spaces_hyphens():
    k = match_key("Khối Văn hóa - Xã hội")
    assert match_key("khối  văn hoá–xã hội") == k
    assert match_key(unicodedata.normalize("NFD", "KHỐI VĂN HOÁ XÃ HỘI")) == k
    assert match_key("Ủy ban") == match_key("Uỷ ban")
    assert match_key("thủy") == match_key("thuỷ")
    assert match_key("Sở Y tế") != match_key("Sở Y tê")  # a different tone is a different name


def test_loose_key_maps_d_and_drops_marks():
    assert loose_key("Đài Phát thanh") == "dai phat thanh"
    assert loose_key("Sở Y tế") == loose_key("so y te")


def test_lookalikes_and_control_characters():
    assert clean("BHΧΗ tỉnh") == "BHXH tỉnh"  # Greek Chi and Eta
    assert clean("\u00d0ài") == "Đài"
    with pytest.raises(InvalidInput):
        clean("Sở\x00 Y tế")
    with pytest.raises(InvalidInput):
        clean("x" * 5000)


def test_vietnamese_sort_order():
    names = ["Ủy ban", "Đài", "Sở", "Ban", "Văn", "Ưu", "An", "Ăn", "Ân", "Dân"]
    assert sorted(names, key=sort_key) == [
        "An",
        "Ăn",
        "Ân",
        "Ban",
        "Dân",
        "Đài",
        "Sở",
        "Ủy ban",
        "Ưu",
        "Văn",
    ]
    assert sorted(["má", "mà", "ma", "mạ", "mả", "mã"], key=sort_key) == [
        "ma",
        "mà",
        "mả",
        "mã",
        "má",
        "mạ",
    ]


def test_percent_uses_decimal_comma():
    assert percent(9 / 11) == "81,82%"


vietnamese = st.text(alphabet="aăâeêioôơuưyđAĂÂĐ hòaoàủỷýụ-–", min_size=1, max_size=30)


@given(vietnamese)
def test_match_key_ignores_normal_form(text):
    assert match_key(unicodedata.normalize("NFD", text)) == match_key(
        unicodedata.normalize("NFC", text)
    )


@given(vietnamese)
def test_loose_key_is_coarser_than_match_key(text):
    other = unicodedata.normalize("NFD", text.upper())
    if match_key(text) == match_key(other):
        assert loose_key(text) == loose_key(other)


def test_a_lazy_pattern_is_compiled_on_first_use_and_answers_as_re_compile():
    from tdkt_cli.core.patterns import lazy

    source, flags = r"(\d{1,2})\s*(?:giờ|h)", re.IGNORECASE
    pattern, real = lazy(source, flags), re.compile(source, flags)
    assert "sub" not in vars(pattern)  # nothing compiled yet
    text = "Khai mạc 8 GIỜ, bế mạc 11h"
    assert pattern.sub("X", text) == real.sub("X", text)
    assert "sub" in vars(pattern)  # kept: later calls are a plain attribute lookup
    assert pattern.findall(text) == real.findall(text) == ["8", "11"]
    assert pattern.match("9h").group(1) == "9" and pattern.fullmatch("x") is None
    assert (pattern.pattern, pattern.flags) == (real.pattern, real.flags)
    with pytest.raises(AttributeError):
        pattern.__wrapped__  # noqa: B018  # dunder lookups (copy, pickle, inspect) are not passed on


def test_reading_text_helpers_compiles_no_pattern_until_one_is_used():
    """A read command imports the text helpers; their patterns wait until a text is cleaned."""
    import tdkt_cli.text as text
    import tdkt_cli.text.names as names
    from tdkt_cli.core.patterns import LazyPattern

    lazies = [v for m in (text, names) for v in vars(m).values() if isinstance(v, LazyPattern)]
    assert len(lazies) >= 9
    assert not [v for m in (text, names) for v in vars(m).values() if isinstance(v, re.Pattern)]
