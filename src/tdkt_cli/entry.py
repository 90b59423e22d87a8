"""The `tdkt` console script: the groups' help and the read commands on the quick path, else Typer."""

import gc
import os
import sys


def main() -> None:
    # A read or a document is over in a blink and leaves no cycles worth collecting; the
    # collector's passes over the objects that imports create were a tenth of a read's work.
    # The Typer path (writes, imports of whole files) runs with it on.
    gc.disable()
    from .startup import failures

    failures.stop_on_signals()
    failures.utf8_streams()
    sys.argv[1:] = failures.utf8_argv(sys.argv[1:])
    bad = failures.bad_argument(sys.argv[1:])
    if bad is not None:
        sys.stderr.write(bad + "\n")
        sys.exit(2)
    from .startup import warm

    quick = True
    try:
        from .startup import fast

        code = None
        argv = sys.argv[1:]
        if not os.environ.get("_TDKT_COMPLETE") and (
            len(argv) <= 1 or (len(argv) == 2 and argv[1] in ("-h", "--help"))
        ):  # a group's help may be asked: `tdkt`, `tdkt -h`, `tdkt NOUN`, `tdkt NOUN -h`
            from .startup import fasthelp

            code = fasthelp.run(argv)
        if code is None:
            warm.lazy_inspect()
            warm.cache_dataclass_methods()
            code = fast.run(sys.argv[1:])
        if code is None:
            quick = False
            gc.enable()
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
    if quick and (code is None or isinstance(code, int)):
        # Nothing of a read is left to close (its connection is closed, its file written and
        # closed, nothing registered with atexit): skip the interpreter's teardown, which
        # collects and frees every object the imports made.
        sys.stderr.flush()
        os._exit(code or 0)
    sys.exit(code)
