"""tdkt meeting …: the bloc's meetings."""

from __future__ import annotations

from typing import Annotated

import typer

from ..blocs import service as blocs
from ..core.errors import InvalidInput
from ..core.models import Meeting, Unit
from ..meetings import service as meetings
from ..units import service as units
from .common import (
    BlocOpt,
    DateOpt,
    JsonOpt,
    OptBlocOpt,
    OptYearOpt,
    command,
    emit_json,
    reading,
    say,
    state,
    sub_app,
    table,
    writing,
)
from .sheetopts import CsvOpt, CsvOutOpt, SheetForceOpt, XlsxOpt, one_output, sheet_out

app = sub_app()  # its help: catalog.NOUNS

KindOpt = Annotated[
    str,
    typer.Option(
        "--kind", help="so-ket (sơ kết 6 tháng) | tong-ket (tổng kết năm) | giao-ban | khac."
    ),
]


StartOpt = Annotated[
    str | None, typer.Option("--start", help='Giờ bắt đầu, ví dụ 08:00 ("" để xóa).')
]
EndOpt = Annotated[str | None, typer.Option("--end", help='Giờ kết thúc, ví dụ 11:30 ("" để xóa).')]
MeetingArg = Annotated[int, typer.Argument(metavar="ID", help="Mã số hội nghị.")]
AbsentOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--absent",
        help="Đơn vị vắng mặt (lặp lại); có mặt là các thành viên của năm trừ các đơn vị này.",
    ),
]
AbsentReasonOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--absent-reason",
        help="Lý do vắng mặt của đơn vị --absent ghi ngay trước nó, in trong biên bản.",
    ),
]
AdditionalOpt = Annotated[
    bool,
    typer.Option(
        "--additional",
        help="Hội nghị tổng kết năm bổ sung: không đổi ngày và hội nghị của báo cáo tổng kết.",
    ),
]


def absences(
    conn, absent: list[str] | None, reasons: list[str] | None
) -> list[tuple[Unit, str | None]] | None:
    """Each --absent with the --absent-reason typed after it (before the next --absent), read
    from the command line's order; None: no --absent given."""
    reasons = list(reasons or [])
    if not absent:
        if reasons:
            raise InvalidInput("Tùy chọn --absent-reason cần đi kèm --absent (đơn vị vắng mặt).")
        return None
    order = _absence_order(state.argv)
    paired: list[str | None] = [None] * len(absent)
    if order is not None and order.count("u") == len(absent) and order.count("r") == len(reasons):
        unit, reason = -1, 0
        for word in order:
            if word == "u":
                unit += 1
                continue
            if unit < 0:
                raise InvalidInput("Mỗi --absent-reason phải ghi sau --absent của đơn vị vắng mặt.")
            if paired[unit] is not None:
                raise InvalidInput(
                    f"Đơn vị vắng mặt «{absent[unit]}» có hai --absent-reason; ghi một lý do."
                )
            paired[unit] = reasons[reason]
            reason += 1
    else:  # not from a command line: in order
        if len(reasons) > len(absent):
            raise InvalidInput(
                f"Có {len(reasons)} lý do (--absent-reason) mà chỉ {len(absent)} đơn vị vắng mặt."
            )
        paired[: len(reasons)] = reasons
    found = units.resolve_many(conn, absent)
    return list(zip(found, paired, strict=True))


def _absence_order(argv: list[str]) -> list[str] | None:
    """«u» for each --absent, «r» for each --absent-reason, in the order typed."""
    out = []
    for arg in argv:
        if arg == "--":
            break
        if arg == "--absent" or arg.startswith("--absent="):
            out.append("u")
        elif arg == "--absent-reason" or arg.startswith("--absent-reason="):
            out.append("r")
    return out or None


