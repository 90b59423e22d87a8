"""Scoring through the real CLI: criteria, ranges, caps, ranking, lock, CSV, use in votes."""

import json
import re
import sqlite3
import textwrap
from pathlib import Path

import pytest

from tdkt_cli.scores import service as scores

ROOT = Path(__file__).parents[1]
CRITERIA = ROOT / "sample_data" / "criteria-vhxh-2019.yaml"
SCORES = ROOT / "sample_data" / "scores-vhxh-2019.csv"


@pytest.fixture
def scored(vhxh):
    vhxh.ok("score", "criteria", "-b", "vhxh", "-y", "2019", str(CRITERIA))
    vhxh.ok("score", "import", "-b", "vhxh", "-y", "2019", str(SCORES))
    return vhxh


def standings(cli):
    return json.loads(cli.ok("score", "table", "-b", "vhxh", "-y", "2019", "--json").stdout)[
        "standings"
    ]


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def test_criteria_round_trip(scored):
    data = json.loads(scored.ok("score", "criteria", "-b", "vhxh", "-y", "2019", "--json").stdout)
    assert [g["code"] for g in data["groups"]] == ["A", "B", "C"]
    assert data["bonus"]["cap"] == 10 and data["penalty"]["items"][0]["code"] == "P1"
    assert data["bands"][0] == {"name": "Xuất sắc", "min": 90}


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("groups: [\n", "YAML"),
        ("bands: []\n", "nhóm"),
        ("groups:\n- title: A\n  criteria:\n  - {code: A1, title: x}\n", "max"),
        (
            "groups:\n- title: A\n  criteria:\n  - {code: A1, title: x, max: 5}\n  - {code: a1, title: y, max: 5}\n",
            "trùng",
        ),
        ("groups:\n- title: A\n  criteria:\n  - {code: A1, title: x, max: -5}\n", "dương"),
        (
            "groups:\n- title: A\n  criteria:\n  - {code: A1, title: x, max: 5}\ncombine: coin\n",
            "combine",
        ),
    ],
)
def test_bad_criteria_refused(vhxh, tmp_path, text, needle):
    r = vhxh.fails(
        "score", "criteria", "-b", "vhxh", "-y", "2019", str(write(tmp_path, "c.yaml", text))
    )
    assert needle in r.stderr


def test_ranges_checked(scored):
    r = scored.fails(
        "score", "set", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "-c", "A1", "--self", "41"
    )
    assert "0 đến 40" in r.stderr
    scored.fails(
        "score", "set", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "-c", "Z9", "--self", "1"
    )
    scored.fails(
        "score", "set", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "-c", "A1", "--self", "-1"
    )


def test_verified_change_needs_reason_and_wins(scored):
    r = scored.fails(
        "score",
        "set",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--unit",
        "Sở Y tế",
        "-c",
        "A1",
        "--verified",
        "30",
    )
    assert "lý do" in r.stderr
    scored.ok(
        "score",
        "set",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--unit",
        "Sở Y tế",
        "-c",
        "A1",
        "--verified",
        "30",
        "--note",
        "Thiếu minh chứng",
    )
    row = next(s for s in standings(scored) if s["unit"] == "Sở Y tế")
    assert row["total"] == 98 - 8 and row["source"] == "mixed"


def test_bonus_and_penalty_caps():
    crit = scores.check_criteria(
        {
            "groups": [{"title": "A", "criteria": [{"code": "A1", "title": "x", "max": 100}]}],
            "bonus": {
                "cap": 10,
                "items": [
                    {"code": "T1", "title": "t", "max": 8},
                    {"code": "T2", "title": "u", "max": 8},
                ],
            },
            "penalty": {
                "cap": 5,
                "items": [
                    {"code": "P1", "title": "p", "max": 5},
                    {"code": "P2", "title": "q", "max": 5},
                ],
            },
        }
    )
    assert scores.total_of(crit, {"A1": 95, "T1": 8, "T2": 8}) == (95, 10, 0, 105)
    assert scores.total_of(crit, {"A1": 95, "P1": 5, "P2": 4}) == (95, 0, 5, 90)


def test_ranking_shares_ranks_and_bands(scored):
    rows = standings(scored)
    assert [(r["rank"], r["unit"], r["total"]) for r in rows[:5]] == [
        (1, "Sở Thông tin và Truyền thông", 107),
        (2, "Sở Y tế", 98),
        (2, "Sở Giáo dục và Đào tạo", 98),
        (4, "Bảo hiểm Xã hội tỉnh", 94),
        (4, "Trường Cao đẳng Nghề Dân tộc Nội trú", 94),
    ]
    assert (
        rows[0]["band"] == "Xuất sắc" and rows[-1]["band"] == "Tốt" and rows[0]["source"] == "self"
    )
    csv_text = scored.ok("score", "table", "-b", "vhxh", "-y", "2019", "--csv").stdout
    assert csv_text.splitlines()[1].startswith(
        ",1,Sở Thông tin và Truyền thông,99,8,0,107,Xuất sắc"
    )


