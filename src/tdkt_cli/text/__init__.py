"""Vietnamese text: clean input, match keys, sort keys, dates and numbers in words.

Design decisions held here:
- Stored text is NFC with look-alike letters mapped back (Greek Χ/Η in "BHΧΗ", Ð U+00D0 for Đ),
  invisible characters removed and control characters refused; names.py holds the one check of
  a name (scripts, skeletons of look-alikes), so a pasted name never becomes a second unit.
- Matching uses two keys. The *exact* key folds case, NFC/NFD, spaces, hyphen variants and tone
  placement ("hòa"/"hoà") but keeps every letter, so two names that differ by a tone are two
  names. The *loose* key also drops tones and vowel marks and maps đ→d, so "So Y te" typed on a
  keyboard without Vietnamese still finds "Sở Y tế"; it is only tried when the exact key finds
  nothing.
- The number-in-words rules follow common official usage ("linh" for a zero ten, "mốt" and
  "lăm" after "mươi"); num2words' "vi" gets 2.024 wrong, so golden cases pin them down.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from functools import lru_cache

from ..core.errors import InvalidInput
from ..core.patterns import lazy
from .names import check as _check_name
from .names import describe, unseen, visible

MAX_TEXT = 1000

_HYPHENS = lazy(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d]")
_SPACES = lazy(r"\s+")
_KEY_PUNCT = lazy(r"[-,.;:()\"'“”‘’/]")
# A word in NFD: letters with their combining marks (which \w alone does not match).
_WORD = lazy(r"[\w\u0300-\u036f]+")

_TONES = {
    "\u0300": 1,  # huyền
    "\u0309": 2,  # hỏi
    "\u0303": 3,  # ngã
    "\u0301": 4,  # sắc
    "\u0323": 5,  # nặng
}


def clean(value: str, *, field: str = "giá trị", multiline: bool = False) -> str:
    """Return `value` as it is stored: NFC, look-alikes mapped, spaces trimmed.

    Refuses control characters and values longer than MAX_TEXT characters.
    """
    if value is None:
        raise InvalidInput(f"Thiếu {field}.")
    return _clean(str(value), field, multiline)


@lru_cache(maxsize=8192)  # imports repeat the same titles and names thousands of times
def _clean(value: str, field: str, multiline: bool) -> str:
    text = visible(value)
    for i, ch in enumerate(text, 1):
        if unicodedata.category(ch) == "Cc" and not (multiline and ch in "\n\t"):
            raise InvalidInput(
                f"{field.capitalize()} chứa ký tự điều khiển {describe(ch)} ở vị trí {i}."
            )
    if multiline:
        lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "").split("\n")]
        text = "\n".join(lines).strip()
    else:
        text = _SPACES.sub(" ", text).strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{field.capitalize()} dài quá {MAX_TEXT} ký tự ({len(text)} ký tự).")
    return text


def clean_name(value: str, *, field: str = "tên") -> str:
    """Like clean(), and refuses an empty name or one mixing scripts (text/names.py)."""
    text = clean(value, field=field)
    if not text:
        raise InvalidInput(f"{field.capitalize()} không được để trống.")
    # checked as typed (invisibles aside), so the refusal quotes the letters the user sent
    _check_name(_SPACES.sub(" ", unseen(str(value))).strip(), field)
    return text


def clean_optional_name(value: str | None, *, field: str) -> str | None:
    """A short name or a person's name: clean(), one script as in clean_name(), None if empty."""
    if value is None:
        return None
    text = clean(value, field=field)
    if text:
        _check_name(_SPACES.sub(" ", unseen(str(value))).strip(), field)
    return text or None


def is_nfc(value: str) -> bool:
    return unicodedata.is_normalized("NFC", value)


def _fold_tones(word: str) -> str:
    """Move the tone mark of one NFD word to its end, so tone placement does not matter."""
    tone = ""
    out = []
    for ch in word:
        if ch in _TONES:
            tone = ch
        else:
            out.append(ch)
    return "".join(out) + tone


@lru_cache(maxsize=8192)
def match_key(value: str) -> str:
    """The exact key: case, normal form, spaces, hyphens and tone placement folded."""
    text = _HYPHENS.sub("-", visible(value))
    # "Văn hóa - Xã hội", "Văn hóa-Xã hội" and "văn hóa xã hội" are one name; so are names
    # with and without the comma of "Sở Văn hóa, Thể thao và Du lịch".
    text = _KEY_PUNCT.sub(" ", text)
    text = _SPACES.sub(" ", text).strip().casefold()
    nfd = unicodedata.normalize("NFD", text)
    return _WORD.sub(lambda m: _fold_tones(m.group(0)), nfd)


