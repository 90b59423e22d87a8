"""The `tdkt` console script: the fast path for scripted JSON reads, else the Typer CLI."""

import sys


def main() -> None:
    from . import fast

    code = fast.run(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from .cli import main as cli_main

    cli_main()
