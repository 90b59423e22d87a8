"""The records as the services hand them out: frozen dataclasses, no database handle inside.

`as_json()` gives the shape that `--json` prints; the contract in spec/cli.md fixes some keys.

Creating a frozen dataclass costs about half a millisecond at import, and scripts call tdkt in
loops, so the records of units and blocs live here and the rest (meetings, pledges, votes,
awards) in models/activity.py, loaded on first use through `__getattr__`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

MEETING_KINDS = {
    "so-ket": "Sơ kết 6 tháng",
    "tong-ket": "Tổng kết năm",
    "giao-ban": "Giao ban",
    "khac": "Khác",
}

# What a vote's share is counted on (the rule's base), with the words the minutes print.
VOTE_BASES = {
    "members": "tổng số đơn vị thành viên",
    "present": "số đơn vị có mặt",
    "cast": "số phiếu thu về",
    "valid": "số phiếu hợp lệ",
}

AWARDS = {
    "co-thi-dua": "Cờ thi đua của Ủy ban nhân dân tỉnh",
    "bang-khen": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Record:
    def as_json(self) -> dict[str, Any]:
        return _plain(self)


@dataclass(frozen=True)
class FormerName(Record):
    """A name a unit bore until a day."""

    name: str
    short: str | None
    until: dt.date


@dataclass(frozen=True)
class Signer(Record):
    """Who signs for a unit from `valid_from` (None: since always) until the next signer.

    `for_body`: the collective body signed for («Ủy ban nhân dân» → «TM. ỦY BAN NHÂN DÂN»);
    `deputy_of`: the head's title a deputy signs for («Giám đốc» → «KT. GIÁM ĐỐC»);
    `authority`: «TM.» or, for a Party body, «T/M». `lines()` is the block above the name.
    """

    name: str
    title: str
    for_body: str | None = None
    deputy_of: str | None = None
    valid_from: dt.date | None = None
    authority: str | None = None

    def lines(self) -> list[str]:
        """The signature block's capitalised lines above the signature, e.g.
        ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]; the name goes below."""
        out = []
        if self.for_body:
            out.append(f"{self.authority or 'TM.'} {self.for_body.upper()}")
        if self.deputy_of:
            out.append(f"KT. {self.deputy_of.upper()}")
        out.append(self.title.upper())
        return out

    def as_json(self) -> dict[str, Any]:
        data = _plain(self)
        data["lines"] = self.lines()
        return data


@dataclass(frozen=True)
class Unit(Record):
    """An agency that can be a member of blocs, with its names over time."""

    id: int
    name: str
    short: str | None
    aliases: tuple[str, ...] = ()
    former: tuple[FormerName, ...] = ()
    merged_into: int | None = None
    ended_on: dt.date | None = None
    founded_on: dt.date | None = None
    end_reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "name": self.name,
            "short": self.short,
            "aliases": list(self.aliases),
        }
        if self.former:
            data["former_names"] = _plain(list(self.former))
        if self.merged_into is not None:
            data["merged_into"] = self.merged_into
        if self.ended_on is not None:
            data["ended_on"] = self.ended_on.isoformat()
        if self.founded_on is not None:
            data["founded_on"] = self.founded_on.isoformat()
        if self.end_reason:
            data["end_reason"] = self.end_reason
        return data


@dataclass(frozen=True)
class Bloc(Record):
    """A khối or cụm thi đua: its code, name, parent body and place."""

    id: int
    code: str
    name: str
    parent: str | None
    place: str | None
    doc_code: str | None = None
    issue_as: str = "bloc"

    @property
    def number_code(self) -> str:
        """The bloc's suffix in document numbers: "Số: 05/BC-VHXH"."""
        return self.doc_code or self.code.upper().replace("_", "-")


@dataclass(frozen=True)
class Member(Record):
    """A unit as a member of one bloc-year, under the name it bore that year."""

    id: int
    name: str
    short: str | None
    group: str | None


@dataclass(frozen=True)
class AsOf:
    """A bloc as of a day: the values a document prints are those of `bloc` in emulation year
    `year` on `day` (None: no document date, the year's own rule picks the day)."""

    bloc: Bloc
    year: int
    day: dt.date | None = None


@dataclass(frozen=True)
class BlocYear(Record):
    """A bloc in one year: its head, deputy and members."""

    code: str
    name: str
    year: int
    head: str | None
    deputy: str | None
    members: tuple[Member, ...]
    parent: str | None = None
    place: str | None = None
    handovers: tuple[dict, ...] = ()
    signer: str | None = None
    signer_title: str | None = None
    # dated attributes: [{"from", "until", "changes": {attr: value}}], and the day shown
    history: tuple[dict, ...] = ()
    as_of: str | None = None
    # sentences: head, deputy or members that ended during the year
    warnings: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of,
            "history": list(self.history),
            "warnings": list(self.warnings),
            "code": self.code,
            "name": self.name,
            "year": self.year,
            "head": self.head,
            "deputy": self.deputy,
            "members": [{"id": m.id, "name": m.name, "group": m.group} for m in self.members],
            "parent": self.parent,
            "place": self.place,
            "handovers": list(self.handovers),
            "signer": self.signer,
            "signer_title": self.signer_title,
        }


AWARD_RANK = {
    "co-thi-dua-cp": "Cờ thi đua của Chính phủ",
    "co-thi-dua": "Cờ thi đua của Ủy ban nhân dân tỉnh",
    "bang-khen": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
    "tap-the-xuat-sac": "Tập thể lao động xuất sắc",
    "tap-the-tien-tien": "Tập thể lao động tiên tiến",
    "giay-khen": "Giấy khen",
}

DECIDERS = {
    "head-deputy": "trưởng khối và phó khối quyết định",
    "score": "kết quả chấm điểm quyết định",
}

COMBINE = {
    "score-ranks": "điểm xếp hạng, bỏ phiếu xác nhận",
    "vote-decides": "bỏ phiếu quyết định, cần đạt điểm tối thiểu",
    "score-breaks-ties": "bỏ phiếu quyết định, điểm phân định khi ngang phiếu",
}


_ACTIVITY = {"Meeting", "Pledge", "Covenant", "Pledges", "VoteRules", "Vote", "AwardRecord"}


def __getattr__(name: str):
    if name in _ACTIVITY:
        from . import activity

        return getattr(activity, name)
    raise AttributeError(name)
