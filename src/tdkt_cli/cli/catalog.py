"""The command tree, described once: every noun and top-level command, its help and its module.

Both doors into the program read this module. `cli/__init__.py` builds the Typer app from it,
and the quick path (`startup/fast.py`, `startup/fasthelp.py`) reads it to find the one module a
command line names and to print `tdkt --help` without importing Typer. Below this level each
command describes itself once, in its own module: its name in `@command(app, "…")`, its options
in the function's `Annotated` signature and its help in the docstring; both doors read those too.

This module imports nothing (no Typer, no Rich, not even `typing`): it is data.
"""

from __future__ import annotations

APP_HELP = (
    "Sổ sách và văn bản của khối thi đua: đơn vị, khối, hội nghị, giao ước, bỏ phiếu, báo cáo."
)
# Click's own help option, said in Vietnamese (cli.common gives it this text)
HELP_OPTION = ("-h", "--help")
HELP_OPTION_TEXT = "Hiện hướng dẫn này rồi thoát."


class Noun:
    """A group of commands (`tdkt unit …`): the cli module holding its sub-app, its help, and
    the verbs that never write the database (reads, and documents made from it), which the quick
    path may answer."""

    __slots__ = ("help", "module", "reads")

    def __init__(self, module: str, help: str, reads: tuple[str, ...] = ()) -> None:
        self.module, self.help, self.reads = module, help, frozenset(reads)


class Top:
    """A top-level command (`tdkt log`): its module and function, its help, and whether it only
    reads. `module` None is cli/tree.py, where the app itself is built."""

    __slots__ = ("function", "help", "module", "reads")

    def __init__(self, module: str | None, function: str, help: str, reads: bool = False) -> None:
        self.module, self.function, self.help, self.reads = module, function, help, reads


NOUNS: dict[str, Noun] = {
    "unit": Noun("unit", "Đơn vị: thêm, liệt kê, đổi tên, sáp nhập.", ("list", "show")),
    "bloc": Noun(
        "bloc",
        "Khối thi đua: thêm, thành viên theo năm, trưởng khối và phó khối.",
        ("list", "show"),
    ),
    "body": Noun(
        "body",
        "Danh mục cơ quan cấp trên: tỉnh, thành phố, bộ, ngành, cấp ủy, hội; khen thưởng của mỗi "
        "cơ quan.",
        ("list", "show"),
    ),
    "meeting": Noun("meeting", "Hội nghị: sơ kết, tổng kết, giao ban.", ("list", "show")),
    "pledge": Noun("pledge", "Đăng ký thi đua và giao ước thi đua.", ("list",)),
    "vote": Noun(
        "vote", "Bỏ phiếu suy tôn và bình xét: mở, ghi phiếu, kiểm phiếu, đóng.", ("list", "tally")
    ),
    "award": Noun(
        "award", "Khen thưởng: đề nghị, quyết định, lịch sử khen thưởng của đơn vị.", ("list",)
    ),
    "score": Noun(
        "score",
        "Chấm điểm thi đua: tiêu chí, tự chấm, thẩm định, khóa điểm, xếp hạng.",
        ("table", "missing"),
    ),
    "exemplar": Noun(
        "exemplar",
        "Điển hình tiên tiến: tập thể, cá nhân tiêu biểu theo năm và phong trào.",
        ("list",),
    ),
    "activity": Noun(
        "activity", "Hoạt động chung của khối và đóng góp của các thành viên.", ("list",)
    ),
    "movement": Noun(
        "movement",
        "Phong trào thi đua: cấp phát động, đơn vị chủ trì, phối hợp và báo cáo định kỳ.",
        ("list",),
    ),
    "report": Noun(
        "report",
        "Văn bản: báo cáo sơ kết, tổng kết, biên bản, biên bản kiểm phiếu, tờ trình, giao ước, "
        "phiếu bầu.",
        # documents: they read the database and write one file, atomically (files.write)
        ("semiannual", "annual", "minutes", "tally", "proposal", "covenant", "ballot"),
    ),
    "db": Noun("db", "Kiểm tra và sao lưu tệp cơ sở dữ liệu.", ("check",)),
}

TOP: dict[str, Top] = {
    "completion": Top(
        "completion",
        "completion",
        "In đoạn lệnh bật gợi ý lệnh (phím Tab) cho shell; xem README, mục «Tab completion».",
    ),
    "demo": Top(
        "data",
        "demo",
        "Nạp dữ liệu mẫu (từ các bài báo về khối thi đua) vào cơ sở dữ liệu mới, rồi lập văn bản.",
    ),
    "export": Top(
        "data", "export", "Xuất mọi dữ liệu (hoặc một khối) ra YAML; định dạng mô tả trong README."
    ),
    "import": Top(
        "data",
        "import_",
        "Nhập một hay nhiều tệp (của các khối, thư ký khác nhau) vào cơ sở dữ liệu: ghép theo định "
        "danh, mã định danh điện tử rồi tên; có điểm không khớp thì liệt kê và không ghi gì.",
    ),
    "init": Top(None, "init", "Tạo (hoặc nâng cấp) tệp cơ sở dữ liệu và cho biết nó nằm ở đâu."),
    "log": Top(
        "audit", "log", "Nhật ký mọi thao tác ghi: lúc nào, ai, lệnh gì, dữ liệu cũ và mới.", True
    ),
    "province": Top(
        "province",
        "province",
        "Toàn cảnh các khối trong năm: trưởng, phó khối, hội nghị, giao ước, bỏ phiếu, khen "
        "thưởng, chấm điểm.",
        True,
    ),
    "redo": Top(
        "audit",
        "redo",
        "Làm lại những gì lần hoàn tác gần nhất đã bỏ, khi chưa có thao tác ghi mới.",
    ),
    "serve": Top(
        "web",
        "serve",
        "Mở cơ sở dữ liệu chỉ đọc trên trình duyệt (http://127.0.0.1:CỔNG), cho văn phòng thi đua.",
    ),
    "undo": Top(
        "audit",
        "undo",
        "Hoàn tác thao tác ghi gần nhất chưa hoàn tác; chạy lại thì lùi thêm một bước.",
    ),
}


def named(argv: list[str]) -> str | None:
    """The noun or top-level command in argv, skipping the root's own options."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("--db", "--by"):
            skip = True
        elif arg.startswith("-"):
            continue
        else:
            return arg if arg in NOUNS or arg in TOP else None
    return None
