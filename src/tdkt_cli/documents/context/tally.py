"""The count minutes of a vote (biên bản kiểm phiếu)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from ...blocs import service as bloc_service
from ...core.models import AsOf
from ...meetings import service as meeting_service
from ...text import date_words
from ...votes import service as vote_service
from .. import wording
from .common import person, profile_of, upper, words
from .header import build_header
from .parts import BLANK, Common, Signature, VoteSummary
from .report import meeting_label
from .votes import vote_summary


@dataclass(frozen=True)
class TallyContext(Common):
    """Count minutes (biên bản kiểm phiếu).

    vote: VoteSummary. meeting_title: the meeting's title or kind; place: text or BLANK;
    committee: names (3 BLANK lines when none were recorded); committee_rows: the committee's
    Signatures in rows of three, for the signature table; committee_signatures: Signature…
    one per committee member (title: the role, "TRƯỞNG BAN" / "THÀNH VIÊN"; position: the
    member's own title in capitals). date_plain: "ngày 08 tháng 01 năm 2020" or BLANK; start,
    read_at: the time counting began and the time the result was read out (not recorded: BLANK).
    reopened: the reasons given each time the closed vote was reopened to be corrected
    (`tdkt vote reopen`), oldest first; empty when it never was. committee_lines: one line per
    member as the minutes list them, names and titles as typed, the role in words ("Nguyễn Văn
    An, Chủ tịch UBND phường Hòa Lợi: trưởng ban").
    """

    vote: VoteSummary | None = None
    meeting_title: str = ""
    place: str = ""
    committee: tuple[str, ...] = ()
    committee_signatures: tuple[Signature, ...] = ()
    committee_rows: tuple[tuple[Signature, ...], ...] = ()
    reopened: tuple[str, ...] = ()
    committee_lines: tuple[str, ...] = ()
    date_plain: str = ""
    start: str = ""
    read_at: str = ""


def tally(conn: sqlite3.Connection, vote_id: int, number: int | None = None) -> TallyContext:
    vote = vote_service.get(conn, vote_id)
    meeting = meeting_service.get(conn, vote.meeting) if vote.meeting else None
    day = meeting.date if meeting else None
    bloc = bloc_service.on(
        conn, bloc_service.resolve(conn, vote.bloc), day or dt.date(vote.year, 12, 31)
    )
    summary = vote_summary(conn, vote_id, day)
    at = AsOf(bloc, vote.year, day)
    profile = profile_of(conn, at)
    what = (
        f"suy tôn đơn vị {profile.words['leading']}, đề nghị tặng"
        if profile.is_leading(vote.award)
        else "đề nghị tặng"
    )
    committee = vote.committee or (BLANK, BLANK, BLANK)
    roles = ["TRƯỞNG BAN"] + ["THÀNH VIÊN"] * (len(committee) - 1)
    people = [person(c) if c != BLANK else (BLANK, "") for c in committee]
    signatures = tuple(
        Signature("", role, upper(t), n) for role, (n, t) in zip(roles, people, strict=True)
    )
    lines = tuple(
        f"{n}{', ' + t if t else ''}: {role.lower()}"
        for role, (n, t) in zip(roles, people, strict=True)
    )
    return TallyContext(
        kind="tally",
        header=build_header(conn, at, "BB", number, with_date=False),
        title="BIÊN BẢN KIỂM PHIẾU",
        subject=f"Bỏ phiếu {what} {summary.award_name} {profile.year_words(vote.year)}"
        + (f" (bỏ phiếu lại vòng {vote.round})" if vote.round > 1 else ""),
        bloc_name=bloc.name,
        year=vote.year,
        date=date_words(day) if day else BLANK,
        signature=Signature("", "TRƯỞNG BAN KIỂM PHIẾU", "", people[0][0]),
        recipients=(),
        profile=words(profile),
        vote=summary,
        meeting_title=meeting_label(meeting.title, meeting.kind) if meeting else BLANK,
        place=(meeting.place or BLANK) if meeting else BLANK,
        committee=tuple(committee),
        committee_signatures=signatures,
        committee_lines=lines,
        committee_rows=tuple(signatures[i : i + 3] for i in range(0, len(signatures), 3)),
        reopened=tuple(vote_service.reopen_reasons(conn, vote.id)),
        date_plain=date_words(day) if day else BLANK,
        start=BLANK,
        read_at=wording.clock(vote.closed_at),  # vote close --at
    )
