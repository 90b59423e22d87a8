"""`tdkt --help` without importing Typer, Rich or any command module.

The root help lists every command, which through Typer means importing the whole tree and
rendering it with Rich: more than `sqlite-utils --help` costs. The same words are read here from
the command modules' source (their `sub_app("…")` help, the top-level commands' docstrings, the
root options' `help=`), so there is still one place where each is written. tests/test_fast.py
checks that every command and option Typer shows is here.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

HERE = Path(__file__).parents[1] / "cli"


def _tree(module: str) -> ast.Module:
    return ast.parse((HERE / f"{module}.py").read_text(encoding="utf-8"))


def _const(node: ast.AST | None) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def _first_line(text: str) -> str:
    return (text or "").strip().split("\n")[0]


def _noun_help(module: str) -> str:
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "sub_app" and node.args:
            return _const(node.args[0])
    return ""


def _top_help(module: str, name: str) -> str:
    tree = _tree(module)
    funcs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    for node in ast.walk(tree):
        # command(app, "name")(func)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Call)
            and getattr(node.func.func, "id", None) == "command"
            and len(node.func.args) >= 2
            and _const(node.func.args[1]) == name
            and node.args
            and isinstance(node.args[0], ast.Name)
        ):
            func = funcs.get(node.args[0].id)
            return _first_line(ast.get_docstring(func) or "") if func else ""
    return ""


def _root() -> tuple[str, list[tuple[str, str]], dict[str, str]]:
    """The app's help, the root options (declaration, help) and init's docstring."""
    tree = _tree("__init__")
    app_help, options, extra = "", [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Typer":
            for kw in node.keywords:
                if kw.arg == "help":
                    app_help = _const(kw.value)
        if isinstance(node, ast.FunctionDef) and node.name == "root":
            for arg in node.args.args:
                for call in ast.walk(arg.annotation or ast.Module(body=[], type_ignores=[])):
                    if isinstance(call, ast.Call) and getattr(call.func, "attr", None) == "Option":
                        decls = [_const(a) for a in call.args if _const(a).startswith("-")]
                        text = next((_const(k.value) for k in call.keywords if k.arg == "help"), "")
                        metavar = {"db_file": " TỆP", "by": " TÊN"}.get(arg.arg, "")
                        options.append((", ".join(decls) + metavar, text))
        if isinstance(node, ast.FunctionDef) and node.name == "init":
            extra["init"] = _first_line(ast.get_docstring(node) or "")
    return app_help, options, extra


def _tables() -> tuple[dict[str, str], dict[str, str | None]]:
    """NOUNS and TOP as cli/__init__.py declares them (read, not imported: that imports Typer)."""
    found: dict[str, dict] = {}
    for node in _tree("__init__").body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in ("NOUNS", "TOP")
        ):
            found[node.targets[0].id] = ast.literal_eval(node.value)
    return found["NOUNS"], found["TOP"]


def render() -> str:
    NOUNS, TOP = _tables()

    app_help, options, extra = _root()
    options.append(("-h, --help", "Hiện hướng dẫn này rồi thoát."))
    commands = [(noun, _first_line(_noun_help(module))) for noun, module in NOUNS.items()]
    for name, module in sorted(TOP.items()):
        commands.append((name, _top_help(module, name) if module else extra.get(name, "")))
    width = max(len(n) for n, _ in options + commands) + 2
    lines = ["Cách dùng: tdkt [TÙY CHỌN] LỆNH [THAM SỐ]...", "", f" {app_help}", "", "Tùy chọn:"]
    lines += [f"  {n.ljust(width)}{h}" for n, h in options]
    lines += ["", "Lệnh:"]
    lines += [f"  {n.ljust(width)}{h}" for n, h in commands]
    lines += ["", "Hướng dẫn của từng lệnh: tdkt LỆNH -h."]
    return "\n".join(lines) + "\n"


def run(argv: list[str]) -> int | None:
    """Answer `tdkt -h` / `tdkt --help` (with root options only before it); else None."""
    if argv not in (["-h"], ["--help"]):
        return None
    sys.stdout.write(render())
    return 0