# A person is a name and a title: the documents print the name where it is signed and the title
# above it. Co-chairs repeat --chair (and --chair-title, in the same order).
ChairOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--chair",
        help="Họ tên người chủ trì (lặp lại khi đồng chủ trì), ví dụ «Nguyễn Văn An»; "
        "chức vụ ghi bằng --chair-title, hoặc ngay sau tên: «Nguyễn Văn An - Giám đốc Sở Y tế».",
    ),
]
ChairTitleOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--chair-title",
        help="Chức vụ của người chủ trì, theo thứ tự --chair, ví dụ «Giám đốc Sở Y tế».",
    ),
]
SecretaryOpt = Annotated[
    str | None,
    typer.Option(
        "--secretary",
        help="Họ tên thư ký; chức vụ ghi bằng --secretary-title, hoặc ngay sau tên: "
        "«Trần Thị Bình - Chuyên viên Sở Y tế».",
    ),
]
SecretaryTitleOpt = Annotated[
    str | None, typer.Option("--secretary-title", help="Chức vụ của thư ký.")
]


def officers(
    chair: list[str] | None,
    chair_title: list[str] | None,
    secretary: str | None,
    secretary_title: str | None,
) -> dict[str, str | None]:
    """The meeting's chair and secretary from their options, as meetings.log/edit take them."""
    return {
        "chair": people(chair, chair_title, "--chair"),
        "secretary": people(
            None if secretary is None else [secretary],
            None if secretary_title is None else [secretary_title],
            "--secretary",
        ),
    }


_DASHES = "-,–—"


def people(names: list[str] | None, titles: list[str] | None, option: str) -> str | None:
    """Names and titles as the meeting keeps them: «Họ tên - Chức vụ», co-chairs joined by «; »;
    one typed in one piece («Họ tên - Chức vụ» or «Họ tên, Chức vụ») without a title option is
    split into its name and title (meetings.person). None: not given."""
    titles = [t.strip() for t in titles or []]
    if names is None:
        if titles:
            raise InvalidInput(f"Tùy chọn {option}-title cần đi kèm {option} (họ tên).")
        return None
    if len(titles) > len(names):
        raise InvalidInput(
            f"Có {len(titles)} chức vụ ({option}-title) mà chỉ {len(names)} người ({option})."
        )
    out = []
    for i, name in enumerate(n.strip() for n in names):
        title = titles[i] if i < len(titles) else ""
        if ";" in name:  # the separator the meeting keeps co-chairs with: «A; B» was two
            raise InvalidInput(f"Mỗi {option} là một người; đồng chủ trì thì lặp lại {option}.")
        if name and not any(c.isalpha() for c in name):
            raise InvalidInput(
                f"Tùy chọn {option} «{name}» không có họ tên; ghi «Họ tên - Chức vụ»."
            )
        if name and (name[0] in _DASHES or name[-1] in _DASHES):
            # «- Giám đốc», «Nguyễn Văn An -»: printed as a title with no name
            raise InvalidInput(
                f"Tùy chọn {option} «{name}» thiếu họ tên hoặc chức vụ bên dấu «-» hay «,»; "
                "ghi «Họ tên - Chức vụ» hoặc chỉ họ tên."
            )
        if not title:  # «Nguyễn Văn An - Giám đốc Sở Y tế» typed in one piece
            typed = name
            name, title = meetings.person(typed)
            if not name:
                name, title = title, ""
            elif "," in typed and title and meetings.person(f"{title} - x")[0] == title:
                # «Nguyễn Văn An, Trần Thị Bình»: two people, not a name and a title
                raise InvalidInput(
                    f"Có hai người trong «{typed}»; đồng chủ trì thì lặp lại {option} cho mỗi "
                    "người."
                )
        out.append(f"{name} - {title}" if name and title else name or title)
    return "; ".join(p for p in out if p)


