"""The ballot paper (phiếu bầu) listing the candidates."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from ...blocs import service as bloc_service
from ...core.models import AsOf
from ...meetings import service as meeting_service
from ...text import date_words, number_words, two_digits
from ...units import service as unit_service
from ...votes import service as vote_service
from .common import profile_of, words
from .header import build_header
from .parts import BLANK, Common, Signature


@dataclass(frozen=True)
class BallotContext(Common):
    """The ballot paper: `award_name`, `seats` ("01"), `candidates` (names in the bloc's order),
    `instruction` (how to mark), `round` (1, 2…)."""

    award_name: str = ""
    seats: str = ""
    candidates: tuple[str, ...] = ()
    instruction: str = ""
    round: int = 1


def ballot(conn: sqlite3.Connection, vote_id: int) -> BallotContext:
    vote = vote_service.get(conn, vote_id)
    meeting = meeting_service.get(conn, vote.meeting) if vote.meeting else None
    day = meeting.date if meeting else None
    bloc = bloc_service.on(
        conn, bloc_service.resolve(conn, vote.bloc), day or dt.date(vote.year, 12, 31)
    )
    names = tuple(unit_service.name_on(conn, uid, day)[0] for uid, _ in vote.candidates)
    at = AsOf(bloc, vote.year, day)
    profile = profile_of(conn, at)
    award_name = profile.award_name(vote.award)
    what = (
        f"suy tôn đơn vị {profile.words['leading']}, đề nghị tặng"
        if profile.is_leading(vote.award)
        else "đề nghị tặng"
    )
    return BallotContext(
        kind="ballot",
        header=build_header(conn, at, None, None, with_date=False),
        title="PHIẾU BẦU",
        subject=f"{what[0].upper()}{what[1:]} {award_name} {profile.year_words(vote.year)}"
        + (f" (bỏ phiếu lại vòng {vote.round})" if vote.round > 1 else ""),
        bloc_name=bloc.name,
        year=vote.year,
        date=date_words(day) if day else BLANK,
        signature=Signature("", "", "", ""),
        recipients=(),
        profile=words(profile),
        award_name=award_name,
        seats=two_digits(vote.seats),
        candidates=names,
        instruction=(
            f"Bầu không quá {number_words(vote.seats)} đơn vị: đánh dấu (X) vào ô “Đồng ý”. "
            "Phiếu đánh dấu nhiều hơn số đơn vị được bầu, hoặc ghi thêm tên ngoài danh sách, là phiếu không hợp lệ."
        ),
        round=vote.round,
    )
