"""tdkt vote …: the secret-ballot vote for the flag and the certificates of merit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..blocs import profiles
from ..blocs import service as blocs
from ..core.errors import InvalidInput
from ..core.models import DECIDERS
from ..text import percent
from ..units import service as units
from ..votes import ballots, minutes, records, rounds
from ..votes import rules as rulebook
from ..votes import service as votes
from ..votes.tally import BASES
from .common import (
    BlocOpt,
    JsonOpt,
    YearOpt,
    answer,
    command,
    emit_json,
    reading,
    say,
    sub_app,
    table,
    writing,
)
from .sheetopts import CsvOpt, CsvOutOpt, SheetForceOpt, XlsxOpt, one_output, sheet_out

app = sub_app()  # its help: catalog.NOUNS

VoteArg = Annotated[int, typer.Argument(metavar="VOTE", help="Mã số cuộc bỏ phiếu.")]
OverQuotaOpt = Annotated[
    bool,
    typer.Option(
        "--over-quota",
        help="Khối đã thống nhất đề nghị vượt chỉ tiêu (cần --reason, được ghi lại).",
    ),
]
OverReasonOpt = Annotated[
    str | None, typer.Option("--reason", help="Lý do vượt chỉ tiêu (với --over-quota).")
]
STATUS = {
    "decided": "đã có kết quả",
    "tie": "ngang phiếu ở suất cuối",
    "no-majority": "thiếu đơn vị đạt số phiếu",
    "no-quorum": "không đủ số đơn vị có mặt",
    "no-ballots": "chưa có phiếu",
}


@command(app, "rules")
def vote_rules(
    bloc: Annotated[str, typer.Argument(help="Mã hoặc tên khối.")],
    year: YearOpt,
    quorum: Annotated[
        str | None, typer.Option("--quorum", help="Tỷ lệ có mặt tối thiểu, ví dụ 2/3.")
    ] = None,
    base: Annotated[
        str | None,
        typer.Option("--base", help="Cơ sở tính tỷ lệ: members | present | cast | valid."),
    ] = None,
    threshold: Annotated[
        str | None, typer.Option("--threshold", help="Tỷ lệ phiếu cần đạt, ví dụ 1/2, 2/3, 80%.")
    ] = None,
    strict: Annotated[
        bool | None,
        typer.Option("--strict/--at-least", help="«Trên» (mặc định với 1/2) hay «từ» tỷ lệ."),
    ] = None,
    self_vote: Annotated[
        bool | None, typer.Option("--self-vote/--no-self-vote", help="Cho phép đơn vị tự bầu mình.")
    ] = None,
    max_rounds: Annotated[
        int | None, typer.Option("--max-rounds", help="Số vòng bỏ phiếu tối đa khi ngang phiếu.")
    ] = None,
    decider: Annotated[
        str | None, typer.Option("--decider", help="Sau vòng cuối: head-deputy | score.")
    ] = None,
    flag_quota: Annotated[
        int | None, typer.Option("--flag-quota", help="Số Cờ thi đua khối được đề nghị.")
    ] = None,
    certificate_quota: Annotated[
        int | None, typer.Option("--certificate-quota", help="Số Bằng khen khối được đề nghị.")
    ] = None,
    min_score: Annotated[
        float | None, typer.Option("--min-score", help="Điểm thẩm định tối thiểu để được bình xét.")
    ] = None,
    flag_winner_may_stand: Annotated[
        bool | None,
        typer.Option(
            "--flag-winner-may-stand/--flag-winner-may-not-stand",
            help="Đơn vị được Cờ có được bình Bằng khen không.",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Xem hoặc đặt quy chế bỏ phiếu của khối trong một năm."""
    changes = dict(
        quorum=quorum,
        base=base,
        threshold=threshold,
        strict=strict,
        self_vote=self_vote,
        max_rounds=max_rounds,
        decider=decider,
        flag_quota=flag_quota,
        certificate_quota=certificate_quota,
        flag_winner_may_stand=flag_winner_may_stand,
        min_score=min_score,
    )
    if threshold is not None and strict is None:
        from ..votes.tally import HALF, parse_fraction

        changes["strict"] = parse_fraction(threshold) == HALF
    if any(v is not None for v in changes.values()):
        with writing() as conn:
            r = rulebook.set_rules(conn, blocs.resolve(conn, bloc).id, year, **changes)
        since: int | None = year
    else:
        with reading() as conn:
            found = blocs.resolve(conn, bloc)
            r = rulebook.rules(conn, found.id, year)
            since = rulebook.rules_since(conn, found.id, year)
    if json_:
        emit_json({**r.as_json(), "since": since})
        return
    origin = (
        "mặc định (khối chưa đặt quy chế)"
        if since is None
        else f"đặt từ năm {since}, áp dụng đến khi có quy chế mới"
    )
    say(f"Quy chế bỏ phiếu năm {year}: {origin}")
    say(f"  Có mặt tối thiểu: {r.quorum} số đơn vị thành viên")
    say(f"  Đạt khi: {'trên' if r.strict else 'từ'} {r.threshold} {BASES[r.base]}")
    say(
        f"  Tự bầu mình: {'được' if r.self_vote else 'không'}; tối đa {r.max_rounds} vòng, sau đó {DECIDERS[r.decider]}"
    )
    say(
        f"  Chỉ tiêu: {r.flag_quota} Cờ thi đua, {r.certificate_quota} Bằng khen; "
        f"đơn vị được Cờ {'được' if r.flag_winner_may_stand else 'không'} bình Bằng khen"
    )


