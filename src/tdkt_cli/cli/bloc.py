"""tdkt bloc …: blocs, their members per year, and the yearly head and deputy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..blocs import profiles
from ..blocs import service as blocs
from ..core.errors import InvalidInput
from ..text import parse_date
from ..units import service as units
from .common import (
    JsonOpt,
    OptYearOpt,
    YearOpt,
    answer,
    command,
    emit_json,
    fail,
    reading,
    say,
    sub_app,
    table,
    writing,
)

app = sub_app()  # its help: catalog.NOUNS

BlocArg = Annotated[str, typer.Argument(help="Mã hoặc tên khối.")]
ParentOpt = Annotated[
    str | None,
    typer.Option("--parent", help="Cơ quan cấp trên in ở đầu văn bản, ví dụ «UBND TỈNH BẮC KẠN»."),
]
PlaceOpt = Annotated[
    str | None, typer.Option("--place", help="Địa danh của dòng ngày tháng, ví dụ «Bắc Kạn».")
]
DocCodeOpt = Annotated[
    str | None,
    typer.Option("--doc-code", help="Ký hiệu trong số văn bản, ví dụ «KVHXH» (Số: 05/BC-KVHXH)."),
]


TwinOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Vẫn ghi khi tên in ra gần như tên một khối đã có (thật là hai khối khác nhau).",
    ),
]


@command(app, "add")
def bloc_add(
    name: Annotated[str, typer.Argument(help="Tên khối, ví dụ «Khối thi đua Văn hóa - Xã hội».")],
    code: Annotated[str, typer.Option("--code", help="Mã ngắn dùng trong lệnh, ví dụ «vhxh».")],
    parent: ParentOpt = None,
    place: PlaceOpt = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="khoi (khối) | cum (cụm: cụm trưởng, cụm phó); không ghi: theo tên («Cụm …»).",
        ),
    ] = None,
    system: Annotated[
        str | None,
        typer.Option(
            "--system",
            help="Hệ thống: nha-nuoc (UBND tỉnh, mặc định) | dang (Tỉnh ủy) | hoi (hội, đoàn "
            "thể) | nganh (bộ, ngành).",
        ),
    ] = None,
    doc_code: DocCodeOpt = None,
    force: TwinOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Thêm một khối (hoặc cụm) thi đua; loại theo tên, hồ sơ theo cơ quan cấp trên."""
    from ..blocs import setting
    from ..core import clock

    with writing() as conn:
        made = setting.add(
            conn, name, code, parent, place, kind, system, doc_code, clock.today(), force=force
        )
    if json_:
        emit_json(
            {
                **made.bloc.as_json(),
                "profile": made.profile.as_json(),
                "body": made.body.code if made.body else None,
                "notes": list(made.notes),
            }
        )
    else:
        say(made.bloc.code)
        for note in made.notes:
            typer.echo(note, err=True)


