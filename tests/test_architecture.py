"""The shape of the house (docs/architecture.md): layers whose arrows point down, no import
circle, no module importing another's private names, modules and folders of a readable size.

Imports are read from the source (ast), both at the top of a module and inside functions: a lazy
import is still an arrow.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "tdkt_cli"

# Lower layers first; a module may import its own layer or any layer below it.
LAYERS = [
    {"core"},
    {"text"},
    {"files", "store"},
    {
        "units",
        "blocs",
        "meetings",
        "pledges",
        "scores",
        "votes",
        "awards",
        "activities",
        "audit",
        "province",
    },
    {"exchange", "documents"},
    {"cli", "startup", "demo", "entry", "__main__", "__init__"},
]
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}
# The exchange's shared kit (Part, Problems, field readers) is a library the domains' own exchange
# modules build on: it sits below them, while the registry, dump, load and merge sit above.
LAYER_OF["exchange.kit"] = LAYER_OF["files"]
# The audit trail (triggers, log, undo) is part of how every write is stored: store.storage opens
# each audited command with it. db check's rules (audit.checks, audit.integrity) are domain rules.
LAYER_OF["audit.trail"] = LAYER_OF["store"]


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path, top_only: bool = False) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every import of tdkt_cli in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    here = name.split(".") if name != "__init__" else []
    package = here if is_pkg else here[:-1]
    nodes = tree.body if top_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            elif node.module and node.module.startswith("tdkt_cli"):
                target = node.module[len("tdkt_cli") :].lstrip(".")
            else:
                continue
            names = [a.name for a in node.names]
            submodules = [f"{target}.{n}".lstrip(".") for n in names]
            if any(s in MODULES for s in submodules):
                found += [(s, []) for s in submodules if s in MODULES]
            else:
                found.append((target, names))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("tdkt_cli."):
                    found.append((alias.name[len("tdkt_cli.") :], []))
    return found


def _top(name: str) -> str:
    if name in LAYER_OF:
        return name
    return name.split(".")[0] if name else "__init__"


def test_arrows_point_down():
    up = []
    for name, path in MODULES.items():
        mine = LAYER_OF[_top(name)]
        for target, _ in _imports(name, path):
            if target and LAYER_OF[_top(target)] > mine:
                up.append(f"{name} -> {target}")
    assert not up, up


def test_no_import_circle_at_module_level():
    graph = {
        name: {t for t, _ in _imports(name, path, top_only=True) if t in MODULES and t != name}
        for name, path in MODULES.items()
    }
    state: dict[str, int] = {}
    circles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [name])
    assert not circles, circles


def test_no_private_names_across_modules():
    private = []
    for name, path in MODULES.items():
        for target, names in _imports(name, path):
            for n in names:
                if n.startswith("_") and not n.startswith("__") and target != name:
                    private.append(f"{name} imports {target}.{n}")
    assert not private, private


# Modules whose split is under way in this round's branches; the list only shrinks.
BEING_SPLIT: set[str] = set()


def test_modules_and_folders_stay_readable():
    long = [
        f"{name}: {n} lines"
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 800
        and name not in BEING_SPLIT
    ]
    assert not long, long
    crowded = [
        f"{folder.name}: {n} modules"
        for folder in PACKAGE.iterdir()
        if folder.is_dir() and folder.name not in ("cli", "__pycache__")
        if (n := len([p for p in folder.glob("*.py") if p.name != "__init__.py"])) > 12
    ]
    assert not crowded, crowded


def test_every_folder_is_a_known_layer():
    tops = {name.split(".")[0] if name else "__init__" for name in MODULES}
    assert tops <= set(LAYER_OF), tops - set(LAYER_OF)


def test_templates_hold_templates_and_presets_only():
    """Code that makes templates is a tool (tools/), not a template."""
    templates = Path(__file__).parents[1] / "templates"
    code = sorted(str(p.relative_to(templates)) for p in templates.rglob("*.py"))
    assert not code, code
