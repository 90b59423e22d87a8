"""The read-only browser view (`tdkt serve`): Datasette over the file, opened immutable.

Datasette is an optional extra (`pip install 'tdkt-cli[web]'`), imported only here and only by
`tdkt serve`, so no other command pays for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.errors import RuleBroken
from .views import VIEWS

INSTALL = "Xem trên trình duyệt cần Datasette: cài bằng «pip install 'tdkt-cli[web]'»."

# what the office reads, with Vietnamese titles; everything else is hidden
SHOWN = {
    "thành_viên_theo_năm": (
        "Thành viên các khối theo năm",
        "Mỗi dòng một đơn vị trong một khối một năm, với vai trò trưởng khối, phó khối.",
    ),
    "trưởng_phó_khối": (
        "Trưởng khối, phó khối",
        "Đơn vị trưởng khối, phó khối và người ký văn bản của từng khối mỗi năm.",
    ),
    "hội_nghị": ("Hội nghị", "Hội nghị sơ kết, tổng kết, giao ban của các khối."),
    "kết_quả_bỏ_phiếu": (
        "Kết quả bỏ phiếu",
        "Số phiếu và tỉ lệ phiếu của từng đơn vị trong mỗi cuộc bỏ phiếu suy tôn.",
    ),
    "đề_nghị_và_quyết_định": (
        "Đề nghị khen thưởng và quyết định",
        "Các đơn vị khối đề nghị khen thưởng và quyết định đã có.",
    ),
    "lịch_sử_khen_thưởng": (
        "Lịch sử khen thưởng của đơn vị",
        "Mọi danh hiệu một đơn vị đã nhận, ở mọi khối; lọc theo «đơn_vị».",
    ),
    "unit": ("Đơn vị", "Các cơ quan, đơn vị (kèm định danh ổn định)."),
    "bloc": ("Khối thi đua", "Các khối, cụm thi đua."),
    "unit_code": (
        "Mã định danh điện tử",
        "Mã định danh điện tử của đơn vị (QĐ 20/2020/QĐ-TTg), hiện hành và trước đây.",
    ),
}


def metadata(name: str) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for view, (title, description) in SHOWN.items():
        tables[view] = {"title": title, "description": description}
    tables["unit"]["label_column"] = "name"
    tables["bloc"]["label_column"] = "name"
    return {
        "title": "Thi đua khen thưởng: các khối của tỉnh",
        "description": "Dữ liệu các khối thi đua, chỉ đọc (tdkt).",
        "databases": {name: {"tables": tables}},
    }


def hidden(conn: Any) -> list[str]:
    """Tables the office does not need (audit trail, lookups, internals)."""
    names = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    ]
    return [n for n in names if n not in SHOWN and n not in VIEWS]


def build(path: Path) -> Any:
    """A Datasette instance over `path`, opened immutable (never written)."""
    try:
        from datasette.app import Datasette
    except ImportError:
        raise RuleBroken(INSTALL) from None
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        hide = hidden(conn)
    finally:
        conn.close()
    meta = metadata(path.stem)
    tables = meta["databases"][path.stem]["tables"]
    for name in hide:
        tables[name] = {"hidden": True}
    return Datasette(
        immutables=[str(path)],
        metadata=meta,
        settings={"default_page_size": 50, "sql_time_limit_ms": 3000},
    )


def serve(path: Path, port: int) -> None:
    ds = build(path)
    import uvicorn

    uvicorn.run(ds.app(), host="127.0.0.1", port=port, log_level="warning")
