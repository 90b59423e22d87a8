"""Day two: every record can be corrected or removed through the CLI, with the checks of its
creation, in one transaction; `db check` holds after every step."""

from __future__ import annotations

import json

import pytest
from conftest import Cli


def _check(cli) -> None:
    cli.ok("db", "check")


def test_unit_name_corrected_without_history(vhxh):
    cli = vhxh
    cli.ok("unit", "add", "Sở Nôi vụ", "--alias", "Sở Nội vụ tỉnh")
    r = cli.ok("unit", "rename", "Sở Nôi vụ", "Sở Nội vụ", "--correct")
    assert "Sở Nôi vụ → Sở Nội vụ" in r.stdout
    shown = json.loads(cli.ok("unit", "show", "Sở Nội vụ", "--json").stdout)
    assert shown["name"] == "Sở Nội vụ" and "former_names" not in shown
    periods = cli.sql("SELECT name FROM unit_name_period WHERE unit_id = 12")
    assert [p[0] for p in periods] == ["Sở Nội vụ"]
    # the old spelling is no longer one of the unit's names
    names = {r[0] for r in cli.sql("SELECT source FROM unit_lookup WHERE unit_id = 12")}
    assert names == {"name", "alias"}
    # same checks as at creation: a name another unit answers to is refused
    cli.fails("unit", "rename", "Sở Nội vụ", "Sở Y tế", "--correct")
    # --on and --correct together, or neither, is refused
    cli.fails("unit", "rename", "Sở Nội vụ", "Sở Nội Vụ 2", "--correct", "--on", "2020-01-01")
    cli.fails("unit", "rename", "Sở Nội vụ", "Sở Nội Vụ 2")
    _check(cli)


def test_alias_removed_and_duplicates_named(vhxh):
    cli = vhxh
    r = cli.ok("unit", "alias", "Sở Y tế", "Ngành Y tế", "SYT", "ngành y tế")
    assert "Bỏ qua vì trùng tên đã có: SYT; ngành y tế." in r.stdout
    data = json.loads(cli.ok("unit", "alias", "Sở Y tế", "Y tế BK", "--json").stdout)
    assert data["aliases"] == ["Ngành Y tế", "Y tế BK"] and data["dropped"] == []
    cli.ok("unit", "alias", "Sở Y tế", "--remove", "ngành y tế")
    assert cli.sql("SELECT alias FROM unit_alias") == [("Y tế BK",)]
    cli.fails("unit", "show", "Ngành Y tế")
    cli.fails("unit", "alias", "Sở Y tế", "--remove", "Không có")
    _check(cli)


def test_unit_removed_only_when_unused(vhxh):
    cli = vhxh
    cli.ok("unit", "add", "Sở Tư phap", "--alias", "STP")
    gone = json.loads(cli.ok("unit", "remove", "STP", "--json").stdout)["removed"]
    assert gone["name"] == "Sở Tư phap"
    assert cli.sql("SELECT COUNT(*) FROM unit WHERE name = 'Sở Tư phap'")[0][0] == 0
    assert cli.sql("SELECT COUNT(*) FROM unit_lookup WHERE unit_id = ?", gone["id"])[0][0] == 0
    r = cli.fails("unit", "remove", "Sở Y tế")
    assert "thành viên" in r.stderr
    _check(cli)


def test_bloc_corrected_and_removed(vhxh):
    cli = vhxh
    cli.ok("bloc", "add", "Khối Kinh tê", "--code", "kt")
    fixed = json.loads(
        cli.ok(
            "bloc", "correct", "kt", "--code", "kinhte", "--name", "Khối Kinh tế", "--json"
        ).stdout
    )
    assert fixed["code"] == "kinhte" and fixed["name"] == "Khối Kinh tế"
    cli.fails("bloc", "correct", "kinhte", "--code", "vhxh")
    cli.ok("vote", "rules", "kinhte", "--year", "2020", "--base", "có mặt")
    cli.ok("bloc", "remove", "kinhte")
    assert cli.sql("SELECT code FROM bloc") == [("vhxh",)]
    assert cli.sql("SELECT COUNT(*) FROM vote_rules")[0][0] == 0
    r = cli.fails("bloc", "remove", "vhxh")
    assert "thành viên" in r.stderr
    _check(cli)


