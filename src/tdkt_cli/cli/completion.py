"""Shell completion (bash, zsh, fish, PowerShell) through Typer's completion classes.

A shell asks for completions by running `tdkt` with `_TDKT_COMPLETE` set (the scripts printed by
`tdkt completion SHELL` do it). Only then are the completion classes loaded and the whole command
tree built, so ordinary start-up pays nothing for it.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

VAR = "_TDKT_COMPLETE"
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def prepare() -> None:
    """Register the shells; accept Click's order (`bash_complete`) as well as Typer's
    (`complete_bash`)."""
    from typer._completion_classes import completion_init

    completion_init()
    value = os.environ.get(VAR, "")
    first, _, second = value.partition("_")
    if first in SHELLS:
        os.environ[VAR] = f"{second}_{first}"


def completion(
    shell: Annotated[str, typer.Argument(help="bash | zsh | fish | powershell.", metavar="SHELL")],
) -> None:
    # its help: catalog.TOP["completion"]
    from typer._completion_shared import get_completion_script

    from ..core.errors import InvalidInput
    from .common import say

    if shell not in SHELLS:
        raise InvalidInput(f"Shell «{shell}» không hỗ trợ; chọn bash, zsh, fish hoặc powershell.")
    say(get_completion_script(prog_name="tdkt", complete_var=VAR, shell=shell).strip())
