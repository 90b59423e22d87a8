"""The `tdkt` console script: the groups' help and the read commands on the quick path, else Typer."""

import os
import sys


def main() -> None:
    from .startup import failures

    failures.stop_on_signals()
    failures.utf8_streams()
    sys.argv[1:] = failures.utf8_argv(sys.argv[1:])
    bad = failures.bad_argument(sys.argv[1:])
    if bad is not None:
        sys.stderr.write(bad + "\n")
        sys.exit(2)
    from .startup import warm

    try:
        from .startup import fast, fasthelp

        code = None if os.environ.get("_TDKT_COMPLETE") else fasthelp.run(sys.argv[1:])
        if code is None:
            warm.lazy_inspect()
            warm.cache_dataclass_methods()
            code = fast.run(sys.argv[1:])
        if code is None:
            from .cli import main as cli_main

            cli_main()
            code = 0
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt as exc:  # a signal before or after a command's own handling
        message, code = failures.explain(exc) or ("Đã dừng.", 130)
        sys.stderr.write(message + "\n")
    warm.save()
    try:
        sys.stdout.flush()  # a reader that went away after the last line: exit as decided
    except BrokenPipeError:
        failures.pipe_gone(True)
    sys.exit(code)