@command(app, "exclude")
def vote_exclude(
    bloc: BlocOpt,
    year: YearOpt,
    unit: Annotated[str, typer.Option("--unit", help="Đơn vị không đủ điều kiện.")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Lý do (kỷ luật, thanh tra, ý kiến ngành…).")
    ] = None,
    lift: Annotated[bool, typer.Option("--lift", help="Bỏ việc loại trước đó.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Loại một đơn vị khỏi danh sách bình xét của năm, có ghi lý do (hoặc bỏ loại với --lift)."""
    if not lift and not reason:
        raise InvalidInput("Cần --reason (lý do không đủ điều kiện), hoặc --lift để bỏ loại.")
    with writing() as conn:
        found = units.resolve(conn, unit)
        rulebook.set_ineligible(
            conn, blocs.resolve(conn, bloc), year, found, None if lift else reason
        )
    status = "được bình xét lại" if lift else "không đủ điều kiện bình xét"
    data = {
        "unit": found.name,
        "year": year,
        "ineligible": not lift,
        "reason": None if lift else reason,
    }
    answer(json_, data, f"{found.name}: {status} năm {year}.")


@command(app, "open")
def vote_open(
    bloc: BlocOpt = "",
    year: Annotated[int | None, typer.Option("--year", "-y", help="Năm thi đua.")] = None,
    award: Annotated[
        str | None,
        typer.Option(
            "--award",
            help="Mã trong danh mục khen thưởng của khối (tdkt bloc profile), "
            "ví dụ co-thi-dua | bang-khen.",
        ),
    ] = None,
    seats: Annotated[
        int | None, typer.Option("--seats", help="Số suất (mặc định: chỉ tiêu còn lại).")
    ] = None,
    meeting: Annotated[
        int | None, typer.Option("--meeting", help="Mã số hội nghị bỏ phiếu.")
    ] = None,
    present: Annotated[
        int | None,
        typer.Option(
            "--present", help="Số đơn vị có mặt (mặc định: theo hội nghị, hoặc mọi thành viên)."
        ),
    ] = None,
    base: Annotated[
        str | None, typer.Option("--base", help="members | present | cast | valid.")
    ] = None,
    threshold: Annotated[
        str | None, typer.Option("--threshold", help="Tỷ lệ cần đạt, ví dụ 1/2 hoặc 2/3.")
    ] = None,
    strict: Annotated[
        bool | None, typer.Option("--strict/--at-least", help="«Trên» hay «từ» tỷ lệ.")
    ] = None,
    quorum: Annotated[str | None, typer.Option("--quorum", help="Tỷ lệ có mặt tối thiểu.")] = None,
    candidate: Annotated[
        list[str] | None,
        typer.Option(
            "--candidate", help="Ứng viên (lặp lại; mặc định: mọi thành viên đủ điều kiện)."
        ),
    ] = None,
    committee: Annotated[
        list[str] | None,
        typer.Option(
            "--committee",
            help="Thành viên ban kiểm phiếu, «Họ tên - chức danh» (lặp lại; người đầu là trưởng ban).",
        ),
    ] = None,
    round_of: Annotated[
        int | None,
        typer.Option(
            "--round-of",
            help="Bỏ phiếu lại (vòng sau) cho các suất còn trống của cuộc bỏ phiếu này: giữa các "
            "đơn vị ngang phiếu, hoặc các đơn vị có số phiếu cao nhất khi chưa ai đạt.",
        ),
    ] = None,
    over: OverQuotaOpt = False,
    over_reason: OverReasonOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Mở một cuộc bỏ phiếu; in mã số. Quy chế lấy từ «tdkt vote rules», có thể ghi đè ở đây."""
    reason = rulebook.override(over, over_reason)
    with writing() as conn:
        if round_of is not None:
            vote, left_out = votes.open_vote(conn, None, 0, "", round_of=round_of)  # type: ignore[arg-type]
        else:
            if not bloc or year is None or award is None:
                raise InvalidInput("Cần --bloc, --year và --award (hoặc --round-of VOTE).")
            found = blocs.resolve(conn, bloc)
            vote, left_out = votes.open_vote(
                conn,
                found,
                year,
                award,
                seats,
                meeting_id=meeting,
                present=present,
                base=base,
                threshold=threshold,
                strict=strict,
                quorum=quorum,
                candidates=units.resolve_many(conn, candidate) if candidate else (),
                committee=committee or (),
                over_quota_reason=reason,
            )
        excluded = {units.get(conn, uid).name: why for uid, why in left_out.items()}
    if json_:
        data = {**vote.as_json(), "round_label": vote.round_label}
        data["excluded"] = [{"unit": n, "reason": r} for n, r in excluded.items()]
        emit_json(data)
        return
    say(str(vote.id))
    for name, why in excluded.items():
        typer.echo(f"Không phải ứng viên: {name} ({why})", err=True)
    if vote.committee and not committee:
        typer.echo(
            f"Ban kiểm phiếu (như cuộc bỏ phiếu trước): {'; '.join(vote.committee)}", err=True
        )


def _marks(conn, vote, unit: list[str] | None, blank: bool, invalid: bool) -> tuple[str, list]:
    if blank and invalid:
        raise InvalidInput("Một phiếu không thể vừa là phiếu trắng vừa không hợp lệ.")
    if blank or invalid:
        if unit:
            raise InvalidInput("Phiếu trắng hoặc không hợp lệ không ghi tên đơn vị.")
        return ("blank" if blank else "invalid"), []
    if not unit:
        raise InvalidInput(
            "Hãy ghi các đơn vị được đánh dấu trên phiếu, hoặc --blank, hoặc --invalid."
        )
    return "marks", [units.resolve(conn, u) for u in unit]


@command(app, "cast")
def vote_cast(
    vote: VoteArg,
    unit: Annotated[
        list[str] | None, typer.Argument(help="Các đơn vị được đánh dấu trên phiếu.")
    ] = None,
    blank: Annotated[bool, typer.Option("--blank", help="Một phiếu trắng.")] = False,
    invalid: Annotated[
        bool, typer.Option("--invalid", help="Một phiếu không hợp lệ (rách, tẩy xóa…).")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Ghi một lá phiếu giấy."""
    with writing() as conn:
        found = records.get(conn, vote)
        kind, reason = ballots.cast(conn, found, [_marks(conn, found, unit, blank, invalid)])[0]
    if json_:
        emit_json({"vote": vote, "kind": kind, "reason": reason})
        return
    label = {"valid": "hợp lệ", "blank": "trắng", "invalid": "không hợp lệ"}[kind]
    say(f"Đã ghi 1 phiếu {label}" + (f": {reason}." if reason and unit else "."))


@command(app, "import")
def vote_import(
    vote: VoteArg,
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: mỗi dòng một phiếu, các đơn vị cách nhau bằng «;»; dòng trống là phiếu trắng; INVALID là phiếu không hợp lệ."
        ),
    ],
    json_: JsonOpt = False,
) -> None:
    """Nhập nhiều lá phiếu từ tệp; mọi tên phải đúng trước khi ghi."""
    with writing() as conn:
        found = records.get(conn, vote)
        outcomes = ballots.cast(conn, found, ballots.read_ballot_file(conn, file))
    counts = {k: sum(1 for o in outcomes if o[0] == k) for k in ("valid", "blank", "invalid")}
    if json_:
        emit_json({"vote": vote, **counts})
        return
    say(
        f"Đã ghi {len(outcomes)} phiếu: {counts['valid']} hợp lệ, {counts['blank']} phiếu trắng, {counts['invalid']} không hợp lệ."
    )
    for i, (kind, reason) in enumerate(outcomes, 1):
        if kind == "invalid" and reason and reason != "phiếu không hợp lệ":
            typer.echo(f"Dòng {i}: không hợp lệ — {reason}", err=True)


@command(app, "count")
def vote_count(
    vote: VoteArg,
    valid: Annotated[int, typer.Option("--valid", help="Số phiếu hợp lệ.")],
    votes_for: Annotated[
        list[str], typer.Option("--votes", help="«Đơn vị=số phiếu» (lặp lại), ví dụ «Sở Y tế=9».")
    ],
    blank: Annotated[int, typer.Option("--blank", help="Số phiếu trắng.")] = 0,
    invalid: Annotated[int, typer.Option("--invalid", help="Số phiếu không hợp lệ.")] = 0,
    json_: JsonOpt = False,
) -> None:
    """Ghi số liệu ban kiểm phiếu đã đếm tay (thay cho từng lá phiếu)."""
    with writing() as conn:
        found = records.get(conn, vote)
        per: dict[int, int] = {}
        for item in votes_for:
            name, sep, number = item.rpartition("=")
            if not sep or not number.strip().isdecimal():
                raise InvalidInput(f"Số phiếu «{item}» phải có dạng «Đơn vị=số phiếu».")
            per[units.resolve(conn, name).id] = int(number)
        before = ballots.hand_count(conn, found)
        ballots.record_counts(conn, found, valid, blank, invalid, per)
        after = ballots.hand_count(conn, records.get(conn, vote))
    data = {"vote": vote, "valid": valid, "blank": blank, "invalid": invalid, "votes": per}
    data["replaced"] = before.as_json() if before else None
    message = f"Đã ghi số liệu kiểm phiếu của cuộc bỏ phiếu {vote}"
    if before is not None and after is not None:
        message += f": {after.words()}; thay cho số liệu cũ: {before.words()}"
    answer(json_, data, message + ".")


def _show(conn, vote_id: int) -> tuple:
    vote = records.get(conn, vote_id)
    result = records.tally(conn, vote)
    decided = records.decided_names(conn, vote, result)
    profile = profiles.for_year(conn, vote.bloc_id, vote.year)
    return vote, result, decided, profile, rulebook.rules(conn, vote.bloc_id, vote.year)


@command(app, "tally")
def vote_tally(
    vote: VoteArg,
    json_: JsonOpt = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Chỉ in đoạn văn giải thích để dán vào biên bản.")
    ] = False,
) -> None:
    """Kiểm phiếu: số phiếu từng đơn vị, tỷ lệ, kết quả theo quy chế."""
    with reading() as conn:
        found, result, decided, profile, rules = _show(conn, vote)
        reopened = votes.reopen_reasons(conn, found.id)
    text = minutes.explain(found, result, decided, profile, rules)
    if json_:
        data = minutes.as_json(found, result, decided)
        data["explanation"] = text
        data["reopened"] = reopened
        emit_json(data)
        return
    if explain:
        say(text)
        return
    title = f"Cuộc bỏ phiếu {found.id}: {profile.award_name(found.award)}, khối {found.bloc} năm {found.year}"
    if found.round_label:
        title += f" ({found.round_label} của cuộc bỏ phiếu {found.round_of})"
    rows = [
        (
            i,
            line.name,
            f"{line.votes}/{result.base_count}",
            percent(line.share),
            "trúng"
            if line.elected or line.name in decided
            else ("ngang phiếu" if line.tied else ("đạt" if line.passed else "không đạt")),
        )
        for i, line in enumerate(result.lines, 1)
    ]
    table(title, ["STT", "Đơn vị", "Số phiếu", "Tỷ lệ", "Kết quả"], rows)
    status = "decided" if decided else result.status
    say(f"Tình trạng: {STATUS[status]}{' (đã đóng)' if found.closed else ''}.")
    if found.committee:
        say(f"Ban kiểm phiếu: {'; '.join(found.committee)}.")
    if found.closed_at:
        say(f"Kiểm phiếu xong lúc {found.closed_at}.")
    if found.over_quota:
        say(f"Vượt chỉ tiêu: {found.over_quota}")
    for reason in reopened:
        say(f"Đã mở lại: {reason}")
    say(text)


@command(app, "decide")
def vote_decide(
    vote: VoteArg,
    unit: Annotated[
        list[str] | None,
        typer.Argument(
            help="Các đơn vị trưởng, phó khối chọn trong số ngang phiếu (bỏ trống khi điểm chấm quyết định)."
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Ghi chú (ví dụ: căn cứ tỷ lệ nữ ≥ 70%).")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Sau vòng cuối vẫn ngang phiếu: ghi quyết định theo quy chế (trưởng, phó khối hoặc điểm chấm)."""
    with writing() as conn:
        found = rounds.decide(
            conn, records.get(conn, vote), units.resolve_many(conn, unit or []), note
        )
    data = {"vote": found.id, "decided_by": found.decided_by, "note": found.decision_note}
    answer(json_, data, f"Đã ghi quyết định cho cuộc bỏ phiếu {found.id}.")


@command(app, "close")
def vote_close(
    vote: VoteArg,
    at: Annotated[
        str | None,
        typer.Option(
            "--at", help="Giờ kiểm phiếu xong, ví dụ 14:30 (in trong biên bản kiểm phiếu)."
        ),
    ] = None,
    over: OverQuotaOpt = False,
    over_reason: OverReasonOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Đóng cuộc bỏ phiếu; các đơn vị trúng trở thành đề nghị khen thưởng."""
    reason = rulebook.override(over, over_reason)
    with writing() as conn:
        found = records.get(conn, vote)
        elected = votes.close(conn, found, at, reason)
        names = [units.get(conn, u).name for u in elected]
        award_name = records.award_name(conn, found)
        closed = records.get(conn, vote)
    if json_:
        emit_json(
            {
                "vote": vote,
                "proposed": names,
                "closed_at": closed.closed_at,
                "over_quota": closed.over_quota,
            }
        )
        return
    when = f" lúc {closed.closed_at}" if closed.closed_at else ""
    if names:
        say(f"Đã đóng{when}. Đề nghị {award_name}: {'; '.join(names)}.")
    else:
        say(f"Đã đóng{when}; không có đơn vị nào được đề nghị.")


@command(app, "list")
def vote_list(
    bloc: Annotated[str | None, typer.Option("--bloc", "-b", help="Mã hoặc tên khối.")] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Năm thi đua.")] = None,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
    xlsx: XlsxOpt = None,
    output: CsvOutOpt = None,
    force: SheetForceOpt = False,
) -> None:
    """Liệt kê các cuộc bỏ phiếu (bảng, --json, --csv hoặc --xlsx)."""
    one_output(json_, csv_, xlsx)
    with reading() as conn:
        found = records.list_votes(conn, blocs.resolve(conn, bloc) if bloc else None, year)
        counted = [(v, records.tally(conn, v)) for v in found]
        if json_:  # the award's code, not its printed name
            emit_json(
                [
                    {**v.as_json(), "round_label": v.round_label, "status": r.status}
                    for v, r in counted
                ]
            )
            return
        shown = [(v, r, records.award_name(conn, v)) for v, r in counted]
    headers = ["Mã số", "Khối", "Năm", "Khen thưởng", "Vòng", "Suất", "Phiếu", "Tình trạng"]
    rows = [
        (
            v.id,
            v.bloc,
            v.year,
            name,
            f"{v.round} ({v.round_label} của cuộc {v.round_of})" if v.round_label else v.round,
            v.seats,
            r.ballots.cast,
            STATUS[r.status] + (" (đã đóng)" if v.closed else ""),
        )
        for v, r, name in shown
    ]
    if sheet_out(csv_, output, xlsx, force, "Bỏ phiếu", headers, rows):
        return
    table(None, headers, rows)


@command(app, "uncast")
def vote_uncast(
    vote: VoteArg,
    unit: Annotated[
        list[str] | None, typer.Argument(help="Các đơn vị được đánh dấu trên lá phiếu cần bỏ.")
    ] = None,
    blank: Annotated[bool, typer.Option("--blank", help="Bỏ một phiếu trắng.")] = False,
    invalid: Annotated[bool, typer.Option("--invalid", help="Bỏ một phiếu không hợp lệ.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Bỏ một lá phiếu đã ghi nhầm, đúng cách đánh dấu đó (không có thì không bỏ gì)."""
    with writing() as conn:
        found = records.get(conn, vote)
        marking, marked = _marks(conn, found, unit, blank, invalid)
        kind = ballots.uncast(conn, found, marking, marked)
        left = records.tally(conn, found).ballots
    label = {"valid": "hợp lệ", "blank": "trắng", "invalid": "không hợp lệ"}[kind]
    answer(
        json_,
        {"vote": vote, "removed": kind, "marks": [u.name for u in marked], "cast": left.cast},
        f"Đã bỏ 1 phiếu {label}; còn {left.cast} phiếu.",
    )


@command(app, "reopen")
def vote_reopen(
    vote: VoteArg,
    reason: Annotated[
        str, typer.Option("--reason", help="Lý do mở lại (in trong biên bản kiểm phiếu).")
    ],
    json_: JsonOpt = False,
) -> None:
    """Mở lại cuộc bỏ phiếu đã đóng để sửa; các đề nghị của nó được rút, đóng lại sẽ có lại."""
    with writing() as conn:
        found = records.get(conn, vote)
        withdrawn = [units.get(conn, u).name for u in votes.reopen(conn, found, reason)]
    message = f"Đã mở lại cuộc bỏ phiếu {vote}."
    if withdrawn:
        message += f" Rút đề nghị: {'; '.join(withdrawn)} (đóng lại sẽ đề nghị theo kết quả mới)."
    answer(json_, {"vote": vote, "reason": reason, "withdrawn": withdrawn}, message)
