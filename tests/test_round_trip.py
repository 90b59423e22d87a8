"""Export → import → export is the identity for every record kind, on databases built at random
through the public commands: blocs under bodies of the catalogue with their own award catalogues,
profiles, members, heads, meetings, registrations, covenants, proposals, votes and ballots. The
province merge of two such files gives a file that exports the same again."""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import Cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARENTS = [
    "UBND tỉnh Bắc Kạn",
    "UBND TP. Hồ Chí Minh",
    "NHNN",
    "Tỉnh ủy Đắk Lắk",
    "TW Hội CCB",
    None,
]
UNITS = ["Sở Y tế", "Sở Tài chính", "Hội Nông dân", "Đài Phát thanh", "Trường Cao đẳng A", "Ban B"]
OWN_CATALOGUE = """awards:
- {code: co-thi-dua-rieng, name: Cờ thi đua riêng của cơ quan, body: Cơ quan cấp trên, rank: 1,
   form: flag, leading: true, quota: 1}
- {code: bang-khen, name: Bằng khen của cơ quan, body: Cơ quan cấp trên, rank: 2,
   form: certificate, leading: false, quota: 2}
"""

bloc_plan = st.fixed_dictionaries(
    {
        "parent": st.sampled_from(PARENTS),
        "cum": st.booleans(),
        "own_catalogue": st.booleans(),
        "members": st.lists(
            st.sampled_from(range(len(UNITS))), min_size=2, max_size=5, unique=True
        ),
        "years": st.lists(st.sampled_from([2023, 2024, 2025]), min_size=1, max_size=2, unique=True),
        "meeting": st.booleans(),
        "pledge": st.booleans(),
        "covenant": st.booleans(),
        "proposal": st.sampled_from([None, "consensus", "hands"]),
        "ballots": st.lists(st.integers(min_value=-1, max_value=4), max_size=4),
        "profile_from": st.booleans(),
    }
)