@command(app, "log")
def meeting_log(
    bloc: BlocOpt,
    date: DateOpt,
    kind: KindOpt,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            "-y",
            help="Năm thi đua của hội nghị (mặc định: tổng kết họp tháng 1–3 tính cho năm trước).",
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Tên hội nghị.")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Địa điểm.")] = None,
    chair: ChairOpt = None,
    chair_title: ChairTitleOpt = None,
    secretary: SecretaryOpt = None,
    secretary_title: SecretaryTitleOpt = None,
    present: Annotated[
        list[str] | None,
        typer.Option(
            "--present", help="Đơn vị có mặt (lặp lại; mặc định: tất cả, trừ các --absent)."
        ),
    ] = None,
    absent: AbsentOpt = None,
    absent_reason: AbsentReasonOpt = None,
    guest: Annotated[list[str] | None, typer.Option("--guest", help="Khách mời (lặp lại).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Ghi chú, kết luận.")] = None,
    start: StartOpt = None,
    end: EndOpt = None,
    additional: AdditionalOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Ghi một hội nghị của khối; in mã số hội nghị."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        present_units = units.resolve_many(conn, present) if present else None
        absent_units = absences(conn, absent, absent_reason)
        meeting = meetings.log(
            conn,
            found,
            date,
            kind,
            year=year,
            title=title,
            place=place,
            **officers(chair, chair_title, secretary, secretary_title),
            present=present_units,
            absent=absent_units or (),
            guests=guest or [],
            note=note,
            start=start,
            end=end,
            additional=additional,
        )
        gone = [] if present_units else meetings.not_there(conn, found, meeting.year, meeting.date)
    for line in gone:  # on stderr: stdout stays the id a script reads
        typer.echo(f"Lưu ý: {line[:-1]}; không tính là có mặt.", err=True)
    if json_:
        emit_json(meeting.as_json())
    else:
        say(str(meeting.id))


def _rows(found: list[Meeting]) -> list[tuple]:
    return [
        (
            m.id,
            m.bloc,
            m.year,
            f"{m.date:%d/%m/%Y}",
            m.kind_label + (" (bổ sung)" if m.additional else ""),
            m.title or "",
            f"{len(m.present)}/{len(m.present) + len(m.absent)}",
        )
        for m in found
    ]


@command(app, "list")
def meeting_list(
    bloc: OptBlocOpt = None,
    year: OptYearOpt = None,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
    xlsx: XlsxOpt = None,
    output: CsvOutOpt = None,
    force: SheetForceOpt = False,
) -> None:
    """Liệt kê hội nghị (bảng, --json, --csv hoặc --xlsx)."""
    one_output(json_, csv_, xlsx)
    with reading() as conn:
        found = meetings.list_meetings(conn, blocs.resolve(conn, bloc) if bloc else None, year)
    if json_:
        emit_json([m.as_json() for m in found])
        return
    headers = ["Mã số", "Khối", "Năm", "Ngày", "Loại", "Tên", "Có mặt"]
    if sheet_out(csv_, output, xlsx, force, "Hội nghị", headers, _rows(found)):
        return
    table(None, headers, _rows(found))


@command(app, "show")
def meeting_show(
    meeting_id: Annotated[int, typer.Argument(metavar="ID", help="Mã số hội nghị.")],
    json_: JsonOpt = False,
) -> None:
    """Xem một hội nghị: người chủ trì, đơn vị có mặt, vắng mặt, khách mời."""
    with reading() as conn:
        m = meetings.get(conn, meeting_id)
    if json_:
        emit_json(m.as_json())
        return
    say(
        f"Hội nghị {m.id}: {m.kind_label.lower()}{' bổ sung' if m.additional else ''} (năm thi đua {m.year}), khối {m.bloc}, ngày {m.date:%d/%m/%Y}"
    )
    if m.start or m.end:
        say(f"  Thời gian: {m.start or '…'} – {m.end or '…'}")
    for label, value in (
        ("Tên", m.title),
        ("Địa điểm", m.place),
        ("Chủ trì", m.chair),
        ("Thư ký", m.secretary),
        ("Ghi chú", m.note),
    ):
        if value:
            say(f"  {label}: {value}")
    say(f"  Có mặt ({len(m.present)}): {'; '.join(m.present)}")
    if m.absent:
        say(f"  Vắng mặt ({len(m.absent)}): {'; '.join(meetings.absent_words(m))}")
    if m.guests:
        say(f"  Khách mời: {'; '.join(m.guests)}")


