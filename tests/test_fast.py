"""One door: the Typer-free quick path and the Typer app read the same description of every
command (cli/catalog.py, the command functions' signatures and docstrings), answer exactly as each
other, or the quick path leaves the call to Typer."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from tdkt_cli.cli import app
from tdkt_cli.cli.catalog import NOUNS, TOP
from tdkt_cli.startup import fast, fasthelp

SAMPLES = sorted((Path(__file__).parents[1] / "sample_data").glob("[0-9]*.yaml"))

CASES = [
    ["bloc", "list", "--json"],
    ["bloc", "list"],
    ["bloc", "show", "vhxh", "--json"],
    ["bloc", "show", "vhxh"],
    ["bloc", "show", "khoi thi dua van hoa xa hoi", "--year", "2019", "--json"],
    ["bloc", "show", "--json", "-y", "2018", "khoi3-dn"],
    ["bloc", "show", "--year=2019", "vhxh"],
    ["unit", "list", "--json"],
    ["unit", "list"],
    ["unit", "list", "--bloc", "vhxh", "--year", "2020", "--json"],
    ["unit", "list", "-b", "khoi3-dn", "--json"],
    ["unit", "show", "Sở Y tế"],
    ["unit", "show", "so y te", "--json"],
    ["meeting", "list", "--json"],
    ["meeting", "list", "-b", "vhxh"],
    ["meeting", "show", "1"],
    ["vote", "list", "--json"],
    ["vote", "list"],
    ["vote", "tally", "1", "--json"],
    ["vote", "tally", "1"],
    ["award", "list", "--json"],
    ["award", "list", "-b", "vhxh", "-y", "2019"],
    ["pledge", "list", "-b", "vhxh", "-y", "2019"],
    ["log", "--json"],
    ["province", "-y", "2019", "--json"],
    ["province", "-y", "2019"],
    ["province", "-y", "2019", "--csv"],
    ["score", "missing", "-b", "vhxh", "-y", "2019", "--json"],
    ["exemplar", "list", "-b", "vhxh", "-y", "2019", "--json"],
    ["movement", "list", "--json"],
    ["activity", "list", "-b", "vhxh", "-y", "2019", "--json"],
    ["bloc", "show", "khong-co", "--json"],  # refused: exit 1, one sentence
    ["unit", "list", "--bloc", "khong-co", "--json"],
    ["vote", "tally", "999"],
    ["score", "table", "-b", "vhxh", "-y", "2019", "--json"],
    ["score", "table", "-b", "vhxh", "-y", "2019"],
    ["body", "list", "--json"],
    ["body", "show", "bac-kan"],
    ["db", "check"],
    ["db", "check", "--json"],
    ["log", "--limit", "3"],
    # documents read the database and write one file: the same bytes and warnings by both doors
    ["report", "annual", "-b", "vhxh", "-y", "2019", "--format", "md", "-o", "-"],
    ["report", "semiannual", "-b", "vhxh", "-y", "2019", "--format", "html", "-o", "-"],
    ["report", "minutes", "1", "--format", "md", "-o", "-"],
    ["report", "tally", "1", "--format", "md", "-o", "-"],
    ["report", "proposal", "-b", "vhxh", "-y", "2019", "--format", "md", "-o", "-"],
    ["report", "ballot", "1", "--format", "md", "-o", "-"],
    ["report", "tally", "999", "--format", "md", "-o", "-"],  # refused: one sentence
    # found by hand (w15): a format that does not exist was told «only md or html to stdout»
    ["report", "ballot", "1", "--format", "Md", "-o", "-"],
    ["report", "covenant", "-b", "vhxh", "-y", "2019", "-f", "", "-o", "-"],
]


@pytest.fixture
def sample(cli):
    for f in SAMPLES:
        cli.ok("import", str(f))
    return cli


@pytest.mark.parametrize("args", CASES, ids=[" ".join(c) for c in CASES])
def test_fast_path_matches_typer(sample, args, capsys):
    assert fast.claims(args), "this case should take the fast path"
    commands = sample.sql("SELECT count(*) FROM command")
    code = fast.run(args)
    out, err = capsys.readouterr()
    assert sample.sql("SELECT count(*) FROM command") == commands  # a read: nothing recorded
    typer_result = sample(*args)
    assert code == typer_result.exit_code, (out, err, typer_result.output)
    assert out == typer_result.stdout
    assert err.strip() == typer_result.stderr.strip()


@pytest.mark.parametrize(
    "args",
    [
        ["bloc", "list", "--json", "--bogus"],
        ["bloc", "show", "--json"],
        ["bloc", "show", "vhxh", "--json", "--year", "hai"],
        ["bloc", "list", "--help"],  # a command's own help: Typer's
        ["--db", "x.db", "--help"],
        ["-h", "unit"],
        ["unit", "-h", "-h"],
        ["bloc", "list", "--json", "--json"],
        ["bloc", "list", "--json=1"],
        ["unit", "add", "X"],  # a write: always Typer
        ["report", "check-template", "x.md.j2", "--kind", "annual"],  # not a document: Typer
        ["report", "batch", "--kind", "annual", "-y", "2019"],  # many files: Typer
        ["bloc", "profile", "vhxh", "--json"],  # commands of other branches: Typer's
        ["undo"],
        ["vote", "rules", "-b", "vhxh", "-y", "2019"],
        ["--db"],
        ["--version"],
        ["bloc", "show", "vhxh", "--", "--json"],
        ["unit", "lis"],
        # found by hand (w15): the quick path read «-1» as the meeting's id («Không có hội nghị
        # mã số -1», exit 1), Click as an unknown option (exit 2)
        ["report", "minutes", "-1", "-f", "md", "-o", "-"],
        ["unit", "show", "-1"],
    ],
)
def test_other_calls_go_to_typer(args):
    import typer as before

    assert not fast.claims(args)
    assert fast.run(args) is None
    assert sys.modules["typer"] is before  # the stand-in is gone: Typer takes over cleanly


def test_fast_path_does_not_import_typer(sample):
    code = (
        "import sys\n"
        "from tdkt_cli.startup import fast\n"
        "code = fast.run(sys.argv[1:])\n"
        "bad = [m for m in sys.modules if m in ('typer', 'rich') or m.startswith(('typer.', 'click', 'rich.'))]\n"
        "assert code == 0 and not bad, (code, bad)\n"
    )
    db = ["--db", str(sample.db)]
    for args in (
        [*db, "unit", "list", "--json"],
        [*db, "province", "-y", "2019", "--json"],
        [*db, "log"],
        [*db, "db", "check"],
        ["--help"],
        ["vote", "-h"],
        ["report"],
    ):
        r = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(fast.__file__).parents[2])},
        )
        assert r.returncode == 0, r.stderr


def test_console_script_uses_db_option_and_env(sample, tmp_path):
    exe = Path(sys.executable).with_name("tdkt")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "tdkt_cli"]
    env = {**os.environ, "TDKT_DB": str(sample.db)}
    by_env = subprocess.run(
        [*cmd, "bloc", "list", "--json"], capture_output=True, text=True, env=env, check=True
    )
    by_option = subprocess.run(
        [*cmd, "--db", str(sample.db), "bloc", "list", "--json"],
        capture_output=True,
        text=True,
        env={k: v for k, v in env.items() if k != "TDKT_DB"},
        check=True,
    )
    assert by_env.stdout == by_option.stdout == sample.ok("bloc", "list", "--json").stdout
    bad = subprocess.run(
        [*cmd, "bloc", "show", "khong-co", "--json"], capture_output=True, text=True, env=env
    )
    assert (
        bad.returncode == 1
        and "Không tìm thấy khối" in bad.stderr
        and "Traceback" not in bad.stderr
    )


GROUPS = [[], ["-h"], ["--help"], *([n] for n in NOUNS), *([n, "-h"] for n in NOUNS)]


@pytest.mark.parametrize("columns", ["80", "47", "200"])
@pytest.mark.parametrize("args", GROUPS, ids=[" ".join(a) or "(none)" for a in GROUPS])
def test_group_help_is_the_same_from_both_doors(cli, args, columns, capsys, monkeypatch):
    """`tdkt -h` and `tdkt NOUN -h` (or the group alone): the same bytes and code, Typer or not."""
    monkeypatch.setenv("COLUMNS", columns)
    code = fast.run(args)
    out, err = capsys.readouterr()
    typer_result = cli(*args)
    assert (code, out, err) == (typer_result.exit_code, typer_result.stdout, ""), out
    fits = max(40, min(int(columns), 100))  # the usage line aside, the text is wrapped to fit
    assert all(len(line) <= fits for line in out.splitlines()[1:]), out


def _tree():
    """Typer's tree as Click holds it: {noun: {verb: command}}, {top-level name: command}."""
    root = get_command(app)
    groups = {n: c.commands for n, c in root.commands.items() if hasattr(c, "commands")}
    tops = {n: c for n, c in root.commands.items() if not hasattr(c, "commands")}
    return root, groups, tops


