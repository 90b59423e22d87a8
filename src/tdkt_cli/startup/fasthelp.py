"""The help screens of the groups (`tdkt -h`, `tdkt NOUN -h`): plain text, the same from both doors.

Through Typer, a group's help means importing its command modules (and their services) and
drawing panels with Rich: more than `sqlite-utils --help` costs. So a group's screen is plain text
made by `screen()`, and Typer's groups call `screen()` too (cli.common.VietGroup.format_help) with
what Click holds. The quick path feeds it the same description without Typer:
- `tdkt -h`: cli/catalog.py (the app's help, every noun's and top-level command's help) and the
  root's options, read from the root callback's own signature (cli/tree.py, under the stand-in);
- `tdkt NOUN -h`: the noun's help from the catalogue, and its commands' names and docstrings from
  the noun's module. That module is read with `ast`, not imported: importing it would import its
  services (dataclasses, regular expressions), several times the cost of the whole screen.
tests/test_fast.py checks both doors print the same bytes, for the root and for every noun. A
command's own help (`tdkt unit list -h`) stays Typer's.
"""

from __future__ import annotations

import os
import sys

FOOTER = "Hướng dẫn của từng lệnh: {path} LỆNH -h."
USAGE = "Cách dùng: {path} [TÙY CHỌN] LỆNH [THAM SỐ]..."


def summary(text: str) -> str:
    """A command's line in a list: the first paragraph of its help, on one line."""
    return " ".join(text.strip().split("\n\n")[0].split())


def option_words(decls: list[str] | tuple[str, ...], metavar: str | None) -> str:
    return ", ".join(decls) + (f" {metavar}" if metavar else "")


def width() -> int:
    """The terminal's columns (COLUMNS first, as Click and Rich read it), kept between 40 and 100."""
    from ..core.terminal import columns

    return max(40, min(columns(80), 100))


def _wrap(text: str, first: str, rest: str, columns: int) -> list[str]:
    """`text` broken between words to `columns`, after `first` on the first line, `rest` after."""
    lines, line, fresh = [], first, True
    for word in text.split():
        if not fresh and len(line) + 1 + len(word) > columns:
            lines.append(line)
            line, fresh = rest, True
        line += word if fresh else " " + word
        fresh = False
    lines.append(line)
    return lines


def screen(
    path: str,
    help_text: str,
    options: list[tuple[str, str]],
    commands: list[tuple[str, str]],
) -> str:
    """A group's help screen; `options` and `commands` are (words, help) pairs in order."""
    columns = width()
    entries = options + [(name, summary(text)) for name, text in commands]
    name_width = min(max(len(name) for name, _ in entries), 24) + 2
    lines = [USAGE.format(path=path), ""]
    for paragraph in help_text.strip().split("\n\n"):
        lines += [*_wrap(paragraph, " ", " ", columns), ""]

    def block(title: str, items: list[tuple[str, str]]) -> None:
        lines.append(title)
        for name, text in items:
            if len(name) + 2 > name_width:  # a long name: its help on the next line
                lines.append(f"  {name}")
                lines.extend(_wrap(text, " " * (2 + name_width), " " * (2 + name_width), columns))
            else:
                lead = f"  {name.ljust(name_width)}"
                lines.extend(_wrap(text, lead, " " * len(lead), columns))

    block("Tùy chọn:", options)
    lines.append("")
    block("Lệnh:", [(name, summary(text)) for name, text in commands])
    lines += ["", FOOTER.format(path=path)]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def root() -> str:
    """`tdkt -h` from the catalogue and the root callback's options."""
    from ..cli.catalog import APP_HELP, HELP_OPTION, HELP_OPTION_TEXT, NOUNS, TOP
    from . import fast

    with fast.stand_in():
        from ..cli import tree

        options = [
            (option_words(p.decls, None if p.type is bool else p.metavar), p.help)
            for p in fast.describe(tree.root)
        ]
    options.append((option_words(HELP_OPTION, None), HELP_OPTION_TEXT))
    commands = [(name, noun.help) for name, noun in NOUNS.items()]
    commands += [(name, top.help) for name, top in TOP.items()]
    return screen("tdkt", APP_HELP, options, commands)


def noun(name: str) -> str:
    """`tdkt NOUN -h` from the catalogue and the noun module's commands, read from its source."""
    import ast

    from ..cli.catalog import HELP_OPTION, HELP_OPTION_TEXT, NOUNS

    entry = NOUNS[name]
    source = os.path.join(os.path.dirname(os.path.dirname(__file__)), "cli", entry.module + ".py")
    with open(source, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    commands = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                verb = _command_name(decorator)
                if verb is not None:
                    commands.append((verb, ast.get_docstring(node) or ""))
    options = [(option_words(HELP_OPTION, None), HELP_OPTION_TEXT)]
    return screen(f"tdkt {name}", entry.help, options, commands)


def _command_name(decorator: object) -> str | None:
    """ "list" for `@command(app, "list")`, the one way the noun modules register a command."""
    import ast

    if (
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Name)
        and decorator.func.id == "command"
        and len(decorator.args) >= 2
        and isinstance(decorator.args[1], ast.Constant)
        and isinstance(decorator.args[1].value, str)
    ):
        return decorator.args[1].value
    return None


def run(argv: list[str]) -> int | None:
    """Answer `tdkt`, `tdkt -h`, `tdkt NOUN` and `tdkt NOUN -h`; else None (not a group's help)."""
    from ..cli.catalog import NOUNS

    alone = ([], ["-h"], ["--help"])
    if argv in alone:
        text = root()
    elif argv and argv[0] in NOUNS and argv[1:] in alone:
        text = noun(argv[0])
    else:
        return None
    sys.stdout.write(text)
    return 0
