"""Vietnamese as the documents write it: the shared helpers every template uses.

- `join_vi`: a list inside a sentence, "A, B và C" (filter `join_vi`).
- `count_phrase`: a count that reads plainly, "không có phiếu không hợp lệ", "01 phiếu trắng"
  (filter `count`).
- `clock`: "08:30" as the minutes write it, "08 giờ 30" (filter `clock`).
- `escape_md`: unit names with `|`, `*`, `_`, `~`, `` ` ``, `<` and `](` kept as text in Markdown.
- `explanation`, `result_sentence`: the count told once, without an em dash, "phiếu trắng" for
  a ballot that marks nobody, "đạt / không đạt", and no call for another round after the last.

Templates get the filters through `install(env)`; a clerk's template may use them too.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..core.patterns import lazy

BLANK = "[…cần bổ sung…]"


def join_vi(items: Iterable[Any], last: str = " và ") -> str:
    """ "A", "A và B", "A, B và C"; when a name holds a comma ("Sở Văn hóa, Thể thao và Du
    lịch") the names are parted by semicolons, "A; B và C", so each stays whole."""
    words = [str(i) for i in items if str(i)]
    if len(words) <= 1:
        return "".join(words)
    sep = "; " if any("," in w for w in words) else ", "
    return sep.join(words[:-1]) + last + words[-1]


def count_phrase(n: int, noun: str, *, none: str = "không có") -> str:
    """ "không có phiếu trắng" for 0, "01 phiếu trắng" below 10, "11 phiếu trắng" otherwise."""
    if not n:
        return f"{none} {noun}"
    return f"{n:02d} {noun}"


def clock(value: str | None) -> str:
    """ "08:30" → "08 giờ 30"; "08:00" → "08 giờ 00"; nothing recorded → BLANK."""
    if not value:
        return BLANK
    hour, _, minute = str(value).partition(":")
    return f"{int(hour):02d} giờ {minute or '00'}"


# a table cell's |, emphasis (* _ ~), code (`), raw HTML and autolinks (<), and the «](» of an
# inline link: «[Sở Y tế](http://…)» typed as a name printed as a live link
_MD = lazy(r"([\\|*<_`~]|\](?=\())")


def md_text(value: str) -> str:
    """Markdown-escape what would become markup; the blank marker stays readable."""
    if value == BLANK:
        return value
    return _MD.sub(r"\\\1", value)


def escape_md(obj: Any) -> Any:
    """The same context with every text escaped for Markdown (dataclasses, tuples, dicts)."""
    if isinstance(obj, str):
        return md_text(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(
            obj,
            **{
                f.name: escape_md(getattr(obj, f.name))
                for f in dataclasses.fields(obj)
                if f.init and f.name != "kind"
            },
        )
    if isinstance(obj, tuple):
        return tuple(escape_md(o) for o in obj)
    if isinstance(obj, list):
        return [escape_md(o) for o in obj]
    if isinstance(obj, dict):
        return {k: escape_md(v) for k, v in obj.items()}
    return obj


FILTERS = {"join_vi": join_vi, "count": count_phrase, "clock": clock}


def install(env: Any) -> Any:
    """Add the shared filters to a Jinja environment (md, html and docx alike)."""
    env.filters.update(FILTERS)
    return env


# --- the count in words ----------------------------------------------------------------------


def counts_sentence(result: Any) -> str:
    """Ballots issued, received, valid, invalid and blank, each said once."""
    b = result.ballots
    return (
        f"Số phiếu phát ra: {result.present:02d}; số phiếu thu về: {b.cast:02d}; "
        f"số phiếu hợp lệ: {b.valid:02d}; "
        f"{count_phrase(b.invalid, 'phiếu không hợp lệ')}; {count_phrase(b.blank, 'phiếu trắng')}."
    )


def result_sentence(
    vote: Any,
    result: Any,
    decided: Sequence[str],
    award_name: str,
    final_round: bool,
    decider: str = "",
    leading: bool | None = None,
    word: str = "khối",
) -> str:
    """Who is elected and why, in one or two sentences; the last round calls no new vote.
    `leading`: the award is the one the bloc's profile gives its leading unit; `word`: the
    bloc's own word (khối, cụm)."""
    if leading is None:
        leading = vote.award == "co-thi-dua"
    verb = (
        f"được suy tôn là đơn vị dẫn đầu {word}, đề nghị tặng" if leading else "được đề nghị tặng"
    )
    elected = [line.name for line in result.elected]
    if result.status == "no-quorum":
        return "Không đủ số đơn vị có mặt theo quy chế; cuộc bỏ phiếu không có giá trị quyết định."
    if result.status == "no-ballots":
        return BLANK
    parts = []
    if elected:
        parts.append(f"{join_vi(elected)} {verb} {award_name}.")
    if result.status == "tie":
        tied = join_vi(line.name for line in result.tied)
        if decided:
            parts.append(
                f"Sau {vote.round} vòng bỏ phiếu, {tied} vẫn ngang phiếu nhau; theo quy chế, "
                f"{decider}: {join_vi(decided)} {verb} {award_name}."
            )
        elif final_round:
            parts.append(
                f"{tied} ngang phiếu nhau ở suất cuối sau {vote.round} vòng bỏ phiếu (số vòng "
                f"tối đa theo quy chế); theo quy chế, {decider} đơn vị được đề nghị."
            )
        else:
            parts.append(
                f"{tied} ngang phiếu nhau ở suất cuối; {word} bỏ phiếu lại giữa các đơn vị này."
            )
    if result.status == "no-majority":
        left = vote.seats - len(elected)
        parts.append(f"Còn {left:02d} suất không có đơn vị nào đạt số phiếu cần thiết.")
    return " ".join(parts) or BLANK


def explanation(
    vote: Any,
    result: Any,
    base_words: str,
    rule: str,
    outcome: str,
    award_name: str,
    after_tie: bool = True,
) -> str:
    """The whole count in one paragraph, for the minutes of the meeting (each figure once).
    A later round is between the units tied for the last seats (`after_tie`), or, when nobody
    reached the share, between those with the most votes."""
    parts = []
    if vote.round > 1:
        among = (
            "các đơn vị ngang phiếu ở vòng trước"
            if after_tie
            else "các đơn vị có số phiếu cao nhất ở vòng trước, khi chưa đơn vị nào đạt"
        )
        parts.append(f"Bỏ phiếu lại (vòng {vote.round}) giữa {among}.")
    parts.append(
        f"Có mặt {result.present:02d}/{result.members:02d} đơn vị thành viên"
        + (
            f" (đủ tối thiểu {vote.quorum} theo quy chế)."
            if result.quorum_met
            else f" (không đủ tối thiểu {vote.quorum} theo quy chế)."
        )
    )
    parts.append(counts_sentence(result))
    lines = [
        f"{line.name} được {line.votes}/{result.base_count} phiếu "
        f"({_share(line.share)} {base_words}), {'đạt' if line.passed else 'không đạt'}"
        for line in result.lines
        if line.votes or line.tied
    ]
    zero = sum(1 for line in result.lines if line.votes == 0 and not line.tied)
    if zero:
        lines.append(f"{zero:02d} đơn vị còn lại không có phiếu")
    if lines:
        parts.append(f"Kết quả: {'; '.join(lines)}.")
    parts.append(f"Theo quy chế, đơn vị được đề nghị phải {rule}.")
    parts.append(outcome)
    return " ".join(p for p in parts if p and p != BLANK)


def _share(share: float) -> str:
    from ..text import percent

    return percent(share)


# --- rule lengths computed from the text -----------------------------------------------------
# Advance widths (1/1000 em) of Times Roman and Times Bold (Adobe core font metrics, the metrics
# Times New Roman and Liberation Serif share); a Vietnamese letter is as wide as its base letter.
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_WIDTHS = {
    False: dict(
        zip(
            _UPPER + _LOWER,
            (
                *(722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556),
                *(722, 667, 556, 611, 722, 722, 944, 722, 722, 611),
                *(444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500),
                *(500, 333, 389, 278, 500, 500, 722, 500, 500, 444),
            ),
            strict=True,
        )
    ),
    True: dict(
        zip(
            _UPPER + _LOWER,
            (
                *(722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611),
                *(778, 722, 556, 667, 722, 722, 1000, 722, 722, 667),
                *(500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556),
                *(556, 444, 389, 333, 556, 500, 722, 500, 500, 444),
            ),
            strict=True,
        )
    ),
}
_OTHER = {" ": 250, "\u00a0": 250, "-": 333, "\u2011": 333, ",": 250, ".": 250, "/": 278}

ISSUER_CELL_CM = 6.5  # the left header column of tools/build_docx.py
HEADER_RIGHT_CM = 10.0  # the right header column (Quốc hiệu, Tiêu ngữ)
CELL_MARGIN_CM = 0.19  # a table cell's left and right margin (Word, LibreOffice: 108 twips)
TEXT_CM = 16.5  # the text width between the margins
RULE_SHARE = 0.4  # ND30: the rule is 1/3 to 1/2 of the line it sits under


def text_cm(text: str, pt: float, bold: bool) -> float:
    import unicodedata

    total = 0
    for ch in text:
        base = unicodedata.normalize("NFD", ch.replace("Đ", "D").replace("đ", "d"))[:1]
        total += _WIDTHS[bold].get(base) or _OTHER.get(base, 500)
    return total / 1000 * pt * 2.54 / 72


def lines(text: str, width_cm: float, pt: float, bold: bool) -> list[str]:
    """Greedy wrapping between words (no-break spaces hold words together), as Word does."""
    out: list[str] = []
    for word in text.split(" "):
        trial = f"{out[-1]} {word}" if out else word
        if out and text_cm(trial, pt, bold) <= width_cm:
            out[-1] = trial
        else:
            out.append(word)
    return out or [""]


def rule_cm(text: str, width_cm: float, pt: float, bold: bool = True) -> float:
    """The rule under `text`: RULE_SHARE of its longest line, as that line wraps in its column."""
    longest = max(text_cm(line, pt, bold) for line in lines(text, width_cm, pt, bold))
    return round(max(longest, 1.0) * RULE_SHARE, 2)


def side_twips(text: str, width_cm: float, pt: float) -> int:
    """Left and right indent (twips) that centre a rule of rule_cm() in a column of width_cm."""
    side = (width_cm - rule_cm(text, width_cm, pt)) / 2
    return max(int(side / 2.54 * 1440), 0)


def header_name(text: str, width_cm: float = ISSUER_CELL_CM, pt: float = 13) -> str:
    """A header name as it should wrap in its column: hyphens held (keep_hyphens), and when the
    name takes two lines, the break falls after the kind of body ("KHỐI THI ĐUA", "CỤM THI ĐUA")
    rather than inside the bloc's own name: the rest is held together by no-break spaces when it
    fits on one line."""
    held = keep_hyphens(text)
    if text_cm(held, pt, True) <= width_cm:
        return held
    for lead in ("KHỐI THI ĐUA ", "CỤM THI ĐUA "):
        if held.startswith(lead):
            rest = held[len(lead) :].replace(" ", "\u00a0")
            if text_cm(rest, pt, True) <= width_cm * 0.95:
                return lead + rest
    return keep_words(held)


# Words of two syllables that a header must not split ("CƠ / QUAN", "TỈNH / ỦY"): the common
# ones in the names of bodies. A line breaks only between words.
COMPOUNDS = (
    "THI ĐUA", "KHEN THƯỞNG", "CƠ QUAN", "TỈNH ỦY", "THÀNH ỦY", "HUYỆN ỦY", "THỊ ỦY", "ĐẢNG ỦY",
    "ĐẢNG BỘ", "VĂN HÓA", "XÃ HỘI", "KINH TẾ", "NHÀ NƯỚC", "DOANH NGHIỆP", "NGÂN HÀNG",
    "TRUNG ƯƠNG", "ĐOÀN THỂ", "NỘI CHÍNH", "TUYÊN GIÁO", "DÂN VẬN", "TỔ CHỨC", "KIỂM TRA",
    "GIÁO DỤC", "Y TẾ", "TÀI CHÍNH", "NÔNG NGHIỆP", "CÔNG NGHIỆP", "ĐỊA PHƯƠNG", "CHÍNH TRỊ",
)  # fmt: skip


def keep_words(text: str) -> str:
    """Hold each known two-syllable word of an upper-case name together with a no-break space."""
    for word in COMPOUNDS:
        text = re.sub(rf"(?<!\w){word.replace(' ', ' ')}(?!\w)", word.replace(" ", "\u00a0"), text)
    return text


def keep_hyphens(text: str) -> str:
    """A header name breaks between words, never at a hyphen: " - " is held by no-break spaces
    on both sides, a hyphen inside a word becomes a non-breaking hyphen (U+2011)."""
    text = text.replace(" - ", "\u00a0-\u00a0")
    return re.sub(r"(?<=\w)-(?=\w)", "\u2011", text)


# More words of two syllables, of posts and bodies, that a signature line must not split
# («THỐNG / KÊ»); kept apart from COMPOUNDS, which the header names use.
TITLE_WORDS = (
    "CÔNG CHỨC", "VIÊN CHỨC", "CHUYÊN VIÊN", "VĂN PHÒNG", "THỐNG KÊ", "LÃNH ĐẠO", "BẢO HIỂM",
    "GIÁM ĐỐC", "CHỦ TỊCH", "BÍ THƯ", "THƯỜNG VỤ", "THƯỜNG TRỰC", "NHÂN DÂN", "ỦY BAN",
    "HỘI ĐỒNG", "LAO ĐỘNG", "THƯƠNG BINH", "CAO ĐẲNG", "ĐẠI HỌC", "DÂN TỘC", "NỘI TRÚ",
    "THỂ THAO", "DU LỊCH", "KHOA HỌC", "CÔNG NGHỆ", "ĐÀO TẠO", "PHÁT THANH", "TRUYỀN HÌNH",
    "TRUYỀN THÔNG", "THÔNG TIN", "TÀI NGUYÊN", "MÔI TRƯỜNG", "XÂY DỰNG", "GIAO THÔNG",
    "VẬN TẢI", "TƯ PHÁP", "CÔNG THƯƠNG", "NỘI VỤ", "NGOẠI VỤ", "THANH TRA", "KẾ HOẠCH",
    "ĐẦU TƯ", "PHÁT TRIỂN", "NÔNG THÔN", "CÔNG AN", "QUÂN SỰ", "BIÊN PHÒNG", "LIÊN HIỆP",
    "PHỤ NỮ", "THANH NIÊN", "CỰU CHIẾN", "CHIẾN BINH", "NÔNG DÂN", "MẶT TRẬN", "TỔ QUỐC",
    "CÔNG ĐOÀN", "HÀNH CHÍNH", "TRƯỞNG BAN", "PHÓ BAN", "THƯ KÝ", "ỦY VIÊN", "THÀNH VIÊN",
    "TRƯỞNG PHÒNG", "KIỂM SOÁT", "KHÁM BỆNH", "CHỮA BỆNH", "BỆNH VIỆN", "TRUNG TÂM",
    "TRUNG HỌC", "PHỔ THÔNG", "TIỂU HỌC", "CƠ SỞ", "MẦM NON", "HỌC VIỆN", "CHI NHÁNH",
    "CÔNG TY", "XỔ SỐ", "KIẾN THIẾT", "ĐA KHOA", "KHU VỰC", "QUỸ ĐẤT", "TRÁCH NHIỆM",
    "HỮU HẠN", "THÀNH VIÊN", "CỔ PHẦN", "ĐIỆN LỰC", "BƯU ĐIỆN", "HẢI QUAN", "THUẾ VỤ",
    "KHO BẠC", "DỰ TRỮ", "NGƯỜI CAO", "CAO TUỔI", "CHỮ THẬP", "KHOA HỌC", "KỸ THUẬT",
    "CỤM THI", "KHỐI THI",  # «CỤM THI ĐUA» whole: «TRƯỞNG CỤM / THI ĐUA» reads wrong
)  # fmt: skip

_POSTS = (
    "CHỦ TỊCH", "GIÁM ĐỐC", "BÍ THƯ", "TRƯỞNG BAN", "CHÁNH VĂN PHÒNG", "HIỆU TRƯỞNG",
    "TỔNG BIÊN TẬP", "TRƯỞNG PHÒNG", "CHÁNH THANH TRA", "VIỆN TRƯỞNG", "CỤC TRƯỞNG",
    "CHÁNH ÁN", "CHỈ HUY TRƯỞNG", "TỔNG GIÁM ĐỐC", "CHUYÊN VIÊN", "CÔNG CHỨC",
)  # fmt: skip

_AUTHORITIES = ("TM.", "T/M", "KT.", "K/T", "TL.", "T/L", "TUQ.", "T/UQ", "Q.")


def hold_authority(text: str) -> str:
    """«TM. UBND …», «T/M BAN THƯỜNG VỤ», «KT. GIÁM ĐỐC»: a no-break space after the authority,
    so an office suite never leaves «TM.» alone at the end of a line."""
    for a in _AUTHORITIES:
        if text.startswith(a + " "):
            return a + "\u00a0" + text[len(a) + 1 :]
    return text


def fit_phrases(text: str, width_cm: float, pt: float, bold: bool = True) -> tuple[str, float]:
    """break_phrases at `pt`, or a point smaller when a word would have to break at `pt`, or a
    syllable stand alone on a line, and the smaller size does better (shrink the block a step
    rather than split «VĂN PHÒNG»): the text and its size."""
    held, cost = _phrases(text, width_cm, pt, bold)
    if cost >= 150:  # a word broken, or a syllable alone on a line: try a point smaller
        smaller, less = _phrases(text, width_cm, pt - 1, bold)
        if less < cost:
            return smaller, pt - 1
    return held, pt


def break_phrases(text: str, width_cm: float, pt: float, bold: bool = True) -> str:
    """A signature line in capitals as it should wrap in its cell: between phrases, never inside
    one («CÔNG CHỨC VĂN PHÒNG - / THỐNG KÊ», «TM. CỤM THI ĐUA SỐ 5 / CÁC XÃ PHÍA TÂY»). The
    breaks are chosen (after « - » or a comma first, then before «CÁC», «VÀ»…, never inside a
    known compound word or «SỐ 5», no last line of one syllable, lines as even as they can be)
    and every other space becomes a no-break space, so Word and LibreOffice break exactly there.
    A line that fits is kept as it is, with its hyphens held (keep_hyphens)."""
    return _phrases(text, width_cm, pt, bold)[0]


def _phrases(text: str, width_cm: float, pt: float, bold: bool) -> tuple[str, float]:
    """The text held as break_phrases says, and the cost of its worst break (1000: inside a
    word of two syllables; 150: a syllable alone on a line)."""
    # the widths are Times New Roman's own (LibreOffice's Liberation Serif has the same): a line
    # that fits is left to the office; a held line keeps a small margin, or it would split
    room = width_cm * 0.96
    if text_cm(text, pt, bold) <= width_cm * 0.99 or " " not in text.strip():
        return hold_authority(keep_hyphens(text)), 0.0
    words: list[str] = []
    for w in text.replace("\u00a0-\u00a0", " - ").split(" "):
        if w == "-" and words:
            words[-1] += "\u00a0-"  # « - » stays at the end of its line
        elif w:
            words.append(w)
    words = [re.sub(r"(?<=\w)-(?=\w)", "\u2011", w) for w in words]
    n = len(words)
    compounds = {tuple(c.split(" ")) for c in (*COMPOUNDS, *TITLE_WORDS)}

    def gap_cost(i: int) -> float:
        """The cost of breaking between words[i-1] and words[i]."""
        before, after = words[i - 1], words[i]
        last, first = before.split("\u00a0-")[0].split("\u00a0")[-1], after.split("\u00a0")[0]
        pair = (last.upper().strip(",;:-"), first.upper().strip(",;:-"))
        if pair in compounds or before.upper() == "SỐ":
            return 1000.0
        if before.endswith((",", ";", ":", "\u00a0-")):
            return 0.0
        if before in _AUTHORITIES:
            return 5000.0  # «TM.» never alone on its line: it goes with the first phrase
        if after.upper() in ("VÀ", "CÁC", "SỐ", "NĂM"):
            return 20.0
        if " ".join(words[:i]).replace("\u00a0", " ").upper().endswith(_POSTS):
            return 10.0  # the post, then the body: «CHỦ TỊCH / HỘI NGƯỜI CAO TUỔI TỈNH»
        return 60.0

    best: dict[int, tuple[float, list[int]]] = {0: (0.0, [])}
    for end in range(1, n + 1):
        for start in range(end):
            if start not in best:
                continue
            length = text_cm(" ".join(words[start:end]), pt, bold)
            if length > room and end - start > 1:
                continue
            slack = max(room - length, 0) / room
            cost = best[start][0] + 50 * slack**2 + (gap_cost(start) if start else 0)
            if end - start == 1 and n > 1:
                # a lone syllable on a line («… PHÍA / TÂY», «TRƯỞNG / CỤM THI ĐUA SỐ 8»)
                cost += 300.0 if end == n else 150.0
            if end not in best or cost < best[end][0]:
                best[end] = (cost, [*best[start][1], start])
    cuts = best[n][1][1:]
    starts = set(cuts)
    held = "".join((" " if i in starts else "\u00a0") + w if i else w for i, w in enumerate(words))
    bounds = [0, *cuts, n]
    lone = any(b - a == 1 for a, b in itertools.pairwise(bounds)) and n > 1
    return held, max([gap_cost(i) for i in starts] + [150.0 if lone else 0.0])


COVENANT_CELL_CM = 5.5  # a member's cell in the covenant's grid (tools/build_docx.py)


PLACE_KINDS = ("tỉnh", "phố", "huyện", "quận", "xã", "phường", "trấn", "vực", "làng")


def hold_proper_names(name: str, width_cm: float = COVENANT_CELL_CM, pt: float = 12) -> str:
    """A unit's name with its place names held together by no-break spaces: the capitalised
    words after «tỉnh», «xã», «phường», «thành phố»… («Nghĩa Hưng Đông», «Bắc Kạn») keep to one
    line when they fit the cell, so the upper-case name breaks before the place, not inside it
    («NGHĨA / HƯNG ĐÔNG»)."""
    words = name.split(" ")
    room = (width_cm - 2 * CELL_MARGIN_CM) * 0.9
    out: list[str] = []
    i = 0
    while i < len(words):
        out.append(words[i])
        if words[i].lower() in PLACE_KINDS:
            j = i + 1
            while j < len(words) and words[j][:1].isupper():
                j += 1
            held = "\u00a0".join(words[i + 1 : j])
            if j - i > 2 and text_cm(held.upper(), pt, True) <= room:
                out.append(held)
                i = j
                continue
        i += 1
    return " ".join(out)
