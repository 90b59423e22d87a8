"""The one check of a name on the way in (units, blocs, people), and the keys that catch names
printing like another one.

Design decisions held here:
- Invisible characters are removed, wherever a name comes from: every format character (ZWSP,
  ZWJ, ZWNJ, WJ, BOM, soft hyphen, bidi controls …), the combining grapheme joiner, variation
  selectors (U+FE00–U+FE0F and U+E0100–U+E01EF), Mongolian free variation selectors, and the
  letters that print as nothing: Hangul fillers, Khmer inherent vowels, the Braille blank. A
  lookup removes them too, so a pasted name finds the unit. Removing one cannot hide a twin: a
  word joiner in place of a space gives «SởY tế», whose twin key (below) is that of «Sở Y tế».
- The Greek and Cyrillic letters tdkt has always mapped to Latin (Χ Η in «BHΧΗ», Cyrillic Ѕ У е
  о, Ð for Đ) stay mapped. Any other letter of another script in a name that has Latin letters
  is refused, naming the letter and its place: Greek, Cyrillic, Cherokee, Lisu, Armenian,
  mathematical and fullwidth letters… Han, Hiragana, Katakana, Hangul and Bopomofo may stand
  beside Latin (UTS #39's "highly restrictive" level: they pass for no Latin letter).
- skeleton() is UTS #39's skeleton (NFD, each character to its prototype in Unicode's
  confusables.txt, NFD again), case folded, spaces collapsed: two names print alike when their
  skeletons are equal. No command records two units (or blocs) printing alike, even with
  `--force`; `db check` lists such pairs (written by an older tdkt or by hand). The part of confusables.txt a Latin name
  needs ships beside this module (tools/confusables_subset.py made it) and is read on first use.
- twin_key() is the skeleton without marks, punctuation or spaces. A new unit or bloc whose
  twin key equals one that exists is refused, naming it (`--force` makes a real second unit,
  «Sở Tự pháp» beside «Sở Tư pháp»): it would nearly print alike, or be found by the same
  accent-free typing.

Pure functions, cheap to import: nothing is read until a skeleton is asked for.
"""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache

from ..core.errors import InvalidInput
from ..core.patterns import lazy

# Letters that look Latin but are not, as they arrive in pasted text, mapped back to Latin.
LOOKALIKES = str.maketrans(
    {
        "\u00d0": "\u0110",  # Ð (Icelandic eth) → Đ
        "\u00f0": "\u0111",  # ð → đ
        "\u0189": "\u0110",  # Ɖ (African D) → Đ
        "\u0391": "A",
        "\u0392": "B",
        "\u0395": "E",
        "\u0397": "H",
        "\u0399": "I",
        "\u039a": "K",
        "\u039c": "M",
        "\u039d": "N",
        "\u039f": "O",
        "\u03a1": "P",
        "\u03a4": "T",
        "\u03a7": "X",
        "\u03a5": "Y",
        "\u0396": "Z",
        "\u03bf": "o",
        "\u0430": "a",  # Cyrillic
        "\u0435": "e",
        "\u043e": "o",
        "\u0440": "p",
        "\u0441": "c",
        "\u0445": "x",
        "\u0410": "A",
        "\u0412": "B",
        "\u0415": "E",
        "\u041d": "H",
        "\u041e": "O",
        "\u0420": "P",
        "\u0421": "C",
        "\u0422": "T",
        "\u0425": "X",
        # more Cyrillic and Greek letters that print like Latin ones (Unicode confusables.txt)
        "\u0405": "S",  # Ѕ
        "\u0406": "I",  # І
        "\u0408": "J",  # Ј
        "\u041a": "K",
        "\u041c": "M",
        "\u0423": "Y",  # У
        "\u0443": "y",  # у
        "\u0455": "s",  # ѕ
        "\u0456": "i",  # і
        "\u0458": "j",  # ј
        "\u04bb": "h",  # һ
        "\u04cf": "l",  # ӏ
        "\u0501": "d",  # ԁ
        "\u051b": "q",  # ԛ
        "\u051d": "w",  # ԝ
        "\u03b9": "i",  # ι
        "\u03bd": "v",  # ν
        "\u03c1": "p",  # ρ
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
    }
)

# Characters that print as nothing (see the module docstring). Category Cf as of Unicode 15
# (tests/test_safety.py checks it against unicodedata), then the rest.
INVISIBLE = lazy(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
    "\u034f"  # combining grapheme joiner
    "\ufe00-\ufe0f\U000e0100-\U000e01ef"  # variation selectors
    "\u180b-\u180d\u180f"  # Mongolian free variation selectors
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u17b4\u17b5"  # Khmer inherent vowels
    "\u2800"  # Braille pattern blank
    "]"
)


