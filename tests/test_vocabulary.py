"""One word for each thing across the CLI and the documents (issue 24): the words the program
says (help texts and messages: every string of src/tdkt_cli) and the words the documents print
(templates/md, templates/html, the profile words of templates/profiles/_kinds.yaml) are read,
and a thing said with two words of the table below fails, naming where."""

import ast
import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

# the word kept for each thing, then the words for the same thing that must not appear
ONE_WORD = {
    "phiếu trắng": ("phiếu trống",),  # a ballot marked for nobody (Mẫu biên bản kiểm phiếu)
    "phiếu không hợp lệ": ("phiếu hỏng", "phiếu vô hiệu"),
    "trưởng khối": ("khối trưởng",),
    "phó khối": ("khối phó",),
    "cụm trưởng": ("trưởng cụm",),  # a cụm's own word, as its regulations say
    "cụm phó": ("phó cụm",),
    "biên bản kiểm phiếu": ("biên bản bầu", "biên bản bỏ phiếu"),
    "đơn vị thành viên": ("thành viên đơn vị",),
    "ban kiểm phiếu": ("tổ kiểm phiếu",),
    "bỏ phiếu kín": ("bỏ phiếu bí mật",),
    "biểu quyết giơ tay": ("giơ tay biểu quyết",),
    "giao ước thi đua": ("cam kết thi đua",),
    "điểm thưởng": ("điểm cộng",),
    "tự chấm": ("tự đánh giá",),
    "bỏ phiếu lại": ("bầu lại",),
    "hình thức khen thưởng": ("loại khen thưởng",),
    "mã số hội nghị": ("mã hội nghị",),
}


def _strings(path: Path) -> list[str]:
    """Every string a Python module holds (f-strings' literal parts too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".yaml":  # comments cite sources in their own words
        text = "\n".join(
            line.split(" #")[0] for line in text.splitlines() if not line.lstrip().startswith("#")
        )
    return text


def vocabulary() -> dict[str, str]:
    """Where → what it says, folded to NFC and lower case, spaces made one."""
    out = {}
    for path in sorted((ROOT / "src" / "tdkt_cli").rglob("*.py")):
        out[str(path.relative_to(ROOT))] = " | ".join(_strings(path))  # no word across two
    for folder in ("templates/md", "templates/html"):
        for path in sorted((ROOT / folder).glob("*.j2")):
            out[str(path.relative_to(ROOT))] = _text(path)
    kinds = ROOT / "templates" / "profiles" / "_kinds.yaml"
    out[str(kinds.relative_to(ROOT))] = _text(kinds)
    return {k: " ".join(unicodedata.normalize("NFC", v).lower().split()) for k, v in out.items()}


def _says(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


@pytest.fixture(scope="module")
def said():
    return vocabulary()


def test_the_vocabulary_is_read(said):
    assert len(said) > 50
    every = " ".join(said.values())
    # each kept word is in use: the table speaks of the program's own things
    unused = [word for word in ONE_WORD if not _says(every, word)]
    assert unused == []


def test_one_word_for_each_thing(said):
    twice = [
        f"{where}: «{other}» (dùng «{kept}»)"
        for kept, others in ONE_WORD.items()
        for other in others
        for where, text in said.items()
        if _says(text, other)
    ]
    assert twice == []


def test_the_check_sees_a_second_word():
    text = " ".join("Đã ghi 1 phiếu trống; khối trưởng ký.".lower().split())
    assert _says(text, "phiếu trống") and _says(text, "khối trưởng")
    assert not _says("phó trưởng khối", "khối trưởng")