@lru_cache(maxsize=8192)
def loose_key(value: str) -> str:
    """The loose key: the exact key without any mark, đ→d. For accent-free typing and search."""
    nfd = match_key(value).replace("đ", "d")
    return "".join(ch for ch in nfd if not unicodedata.combining(ch))


# --- sorting ---------------------------------------------------------------------------------

_ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}


# Letters outside the Vietnamese alphabet, as ICU's root order (CLDR) has them: as two letters
# (æ = ae), as a letter with a mark below the tones (ø = o, after every toned o), or as a letter
# of their own right after one of ours (ı after i).
_EXPANSIONS = {"æ": "ae", "œ": "oe", "ĳ": "ij", "ß": "ss", "ǆ": "dž", "ǉ": "lj", "ǌ": "nj"}
_STROKED = {"ø": "o", "ł": "l", "ħ": "h", "ƒ": "f", "ð": "d", "ŧ": "t", "ƀ": "b", "ɨ": "i"}
_AFTER = {"ı": "i", "ŋ": "n", "þ": "z", "ĸ": "q"}
_STROKE = 0x0338  # the weight of the stroke of ø, ł … among the marks
# Spaces and punctuation weigh less than digits, and digits less than letters (CLDR root, whose
# variable weighting is "non-ignorable": punctuation is not skipped). In ICU's order:
_PUNCT_ORDER = " _-‐‑‒–—―,;:!?.…·'‘’\"“”«»()[]{}§¶@*/\\&#%‰†‡•`´˜^¯¨°©®+±÷×<=>¬|¦~¤¢$£¥€"
_PUNCT_RANK = {ch: i for i, ch in enumerate(_PUNCT_ORDER)}
_TOKEN = lazy(r"\d+|(?:[^\W\d_]|[\u0300-\u036f])+|.", re.DOTALL)


@lru_cache(maxsize=8192)
def _syllable(word: str) -> tuple[tuple, tuple]:
    """(letter ranks, marks) of one lowercase NFC word. The marks: for each letter, the marks
    that are not tones (ü's diaeresis, ø's stroke), then the word's tone, wherever it sits."""
    ranks: list = []
    marks: list[tuple[int, ...]] = []
    tone = 0
    for ch in word:
        kept = []
        other: list[int] = []
        for part in unicodedata.normalize("NFD", ch):
            if part in _TONES:
                tone = _TONES[part]
            else:
                kept.append(part)
        letter = unicodedata.normalize("NFC", "".join(kept))
        if letter in _LETTER_RANK:
            ranks.append(_LETTER_RANK[letter])
            marks.append(())
            continue
        if letter in _EXPANSIONS:
            for base in _EXPANSIONS[letter]:
                ranks.append(_LETTER_RANK.get(base, 100 + ord(base)))
                marks.append(())
            continue
        if letter in _AFTER:
            ranks.append(_LETTER_RANK[_AFTER[letter]] + 0.5)
            marks.append(())
            continue
        # a Latin letter with marks Vietnamese does not use (ü, å, ç, ñ…): its base letter,
        # then the marks, which weigh more than any tone
        base, *extra = unicodedata.normalize("NFD", letter) or " "
        if base in _STROKED:
            base, extra = _STROKED[base], [chr(_STROKE), *extra]
        letter = unicodedata.normalize(
            "NFC", base + "".join(m for m in extra if m in "\u0306\u0302\u031b")
        )
        if letter in _LETTER_RANK:
            ranks.append(_LETTER_RANK[letter])
            other = [ord(m) for m in extra if m not in "\u0306\u0302\u031b"]
        else:
            ranks.append(100 + ord(letter[0]))
            other = [ord(m) for m in extra]
        marks.append(tuple(other))
    return tuple(ranks), (*marks, tone)


