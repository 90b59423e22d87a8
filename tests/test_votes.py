"""The vote through the real CLI: seed 001's year-end vote, refusals, rounds, awards."""

import json
import sqlite3

import pytest


def tally(cli, vote):
    return json.loads(cli.ok("vote", "tally", str(vote), "--json").stdout)


def cast_many(cli, vote, unit, n):
    for _ in range(n):
        cli.ok("vote", "cast", str(vote), unit)


@pytest.fixture
def voted(vhxh):
    """Seed 001: Sở TT&TT led the bloc with 9 of 11; one ballot was spoiled."""
    vhxh.ok("meeting", "log", "--bloc", "vhxh", "--date", "08/01/2020", "--kind", "tong-ket")
    assert (
        vhxh.ok(
            "vote",
            "open",
            "--bloc",
            "vhxh",
            "--year",
            "2019",
            "--award",
            "co-thi-dua",
            "--seats",
            "1",
            "--meeting",
            "1",
        ).stdout.strip()
        == "1"
    )
    cast_many(vhxh, 1, "Sở TT&TT", 9)
    vhxh.ok("vote", "cast", "1", "Sở Y tế")
    r = vhxh.ok("vote", "cast", "1", "Sở Y tế", "Sở GD&ĐT")
    assert "không hợp lệ" in r.stdout
    return vhxh


def test_seed_001_flag_vote_contract(voted):
    data = tally(voted, 1)
    assert {
        k: data[k]
        for k in (
            "vote",
            "bloc",
            "year",
            "award",
            "seats",
            "members",
            "present",
            "quorum_met",
            "status",
        )
    } == {
        "vote": 1,
        "bloc": "vhxh",
        "year": 2019,
        "award": "co-thi-dua",
        "seats": 1,
        "members": 11,
        "present": 11,
        "quorum_met": True,
        "status": "decided",
    }
    assert {k: data["ballots"][k] for k in ("cast", "valid", "blank", "invalid")} == {
        "cast": 11,
        "valid": 10,
        "blank": 0,
        "invalid": 1,
    }
    assert {k: data["rule"][k] for k in ("base", "threshold", "strict", "base_count")} == {
        "base": "members",
        "threshold": "1/2",
        "strict": True,
        "base_count": 11,
    }
    top = data["results"][0]
    assert {k: top[k] for k in ("unit", "votes", "share", "passed", "elected")} == {
        "unit": "Sở Thông tin và Truyền thông",
        "votes": 9,
        "share": 0.8182,
        "passed": True,
        "elected": True,
    }
    assert len(data["results"]) == 11 and data["elected"] == ["Sở Thông tin và Truyền thông"]
    text = voted.ok("vote", "tally", "1", "--explain").stdout
    assert (
        "Sở Thông tin và Truyền thông: 9/11 phiếu (81,82% tổng số đơn vị thành viên) — đạt" in text
    )


def test_whole_year_end_vote_to_award_list(voted):
    r = voted.ok("vote", "close", "1")
    assert "Sở Thông tin và Truyền thông" in r.stdout
    voted.fails("vote", "cast", "1", "Sở Y tế")  # closed
    r = voted.ok(
        "vote",
        "open",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--award",
        "bang-khen",
        "--seats",
        "3",
        "--meeting",
        "1",
    )
    assert "Sở Thông tin và Truyền thông" in r.stderr  # the flag winner is not a candidate
    ballots = ["Sở Y tế;Sở GD&ĐT;Trường CĐ Nghề DTNT"] * 8 + [
        "Sở Y tế;Sở GD&ĐT;BHXH tỉnh",
        "",
        "INVALID",
    ]
    csv = voted.db.parent / "phieu.csv"
    csv.write_bytes(("\ufeff" + "\r\n".join(ballots) + "\r\n").encode())
    r = voted.ok("vote", "import", "2", str(csv))
    assert "9 hợp lệ, 1 phiếu trắng, 1 không hợp lệ" in r.stdout
    data = tally(voted, 2)
    assert data["elected"] == [
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
        "Trường Cao đẳng Nghề Dân tộc Nội trú",
    ]
    voted.ok("vote", "close", "2")
    listed = json.loads(
        voted.ok("award", "list", "--bloc", "vhxh", "--year", "2019", "--json").stdout
    )
    assert [(a["unit"], a["award"], a["status"]) for a in listed] == [
        ("Sở Thông tin và Truyền thông", "co-thi-dua", "proposed"),
        ("Sở Giáo dục và Đào tạo", "bang-khen", "proposed"),
        ("Sở Y tế", "bang-khen", "proposed"),
        ("Trường Cao đẳng Nghề Dân tộc Nội trú", "bang-khen", "proposed"),
    ]
    voted.ok(
        "award",
        "decide",
        "--unit",
        "Sở TT&TT",
        "--year",
        "2019",
        "--award",
        "co-thi-dua",
        "--number",
        "1234/QĐ-UBND",
        "--date",
        "15/3/2020",
    )
    voted.ok(
        "award",
        "cut",
        "--unit",
        "Sở Y tế",
        "--year",
        "2019",
        "--award",
        "bang-khen",
        "--reason",
        "Vượt chỉ tiêu của tỉnh",
    )
    history = json.loads(voted.ok("award", "list", "--unit", "Sở TT&TT", "--json").stdout)
    assert history[0]["status"] == "decided" and history[0]["decision_number"] == "1234/QĐ-UBND"
    cut = json.loads(voted.ok("award", "list", "--unit", "Sở Y tế", "--json").stdout)
    assert cut[0]["status"] == "cut" and cut[0]["cut_reason"] == "Vượt chỉ tiêu của tỉnh"
    voted.fails(
        "vote", "open", "-b", "vhxh", "-y", "2019", "--award", "co-thi-dua"
    )  # flag quota used