def _quick_tree():
    """The same tree as the quick path reads it: the catalogue, then each module under the
    stand-in for Typer; every command function described as `fast.describe` reads it."""
    out = {}
    with fast.stand_in():
        for noun, entry in NOUNS.items():
            module = importlib.import_module(f"tdkt_cli.cli.{entry.module}")
            out[noun] = {
                verb: (func.__doc__ or "", fast.describe(func))
                for verb, func in module.app.commands.items()
            }
        tree = importlib.import_module("tdkt_cli.cli.tree")
        tops = {}
        for name in TOP:
            func = tree.top_function(name)
            tops[name] = (TOP[name].help, fast.describe(func))
        root = fast.describe(tree.root)
    return out, tops, root


# Click's parameter types (Typer's vendored Click: known here by name) as the hints say them
_TYPES = {
    "StringParamType": str,
    "IntParamType": int,
    "FloatParamType": float,
    "BoolParamType": bool,
    "Path": Path,
    "TyperPath": Path,
}


def _click_params(command) -> list[tuple]:
    out = []
    for p in command.params:
        option = p.param_type_name == "option"
        if option and p.name == "help" and p.is_eager:
            continue
        multiple = p.multiple if option else p.nargs == -1
        out.append(
            (
                p.name,
                p.param_type_name,
                list(p.opts),
                list(p.secondary_opts),
                _TYPES.get(type(p.type).__name__, type(p.type).__name__),
                bool(multiple),
                p.required,
                getattr(p, "help", None) or "",
                p.metavar,
            )
        )
    return out