def test_group_changes_say_from_which_to_which(vhxh):
    cli = vhxh
    cli.ok("bloc", "join", "vhxh", "Sở Y tế", "--year", "2019", "--group", "Nhóm 1")
    r = cli.ok("bloc", "join", "vhxh", "Sở Y tế", "--year", "2019", "--group", "Nhóm 2")
    assert "từ nhóm «Nhóm 1» sang nhóm «Nhóm 2»" in r.stdout
    r = cli.ok("bloc", "join", "vhxh", "Sở Y tế", "--year", "2019", "--group", "")
    assert "sang không thuộc nhóm nào" in r.stdout
    assert cli.sql("SELECT grp FROM membership WHERE unit_id = 7") == [(None,)]
    cli.ok("bloc", "join", "vhxh", "Sở Y tế", "--year", "2019", "--group", "Nhóm 2")
    cli.ok("bloc", "join", "vhxh", "Sở Y tế", "--year", "2019", "--no-group")
    assert cli.sql("SELECT grp FROM membership WHERE unit_id = 7") == [(None,)]
    left = json.loads(
        cli.ok("bloc", "leave", "vhxh", "Ban Dân tộc", "--year", "2019", "--json").stdout
    )
    assert left["left"]["name"] == "Ban Dân tộc"
    _check(cli)


@pytest.mark.parametrize("typed", ["tổng kết", "TONG KET", "Tổng kết năm", "tong-ket"])
def test_meeting_kind_in_vietnamese(vhxh, typed):
    m = json.loads(
        vhxh.ok(
            "meeting", "log", "--bloc", "vhxh", "--date", "2020-01-08", "--kind", typed, "--json"
        ).stdout
    )
    assert m["kind"] == "tong-ket" and m["year"] == 2019


def _log(cli, *extra):
    return json.loads(
        cli.ok("meeting", "log", "--bloc", "vhxh", "--date", "2020-01-08", *extra, "--json").stdout
    )


def test_meeting_edited_with_the_checks_of_log(vhxh):
    cli = vhxh
    m = _log(cli, "--kind", "tổng kết", "--start", "8h", "--end", "11:30", "--place", "Hội trường")
    assert (m["start"], m["end"]) == ("08:00", "11:30")
    assert cli.sql("SELECT start_time, end_time FROM meeting") == [("08:00", "11:30")]
    r = cli.ok(
        "meeting",
        "edit",
        str(m["id"]),
        "--place",
        "Phòng họp số 2",
        "--present",
        "Sở Y tế",
        "--present",
        "BHXH tỉnh",
        "--guest",
        "Ban Thi đua - Khen thưởng",
        "--end",
        "11:00",
    )
    assert "địa điểm" in r.stdout and "đơn vị có mặt" in r.stdout
    shown = json.loads(cli.ok("meeting", "show", str(m["id"]), "--json").stdout)
    assert shown["place"] == "Phòng họp số 2" and len(shown["present"]) == 2
    assert shown["guests"] == ["Ban Thi đua - Khen thưởng"] and shown["end"] == "11:00"
    # the same checks as at creation
    cli.fails("meeting", "edit", str(m["id"]), "--kind", "họp bàn")
    cli.fails("meeting", "edit", str(m["id"]), "--start", "12:00")  # after the end
    cli.fails("meeting", "edit", str(m["id"]), "--year", "2021")  # no members that year
    cli.fails("meeting", "edit", str(m["id"]))  # nothing to change
    cli.fails("meeting", "edit", "99", "--place", "X")
    cli.ok("meeting", "edit", str(m["id"]), "--title", "", "--no-guests")
    assert cli.sql("SELECT COUNT(*) FROM meeting_guest")[0][0] == 0
    cli.ok("db", "check")
    gone = json.loads(cli.ok("meeting", "remove", str(m["id"]), "--json").stdout)["removed"]
    assert gone["id"] == m["id"] and cli.sql("SELECT COUNT(*) FROM meeting")[0][0] == 0
    assert cli.sql("SELECT COUNT(*) FROM meeting_present")[0][0] == 0
    cli.ok("db", "check")


def test_january_meeting_suggests_the_previous_year(vhxh):
    r = vhxh.fails("meeting", "log", "--bloc", "vhxh", "--date", "2020-01-15", "--kind", "giao ban")
    assert "--year 2019" in r.stderr
    m = _log(vhxh, "--kind", "giao ban", "--year", "2019")
    assert m["kind"] == "giao-ban" and m["year"] == 2019


