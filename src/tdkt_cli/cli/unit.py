"""tdkt unit …: the agencies that make up blocs."""

from __future__ import annotations

from typing import Annotated

import typer

from ..blocs import service as blocs
from ..core.errors import InvalidInput
from ..units import service as units
from ..units import signers as signer_service
from .common import (
    JsonOpt,
    OptBlocOpt,
    OptYearOpt,
    answer,
    command,
    emit_json,
    reading,
    say,
    sub_app,
    table,
    writing,
)

app = sub_app()  # its help: catalog.NOUNS

UnitArg = Annotated[
    str, typer.Argument(help="Mã số, tên, tên viết tắt hoặc tên gọi khác của đơn vị.")
]
OnOpt = Annotated[str, typer.Option("--on", help="Ngày có hiệu lực: 01/3/2025 hoặc 2025-03-01.")]
TwinOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Vẫn ghi khi tên in ra gần như tên một đơn vị đã có (thật là hai đơn vị khác nhau).",
    ),
]


@command(app, "add")
def unit_add(
    name: Annotated[str, typer.Argument(help="Tên chính thức, ví dụ «Sở Y tế».")],
    short: Annotated[str | None, typer.Option("--short", help="Tên viết tắt, ví dụ «SYT».")] = None,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="Tên gọi khác (lặp lại được).")
    ] = None,
    founded: Annotated[
        str | None, typer.Option("--founded", help="Ngày thành lập (nếu thành lập giữa chừng).")
    ] = None,
    force: TwinOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Thêm một đơn vị; in mã số của đơn vị mới."""
    with writing() as conn:
        unit = units.add(conn, name, short, alias or [], founded=founded, force=force)
    if json_:
        emit_json(unit.as_json())
    else:
        say(str(unit.id))


@command(app, "list")
def unit_list(bloc: OptBlocOpt = None, year: OptYearOpt = None, json_: JsonOpt = False) -> None:
    """Liệt kê đơn vị (theo thứ tự của khối khi có --bloc)."""
    with reading() as conn:
        bloc_id = blocs.resolve(conn, bloc).id if bloc else None
        found = units.list_units(conn, bloc_id, year)
    if json_:
        emit_json([u.as_json() for u in found])
        return
    rows = [(u.id, u.name, u.short or "", "; ".join(u.aliases)) for u in found]
    table(None, ["Mã số", "Tên đơn vị", "Viết tắt", "Tên gọi khác"], rows)


@command(app, "show")
def unit_show(unit: UnitArg, json_: JsonOpt = False) -> None:
    """Xem một đơn vị: các tên gọi, tên cũ và lịch sử sáp nhập."""
    with reading() as conn:
        found = units.resolve_part(conn, unit)
        merged = units.lineage(conn, found.id)
        into = units.get(conn, found.merged_into) if found.merged_into else None
        signer = signer_service.signer_on(conn, found.id, None)
    if json_:
        data = found.as_json()
        data["merged_from"] = [m.as_json() for m in merged]
        data["signer"] = signer.as_json() if signer else None
        emit_json(data)
        return
    say(f"{found.name} (mã số {found.id})")
    if found.short:
        say(f"  Viết tắt: {found.short}")
    if found.aliases:
        say(f"  Tên gọi khác: {'; '.join(found.aliases)}")
    for f in found.former:
        say(f"  Tên cũ (đến hết ngày trước {f.until:%d/%m/%Y}): {f.name}")
    for m in merged:
        say(f"  Tiếp nhận do sáp nhập: {m.name} (từ {m.ended_on:%d/%m/%Y})")
    if found.founded_on:
        say(f"  Thành lập từ ngày {found.founded_on:%d/%m/%Y}")
    if into:
        say(f"  Đã sáp nhập vào {into.name} từ {found.ended_on:%d/%m/%Y}")
    elif found.ended_on:
        why = f" ({found.end_reason})" if found.end_reason else ""
        say(f"  Đã giải thể từ ngày {found.ended_on:%d/%m/%Y}{why}")
    if signer:
        say(f"  Người ký: {_signer_words(signer)}")


@command(app, "alias")
def unit_alias(
    unit: UnitArg,
    alias: Annotated[list[str], typer.Argument(help="Một hoặc nhiều tên gọi khác.")],
    remove: Annotated[
        bool, typer.Option("--remove", help="Bỏ các tên gọi khác này thay vì thêm.")
    ] = False,
    force: TwinOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Thêm (hoặc bỏ, với --remove) tên gọi khác của một đơn vị (ví dụ «Sở GDĐT»)."""
    dropped: list[str] = []
    with writing() as conn:
        found = units.resolve(conn, unit)
        if remove:
            found = units.remove_alias(conn, found, alias)
        else:
            found, dropped = units.add_alias_report(conn, found, alias, force=force)
    if json_:
        emit_json({**found.as_json(), "dropped": dropped})
        return
    say(f"{found.name}: {'; '.join(found.aliases) or '(không có tên gọi khác)'}")
    if dropped:
        say(f"Bỏ qua vì trùng tên đã có: {'; '.join(dropped)}.")