def test_refusals_leave_nothing(voted):
    r = voted.fails("vote", "cast", "1", "Sở Không Có")
    assert "Không tìm thấy" in r.stderr
    voted.fails("vote", "cast", "1", "--blank")  # 11 ballots for 11 present: one more is refused
    voted.fails("vote", "cast", "99", "Sở Y tế")
    voted.fails("vote", "open", "-b", "vhxh", "-y", "2019", "--award", "co-thi-dua", "--seats", "2")


def test_non_candidate_is_invalid_and_said(vhxh):
    vhxh.ok(
        "vote",
        "open",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--award",
        "bang-khen",
        "--seats",
        "2",
        "--candidate",
        "Sở Y tế",
        "--candidate",
        "Sở GD&ĐT",
        "--candidate",
        "Ban Dân tộc",
    )
    r = vhxh.ok("vote", "cast", "1", "Sở TT&TT")
    assert "ngoài danh sách" in r.stdout
    assert tally(vhxh, 1)["ballots"]["invalid"] == 1


def test_tie_second_round_then_head_and_deputy_decide(vhxh):
    vhxh.ok(
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
    cast_many(vhxh, 1, "Sở Y tế", 5)
    cast_many(vhxh, 1, "Sở GD&ĐT", 5)
    first = tally(vhxh, 1)
    assert first["status"] == "tie" and first["elected"] == [] and len(first["tied"]) == 2
    vhxh.fails("vote", "decide", "1", "Sở Y tế")  # a new round comes first
    assert vhxh.ok("vote", "open", "--round-of", "1").stdout.strip() == "2"
    second = tally(vhxh, 2)
    assert [r["unit"] for r in second["results"]] == [
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
    ] and second["round"] == 2
    cast_many(vhxh, 2, "Sở Y tế", 5)
    cast_many(vhxh, 2, "Sở GD&ĐT", 5)
    assert "khối bỏ phiếu lại giữa các đơn vị này" in first["explanation"]
    last = tally(vhxh, 2)["explanation"]  # the last round allowed announces no third one
    assert "bỏ phiếu lại giữa" not in last
    assert "đã bỏ phiếu 2 vòng, tối đa theo quy chế, nên trưởng khối và phó khối quyết định" in last
    vhxh.fails("vote", "open", "--round-of", "2")  # at most 2 rounds
    vhxh.fails("vote", "decide", "2", "Ban Dân tộc")  # not among the tied
    vhxh.ok("vote", "decide", "2", "Sở GD&ĐT", "--note", "Tỷ lệ nữ trên 70%")
    final = tally(vhxh, 2)
    assert final["status"] == "decided" and final["decided_by"] == "head-deputy"
    assert final["elected"] == ["Sở Giáo dục và Đào tạo"]
    assert "trưởng khối và phó khối quyết định" in final["explanation"]
    assert "bỏ phiếu lại giữa" not in final["explanation"]
    vhxh.ok("vote", "close", "2")
    assert vhxh.sql("SELECT unit_id FROM proposal") == [(9,)]


def test_ineligible_unit_removed_with_reason(vhxh):
    vhxh.ok(
        "vote",
        "exclude",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--unit",
        "Sở Y tế",
        "--reason",
        "Có cán bộ bị kỷ luật",
    )
    r = vhxh.ok("vote", "open", "-b", "vhxh", "-y", "2019", "--award", "co-thi-dua")
    assert "Có cán bộ bị kỷ luật" in r.stderr
    assert "Sở Y tế" not in [x["unit"] for x in tally(vhxh, 1)["results"]]
    vhxh.fails(
        "vote", "open", "-b", "vhxh", "-y", "2019", "--award", "co-thi-dua", "--candidate", "SYT"
    )


def test_hand_counts_checked_for_consistency(vhxh):
    vhxh.ok("vote", "open", "-b", "vhxh", "-y", "2019", "--award", "bang-khen", "--seats", "3")
    vhxh.fails("vote", "count", "1", "--valid", "10", "--votes", "Sở Y tế=11")
    vhxh.fails(
        "vote",
        "count",
        "1",
        "--valid",
        "2",
        "--votes",
        "Sở Y tế=2",
        "--votes",
        "SGD=2",
        "--votes",
        "BHXH tỉnh=2",
        "--votes",
        "Ban Dân tộc=1",
    )
    vhxh.fails("vote", "count", "1", "--valid", "11", "--invalid", "1", "--votes", "Sở Y tế=9")
    vhxh.ok(
        "vote",
        "count",
        "1",
        "--valid",
        "10",
        "--blank",
        "1",
        "--votes",
        "Sở Y tế=9",
        "--votes",
        "Sở GD&ĐT=8",
        "--votes",
        "Trường CĐ Nghề DTNT=7",
    )
    data = tally(vhxh, 1)
    assert data["elected"] == [
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
        "Trường Cao đẳng Nghề Dân tộc Nội trú",
    ]
    assert data["ballots"]["blank"] == 1
    vhxh.fails("vote", "cast", "1", "Sở Y tế")  # one way in per vote


def test_vote_rules_setting_and_quorum(vhxh):
    vhxh.ok(
        "vote",
        "rules",
        "vhxh",
        "--year",
        "2019",
        "--threshold",
        "2/3",
        "--base",
        "present",
        "--certificate-quota",
        "4",
    )
    rules = json.loads(vhxh.ok("vote", "rules", "vhxh", "--year", "2019", "--json").stdout)
    assert (
        rules["threshold"] == "2/3" and rules["strict"] is False and rules["certificate_quota"] == 4
    )
    vhxh.fails("vote", "rules", "vhxh", "--year", "2019", "--base", "everyone")
    vhxh.ok("vote", "open", "-b", "vhxh", "-y", "2019", "--award", "co-thi-dua", "--present", "6")
    cast_many(vhxh, 1, "Sở Y tế", 6)
    assert tally(vhxh, 1)["status"] == "no-quorum"


def test_ballots_carry_no_order_or_voter(voted):
    conn = sqlite3.connect(voted.db)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(ballot)")]
    assert columns == ["vote_id", "kind", "marks", "count"]
    assert (
        conn.execute("SELECT count(*) FROM ballot").fetchone()[0] == 3
    )  # 9 alike ballots are one row


def test_votes_round_trip_through_yaml(voted, tmp_path):
    voted.ok("vote", "close", "1")
    voted.ok(
        "award",
        "decide",
        "--unit",
        "Sở TT&TT",
        "--year",
        "2019",
        "--award",
        "co-thi-dua",
        "--number",
        "1234/QĐ-UBND",
        "--date",
        "15/3/2020",
    )
    voted.ok("vote", "rules", "vhxh", "-y", "2019", "--max-rounds", "3")
    other = voted.round_trip()
    again = json.loads(voted.ok("--db", str(other), "vote", "tally", "1", "--json").stdout)
    assert again["elected"] == ["Sở Thông tin và Truyền thông"] and again["closed"] is True


def test_what_documents_read_through_the_vote_service_stays_there():
    """documents/ reads these from votes.service (they live in records, rules, tally)."""
    from tdkt_cli.votes import service

    names = ("get", "tally", "decided_names", "list_votes", "rules", "threshold_words", "BASES")
    assert [n for n in names if not hasattr(service, n)] == []
    assert callable(service.reopen_reasons)