def test_ranking_within_groups(cli, tmp_path):
    for n in ["Thanh tra tỉnh", "Sở Tư pháp", "Cục Thống kê", "Văn phòng HĐND tỉnh"]:
        cli.ok("unit", "add", n)
    cli.ok("bloc", "add", "Khối thi đua 3", "--code", "k3")
    cli.ok("bloc", "join", "k3", "1", "2", "--year", "2018", "--group", "Có đánh giá công vụ")
    cli.ok("bloc", "join", "k3", "3", "4", "--year", "2018", "--group", "Không có đánh giá công vụ")
    cli.ok(
        "score",
        "criteria",
        "-b",
        "k3",
        "-y",
        "2018",
        str(
            write(
                tmp_path,
                "c.yaml",
                "groups:\n- title: A\n  criteria:\n  - {code: A1, title: x, max: 100}\n",
            )
        ),
    )
    cli.ok(
        "score",
        "import",
        "-b",
        "k3",
        "-y",
        "2018",
        str(write(tmp_path, "s.csv", "unit,A1\n1,80\n2,90\n3,70\n4,70\n")),
    )
    rows = json.loads(cli.ok("score", "table", "-b", "k3", "-y", "2018", "--json").stdout)[
        "standings"
    ]
    assert [(r["group"], r["rank"], r["unit"]) for r in rows] == [
        ("Có đánh giá công vụ", 1, "Sở Tư pháp"),
        ("Có đánh giá công vụ", 2, "Thanh tra tỉnh"),
        ("Không có đánh giá công vụ", 1, "Cục Thống kê"),
        ("Không có đánh giá công vụ", 1, "Văn phòng HĐND tỉnh"),
    ]


def test_lock_refuses_changes_until_unlocked_with_reason(scored):
    scored.ok("score", "lock", "-b", "vhxh", "-y", "2019", "--by", "Nguyễn Thị A")
    r = scored.fails(
        "score", "set", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "-c", "A1", "--self", "30"
    )
    assert "khóa" in r.stderr
    scored.fails("score", "import", "-b", "vhxh", "-y", "2019", str(SCORES))
    scored.fails("score", "criteria", "-b", "vhxh", "-y", "2019", str(CRITERIA))
    scored.fails("score", "unlock", "-b", "vhxh", "-y", "2019", "--reason", "  ")
    scored.ok(
        "score",
        "unlock",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--reason",
        "Sửa sai sót",
        "--by",
        "Trần Văn B",
    )
    scored.ok(
        "score", "set", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "-c", "A1", "--self", "30"
    )
    log = scored.sql("SELECT action, by, reason FROM score_lock_log ORDER BY id")
    assert log == [("lock", "Nguyễn Thị A", None), ("unlock", "Trần Văn B", "Sửa sai sót")]


