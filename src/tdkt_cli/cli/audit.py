"""tdkt log, tdkt undo and tdkt redo: the audit trail of every write, and stepping along it."""

from __future__ import annotations

from typing import Annotated

import typer

from ..audit import trail as audit
from ..blocs import service as blocs
from ..units import service as units
from .common import (
    JsonOpt,
    YesOpt,
    confirm,
    emit_json,
    reading,
    say,
    table,
    writing,
)

KIND = {"undo": "hoàn tác", "redo": "làm lại"}


def _note(e: audit.Entry) -> str:
    if e.kind == "do":
        return f"đã hoàn tác (thao tác số {e.undone_by})" if e.undone_by else ""
    redone = f", đã làm lại (thao tác số {e.undone_by})" if e.undone_by else ""
    return KIND.get(e.kind, e.kind) + redone


def log(
    since: Annotated[str | None, typer.Option("--since", help="Từ ngày.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Đến ngày.")] = None,
    bloc: Annotated[
        str | None, typer.Option("--bloc", "-b", help="Chỉ thao tác chạm tới khối này.")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Chỉ thao tác chạm tới đơn vị này.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Số dòng tối đa.")] = 50,
    show: Annotated[
        int | None, typer.Option("--show", help="Xem một thao tác đã thay đổi những gì.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    # its help: catalog.TOP["log"]
    with reading() as conn:
        if show is not None:
            if json_:
                emit_json(audit.changes(conn, show))
                return
            entry, lines = audit.describe(conn, show)
            note = _note(entry)
            say(
                f"Thao tác số {entry.id} lúc {audit.people_time(entry.at)} của {entry.by or '?'}: "
                f"{entry.argv}" + (f" ({note})" if note else "")
            )
            for line in lines:
                say(f"- {line}")
            return
        entries = audit.log(
            conn,
            since,
            until,
            blocs.resolve(conn, bloc).id if bloc else None,
            units.resolve(conn, unit).id if unit else None,
            limit,
        )
    if json_:
        emit_json([e.as_json() for e in entries])
        return
    table(
        None,
        ["Số", "Lúc", "Người", "Lệnh", "Dòng đổi", "Ghi chú"],
        [(e.id, audit.people_time(e.at), e.by, e.argv, e.changes, _note(e)) for e in entries],
    )


def _done(json_: bool, key: str, verb: str, steps: list[audit.Step]) -> None:
    if json_:
        emit_json({key: [s.as_json() for s in steps]})
        return
    for s in steps:
        say(f"Đã {verb} {s.text()}")


def undo(
    to: Annotated[
        int | None,
        typer.Option("--to", help="Đưa dữ liệu về đúng như ngay sau thao tác số này."),
    ] = None,
    yes: YesOpt = False,
    json_: JsonOpt = False,
) -> None:
    # its help: catalog.TOP["undo"]
    with reading() as conn:
        planned = audit.undo_plan(conn, to)
    listed = "; ".join(s.text() for s in planned)
    confirm(f"Hoàn tác {listed}?", yes)
    with writing() as conn:
        steps = audit.undo(conn, to, planned)
    _done(json_, "reverted", "hoàn tác", steps)


def redo(yes: YesOpt = False, json_: JsonOpt = False) -> None:
    # its help: catalog.TOP["redo"]
    with reading() as conn:
        planned = audit.redo_plan(conn)
    listed = "; ".join(s.text() for s in planned)
    confirm(f"Làm lại {listed}?", yes)
    with writing() as conn:
        steps = audit.redo(conn, planned)
    _done(json_, "reapplied", "làm lại", steps)
