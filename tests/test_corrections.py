"""Day two: every record can be corrected or removed through the CLI, with the checks of its
creation, in one transaction; `db check` holds after every step."""

from __future__ import annotations

import json

import pytest


def _check(cli) -> None:
    cli.ok("db", "check")


def test_unit_name_corrected_without_history(vhxh):
    cli = vhxh
    cli.ok("unit", "add", "Sở Nôi vụ", "--alias", "Sở Nội vụ tỉnh")
    r = cli.ok("unit", "rename", "Sở Nôi vụ", "Sở Nội vụ", "--correct")
    assert "Sở Nôi vụ → Sở Nội vụ" in r.stdout
    shown = json.loads(cli.ok("unit", "show", "Sở Nội vụ", "--json").stdout)
    assert shown["name"] == "Sở Nội vụ" and "former_names" not in shown
    assert cli.sql("SELECT COUNT(*) FROM unit_name")[0][0] == 0
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