def _build(cli: Cli, plans: list[dict]) -> None:
    for name in UNITS:
        cli.ok("unit", "add", name)
    # signers travel too: a collective body's, a deputy's from a date, a Party body's
    cli.ok("unit", "signer", UNITS[0], "--name", "Nguyễn Văn A", "--title", "Giám đốc")
    cli.ok(
        "unit", "signer", UNITS[0], "--name", "Trần Thị B", "--title", "Phó Giám đốc",
        "--deputy-of", "Giám đốc", "--from", "01/07/2025",
    )  # fmt: skip
    cli.ok(
        "unit", "signer", UNITS[2], "--name", "Lê Văn C", "--title", "Chủ tịch",
        "--for", "Ban Chấp hành", "--from", "2024-01-01",
    )  # fmt: skip
    for i, plan in enumerate(plans):
        code = f"b{i}"
        args = [
            "bloc",
            "add",
            f"{'Cụm' if plan['cum'] else 'Khối'} thi đua số {i + 1}",
            "--code",
            code,
        ]
        if plan["parent"]:
            args += ["--parent", plan["parent"]]
        cli.ok(*args)
        award = "co-thi-dua"
        if plan["own_catalogue"]:
            path = cli.db.parent / f"catalogue-{i}.yaml"
            path.write_text(OWN_CATALOGUE, encoding="utf-8")
            cli.ok("bloc", "profile", code, "--file", str(path))
            award = "co-thi-dua-rieng"
        if plan["profile_from"]:
            cli.ok("bloc", "profile", code, "--from", "01/07/2025", "--through", "Văn phòng")
        members = [UNITS[m] for m in plan["members"]]
        for year in plan["years"]:
            cli.ok("bloc", "join", code, *members, "--year", str(year))
            cli.ok("bloc", "head", code, "--year", str(year), "--head", members[0])
            meeting = None
            if plan["meeting"]:
                r = cli.ok(
                    "meeting",
                    "log",
                    "-b",
                    code,
                    "--date",
                    f"15/07/{year}",
                    "--kind",
                    "tong-ket",
                    "--json",
                )
                meeting = __import__("json").loads(r.stdout)["id"]
            if plan["pledge"]:
                cli.ok(
                    "pledge",
                    "record",
                    "-b",
                    code,
                    "-y",
                    str(year),
                    "--unit",
                    members[1],
                    "--title",
                    "Tập thể lao động xuất sắc",
                    "--target",
                    "Hoàn thành 100%",
                )
            if plan["covenant"]:
                cli.ok("pledge", "sign", "-b", code, "-y", str(year), "--date", f"10/01/{year}")
            if plan["ballots"]:
                opened = [
                    "vote",
                    "open",
                    "-b",
                    code,
                    "-y",
                    str(year),
                    "--award",
                    award,
                    "--seats",
                    "1",
                    "--json",
                ]
                if meeting:
                    opened += ["--meeting", str(meeting)]
                vote = __import__("json").loads(cli.ok(*opened).stdout)["id"]
                # one ballot a member present at most: the count refuses more
                for b in plan["ballots"][: len(members)]:
                    if b == -1:
                        cli.ok("vote", "cast", str(vote), "--blank")
                    elif b < len(members):
                        cli.ok("vote", "cast", str(vote), members[b])
                cli.ok("vote", "close", str(vote))
            elif plan["proposal"]:
                extra = (
                    ["--agree", "2", "--present", str(len(members))]
                    if plan["proposal"] == "hands"
                    else []
                )
                cli.ok(
                    "award",
                    "propose",
                    "-b",
                    code,
                    "-y",
                    str(year),
                    "--unit",
                    members[0],
                    "--award",
                    award,
                    "--how",
                    plan["proposal"],
                    *extra,
                    # the meeting it was agreed at travels and is renumbered by the merge
                    *(["--meeting", str(meeting)] if meeting else []),
                )


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plans=st.lists(bloc_plan, min_size=1, max_size=2))
def test_export_import_export_is_the_identity(plans):
    with tempfile.TemporaryDirectory() as folder:
        cli = Cli(Path(folder) / "a.db")
        _build(cli, plans)
        cli.ok("db", "check")
        cli.round_trip()


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=st.lists(bloc_plan, min_size=1, max_size=1),
    second=st.lists(bloc_plan, min_size=1, max_size=1),
)
def test_the_province_merge_of_two_files_exports_the_same_again(first, second):
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for n, plans in enumerate((first, second)):
            cli = Cli(Path(folder) / f"{n}.db")
            _build(cli, plans)
            text = cli.ok("export").stdout
            # the second secretariat's bloc has its own code: two blocs, one province
            path = Path(folder) / f"{n}.yaml"
            path.write_text(
                text.replace("code: b0", f"code: s{n}b0").replace(
                    "thi đua số 1\n", f"thi đua số 1{n}\n"
                ),
                encoding="utf-8",
            )
            files.append(str(path))
        province = Cli(Path(folder) / "province.db")
        province.ok("import", *files)
        province.ok("db", "check")
        province.round_trip()


def test_a_blocs_own_award_catalogue_survives_export_and_import(cli):
    """The catalogue is in the file after the proposals and votes that use its codes: the import
    reads the bloc's profile from the file, not only from the database."""
    plan = {
        "parent": "Bộ GD&ĐT",
        "cum": True,
        "own_catalogue": True,
        "members": [0, 1, 2],
        "years": [2024],
        "meeting": True,
        "pledge": False,
        "covenant": False,
        "proposal": "consensus",
        "ballots": [0, 0, 1],
        "profile_from": False,
    }
    _build(cli, [plan, {**plan, "ballots": []}])
    assert cli.sql("SELECT award FROM vote") == [("co-thi-dua-rieng",)]
    assert ("co-thi-dua-rieng",) in cli.sql("SELECT award FROM proposal")
    cli.round_trip()