@command(app, "edit")
def bloc_edit(
    bloc: BlocArg,
    name: Annotated[str | None, typer.Option("--name", help="Tên mới của khối.")] = None,
    parent: ParentOpt = None,
    place: PlaceOpt = None,
    doc_code: DocCodeOpt = None,
    issue_as: Annotated[
        str | None,
        typer.Option(
            "--issue-as",
            help="Văn bản ban hành dưới tên khối (bloc) hay đơn vị trưởng khối (head).",
        ),
    ] = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Thay đổi có hiệu lực từ ngày này (ví dụ 01/7/2025); văn bản trước ngày đó giữ "
            "giá trị cũ. Không ghi: sửa giá trị hiện hành, không lưu lịch sử.",
        ),
    ] = None,
    force: TwinOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Sửa tên, cơ quan cấp trên, địa danh, ký hiệu văn bản của khối (--from: từ một ngày)."""
    from ..blocs import setting
    from ..core import clock

    with writing() as conn:
        made = setting.edit(
            conn,
            blocs.resolve(conn, bloc),
            name,
            parent,
            place,
            doc_code,
            issue_as,
            from_,
            clock.today(),
            force=force,
        )
    found = made.bloc
    if json_:
        emit_json(found.as_json())
    else:
        when = f" (từ ngày {parse_date(from_):%d/%m/%Y})" if from_ else ""
        say(f"{found.code}: {found.name}{when}")
    for note in made.notes:
        typer.echo(note, err=True)


@command(app, "list")
def bloc_list(json_: JsonOpt = False) -> None:
    """Liệt kê các khối."""
    with reading() as conn:
        found = blocs.list_blocs(conn)
    if json_:
        emit_json([b.as_json() for b in found])
        return
    table(
        None,
        ["Mã", "Tên khối", "Cơ quan cấp trên", "Địa danh"],
        [(b.code, b.name, b.parent or "", b.place or "") for b in found],
    )


@command(app, "join")
def bloc_join(
    bloc: BlocArg,
    year: YearOpt,
    unit: Annotated[
        list[str] | None, typer.Argument(help="Các đơn vị, theo thứ tự của khối.")
    ] = None,
    group: Annotated[
        str | None,
        typer.Option("--group", help='Nhóm trong khối (nếu khối chia nhóm); "" để bỏ nhóm.'),
    ] = None,
    no_group: Annotated[
        bool, typer.Option("--no-group", help="Đưa đơn vị ra khỏi mọi nhóm.")
    ] = False,
    same_as: Annotated[
        int | None,
        typer.Option(
            "--same-as",
            help="Lấy thành viên, thứ tự và nhóm của năm này (ví dụ 2019), bỏ qua đơn vị đã "
            "sáp nhập hoặc giải thể.",
        ),
    ] = None,
    head: Annotated[
        str | None, typer.Option("--head", help="Cùng lúc ghi đơn vị trưởng khối năm mới.")
    ] = None,
    deputy: Annotated[
        str | None, typer.Option("--deputy", help="Cùng lúc ghi đơn vị phó khối năm mới.")
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="Danh sách thành viên từ tệp CSV hoặc Excel .xlsx: dòng tiêu đề, rồi mỗi dòng "
            "một đơn vị ở cột đầu; cột «nhóm» (nếu có) ghi nhóm.",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Thêm đơn vị vào khối cho một năm (gõ tên, hoặc lấy từ tệp CSV/Excel bằng --from), đổi
    nhóm, hoặc lập năm mới theo năm trước (--same-as)."""
    if not unit and same_as is None and from_file is None:
        fail(
            "Hãy nêu các đơn vị, dùng --from TỆP, hoặc lấy theo một năm đã có bằng «--same-as NĂM»."
        )
    if unit and from_file is not None:
        fail("Hãy nêu các đơn vị, hoặc dùng --from TỆP (không dùng cả hai).")
    if deputy and not head:
        fail("«--deputy» cần đi cùng «--head».")
    clear = no_group or (group is not None and not group.strip())
    skipped: list = []
    done = []
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        if same_as is not None:
            copied, skipped = blocs.copy_year(conn, found, year, same_as)
            done = [(u, f"lấy theo năm {same_as}") for u in copied]
        if unit:
            done += blocs.join(
                conn,
                found,
                units.resolve_many(conn, unit),
                year,
                None if clear else group,
                clear_group=clear,
            )
        if from_file is not None:
            for members, in_group in _members_from(conn, from_file, None if clear else group):
                done += blocs.join(
                    conn, found, members, year, in_group, clear_group=clear and in_group is None
                )
        if head:
            blocs.set_head(
                conn,
                found,
                year,
                units.resolve(conn, head),
                units.resolve(conn, deputy) if deputy else None,
            )
    for u in skipped:
        say(f"Bỏ qua «{u.name}»: đã {units.gone_words(u)}.")
    if json_:
        emit_json([{"id": u.id, "name": u.name, "result": what} for u, what in done])
    else:
        for u, what in done:
            say(f"{u.name}: {what}")


def _members_from(conn, path: Path, group: str | None) -> list[tuple[list, str | None]]:
    """(units, group) runs from a member list laid out as `unit[,nhóm]` under a header row."""
    from ..files.sheets import read_rows
    from ..text import match_key

    rows = read_rows(path)
    if len(rows) < 2:
        raise InvalidInput(f"Tệp {path.name} cần một dòng tiêu đề và ít nhất một đơn vị.")
    header = [match_key(h) for h in rows[0]]
    group_col = next((i for i, h in enumerate(header) if h in (match_key("nhóm"), "group")), None)
    runs: list[tuple[list, str | None]] = []
    seen: set[int] = set()
    for number, row in enumerate(rows[1:], 2):
        if not row or not row[0].strip():
            continue
        member = units.resolve_listed(conn, row[0], f"Tệp {path.name}, dòng {number}", seen)
        in_group = group
        if group_col is not None and group_col < len(row) and row[group_col].strip():
            in_group = row[group_col].strip()
        if runs and runs[-1][1] == in_group:
            runs[-1][0].append(member)
        else:
            runs.append(([member], in_group))
    return runs