@command(app, "edit")
def meeting_edit(
    meeting_id: MeetingArg,
    bloc: OptBlocOpt = None,
    date: Annotated[str | None, typer.Option("--date", help="Ngày họp đúng.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Loại hội nghị đúng.")] = None,
    year: OptYearOpt = None,
    title: Annotated[str | None, typer.Option("--title", help='Tên hội nghị ("" để xóa).')] = None,
    place: Annotated[str | None, typer.Option("--place", help="Địa điểm.")] = None,
    chair: ChairOpt = None,
    chair_title: ChairTitleOpt = None,
    secretary: SecretaryOpt = None,
    secretary_title: SecretaryTitleOpt = None,
    present: Annotated[
        list[str] | None,
        typer.Option("--present", help="Đơn vị có mặt (lặp lại; thay cả danh sách)."),
    ] = None,
    absent: AbsentOpt = None,
    absent_reason: AbsentReasonOpt = None,
    guest: Annotated[
        list[str] | None, typer.Option("--guest", help="Khách mời (lặp lại; thay cả danh sách).")
    ] = None,
    no_guests: Annotated[bool, typer.Option("--no-guests", help="Xóa hết khách mời.")] = False,
    note: Annotated[str | None, typer.Option("--note", help="Ghi chú, kết luận.")] = None,
    start: StartOpt = None,
    end: EndOpt = None,
    additional: Annotated[
        bool | None,
        typer.Option(
            "--additional/--not-additional",
            help="Là (hoặc không còn là) hội nghị tổng kết năm bổ sung.",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Sửa một hội nghị đã ghi (các tùy chọn như meeting log; tùy chọn không ghi thì giữ nguyên)."""
    with writing() as conn:
        meeting, changed = meetings.edit(
            conn,
            meeting_id,
            bloc=blocs.resolve(conn, bloc) if bloc else None,
            date=date,
            kind=kind,
            year=year,
            title=title,
            place=place,
            **officers(chair, chair_title, secretary, secretary_title),
            present=units.resolve_many(conn, present) if present else None,
            absent=absences(conn, absent, absent_reason),
            guests=[] if no_guests else guest,
            note=note,
            start=start,
            end=end,
            additional=additional,
        )
    if json_:
        emit_json({**meeting.as_json(), "changed": changed})
    else:
        say(f"Đã sửa hội nghị {meeting.id}: {', '.join(FIELD_WORDS.get(c, c) for c in changed)}.")


FIELD_WORDS = {
    "bloc_id": "khối",
    "year": "năm thi đua",
    "date": "ngày",
    "kind": "loại",
    "title": "tên",
    "place": "địa điểm",
    "chair": "chủ trì",
    "secretary": "thư ký",
    "note": "ghi chú",
    "start_time": "giờ bắt đầu",
    "end_time": "giờ kết thúc",
    "present": "đơn vị có mặt",
    "guests": "khách mời",
    "absence_reasons": "lý do vắng mặt",
    "additional": "hội nghị bổ sung",
}


@command(app, "remove")
def meeting_remove(meeting_id: MeetingArg, json_: JsonOpt = False) -> None:
    """Xóa một hội nghị ghi nhầm (không được khi đã có cuộc bỏ phiếu hay giao ước gắn với nó)."""
    with writing() as conn:
        gone = meetings.remove(conn, meeting_id)
    if json_:
        emit_json({"removed": gone.as_json()})
    else:
        say(f"Đã xóa hội nghị {gone.id} ({gone.kind_label.lower()}, ngày {gone.date:%d/%m/%Y}).")
