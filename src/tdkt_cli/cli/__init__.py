"""The `tdkt` command: one module per noun (unit.py, bloc.py, …), each a Typer sub-app, joined in
tree.py as catalog.py describes them.

Importing this package costs nothing: the quick path (startup/fast.py) reads catalog.py and one
command module under a stand-in for Typer, and only `app`, `build` and `main` bring Typer in.
"""

from __future__ import annotations


def __getattr__(name: str):
    if name in ("app", "build", "main"):  # `app`: the whole tree, built on first use
        from . import tree

        value = tree.build() if name == "app" else getattr(tree, name)
        globals()[name] = value
        return value
    raise AttributeError(name)