@command(app, "leave")
def bloc_leave(
    bloc: BlocArg,
    unit: Annotated[str, typer.Argument(help="Đơn vị rời khối.")],
    year: YearOpt,
    json_: JsonOpt = False,
) -> None:
    """Đưa một đơn vị ra khỏi khối cho một năm."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        member = units.resolve(conn, unit)
        blocs.leave(conn, found, member, year)
    answer(
        json_,
        {"bloc": found.code, "year": year, "left": {"id": member.id, "name": member.name}},
        f"{member.name} không còn là thành viên khối {found.code} năm {year}.",
    )


@command(app, "head")
def bloc_head(
    bloc: BlocArg,
    year: YearOpt,
    head: Annotated[str, typer.Option("--head", help="Đơn vị trưởng khối.")],
    deputy: Annotated[str | None, typer.Option("--deputy", help="Đơn vị phó khối.")] = None,
    signer: Annotated[
        str | None, typer.Option("--signer", help="Họ tên người ký văn bản của khối.")
    ] = None,
    signer_title: Annotated[
        str | None,
        typer.Option(
            "--signer-title", help="Chức vụ người ký, ví dụ «Giám đốc Bảo hiểm Xã hội tỉnh»."
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Ghi trưởng khối (và phó khối, người ký) của một năm; phải là thành viên năm đó."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        blocs.set_head(
            conn,
            found,
            year,
            units.resolve(conn, head),
            units.resolve(conn, deputy) if deputy else None,
            signer,
            signer_title,
        )
        picture = blocs.show(conn, found, year)
        w = profiles.for_year(conn, found, year).words
    if json_:
        emit_json(picture.as_json())
    else:
        say(
            f"Năm {year}: {w['head']} {picture.head}; {w['deputy']} {picture.deputy or '(chưa có)'}."
        )


@command(app, "show")
def bloc_show(bloc: BlocArg, year: OptYearOpt = None, json_: JsonOpt = False) -> None:
    """Xem khối trong một năm: trưởng, phó, thành viên và lịch sử bàn giao."""
    with reading() as conn:
        found = blocs.resolve(conn, bloc)
        picture = blocs.show(conn, found, year)
        profile = profiles.for_year(conn, found, picture.year)
    if json_:  # the whole profile, with its awards and history: `tdkt bloc profile BLOC --json`
        brief = ("preset", "system", "system_name", "kind", "style", "addressee", "decider")
        full = profile.as_json()
        emit_json({**picture.as_json(), "profile": {k: full[k] for k in brief}})
        return
    w = profile.words
    say(f"{picture.name} ({picture.code}), năm {picture.year}")
    if picture.parent or picture.place:
        say(
            f"Cơ quan cấp trên: {picture.parent or '(chưa có)'}; địa danh: {picture.place or '(chưa có)'}"
        )
    labels = blocs.ATTR_LABELS
    if len(picture.history) > 1 or (picture.history and picture.history[0]["from"]):
        say(f"Giá trị ngày {parse_date(picture.as_of):%d/%m/%Y}; lịch sử:")
        for h in picture.history:
            since = f"từ ngày {parse_date(h['from']):%d/%m/%Y}" if h["from"] else "từ đầu"
            what = "; ".join(f"{labels[k]}: {v or '(trống)'}" for k, v in h["changes"].items())
            say(f"  {since}: {what}")
    for warning in picture.warnings:
        say(f"Lưu ý: {warning}.")
    say(_profile_line(profile))
    say(
        f"{w['head'][0].upper()}{w['head'][1:]}: {picture.head or '(chưa có)'}; "
        f"{w['deputy']}: {picture.deputy or '(chưa có)'}"
    )
    table(
        None,
        ["STT", "Đơn vị", "Nhóm", "Mã số"],
        [(i, m.name, m.group or "", m.id) for i, m in enumerate(picture.members, 1)],
    )
    if picture.handovers:
        say(
            f"{w['head'][0].upper()}{w['head'][1:]} qua các năm: "
            + "; ".join(f"{h['year']}: {h['head'] or '?'}" for h in picture.handovers)
        )


@command(app, "correct")
def bloc_correct(
    bloc: BlocArg,
    code: Annotated[str | None, typer.Option("--code", help="Mã khối đúng.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Tên khối đúng.")] = None,
    force: TwinOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Sửa mã hoặc tên khối nhập sai (không giữ lịch sử; đổi tên có hiệu lực từ một ngày: bloc edit)."""
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        fixed = blocs.correct(conn, found, code, name, force)
    same = (found.code, found.name) == (fixed.code, fixed.name)
    answer(
        json_,
        fixed.as_json(),
        f"Không có gì thay đổi: khối {fixed.code} «{fixed.name}» đã như vậy."
        if same
        else f"Đã sửa: {found.code} «{found.name}» → {fixed.code} «{fixed.name}».",
    )