def test_csv_with_wrong_column_bom_crlf_and_semicolons(scored, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes("\ufeffđơn vị;A1;X9\r\nSở Y tế;30;1\r\n".encode())
    r = scored.fails("score", "import", "-b", "vhxh", "-y", "2019", str(bad))
    assert "dòng 1, cột 3" in r.stderr and "X9" in r.stderr
    out_of_range = tmp_path / "range.csv"
    out_of_range.write_bytes("\ufeffđơn vị,A1,A2\r\nSở Y tế,30,16\r\n".encode())
    r = scored.fails("score", "import", "-b", "vhxh", "-y", "2019", str(out_of_range))
    assert "dòng 2, cột 3" in r.stderr
    good = tmp_path / "good.csv"
    good.write_bytes("\ufeffđơn vị;A1\r\nSở Y tế;30,5\r\n".encode())
    scored.ok("score", "import", "-b", "vhxh", "-y", "2019", str(good))
    assert scored.sql("SELECT self_points FROM score WHERE unit_id = 7 AND code = 'A1'") == [
        (30.5,)
    ]


def test_missing_report(vhxh):
    vhxh.ok("score", "criteria", "-b", "vhxh", "-y", "2019", str(CRITERIA))
    r = vhxh("score", "missing", "-b", "vhxh", "-y", "2019", "--json")
    assert r.exit_code == 1, r.output  # something is missing: exit 1, for cron
    data = json.loads(r.stdout)
    assert len(data) == 11 and data[0]["self"] == ["A1", "A2", "B1", "B2", "C1", "C2"]


def test_min_score_and_score_tie_break_in_a_vote(scored, tmp_path):
    verified = tmp_path / "v.csv"
    verified.write_text(SCORES.read_text(encoding="utf-8"), encoding="utf-8")
    scored.ok("score", "import", "-b", "vhxh", "-y", "2019", str(verified), "--verified")
    scored.ok(
        "vote",
        "rules",
        "vhxh",
        "-y",
        "2019",
        "--min-score",
        "85",
        "--decider",
        "score",
        "--max-rounds",
        "1",
    )
    r = scored.ok(
        "vote",
        "open",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--award",
        "co-thi-dua",
        "--threshold",
        "1/2",
        "--at-least",
        "--base",
        "present",
        "--present",
        "10",
    )
    assert "Ban Dân tộc" in r.stderr and "thấp hơn mức tối thiểu 85" in r.stderr
    for _ in range(5):
        scored.ok("vote", "cast", "1", "Sở Y tế")
        scored.ok("vote", "cast", "1", "Sở TT&TT")
    assert json.loads(scored.ok("vote", "tally", "1", "--json").stdout)["status"] == "tie"
    scored.fails("vote", "decide", "1", "Sở Y tế")  # the rule is the score, not a choice
    scored.ok("vote", "decide", "1")
    data = json.loads(scored.ok("vote", "tally", "1", "--json").stdout)
    assert data["elected"] == ["Sở Thông tin và Truyền thông"] and data["decided_by"] == "score"
    assert "kết quả chấm điểm quyết định" in data["explanation"]


def test_scores_travel_in_export(scored, tmp_path):
    scored.ok("score", "lock", "-b", "vhxh", "-y", "2019", "--by", "A")
    other = scored.round_trip()
    assert (
        standings(scored)
        == json.loads(
            scored.ok(
                "--db", str(other), "score", "table", "-b", "vhxh", "-y", "2019", "--json"
            ).stdout
        )["standings"]
    )


def test_annual_report_gains_the_table(scored):
    md = scored.ok("report", "annual", "-b", "vhxh", "-y", "2019", "-f", "md", "-o", "-").stdout
    assert "| 1 | Sở Thông tin và Truyền thông | 107 | Xuất sắc | tự chấm |" in md


def test_province_counts_who_is_missing_as_score_missing_names_them(scored, tmp_path):
    """The province view counts the gaps in SQL (scores.gap_counts); `score missing` names
    them. On the same records both must agree: some units verified, one self score taken away."""
    import sqlite3

    from tdkt_cli.blocs import service as blocs

    verified = tmp_path / "v.csv"
    lines = SCORES.read_text(encoding="utf-8").splitlines()
    verified.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")  # three units verified
    scored.ok("score", "import", "-b", "vhxh", "-y", "2019", str(verified), "--verified")
    conn = sqlite3.connect(scored.db)
    conn.execute("UPDATE score SET self_points = NULL WHERE rowid = (SELECT min(rowid) FROM score)")
    conn.commit()
    conn.row_factory = sqlite3.Row
    bloc = blocs.resolve(conn, "vhxh")
    named = scores.missing(conn, bloc, 2019)
    *counted, locked = scores.gap_counts(conn, bloc, 2019, blocs.member_ids(conn, bloc.id, 2019))
    counted = tuple(counted)
    assert not locked and counted == (
        sum(1 for m in named if m.self_missing),
        sum(1 for m in named if m.verified_missing),
    )
    assert counted[0] == 1 and 0 < counted[1] < len(blocs.member_ids(conn, bloc.id, 2019))
    province = json.loads(scored.ok("province", "-y", "2019", "--json").stdout)
    (row,) = [b for b in province["blocs"] if b["code"] == "vhxh"]
    assert (row["scores"]["self_missing"], row["scores"]["verified_missing"]) == counted
    assert row["scores"]["locked"] is False
    scored.ok("score", "lock", "-b", "vhxh", "-y", "2019")
    province = json.loads(scored.ok("province", "-y", "2019", "--json").stdout)
    assert [b["scores"]["locked"] for b in province["blocs"] if b["code"] == "vhxh"] == [True]


@pytest.mark.parametrize(
    "value, needle",
    [
        (".nan", "phải là số"),  # tdkt reads no NaN from a file
        ("99", "phải từ 0 đến"),
        ("-1", "phải từ 0 đến"),
        ("ba", "phải là số"),
    ],
)
def test_a_score_out_of_range_in_an_imported_file_is_refused(scored, tmp_path, value, needle):
    """The import's quick path for plain numbers in range must refuse what check_points does."""
    text = scored.ok("export").stdout
    bad, n = re.subn(r"(\n +self: )[0-9.]+\n", rf"\g<1>{value}\n", text, count=1)
    assert n == 1
    f = tmp_path / "bad.yaml"
    f.write_text(bad, encoding="utf-8")
    other = tmp_path / "other.db"
    scored.ok("--db", str(other), "unit", "list")
    r = scored("--db", str(other), "import", str(f))
    assert r.exit_code == 1 and needle in r.stderr, r.stderr
    assert scored.sql("SELECT count(*) FROM score")[0][0] > 0  # the source file as it was


def test_whole_and_decimal_scores_come_back_as_numbers(scored, tmp_path):
    other = scored.round_trip()
    conn = sqlite3.connect(other)
    kinds = {r[0] for r in conn.execute("SELECT typeof(self_points) FROM score")}
    conn.close()
    assert kinds <= {"real", "integer", "null"} and kinds - {"null"}