def test_meeting_with_a_vote_cannot_be_removed(vhxh):
    m = _log(vhxh, "--kind", "tong-ket")
    vhxh.ok(
        "vote",
        "open",
        "--bloc",
        "vhxh",
        "--year",
        "2019",
        "--award",
        "Cờ thi đua",
        "--meeting",
        str(m["id"]),
    )
    r = vhxh.fails("meeting", "remove", str(m["id"]))
    assert "cuộc bỏ phiếu" in r.stderr
    vhxh.fails("meeting", "edit", str(m["id"]), "--year", "2020")


def test_meeting_times_survive_export_and_import(vhxh):
    _log(vhxh, "--kind", "tong-ket", "--start", "14:30", "--end", "16:00")
    text = vhxh.ok("export").stdout
    assert "14:30" in text
    fresh = vhxh.round_trip()
    vhxh.db = fresh
    assert vhxh.sql("SELECT start_time, end_time FROM meeting") == [("14:30", "16:00")]


def _vote(cli, *extra) -> int:
    out = cli.ok(
        "vote",
        "open",
        "--bloc",
        "vhxh",
        "--year",
        "2019",
        "--award",
        "Cờ thi đua",
        "--seats",
        "1",
        *extra,
        "--json",
    ).stdout
    return json.loads(out)["id"]


def test_uncast_removes_one_ballot_of_that_marking(vhxh):
    cli = vhxh
    v = str(_vote(cli))
    cli.ok("vote", "cast", v, "Sở Y tế")
    cli.ok("vote", "cast", v, "Sở Y tế")
    cli.ok("vote", "cast", v, "--blank")
    cli.ok("vote", "cast", v, "Sở Y tế", "Ban Dân tộc")  # two marks for one seat: invalid
    r = cli.ok("vote", "uncast", v, "SYT")
    assert "còn 3 phiếu" in r.stdout
    assert cli.sql("SELECT kind, count FROM ballot WHERE kind = 'valid'") == [("valid", 1)]
    cli.ok("vote", "uncast", v, "--blank")
    data = json.loads(cli.ok("vote", "uncast", v, "--invalid", "--json").stdout)
    assert data["removed"] == "invalid" and data["cast"] == 1
    # refused when there is no ballot with that marking
    r = cli.fails("vote", "uncast", v, "--blank")
    assert "không có phiếu nào trắng" in r.stderr
    cli.fails("vote", "uncast", v, "Ban Dân tộc")
    cli.fails("vote", "uncast", v, "Không có đơn vị này")
    cli.ok("vote", "uncast", v, "Sở Y tế")
    assert cli.sql("SELECT COUNT(*) FROM ballot") == [(0,)]
    cli.ok("db", "check")


def test_hand_count_correction_says_what_it_replaced(vhxh):
    cli = vhxh
    v = str(_vote(cli))
    cli.ok("vote", "count", v, "--valid", "10", "--invalid", "1", "--votes", "Sở Y tế=9")
    r = cli.ok("vote", "count", v, "--valid", "11", "--votes", "Sở Y tế=8", "--votes", "SYT=10")
    assert "thay cho số liệu cũ: 10 hợp lệ, 0 phiếu trắng, 1 không hợp lệ (Sở Y tế=9)" in r.stdout
    data = json.loads(
        cli.ok("vote", "count", v, "--valid", "11", "--votes", "Sở Y tế=7", "--json").stdout
    )
    assert data["replaced"]["votes"] == {"Sở Y tế": 10}
    assert cli.sql("SELECT valid, blank, invalid FROM vote_paper") == [(11, 0, 0)]
    # the audit trail saw the update (no INSERT OR REPLACE: an update, not delete + insert)
    ops = cli.sql("SELECT op FROM change WHERE tbl = 'vote_paper' ORDER BY id")
    assert [o[0] for o in ops] == ["I", "U"]  # the third count changed no paper total
    cli.ok("db", "check")