def sort_key(value: str) -> tuple:
    """Sort key for Vietnamese as a dictionary orders it.

    Syllable by syllable ("Ba Vì" before "Bà Rịa": "ba" before "bà" decides), each syllable by
    its letters in the Vietnamese alphabet (a ă â b c d đ …) then by its tone (ngang, huyền, hỏi,
    ngã, sắc, nặng), wherever the tone mark sits ("Hòa" and "Hoà" are one syllable); numbers by
    value ("Khối 3" before "Khối 10"). Everything else as ICU's Vietnamese collation (CLDR `vi`)
    has it: a space before punctuation, punctuation before numbers and numbers before words, each
    punctuation mark in ICU's order («Sở Y tế - cơ sở 2» before «Sở Y tế 2»); letters outside
    the alphabet as their base letter with a mark below the tones («Müller» before «Mỹ»). Case,
    then the text itself, only break ties (lower case first).
    """
    text = unicodedata.normalize("NFC", str(value))
    words = []
    for token in _TOKEN.findall(text.casefold()):
        if token.isdigit():
            words.append((1, (int(token),), ()))
        elif token[0].isalpha() or unicodedata.combining(token[0]):
            ranks, marks = _syllable(token)
            words.append((2, ranks, marks))
        else:  # a space, punctuation or a symbol; a run of other signs (²³) one by one
            for ch in token:
                rank = 0 if ch.isspace() else _PUNCT_RANK.get(ch, 1000 + ord(ch))
                words.append((0, (rank,), ()))
    upper = [
        not ch.islower() for ch in text for _ in _EXPANSIONS.get(ch.lower(), ch) if ch.isalpha()
    ]
    return (words, upper, text)


# --- dates -----------------------------------------------------------------------------------

_DMY = lazy(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_ISO = lazy(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def parse_date(value: str | _dt.date) -> _dt.date:
    """Read a date as users type it: 2020-01-08, 08/01/2020 or 8/1/2020 (day first)."""
    if isinstance(value, _dt.date):
        return value
    text = str(value)
    m = _ISO.match(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
    else:
        m = _DMY.match(text)
        if not m:
            raise InvalidInput(
                f"Ngày «{text}» không đúng dạng; hãy viết 08/01/2020, 8/1/2020 hoặc 2020-01-08."
            )
        day, month, year = (int(g) for g in m.groups())
    try:
        return _dt.date(year, month, day)
    except ValueError:
        raise InvalidInput(f"Ngày «{text}» không có thật trong lịch.") from None


def date_words(day: _dt.date) -> str:
    """ND30 date line: "ngày 08 tháng 01 năm 2020", "ngày 29 tháng 7 năm 2020"."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_short(day: _dt.date) -> str:
    """08/01/2020."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


# --- numbers ---------------------------------------------------------------------------------

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", "nghìn", "triệu", "tỷ"]


def _three(n: int, full: bool) -> list[str]:
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
        if units:
            words.append(_DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def number_words(n: int) -> str:
    """Vietnamese words for a whole number: 2024 → "hai nghìn không trăm hai mươi bốn"."""
    if n < 0:
        return "âm " + number_words(-n)
    if n == 0:
        return "không"
    if n >= 1000**3:
        high, low = divmod(n, 1000**3)
        words = number_words(high) + " tỷ"
        if low:
            words += " " + _below_billion(low, full=True)
        return words
    return _below_billion(n, full=False)


def _below_billion(n: int, *, full: bool) -> str:
    groups = []
    while n:
        n, g = divmod(n, 1000)
        groups.append(g)
    words: list[str] = []
    top = len(groups) - 1
    for i in range(top, -1, -1):
        g = groups[i]
        if g == 0:
            continue
        words += _three(g, full or i < top)
        if _GROUPS[i]:
            words.append(_GROUPS[i])
    return " ".join(words)


def amount_words(n: int) -> str:
    """ "Hai mươi triệu đồng" for 20000000."""
    words = number_words(n)
    return words[0].upper() + words[1:] + " đồng"


def group_digits(n: int) -> str:
    """2024 → "2.024" (the dot groups thousands in Vietnamese)."""
    return f"{n:,}".replace(",", ".")


def percent(share: float, places: int = 2) -> str:
    """0.81818 → "81,82%" with a decimal comma."""
    return f"{share * 100:.{places}f}".replace(".", ",") + "%"


def decimal(x: float | int | None, places: int = 2) -> str:
    """A number for people, as documents write it: 97.5 → "97,5", 100.0 → "100", 1234.5 →
    "1.234,5". JSON and CSV keep numbers; this is for tables and documents."""
    if x is None:
        return ""
    text = f"{float(x):,.{places}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def two_digits(n: int) -> str:
    """Counts in Vietnamese documents take a leading zero below 10: 08 tập thể."""
    return f"{n:02d}"
