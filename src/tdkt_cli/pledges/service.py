"""Registrations (đăng ký thi đua) and the covenant (giao ước thi đua) of a bloc-year."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence

from ..blocs import service as bloc_service
from ..core.errors import InvalidInput, NotFound, RuleBroken
from ..core.models import Bloc, Covenant, Pledge, Pledges, Unit
from ..meetings import service as meeting_service
from ..text import clean, clean_name, match_key, parse_date
from ..units import service as unit_service


def record(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    unit: Unit,
    title: str,
    targets: Sequence[str] = (),
) -> tuple[Pledge, bool]:
    """Record a member's registration of a title; the same title again replaces its targets.

    Returns the pledge and whether it replaced an earlier one.
    """
    bloc_service.require_member(conn, bloc, unit, year)
    title = catalogue_title(conn, bloc, year, clean_name(title, field="danh hiệu đăng ký"))
    cleaned = [clean(t, field="chỉ tiêu") for t in targets if clean(t)]
    row = conn.execute(
        "SELECT id FROM pledge WHERE bloc_id = ? AND year = ? AND unit_id = ? AND key = ?",
        (bloc.id, year, unit.id, match_key(title)),
    ).fetchone()
    replaced = row is not None
    if replaced:
        pledge_id = row[0]
        conn.execute("UPDATE pledge SET title = ? WHERE id = ?", (title, pledge_id))
        conn.execute("DELETE FROM pledge_target WHERE pledge_id = ?", (pledge_id,))
    else:
        pledge_id = conn.execute(
            "INSERT INTO pledge (bloc_id, year, unit_id, title, key) VALUES (?, ?, ?, ?, ?)",
            (bloc.id, year, unit.id, title, match_key(title)),
        ).lastrowid
    conn.executemany(
        "INSERT INTO pledge_target (pledge_id, position, text) VALUES (?, ?, ?)",
        [(pledge_id, i, t) for i, t in enumerate(cleaned, 1)],
    )
    return Pledge(pledge_id, unit.id, unit.name, title, tuple(cleaned)), replaced


# The titles a collective registers for that no bloc's catalogue holds (they are given by each
# member's own head, Luật Thi đua, khen thưởng 2022, Điều 26–27): kept as typed, by these names.
_OWN_TITLES = ("Tập thể lao động xuất sắc", "Tập thể lao động tiên tiến")


def _loose(text: str) -> str:
    from ..text import loose_key

    key = f" {loose_key(text)} "
    for short, full in ((" ubnd ", " uy ban nhan dan "), (" hdnd ", " hoi dong nhan dan ")):
        key = key.replace(short, full)
    return " ".join(key.split())


def catalogue_title(conn: sqlite3.Connection, bloc: Bloc, year: int, typed: str) -> str:
    """A registered title as the bloc's award catalogue names it («Bằng khen» → «Bằng khen của
    Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn»), like `award propose`: its code, its name, its first
    words or the start of its name when they name one award only. A title of the unit's own
    head (Tập thể lao động xuất sắc …) is kept; anything else is refused, the catalogue listed."""
    from ..blocs import profiles
    from ..text import words

    for own in _OWN_TITLES:
        if _loose(own) == _loose(typed):
            return own
    profile = profiles.for_year(conn, bloc, year)
    catalogue = {a.code: a.name for a in profile.awards}
    key = _loose(typed)
    starts = [c for c, name in catalogue.items() if _loose(name).startswith(key + " ")]
    if len(starts) == 1:
        return catalogue[starts[0]]
    try:
        return catalogue[words.award(typed, catalogue)]
    except InvalidInput:
        listed = "; ".join(f"{code} ({name})" for code, name in catalogue.items())
        raise InvalidInput(
            f"Danh hiệu «{typed}» không có trong danh mục khen thưởng của "
            f"{profile.words['word']} {bloc.code} năm {year} ({listed}) và không phải "
            f"{' hay '.join(_OWN_TITLES)}; ghi một trong các tên đó, hoặc thêm vào danh mục "
            f"trước («tdkt bloc profile {bloc.code} --file DANH_MUC.yaml», khóa awards)."
        ) from None


def sign(
    conn: sqlite3.Connection,
    bloc: Bloc,
    year: int,
    date: str | dt.date,
    meeting_id: int | None = None,
    replace: bool = False,
) -> Covenant:
    """Record that every member of `year` signed the covenant on `date`."""
    day = parse_date(date)
    members = bloc_service.member_ids(conn, bloc.id, year)
    if not members:
        raise RuleBroken(
            f"Khối {bloc.code} chưa có thành viên năm {year}; không có ai để ký giao ước."
        )
    if meeting_id is not None:
        meeting = meeting_service.get(conn, meeting_id)
        if meeting.bloc != bloc.code:
            raise RuleBroken(f"Hội nghị {meeting_id} không thuộc khối {bloc.code}.")
        if meeting.date != day:
            raise RuleBroken(
                f"Hội nghị {meeting_id} họp ngày {meeting.date:%d/%m/%Y}, khác ngày ký {day:%d/%m/%Y}."
            )
    existing = conn.execute(
        "SELECT date FROM covenant WHERE bloc_id = ? AND year = ?", (bloc.id, year)
    ).fetchone()
    if existing and not replace:
        raise RuleBroken(
            f"Giao ước thi đua năm {year} của khối {bloc.code} đã ký ngày "
            f"{dt.date.fromisoformat(existing[0]):%d/%m/%Y}; dùng --replace để ghi lại."
        )
    conn.execute("DELETE FROM covenant WHERE bloc_id = ? AND year = ?", (bloc.id, year))
    conn.execute(
        "INSERT INTO covenant (bloc_id, year, date, meeting_id) VALUES (?, ?, ?, ?)",
        (bloc.id, year, day.isoformat(), meeting_id),
    )
    # a member not founded yet or already ended on the day cannot sign (not_signing says who)
    signing = bloc_service.member_ids_on(conn, bloc.id, year, day)
    if not signing:
        raise RuleBroken(
            f"Ngày {day:%d/%m/%Y} không thành viên nào của khối {bloc.code} năm {year} còn tồn "
            f"tại để ký giao ước: {' '.join(not_signing(conn, bloc, year, day))}"
        )
    conn.executemany(
        "INSERT INTO covenant_signer (bloc_id, year, unit_id) VALUES (?, ?, ?)",
        [(bloc.id, year, uid) for uid in signing],
    )
    return covenant(conn, bloc, year)


def not_signing(conn: sqlite3.Connection, bloc: Bloc, year: int, day: str | dt.date) -> list[str]:
    """The year's members that do not exist on the covenant's `day`, one sentence each naming
    the unit and the date: they are not among its signers."""
    out = []
    for uid in bloc_service.member_ids(conn, bloc.id, year):
        problem = unit_service.existence_problem(unit_service.get(conn, uid), day, "ký giao ước")
        if problem:
            out.append(problem)
    return out


def covenant(conn: sqlite3.Connection, bloc: Bloc, year: int) -> Covenant | None:
    row = conn.execute(
        "SELECT date, meeting_id FROM covenant WHERE bloc_id = ? AND year = ?", (bloc.id, year)
    ).fetchone()
    if row is None:
        return None
    day = dt.date.fromisoformat(row["date"])
    signed = {
        r[0]
        for r in conn.execute(
            "SELECT unit_id FROM covenant_signer WHERE bloc_id = ? AND year = ?", (bloc.id, year)
        )
    }
    order = bloc_service.member_ids(conn, bloc.id, year)
    ordered = [u for u in order if u in signed] + sorted(signed - set(order))
    return Covenant(
        day, row["meeting_id"], tuple(unit_service.name_on(conn, u, day)[0] for u in ordered)
    )


def list_pledges(conn: sqlite3.Connection, bloc: Bloc, year: int) -> Pledges:
    """The year's registrations in the bloc's order, who has not registered, and the covenant."""
    order = {uid: i for i, uid in enumerate(bloc_service.member_ids(conn, bloc.id, year))}
    rows = conn.execute(
        "SELECT id, unit_id, title FROM pledge WHERE bloc_id = ? AND year = ?", (bloc.id, year)
    ).fetchall()
    rows.sort(key=lambda r: (order.get(r["unit_id"], len(order)), r["id"]))
    regs = []
    for r in rows:
        targets = tuple(
            t[0]
            for t in conn.execute(
                "SELECT text FROM pledge_target WHERE pledge_id = ? ORDER BY position", (r["id"],)
            )
        )
        name = unit_service.name_on(conn, r["unit_id"], dt.date(year, 1, 1))[0]
        regs.append(Pledge(r["id"], r["unit_id"], name, r["title"], targets))
    registered = {r["unit_id"] for r in rows}
    missing = tuple(
        unit_service.name_on(conn, uid, None)[0] for uid in order if uid not in registered
    )
    return Pledges(bloc.code, year, tuple(regs), covenant(conn, bloc, year), missing)


# --- corrections ------------------------------------------------------------------------------


def _pledge_row(conn: sqlite3.Connection, pledge_id: int) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM pledge WHERE id = ?", (pledge_id,)).fetchone()
    if row is None:
        raise NotFound(f"Không có đăng ký thi đua mã số {pledge_id}.")
    return row


def get(conn: sqlite3.Connection, pledge_id: int) -> Pledge:
    row = _pledge_row(conn, pledge_id)
    targets = tuple(
        r[0]
        for r in conn.execute(
            "SELECT text FROM pledge_target WHERE pledge_id = ? ORDER BY position", (pledge_id,)
        )
    )
    name = unit_service.get(conn, row["unit_id"]).name
    return Pledge(row["id"], row["unit_id"], name, row["title"], targets)


def edit(
    conn: sqlite3.Connection,
    pledge_id: int,
    title: str | None = None,
    targets: Sequence[str] | None = None,
) -> tuple[Pledge, Pledge]:
    """Correct a registration's title or targets (None keeps them). Returns (before, after)."""
    before = get(conn, pledge_id)
    row = _pledge_row(conn, pledge_id)
    if title is not None:
        bloc = bloc_service.get(conn, row["bloc_id"])
        title = catalogue_title(
            conn, bloc, row["year"], clean_name(title, field="danh hiệu đăng ký")
        )
        other = conn.execute(
            "SELECT id FROM pledge WHERE bloc_id = ? AND year = ? AND unit_id = ? AND key = ? "
            "AND id != ?",
            (row["bloc_id"], row["year"], row["unit_id"], match_key(title), pledge_id),
        ).fetchone()
        if other:
            raise RuleBroken(
                f"{before.unit} đã đăng ký «{title}» năm {row['year']} (mã số {other[0]})."
            )
        conn.execute(
            "UPDATE pledge SET title = ?, key = ? WHERE id = ?",
            (title, match_key(title), pledge_id),
        )
    if targets is not None:
        cleaned = [clean(t, field="chỉ tiêu") for t in targets if clean(t)]
        conn.execute("DELETE FROM pledge_target WHERE pledge_id = ?", (pledge_id,))
        conn.executemany(
            "INSERT INTO pledge_target (pledge_id, position, text) VALUES (?, ?, ?)",
            [(pledge_id, i, t) for i, t in enumerate(cleaned, 1)],
        )
    after = get(conn, pledge_id)
    if after == before:
        raise RuleBroken(f"Không có gì thay đổi ở đăng ký mã số {pledge_id}.")
    return before, after


def remove(conn: sqlite3.Connection, pledge_id: int) -> Pledge:
    """Remove a registration recorded by mistake."""
    gone = get(conn, pledge_id)
    conn.execute("DELETE FROM pledge_target WHERE pledge_id = ?", (pledge_id,))
    conn.execute("DELETE FROM pledge WHERE id = ?", (pledge_id,))
    return gone


def unsign(conn: sqlite3.Connection, bloc: Bloc, year: int) -> Covenant:
    """Remove the record of the covenant's signing (recorded by mistake or on the wrong day)."""
    found = covenant(conn, bloc, year)
    if found is None:
        raise NotFound(f"Khối {bloc.code} chưa ghi ký giao ước thi đua năm {year}.")
    conn.execute("DELETE FROM covenant_signer WHERE bloc_id = ? AND year = ?", (bloc.id, year))
    conn.execute("DELETE FROM covenant WHERE bloc_id = ? AND year = ?", (bloc.id, year))
    return found