def test_reopen_withdraws_proposals_and_the_reason_reaches_the_minutes(vhxh):
    cli = vhxh
    v = str(_vote(cli))
    for _ in range(9):
        cli.ok("vote", "cast", v, "Sở Y tế")
    cli.ok("vote", "cast", v, "Ban Dân tộc")
    cli.ok("vote", "close", v)
    cli.fails("vote", "uncast", v, "Sở Y tế")  # closed
    cli.fails("vote", "reopen", v, "--reason", "")
    r = cli.ok("vote", "reopen", v, "--reason", "Nhập nhầm một phiếu của Ban Dân tộc")
    assert "Rút đề nghị: Sở Y tế" in r.stdout
    assert cli.sql("SELECT COUNT(*) FROM proposal") == [(0,)]
    assert cli.sql("SELECT closed FROM vote") == [(0,)]
    cli.fails("vote", "reopen", v, "--reason", "lần hai")  # already open
    cli.ok("vote", "uncast", v, "Ban Dân tộc")
    cli.ok("vote", "cast", v, "Sở Y tế")
    cli.ok("vote", "close", v)
    assert cli.sql("SELECT unit_id, vote_id FROM proposal") == [(7, int(v))]
    tally = json.loads(cli.ok("vote", "tally", v, "--json").stdout)
    assert tally["reopened"] == ["Nhập nhầm một phiếu của Ban Dân tộc"]
    md = cli.ok("report", "tally", v, "--format", "md", "-o", "-").stdout
    assert "mở lại để sửa; lý do: Nhập nhầm một phiếu của Ban Dân tộc" in md
    # a decision on the proposal: the vote can no longer be reopened
    cli.ok(
        "award",
        "decide",
        "--unit",
        "Sở Y tế",
        "--year",
        "2019",
        "--award",
        "co-thi-dua",
        "--number",
        "123/QĐ-UBND",
        "--date",
        "2020-03-01",
    )
    r = cli.fails("vote", "reopen", v, "--reason", "thử")
    assert "123/QĐ-UBND" in r.stderr
    cli.ok("db", "check")
    # the reason travels with the file: the minutes made from a copy still say it
    fresh = Cli(cli.round_trip())
    md = fresh.ok("report", "tally", v, "--format", "md", "-o", "-").stdout
    assert "mở lại để sửa; lý do: Nhập nhầm một phiếu của Ban Dân tộc" in md


@pytest.mark.parametrize("typed", ["có mặt", "Số đơn vị có mặt", "present"])
def test_vote_base_in_vietnamese(vhxh, typed):
    v = _vote(vhxh, "--base", typed)
    assert vhxh.sql("SELECT base FROM vote WHERE id = ?", v) == [("present",)]


def test_award_codes_from_catalogue_names(vhxh):
    cli = vhxh
    cli.ok(
        "award",
        "propose",
        "--unit",
        "Sở Y tế",
        "--bloc",
        "vhxh",
        "--year",
        "2019",
        "--award",
        "Cờ thi đua",
    )
    cli.ok(
        "award",
        "propose",
        "--unit",
        "Ban Dân tộc",
        "--bloc",
        "vhxh",
        "--year",
        "2019",
        "--award",
        "bằng khen",
    )
    assert cli.sql("SELECT award FROM proposal ORDER BY id") == [
        ("co-thi-dua",),
        ("bang-khen",),
    ]
    cli.fails(
        "award",
        "propose",
        "--unit",
        "Sở Y tế",
        "--bloc",
        "vhxh",
        "--year",
        "2019",
        "--award",
        "Huân chương",
    )


