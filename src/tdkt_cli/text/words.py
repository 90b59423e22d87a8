"""The Vietnamese words a clerk types where the tool keeps an ASCII code.

A meeting kind, a vote base or an award is stored as a short code ("tong-ket", "members",
"co-thi-dua"); a clerk types "Tổng kết", "thành viên" or "Cờ thi đua". Both are accepted: the
typed text is folded with the loose key (case, tones, đ, spaces and hyphens) and compared with
the code and with every word listed for it. An unknown word is refused with the choices named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..core.errors import InvalidInput
from . import loose_key

MEETING_WORDS: dict[str, tuple[str, ...]] = {
    "so-ket": ("sơ kết", "sơ kết 6 tháng", "sơ kết sáu tháng"),
    "tong-ket": ("tổng kết", "tổng kết năm"),
    "giao-ban": ("giao ban",),
    "khac": ("khác",),
}

BASE_WORDS: dict[str, tuple[str, ...]] = {
    "members": ("thành viên", "tổng số thành viên", "tổng số đơn vị thành viên"),
    "present": ("có mặt", "số có mặt", "số đơn vị có mặt"),
    "cast": ("phiếu bầu", "phiếu thu về", "số phiếu thu về"),
    "valid": ("hợp lệ", "phiếu hợp lệ", "số phiếu hợp lệ"),
}


def pick(
    value: str,
    codes: Iterable[str],
    words: Mapping[str, Iterable[str]] | None = None,
    *,
    field: str,
) -> str:
    """The code that `value` names: the code itself or one of its Vietnamese words."""
    codes = list(codes)
    key = loose_key(str(value))
    for code in codes:
        if key == loose_key(code) or any(key == loose_key(w) for w in (words or {}).get(code, ())):
            return code
    shown = [
        f"{c} ({next(iter((words or {}).get(c, ())), '')})" if (words or {}).get(c) else c
        for c in codes
    ]
    raise InvalidInput(f"{field} «{value}» không có; chọn một trong: {', '.join(shown)}.")


def meeting_kind(value: str) -> str:
    from ..core.models import MEETING_KINDS

    return pick(value, MEETING_KINDS, MEETING_WORDS, field="Loại hội nghị")


def vote_base(value: str) -> str:
    from ..core.models import VOTE_BASES as BASES

    words = {c: (*BASE_WORDS.get(c, ()), label) for c, label in BASES.items()}
    return pick(value, BASES, words, field="Cơ sở tính")


def award(value: str, catalogue: Mapping[str, str]) -> str:
    """An award code from its code or its catalogue name, whole ("Cờ thi đua của Ủy ban nhân dân
    tỉnh") or its first words ("Cờ thi đua", "Bằng khen") when those name one award only."""
    key = loose_key(str(value))
    for code, name in catalogue.items():
        if key in (loose_key(code), loose_key(name)):
            return code
    names = ", ".join(f"{c} ({n})" for c, n in catalogue.items())
    if "-" in str(value) and " " not in str(value).strip():
        # typed as a code ("co-thi-dua"): a code of another catalogue is not this one's award
        raise InvalidInput(f"Hình thức khen thưởng «{value}» không có; chọn một trong: {names}.")
    starts = [c for c, name in catalogue.items() if key and loose_key(name).startswith(key + " ")]
    starts = [c for c in starts if key == loose_key(catalogue[c]) or _head(catalogue[c]) == key]
    if len(starts) == 1:
        return starts[0]
    names = ", ".join(f"{c} ({n})" for c, n in catalogue.items())
    raise InvalidInput(f"Hình thức khen thưởng «{value}» không có; chọn một trong: {names}.")


def _head(name: str) -> str:
    """An award name without its giver: "Cờ thi đua của Chính phủ" → "co thi dua"."""
    key = loose_key(name)
    return key.split(" cua ")[0]