@command(app, "rename")
def unit_rename(
    unit: UnitArg,
    new_name: Annotated[str, typer.Argument(help="Tên mới.")],
    on: Annotated[
        str | None, typer.Option("--on", help="Ngày có hiệu lực: 01/3/2025 hoặc 2025-03-01.")
    ] = None,
    correct: Annotated[
        bool,
        typer.Option(
            "--correct",
            help="Sửa lỗi chính tả: không giữ tên cũ, mọi văn bản dùng tên đã sửa.",
        ),
    ] = False,
    short: Annotated[str | None, typer.Option("--short", help="Tên viết tắt mới.")] = None,
    force: TwinOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Đổi tên đơn vị từ một ngày (--on), hoặc sửa lỗi chính tả của tên (--correct)."""
    if correct == (on is not None):
        raise InvalidInput("Cần đúng một trong hai: --on NGÀY (đổi tên) hoặc --correct (sửa lỗi).")
    with writing() as conn:
        found = units.resolve(conn, unit)
        if correct:
            found, before = units.correct(conn, found, new_name, short, force=force)
        else:
            found = units.rename(conn, found, new_name, on, short, force=force)
    if json_:
        emit_json(found.as_json())
    elif correct:
        say(f"Đã sửa tên: {before} → {found.name} (không giữ tên cũ).")
    else:
        say(
            f"Đã đổi tên: {found.former[-1].name} → {found.name} (từ {found.former[-1].until:%d/%m/%Y})."
        )


@command(app, "merge")
def unit_merge(
    unit: Annotated[list[str], typer.Argument(help="Các đơn vị bị sáp nhập.")],
    into: Annotated[str, typer.Option("--into", help="Đơn vị tiếp nhận.")],
    on: OnOpt,
    json_: JsonOpt = False,
) -> None:
    """Ghi nhận sáp nhập đơn vị vào một đơn vị khác từ một ngày; lịch sử giữ nguyên."""
    with writing() as conn:
        target = units.resolve(conn, into)
        merged = units.merge(conn, units.resolve_many(conn, unit), target, on)
        touched = units.affected(conn, [m.id for m in merged], merged[0].ended_on)
    if json_:
        emit_json([m.as_json() for m in merged])
    else:
        for m in merged:
            say(f"{m.name} → {target.name} (từ {m.ended_on:%d/%m/%Y}).")
        _say_affected(touched)


@command(app, "remove")
def unit_remove(unit: UnitArg, json_: JsonOpt = False) -> None:
    """Xóa một đơn vị nhập nhầm; chỉ được khi chưa có bản ghi nào nêu tên đơn vị đó."""
    with writing() as conn:
        gone = units.remove(conn, units.resolve(conn, unit))
    answer(json_, {"removed": gone.as_json()}, f"Đã xóa đơn vị {gone.name} (mã số {gone.id}).")


def _say_affected(touched: list[str]) -> None:
    if touched:
        say("Khối và năm bị ảnh hưởng (cần xem lại thành viên, trưởng/phó khối):")
        for line in touched:
            say(f"  {line}")


@command(app, "end")
def unit_end(
    unit: UnitArg,
    on: OnOpt,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Lý do, ví dụ «kết thúc hoạt động cấp huyện».")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Ghi nhận đơn vị giải thể (không có đơn vị tiếp nhận) từ một ngày; lịch sử giữ nguyên."""
    with writing() as conn:
        found = units.end(conn, units.resolve(conn, unit), on, reason)
        touched = units.affected(conn, [found.id], found.ended_on)
    if json_:
        data = found.as_json()
        data["affected"] = touched
        emit_json(data)
    else:
        say(f"{found.name}: giải thể từ ngày {found.ended_on:%d/%m/%Y}.")
        _say_affected(touched)


def _signer_words(s) -> str:
    since = f" (từ {s.valid_from:%d/%m/%Y})" if s.valid_from else ""
    return f"{s.name}, {' / '.join(s.lines())}{since}"


def _signer_list(conn, unit) -> list:
    return signer_service.periods(conn, unit.id)


def _dmy(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _show_signers(found, periods, json_: bool) -> None:
    if json_:
        emit_json(
            {
                "unit": found.as_json(),
                "signers": [{**p.value.as_json(), "until": p.until} for p in periods],
            }
        )
        return
    if not periods:
        say(f"{found.name}: chưa ghi người ký.")
        return
    rows = [
        (
            _dmy(p.valid_from) if p.valid_from else "từ đầu",
            _dmy(p.until) if p.until else "",
            p.value.name,
            " / ".join(p.value.lines()),
        )
        for p in periods
    ]
    table(f"Người ký của {found.name}", ["Từ ngày", "Đến trước ngày", "Họ tên", "Chức vụ"], rows)


@command(app, "signer")
def unit_signer(
    unit: Annotated[
        str | None,
        typer.Argument(help="Đơn vị (bỏ trống khi dùng --from-file)."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Họ tên người ký.")] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="Chức vụ in dưới chữ ký, ví dụ «Chủ tịch», «Phó Giám đốc»."),
    ] = None,
    for_body: Annotated[
        str | None,
        typer.Option(
            "--for",
            help="Ký thay mặt tập thể: «Ủy ban nhân dân» in «TM. ỦY BAN NHÂN DÂN»; "
            "«Ban Thường vụ» (Đảng) in «T/M BAN THƯỜNG VỤ».",
        ),
    ] = None,
    deputy_of: Annotated[
        str | None,
        typer.Option(
            "--deputy-of",
            help="Cấp phó ký thay người đứng đầu: --deputy-of «Giám đốc» in «KT. GIÁM ĐỐC».",
        ),
    ] = None,
    valid_from: Annotated[
        str | None,
        typer.Option(
            "--from", help="Ký từ ngày này (bỏ trống: từ đầu). 01/7/2025 hoặc 2025-07-01."
        ),
    ] = None,
    replace_same_day: Annotated[
        bool, typer.Option("--replace", help="Thay người ký đã ghi cùng ngày (sửa nhầm).")
    ] = False,
    remove: Annotated[
        bool, typer.Option("--remove", help="Bỏ người ký ghi từ ngày --from (sửa nhầm).")
    ] = False,
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from-file",
            help="Tệp .csv/.xlsx có các cột unit, name, title, for, from (deputy_of nếu có).",
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Ghi người ký của một đơn vị từ một ngày; chỉ nêu đơn vị thì xem lịch sử người ký."""
    from pathlib import Path

    if from_file is not None:
        if unit or name or title or for_body or deputy_of or valid_from or remove:
            raise InvalidInput(
                "Tùy chọn --from-file không dùng cùng tên đơn vị, --name, --title hay --from."
            )
        with writing() as conn:
            plan = signer_service.read_file(conn, Path(from_file), replace_same_day)
            written = signer_service.write_file_rows(conn, plan)
        answer(
            json_,
            {
                "written": written,
                "unchanged": len(plan) - written,
                "signers": [
                    {"unit": u.id, **signer_service.as_signer(r).as_json()} for u, r, _ in plan
                ],
            },
            f"Đã ghi {written} người ký"
            + (f" ({len(plan) - written} đã có, giữ nguyên)." if len(plan) > written else "."),
        )
        return
    if not unit:
        raise InvalidInput("Cần nêu đơn vị (hoặc --from-file TỆP).")
    if remove:
        if name or title or for_body or deputy_of or replace_same_day:
            raise InvalidInput(
                "Tùy chọn --remove chỉ cần đơn vị và --from (ngày của người ký cần bỏ)."
            )
        with writing() as conn:
            found = units.resolve(conn, unit)
            gone = signer_service.remove_signer(conn, found, valid_from)
        answer(
            json_,
            {"unit": found.as_json(), "removed": gone.as_json()},
            f"Đã bỏ người ký {gone.name} của {found.name}.",
        )
        return
    if name is None and title is None and for_body is None and deputy_of is None:
        if valid_from or replace_same_day:
            raise InvalidInput("Cần --name và --title của người ký.")
        with reading() as conn:
            found = units.resolve(conn, unit)
            periods = _signer_list(conn, found)
        _show_signers(found, periods, json_)
        return
    if name is None or title is None:
        raise InvalidInput("Cần cả --name (họ tên) và --title (chức vụ) của người ký.")
    with writing() as conn:
        found = units.resolve(conn, unit)
        signer, old = signer_service.set_signer(
            conn,
            found,
            name,
            title,
            for_body=for_body,
            deputy_of=deputy_of,
            valid_from=valid_from,
            replace=replace_same_day,
        )
    data = {
        "unit": found.as_json(),
        "signer": signer.as_json(),
        "replaced": old.as_json() if old else None,
    }
    words = f"{found.name}: {_signer_words(signer)}" + (f" (thay {old.name})" if old else "") + "."
    answer(json_, data, words)


@command(app, "signers")
def unit_signers(unit: UnitArg, json_: JsonOpt = False) -> None:
    """Lịch sử người ký của một đơn vị."""
    with reading() as conn:
        found = units.resolve(conn, unit)
        periods = _signer_list(conn, found)
    _show_signers(found, periods, json_)