def _quick_params(described) -> list[tuple]:
    return [
        (
            p.name,
            p.kind,
            p.decls,
            p.secondary,
            p.type if p.type is not None else "?",
            bool(p.multiple),
            p.required,
            p.help,
            p.metavar,
        )
        for p in described
    ]


def test_both_doors_read_the_same_tree_names_options_and_help():
    """Every noun, every verb, every top-level command: the same names, the same options (kind,
    declarations, type, repetition, required, help, metavar) and the same help's first line."""
    root, groups, tops = _tree()
    quick, quick_tops, quick_root = _quick_tree()
    assert list(groups) == list(NOUNS) and set(tops) == set(TOP)
    assert list(root.list_commands(root.context_class(root))) == [*NOUNS, *TOP]
    assert _click_params(root) == _quick_params(quick_root)
    for noun, verbs in groups.items():
        assert root.commands[noun].help == NOUNS[noun].help
        assert list(verbs) == list(quick[noun]), noun
        for verb, command in verbs.items():
            doc, described = quick[noun][verb]
            where = f"tdkt {noun} {verb}"
            assert fasthelp.summary(command.help or "") == fasthelp.summary(doc), where
            assert fasthelp.summary(doc), f"{where} has no help"
            params = _click_params(command)
            for p in params:  # the quick path knows Path only when the module imported it
                assert p[4] in (str, int, float, bool, Path), (where, p)
            assert params == _quick_params(described), where
    for name, command in tops.items():
        help_text, described = quick_tops[name]
        assert command.help == help_text, name
        assert _click_params(command) == _quick_params(described), f"tdkt {name}"


def test_the_catalogue_read_commands_are_commands_of_the_tree():
    """What the quick path may run (the catalogue's reads) exists; of the documents, only the
    commands that make one document from the database."""
    _, groups, _ = _tree()
    for noun, entry in NOUNS.items():
        assert entry.reads <= set(groups[noun]), noun
    assert NOUNS["report"].reads == {
        "semiannual",
        "annual",
        "minutes",
        "tally",
        "proposal",
        "covenant",
        "ballot",
    }
    assert {n for n, t in TOP.items() if t.reads} == {"log", "province"}


def test_quick_help_of_a_noun_lists_what_its_module_registers():
    """fasthelp reads a noun's commands from its source; the stand-in imports and registers
    them: the same names in the same order (an unusual registration would show here)."""
    quick, _, _ = _quick_tree()
    for noun in NOUNS:
        text = fasthelp.noun(noun)
        listed = [
            line.split()[0]
            for line in text.split("Lệnh:\n")[1].split("\n\n")[0].splitlines()
            if line.startswith("  ") and not line.startswith("   ")
        ]
        assert listed == list(quick[noun]), noun


def test_cached_dataclass_methods_give_the_same_answers(sample, tmp_path):
    """startup/warm.py: the second run reads the dataclasses' compiled methods from the cache;
    both runs print what Typer prints, and a cached class behaves as dataclasses made it."""
    exe = Path(sys.executable).with_name("tdkt")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "tdkt_cli"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
    args = ["--db", str(sample.db), "province", "-y", "2019", "--json"]
    first = subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, check=True)
    assert list((tmp_path / "pycache").rglob("dataclass-methods.*.marshal"))
    second = subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, check=True)
    assert first.stdout == second.stdout == sample.ok(*args).stdout
    code = (
        "import dataclasses, sys\n"
        "from tdkt_cli.startup import warm\n"
        "warm.cache_dataclass_methods()\n"
        "from tdkt_cli.core.models import Unit\n"
        "u = Unit(1, 'Sở Y tế', None, (), ())\n"
        "assert u == Unit(1, 'Sở Y tế', None, (), ()) and hash(u) == hash(Unit(1, 'Sở Y tế', None, (), ()))\n"
        "try:\n    u.name = 'x'\nexcept dataclasses.FrozenInstanceError:\n    pass\n"
        "else:\n    sys.exit('not frozen')\n"
        "print(repr(u), len(warm._compiled) > len(warm._new))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Unit(id=1, name='Sở Y tế'") and r.stdout.strip().endswith("True")


def test_a_format_that_does_not_exist_is_named_by_both_doors(sample, capsys):
    """Found by hand (w15): «-f Md -o -» was told «Chỉ in được md hoặc html ra stdout» (it is md
    in the user's eyes); the format is now checked first, by both doors."""
    args = ["report", "ballot", "1", "-f", "Md", "-o", "-"]
    assert fast.run(args) == 1
    said = "Định dạng «Md» không có; chọn: docx, md, html, pdf.\n"
    assert capsys.readouterr().err == said
    assert sample.fails(*args).stderr == said
