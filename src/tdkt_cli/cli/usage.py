"""Usage errors in Vietnamese.

Click (vendored in Typer) builds its usage messages as English f-strings, so they are matched
here by pattern and said again in Vietnamese, with where to find help. Anything unmatched is
shown as Click said it, after a Vietnamese lead-in: never worse than before.
"""

from __future__ import annotations

import re

_VALUE_PROBLEMS = [
    (r"'(.*)' is not a valid int(eger)?\.?", "«{0}» không phải số nguyên"),
    (r"'(.*)' is not a valid float\.?", "«{0}» không phải số"),
    (r"'(.*)' is not a valid boolean\.?", "«{0}» không phải có/không"),
    (r"'(.*)' is not one of (.*)\.", "«{0}» không thuộc các giá trị {1}"),
    (r"File '(.*)' does not exist\.?", "không có tệp «{0}»"),
    (r"(?:File|Path) '(.*)' is a directory\.?", "«{0}» là thư mục, không phải tệp"),
]

_PATTERNS = [
    (r"Missing option '(.+?)'\.?", "Thiếu tùy chọn {0}."),
    (r"Missing argument '(.+?)'\.?", "Thiếu tham số {0}."),
    (
        r"No such option: (\S+) \(Possible options: (.+)\)",
        "Không có tùy chọn {0}; có phải ý bạn là {1}?",
    ),
    (
        r"No such option: (\S+?)\.? Did you mean (\S+?)\??$",
        "Không có tùy chọn {0}; có phải ý bạn là {1}?",
    ),
    (r"No such option: (\S+)", "Không có tùy chọn {0}."),
    (
        r"No such command '(.+?)'\. Did you mean (?:one of )?(.+?)\?$",
        lambda name, guesses: f"Không có lệnh «{name}»; có phải ý bạn là {_or(guesses)}?",
    ),
    (r"No such command '(.+?)'\.?", "Không có lệnh «{0}»."),
    (r"Got unexpected extra arguments? ?\(?s?\)? \((.+)\)", "Thừa tham số: {0}."),
    (r"Option '(.+?)' requires an argument\.?", "Tùy chọn {0} cần một giá trị."),
    (r"Option '(.+?)' requires (\d+) arguments\.?", "Tùy chọn {0} cần {1} giá trị."),
    (
        r"Option '(.+?)' does not take a value\.?",
        "Tùy chọn {0} không nhận giá trị; chỉ cần gõ {0} (không có «=…»).",
    ),
]


def _or(guesses: str) -> str:
    """ "'list', 'alias'" (Click's repr of its guesses) → "«list» hoặc «alias»"."""
    words = re.findall(r"'([^']*)'", guesses) or [guesses.strip("'\" ")]
    quoted = [f"«{w}»" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " hoặc " + quoted[-1]


def vietnamese(message: str) -> str:
    """One Vietnamese sentence for a Click usage message."""
    message = message.strip()
    m = re.match(r"Invalid value for (.+?): (.+)$", message, re.S)
    if m:
        where, problem = m.group(1).replace("'", ""), m.group(2).strip()
        for pattern, template in _VALUE_PROBLEMS:
            p = re.match(pattern, problem)
            if p:
                problem = template.format(*p.groups())
                break
        return f"Giá trị không hợp lệ cho {where}: {problem.rstrip('.')}."
    for pattern, template in _PATTERNS:
        m = re.match(pattern, message)
        if m:
            if callable(template):
                return template(*m.groups())
            return template.format(*m.groups())
    return f"Lệnh chưa đúng cú pháp: {message}"


HELP_TITLES = {
    "ARGUMENTS_PANEL_TITLE": "Tham số",
    "OPTIONS_PANEL_TITLE": "Tùy chọn",
    "COMMANDS_PANEL_TITLE": "Lệnh",
    "ERRORS_PANEL_TITLE": "Lỗi",
    "DEFAULT_STRING": "[mặc định: {}]",
    "ENVVAR_STRING": "[biến môi trường: {}]",
    "REQUIRED_LONG_STRING": "[bắt buộc]",
    "ABORTED_TEXT": "Đã hủy.",
    "RICH_HELP": "Xem hướng dẫn: [blue]{command_path} {help_option}[/]",
}


def translate_help() -> None:
    """Vietnamese panel titles for the help screen (Typer reads these module constants)."""
    from typer import rich_utils

    for name, text in HELP_TITLES.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