def visible(value: str) -> str:
    """`value` as it prints: look-alikes mapped, invisible characters removed, NFC."""
    return unseen(str(value).translate(LOOKALIKES))


def unseen(value: str) -> str:
    """`value` without its invisible characters, NFC; look-alikes left as they are."""
    return unicodedata.normalize("NFC", INVISIBLE.sub("", value))


def describe(ch: str) -> str:
    """«U+2060 WORD JOINER»: a character as a message names it."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}".rstrip()


def invisible_in(value: str) -> list[tuple[int, str]]:
    """(position from 1, character) of each invisible character in `value`."""
    return [(m.start() + 1, m.group(0)) for m in INVISIBLE.finditer(value)]


# Scripts that may stand beside Latin letters in one name (UTS #39, highly restrictive).
_WITH_LATIN = ("CJK ", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO", "IDEOGRAPHIC")
# ª º, and modifier letters such as ʼ (U+02BC), which print as marks, not letters
_NEUTRAL = lazy("[\u00aa\u00ba\u02b0-\u02ff]")


def _script(ch: str) -> str:
    """The script of a letter as far as look-alikes go: 'LATIN', 'OTHER' or 'ANY' (may mix)."""
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN ") or _NEUTRAL.match(ch):
        return "LATIN" if name.startswith("LATIN ") else "ANY"
    if name.startswith(_WITH_LATIN):
        return "ANY"
    return "OTHER"


# Basic Latin to the combining marks (Latin letters, IPA, modifier letters, marks, symbols) and
# Latin Extended Additional (Vietnamese): no letter in these blocks is of another script
_ONLY_LATIN = lazy("[\x00-\xb4\xb6-\u036f\u1e00-\u1eff]*")  # not µ (U+00B5, Greek mu)


def foreign_letter(text: str) -> tuple[int, str] | None:
    """(position from 1, letter) of the first letter of another script in a name that has Latin
    letters (Han and the other scripts of _WITH_LATIN excepted), or None. The look-alikes that
    visible() maps to Latin count as Latin."""
    if _ONLY_LATIN.fullmatch(text):  # nearly every name: no letter of another script in it
        return None
    latin = False
    first: tuple[int, str] | None = None
    for i, ch in enumerate(text, 1):
        if not unicodedata.category(ch).startswith("L"):
            continue
        if ord(ch) in LOOKALIKES:
            latin = True
            continue
        script = _script(ch)
        if script == "LATIN":
            latin = True
        elif script == "OTHER" and first is None:
            first = (i, ch)
        if latin and first:
            return first
    return None


def check(text: str, field: str = "tên") -> str:
    """Refuse a name (NFC, invisibles removed) that mixes Latin letters with letters of a script
    that can pass for them; return it unchanged."""
    found = foreign_letter(text)
    if found:
        pos, ch = found
        raise InvalidInput(
            f"{field[:1].upper()}{field[1:]} «{text}» trộn chữ Latin với chữ {describe(ch)} "
            f"ở vị trí {pos}: tên như vậy in ra giống một tên khác mà không khớp với nó; "
            "hãy gõ lại chữ đó bằng bàn phím tiếng Việt."
        )
    return text


# --- skeletons (UTS #39) ---------------------------------------------------------------------

_PROTOTYPES: dict[str, str] = {}


def _prototypes() -> dict[str, str]:
    if not _PROTOTYPES:
        # beside this module (a plain file: importlib.resources costs ~20 ms to import)
        with open(
            os.path.join(os.path.dirname(__file__), "confusables.txt"), encoding="utf-8"
        ) as f:
            data = f.read()
        for line in data.splitlines():
            if line and not line.startswith("#"):
                src, *dst = line.split()
                _PROTOTYPES[chr(int(src, 16))] = "".join(chr(int(c, 16)) for c in dst)
    return _PROTOTYPES


@lru_cache(maxsize=8192)
def skeleton(value: str) -> str:
    """UTS #39 skeleton of the name as tdkt stores it, case folded, runs of spaces as one: two
    names print alike when their skeletons are equal."""
    table = _prototypes()
    text = unicodedata.normalize("NFD", visible(value))
    text = unicodedata.normalize("NFD", "".join(table.get(ch, ch) for ch in text))
    # confusables.txt is case-sensitive (I → l): map, fold case, and map what folding made
    text = unicodedata.normalize("NFD", "".join(table.get(ch, ch) for ch in text.casefold()))
    return " ".join(text.split())


@lru_cache(maxsize=8192)
def twin_key(value: str) -> str:
    """The skeleton without marks, punctuation or spaces: «Sở Y tế», «Ѕở У tе», «SởY tế» and
    «So Y te» share one. A new name sharing an existing name's is refused without --force."""
    text = skeleton(value).replace("đ", "d")
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))