def test_registration_and_covenant_corrected(vhxh):
    cli = vhxh
    p = json.loads(
        cli.ok(
            "pledge",
            "record",
            "--bloc",
            "vhxh",
            "--year",
            "2019",
            "--unit",
            "SYT",
            "--title",
            "Cờ thi đua của UBND tinh",
            "--target",
            "100%",
            "--json",
        ).stdout
    )
    cli.ok(
        "pledge",
        "record",
        "--bloc",
        "vhxh",
        "--year",
        "2019",
        "--unit",
        "SYT",
        "--title",
        "Tập thể lao động xuất sắc",
    )
    edited = json.loads(
        cli.ok(
            "pledge",
            "edit",
            str(p["id"]),
            "--title",
            "Cờ thi đua của UBND tỉnh",
            "--target",
            "Hoàn thành 100% chỉ tiêu",
            "--json",
        ).stdout
    )
    # a title is the catalogue's name, however it was typed (issue 24)
    assert p["title"] == edited["title"] == "Cờ thi đua của Ủy ban nhân dân tỉnh Bắc Kạn"
    assert edited["before"]["targets"] == ["100%"]
    assert cli.sql("SELECT text FROM pledge_target") == [("Hoàn thành 100% chỉ tiêu",)]
    # the same check as at creation: one registration per title
    cli.fails("pledge", "edit", str(p["id"]), "--title", "tập thể lao động xuất sắc")
    cli.ok("pledge", "edit", str(p["id"]), "--no-targets")
    cli.ok("pledge", "remove", str(p["id"]))
    assert cli.sql("SELECT title FROM pledge") == [("Tập thể lao động xuất sắc",)]
    cli.fails("pledge", "remove", str(p["id"]))
    cli.ok("pledge", "sign", "--bloc", "vhxh", "--year", "2019", "--date", "2019-01-20")
    gone = json.loads(
        cli.ok("pledge", "unsign", "--bloc", "vhxh", "--year", "2019", "--json").stdout
    )
    assert len(gone["removed"]["signers"]) == 11
    assert cli.sql("SELECT COUNT(*) FROM covenant_signer") == [(0,)]
    cli.fails("pledge", "unsign", "--bloc", "vhxh", "--year", "2019")
    cli.ok("db", "check")


def test_exemplar_activity_and_movement_corrections(vhxh):
    cli = vhxh
    ex = json.loads(
        cli.ok(
            "exemplar",
            "add",
            "-b",
            "vhxh",
            "-y",
            "2019",
            "--kind",
            "ca-nhan",
            "--name",
            "Nguyễn Văn A",
            "--json",
        ).stdout
    )
    cli.ok("exemplar", "remove", str(ex["id"]))
    assert cli.sql("SELECT COUNT(*) FROM exemplar") == [(0,)]
    cli.fails("exemplar", "remove", str(ex["id"]))
    act = json.loads(
        cli.ok(
            "activity",
            "add",
            "-b",
            "vhxh",
            "--date",
            "2019-07-27",
            "--purpose",
            "Thăm gia đình chính sách",
            "--contribution",
            "Ban Dân tộc=2.000.000",
            "--json",
        ).stdout
    )
    r = cli.ok("activity", "contribute", str(act["id"]), "Ban Dân tộc", "1.500.000")
    assert "2.000.000 đồng → 1.500.000 đồng" in r.stdout
    cli.ok("activity", "contribute", str(act["id"]), "Sở Y tế", "500.000")
    assert cli.sql("SELECT unit_id, amount FROM contribution ORDER BY unit_id") == [
        (7, 500000),
        (8, 1500000),
    ]
    cli.ok("unit", "add", "Thanh tra tỉnh")
    cli.fails("activity", "contribute", str(act["id"]), "Thanh tra tỉnh", "100")  # not a member
    cli.ok("activity", "contribute", str(act["id"]), "Sở Y tế", "--remove")
    cli.fails("activity", "contribute", str(act["id"]), "Sở Y tế", "--remove")
    cli.ok("activity", "remove", str(act["id"]))
    assert cli.sql("SELECT COUNT(*) FROM contribution") == [(0,)]
    m = json.loads(
        cli.ok(
            "movement",
            "add",
            "Chuyển đổi số",
            "--launched-by",
            "UBND tỉnh",
            "--chair",
            "SYT",
            "--json",
        ).stdout
    )
    rep = json.loads(
        cli.ok(
            "movement",
            "report",
            "Chuyển đổi số",
            "--unit",
            "SYT",
            "--date",
            "2019-06-30",
            "--summary",
            "Sơ kết",
            "--json",
        ).stdout
    )["reports"][0]
    cli.fails("movement", "remove", "Chuyển đổi số")  # it has a report
    cli.ok("movement", "unreport", str(rep["id"]))
    cli.ok("movement", "remove", str(m["id"]))
    assert cli.sql("SELECT COUNT(*) FROM movement") == [(0,)]
    cli.ok("db", "check")


