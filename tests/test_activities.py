"""Exemplars, joint activities, movements and the province's view, through the real CLI."""

import json
from pathlib import Path

import pytest

SAMPLES = sorted((Path(__file__).parents[1] / "sample_data").glob("[0-9]*.yaml"))


@pytest.fixture
def sample(cli):
    for f in SAMPLES:
        cli.ok("import", str(f))
    return cli


def test_seed_exemplar_counts(sample):
    data = json.loads(sample.ok("exemplar", "list", "-b", "vhxh", "-y", "2019", "--json").stdout)
    counts = data["counts"]
    assert (counts["collectives"], counts["individuals"]) == (8, 27)
    assert counts["sentence"] == (
        "08 tập thể và 27 cá nhân (trong đó có 05 tập thể, 14 cá nhân điển hình trong học tập và làm "
        "theo tư tưởng, đạo đức, phong cách Hồ Chí Minh)"
    )


def test_add_exemplar_checks(sample):
    r = sample.ok(
        "exemplar",
        "add",
        "-b",
        "vhxh",
        "-y",
        "2020",
        "--kind",
        "ca-nhan",
        "--name",
        "Nguyễn Văn Bình",
        "--unit",
        "Sở Y tế",
        "--title",
        "Chiến sĩ thi đua cơ sở",
        "--json",
    )
    assert json.loads(r.stdout)["unit"] == "Sở Y tế"
    sample.fails("exemplar", "add", "-b", "vhxh", "-y", "2020", "--kind", "nhom", "--name", "X")
    sample.fails(
        "exemplar",
        "add",
        "-b",
        "vhxh",
        "-y",
        "2020",
        "--kind",
        "tap-the",
        "--name",
        "X",
        "--unit",
        "Thanh tra tỉnh",
    )  # not a member of vhxh
    sample.fails(
        "exemplar",
        "add",
        "-b",
        "vhxh",
        "-y",
        "2020",
        "--kind",
        "tap-the",
        "--name",
        "X",
        "--count",
        "0",
    )


def test_activity_total_in_words_and_statement(sample):
    data = json.loads(sample.ok("activity", "list", "-b", "khoi3-dn", "--json").stdout)
    assert data[0]["total"] == 20_000_000 and data[0]["total_words"] == "Hai mươi triệu đồng"
    assert data[0]["beneficiaries"] == 20
    r = sample.ok(
        "activity",
        "add",
        "-b",
        "khoi3-dn",
        "--date",
        "15/12/2018",
        "--purpose",
        "Giải bóng đá giao hữu",
        "--contribution",
        "Sở Tư pháp=1.500.000",
        "--contribution",
        "Thanh tra tỉnh=2.024",
        "--json",
    )
    assert (
        json.loads(r.stdout)["total_words"]
        == "Một triệu năm trăm linh hai nghìn không trăm hai mươi bốn đồng"
    )
    rows = json.loads(
        sample.ok("activity", "statement", "-b", "khoi3-dn", "-y", "2018", "--json").stdout
    )
    tp = next(r for r in rows if r["unit"] == "Sở Tư pháp tỉnh Đồng Nai")
    assert (
        tp["total"] == 3_500_000
        and tp["total_words"] == "Ba triệu năm trăm nghìn đồng"
        and len(tp["items"]) == 2
    )
    sample.fails(
        "activity",
        "add",
        "-b",
        "khoi3-dn",
        "--date",
        "15/12/2018",
        "--purpose",
        "X",
        "--contribution",
        "Sở Y tế=1000",
    )  # a Bắc Kạn unit
    sample.fails(
        "activity",
        "add",
        "-b",
        "khoi3-dn",
        "--date",
        "15/12/2018",
        "--purpose",
        "X",
        "--contribution",
        "Sở Tư pháp=hai triệu",
    )


def test_movements_chair_partner_and_reports(sample):
    sample.ok(
        "movement",
        "add",
        "Thi đua đẩy mạnh chuyển đổi số",
        "--launched-by",
        "UBND tỉnh Bắc Kạn",
        "--chair",
        "Sở TT&TT",
        "--partner",
        "Sở Y tế",
        "--partner",
        "Sở GD&ĐT",
        "--from",
        "1/1/2020",
    )
    sample.ok(
        "movement",
        "report",
        "Thi đua đẩy mạnh chuyển đổi số",
        "--unit",
        "Sở Y tế",
        "--date",
        "30/6/2020",
        "--summary",
        "Triển khai bệnh án điện tử tại 3 bệnh viện",
    )
    sample.fails(
        "movement",
        "report",
        "Thi đua đẩy mạnh chuyển đổi số",
        "--unit",
        "Ban Dân tộc",
        "--date",
        "30/6/2020",
        "--summary",
        "x",
    )
    sample.fails(
        "movement", "add", "thi đua đẩy mạnh chuyển đổi số", "--launched-by", "X"
    )  # same name
    mine = json.loads(sample.ok("movement", "list", "--unit", "Sở TT&TT", "--json").stdout)
    digital = next(m for m in mine if m["name"] == "Thi đua đẩy mạnh chuyển đổi số")
    assert digital["chair"] == ["Sở Thông tin và Truyền thông"] and len(mine) == 4


def test_province_view(sample, tmp_path):
    view = json.loads(
        sample.ok("province", "--year", "2019", "--deadline", "05/01/2020", "--json").stdout
    )
    vhxh = next(b for b in view["blocs"] if b["code"] == "vhxh")  # sample 06 is a 2019 bloc too
    assert vhxh["code"] == "vhxh" and vhxh["members"] == 11 and vhxh["meetings"]["tong-ket"] == 1
    assert [v["status"] for v in vhxh["votes"]] == ["decided", "decided"] and len(
        vhxh["proposals"]
    ) == 4
    # vhxh: its year-end meeting was on 08/01/2020; nh1-hue (sample 06): none recorded
    assert view["late"] == ["nh1-hue", "vhxh"]
    assert "Sở Tư pháp tỉnh Đồng Nai" in view["units_in_no_bloc"]
    sample.ok("bloc", "join", "vhxh", "Thanh tra tỉnh", "--year", "2018")
    view = json.loads(sample.ok("province", "--year", "2018", "--json").stdout)
    assert view["units_in_two_blocs"] == [
        {"unit": "Thanh tra tỉnh Đồng Nai", "blocs": ["khoi3-dn", "vhxh"]}
    ]
    csv_text = sample.ok("province", "--year", "2018", "--csv").stdout
    assert (
        csv_text.splitlines()[0].startswith("Khối,Trưởng khối") and len(csv_text.splitlines()) == 3
    )


def test_merging_files_names_conflicts(sample, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(
        "tdkt: 1\nunits:\n- {id: 501, name: Sở Y tế}\n", encoding="utf-8"
    )  # same unit under a second id: matched by name (issue 15), not a second unit
    sample.ok("import", str(other))
    assert sample.sql("SELECT count(*) FROM unit WHERE name = 'Sở Y tế' OR id = 501") == [(1,)]
    text = sample.ok("export", "--bloc", "vhxh").stdout.replace("head: 1\n", "head: 5\n", 1)
    changed = tmp_path / "changed.yaml"
    changed.write_text(text, encoding="utf-8")
    r = sample.fails("import", str(changed))
    assert "hai trưởng khối" in r.stderr


def test_everything_travels_in_export(sample, tmp_path):
    sample.ok(
        "movement",
        "report",
        "1",
        "--unit",
        "Sở Y tế",
        "--date",
        "31/12/2019",
        "--summary",
        "Hỗ trợ trạm y tế xã",
    )
    sample.round_trip()