@command(app, "remove")
def bloc_remove(bloc: BlocArg, json_: JsonOpt = False) -> None:
    """Xóa một khối nhập nhầm; chỉ được khi khối chưa có bản ghi nào."""
    with writing() as conn:
        gone = blocs.remove(conn, blocs.resolve(conn, bloc))
    answer(json_, {"removed": gone.as_json()}, f"Đã xóa khối {gone.code} «{gone.name}».")


def _profile_line(profile: profiles.Profile) -> str:
    w = profile.words
    leading = profile.leading_award
    return (
        f"Loại: {w['word']}; hệ thống: {profile.system_name} ({profile.preset}); thể thức: "
        f"{profile.style}; khen thưởng {w['leading']}: {leading.name}; kính gửi: "
        f"{profile.addressee or profile.addressee_with_place or '(chưa có)'}"
        + (f" (qua {profile.through})" if profile.through else "")
        + "."
    )


@command(app, "profile")
def bloc_profile(
    bloc: BlocArg,
    valid_from: Annotated[
        str | None,
        typer.Option("--from", help="Áp dụng từ ngày (mặc định: từ đầu)."),
    ] = None,
    file: Annotated[
        str | None,
        typer.Option("--file", help="Tệp YAML các trường muốn đổi (xem templates/profiles/)."),
    ] = None,
    system: Annotated[
        str | None, typer.Option("--system", help="nha-nuoc | dang | hoi | nganh.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="khoi | cum.")] = None,
    style: Annotated[
        str | None, typer.Option("--style", help="nd30 (Nhà nước) | hd36 (Đảng).")
    ] = None,
    addressee: Annotated[
        str | None,
        typer.Option("--addressee", help="Kính gửi, ví dụ «Ban Thường vụ Tỉnh ủy Đắk Lắk»."),
    ] = None,
    through: Annotated[
        str | None,
        typer.Option("--through", help="Gửi qua cơ quan nào, ví dụ «Sở Nội vụ»; «» là không qua."),
    ] = None,
    decider: Annotated[
        str | None,
        typer.Option("--decider", help="Người/cơ quan quyết định khen thưởng (kính trình …)."),
    ] = None,
    office: Annotated[
        str | None, typer.Option("--office", help="Cơ quan thi đua, khen thưởng của hệ thống.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Xem hoặc đổi hồ sơ của khối: khối hay cụm, hệ thống, danh mục khen thưởng, nơi gửi, thể thức."""
    changes: dict = {}
    if file:
        from ..files.yamlio import read

        changes.update(profiles.validate(read(file), f"Tệp {Path(file).name}"))
    simple = {
        "kind": kind,
        "style": style,
        "addressee": addressee,
        "through": through,
        "decider": decider,
        "office": office,
    }
    for key, value in simple.items():
        if value is not None:
            changes[key] = value.strip() or None if key == "through" else value.strip()
    if not changes and system is None:
        with reading() as conn:
            found = blocs.resolve(conn, bloc)
            profile = profiles.of(conn, found, valid_from)
            history = profiles.rows(conn, found.id)
        if json_:
            emit_json({**profile.as_json(), "history": history})
            return
        say(f"{found.name} ({found.code})")
        say(_profile_line(profile))
        table(
            "Danh mục khen thưởng",
            ["Mã", "Tên", "Cơ quan", "Hạng", "Hình thức", "Dẫn đầu", "Chỉ tiêu"],
            [
                (
                    a.code,
                    a.name,
                    a.body,
                    a.rank,
                    "cờ" if a.form == "flag" else "bằng khen",
                    "có" if a.leading else "",
                    a.quota,
                )
                for a in profile.awards
            ],
        )
        for doc, lines in profile.recipients.items():
            say(
                f"Nơi nhận ({doc}): "
                + "; ".join(line.format(word=profile.words["word"]) for line in lines)
            )
        if len(history) > 1:
            say(
                "Các lần đổi: "
                + "; ".join(f"{h['valid_from'] or 'từ đầu'}: {h['preset']}" for h in history)
            )
        return
    with writing() as conn:
        found = blocs.resolve(conn, bloc)
        profile = profiles.set_profile(
            conn,
            found,
            valid_from=valid_from,
            preset_name=system,
            overrides=changes,
            source=f"Tệp {Path(file).name}" if file else "Hồ sơ khối",
        )
    answer(json_, profile.as_json(), f"Đã ghi hồ sơ khối {found.code}. " + _profile_line(profile))