def test_scores_and_criteria_corrected(vhxh):
    from pathlib import Path

    criteria = Path(__file__).parents[1] / "sample_data" / "criteria-vhxh-2019.yaml"
    cli = vhxh
    cli.ok("score", "criteria", "-b", "vhxh", "-y", "2019", str(criteria))
    r = cli("score", "missing", "-b", "vhxh", "-y", "2019")
    assert r.exit_code == 1 and "Sở Y tế" in r.stdout
    cli.ok("score", "set", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "-c", "A1", "--self", "38")
    cli.fails("score", "criteria", "-b", "vhxh", "-y", "2019", "--remove")  # scores exist
    removed = json.loads(
        cli.ok(
            "score", "unset", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "-c", "a1", "--json"
        ).stdout
    )["removed"]
    assert removed == {"code": "A1", "self": 38.0, "verified": None}
    assert cli.sql("SELECT COUNT(*) FROM score") == [(0,)]
    cli.fails("score", "unset", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "-c", "A1")
    r = cli.ok("score", "lock", "-b", "vhxh", "-y", "2019")
    assert "Cảnh báo: 11 đơn vị còn thiếu điểm" in r.stderr
    cli.ok("score", "unlock", "-b", "vhxh", "-y", "2019", "--reason", "nạp nhầm tiêu chí")
    cli.ok("score", "criteria", "-b", "vhxh", "-y", "2019", "--remove")
    assert cli.sql("SELECT COUNT(*) FROM criterion") == [(0,)]
    cli.ok("db", "check")


def test_proposals_and_decisions_removed(vhxh):
    cli = vhxh
    who = ("--unit", "Sở Y tế", "--year", "2019", "--award", "Bằng khen")
    cli.ok("award", "propose", "--bloc", "vhxh", *who)
    cli.ok("award", "decide", *who, "--number", "12/QĐ-UBND", "--date", "2020-02-01")
    cli.fails("award", "withdraw", *who)  # decided
    r = cli.ok("award", "undecide", *who)
    assert "12/QĐ-UBND" in r.stdout
    cli.ok("award", "withdraw", *who)
    assert cli.sql("SELECT COUNT(*) FROM proposal") == [(0,)]
    assert cli.sql("SELECT COUNT(*) FROM decision") == [(0,)]
    cli.fails("award", "withdraw", *who)
    # a proposal made by a vote is corrected through the vote
    v = str(_vote(cli))
    for _ in range(9):
        cli.ok("vote", "cast", v, "Sở Y tế")
    cli.ok("vote", "close", v)
    r = cli.fails(
        "award", "withdraw", "--unit", "Sở Y tế", "--year", "2019", "--award", "co-thi-dua"
    )
    assert "vote reopen" in r.stderr
    cli.ok("db", "check")


def test_readme_corrections_name_real_commands():
    """Every `tdkt …` line of the README's tour of corrections names a command in the tree."""
    from pathlib import Path

    from typer.main import get_command

    from tdkt_cli.cli import app

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### A day of corrections", 1)[1].split("\n### ", 1)[0]
    tree = get_command(app)
    lines = [ln for ln in section.splitlines() if ln.startswith("tdkt ")]
    assert len(lines) >= 25
    for line in lines:
        words = line.split()[1:3]
        group = tree.commands.get(words[0])
        assert group is not None, line
        if hasattr(group, "commands"):
            assert words[1] in group.commands, line


def test_db_check_finds_a_lookup_that_lags_behind_the_names_of_any_kind(vhxh):
    """db check reads every unit's names (name, short, aliases, former names) in a few queries;
    it must still see a lookup row missing for each kind of name, and only for that unit."""
    import sqlite3

    vhxh.ok("unit", "rename", "Sở Y tế", "Sở Y tế tỉnh", "--on", "2025-01-01")
    vhxh.ok("unit", "alias", "Sở Y tế tỉnh", "SYT")
    assert vhxh.ok("db", "check").exit_code == 0
    (uid,) = vhxh.sql("SELECT id FROM unit WHERE name = 'Sở Y tế tỉnh'")[0]
    for source in ("former", "alias", "name"):
        conn = sqlite3.connect(vhxh.db)
        conn.execute("DELETE FROM unit_lookup WHERE unit_id = ? AND source = ?", (uid, source))
        conn.commit()
        conn.close()
        r = vhxh.fails("db", "check", "--json")
        lagging = [p for p in json.loads(r.stdout) if p["table"] == "unit_lookup"]
        assert [p["row"] for p in lagging] == [str(uid)], source
        vhxh.ok("unit", "alias", "Sở Y tế tỉnh", f"SYT-{source}")  # reindexes the unit
        assert vhxh.ok("db", "check").exit_code == 0
