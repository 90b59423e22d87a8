"""A clerk's year-end vote without workarounds (issue 24, the vote parts), through the real CLI:
no proposal outside the catalogue, quotas on every path with an explicit, recorded override, a
re-vote after a no-majority result, the count's time and committee, exclusions after the count,
and one word for a blank ballot."""

import json
import sqlite3

import pytest

CATALOGUE_WITH_TTLDXS = """\
awards:
- {code: co-thi-dua, name: Cờ thi đua của Ủy ban nhân dân tỉnh, body: Ủy ban nhân dân tỉnh,
   rank: 1, form: flag, leading: true, quota: 1}
- {code: bang-khen, name: Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh,
   body: Chủ tịch Ủy ban nhân dân tỉnh, rank: 2, form: certificate, leading: false, quota: 3}
- {code: tap-the-xuat-sac, name: Tập thể lao động xuất sắc, body: Chủ tịch Ủy ban nhân dân tỉnh,
   rank: 3, form: certificate, leading: false, quota: 8}
"""


def tally(cli, vote):
    return json.loads(cli.ok("vote", "tally", str(vote), "--json").stdout)


def propose(cli, unit, award, *extra):
    return (
        "award",
        "propose",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--unit",
        unit,
        "--award",
        award,
        *extra,
    )


def open_flag(cli, *extra):
    return cli.ok(
        "vote", "open", "-b", "vhxh", "-y", "2019", "--award", "co-thi-dua", "--seats", "1", *extra
    ).stdout.strip()


def test_an_award_outside_the_catalogue_is_refused_until_added(vhxh, tmp_path):
    r = vhxh.fails(*propose(vhxh, "Sở Y tế", "Tập thể lao động xuất sắc"))
    err = r.stderr.strip()
    assert err.startswith("Hình thức «Tập thể lao động xuất sắc» không có trong danh mục khen")
    assert "co-thi-dua (Cờ thi đua của Ủy ban nhân dân tỉnh Bắc Kạn)" in err
    assert "bang-khen (Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn)" in err
    assert "tdkt bloc profile vhxh --file" in err and err.count("\n") == 0
    assert vhxh.sql("SELECT count(*) FROM proposal") == [(0,)]
    catalogue = tmp_path / "danh-muc.yaml"
    catalogue.write_text(CATALOGUE_WITH_TTLDXS, encoding="utf-8")
    vhxh.ok("bloc", "profile", "vhxh", "--file", str(catalogue))
    r = vhxh.ok(*propose(vhxh, "Sở Y tế", "Tập thể lao động xuất sắc"))
    assert r.stdout.strip() == "Đã ghi đề nghị Tập thể lao động xuất sắc năm 2019 cho Sở Y tế."
    assert vhxh.sql("SELECT award, over_quota FROM proposal") == [("tap-the-xuat-sac", None)]
    # its own quota (8) is the catalogue's, not the certificate quota of the vote rules (3)
    for unit in ("Ban Dân tộc", "SYT", "BHXH tỉnh", "Sở GD&ĐT"):
        if unit != "SYT":
            vhxh.ok(*propose(vhxh, unit, "tap-the-xuat-sac"))
    assert vhxh.sql("SELECT count(*) FROM proposal") == [(4,)]


def test_quotas_hold_for_hands_and_consensus_with_a_recorded_override(vhxh):
    hands = ("--how", "hands", "--agree", "6", "--present", "7")
    # an override where the quota is not exceeded is refused: nothing recorded that did not happen
    r = vhxh.fails(*propose(vhxh, "Sở KH&CN", "bang-khen", "--over-quota", "--reason", "x"))
    assert "không vượt chỉ tiêu, bỏ --over-quota" in r.stderr
    for unit in ("Sở Y tế", "Ban Dân tộc", "BHXH tỉnh"):
        vhxh.ok(*propose(vhxh, unit, "bang-khen", *hands))
    r = vhxh.fails(*propose(vhxh, "Sở GD&ĐT", "bang-khen", *hands))
    assert r.stderr.strip() == (
        "Chỉ tiêu Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn của khối năm 2019 là 3, đã đề nghị "
        "3, không thêm được 1; nếu khối đã thống nhất vượt chỉ tiêu, ghi rõ lý do bằng "
        "«--over-quota --reason …»."
    )
    r = vhxh.fails(*propose(vhxh, "Sở GD&ĐT", "bang-khen", *hands, "--over-quota"))
    assert r.stderr.strip() == "Vượt chỉ tiêu cần ghi lý do: --over-quota --reason «…»."
    r = vhxh.fails(*propose(vhxh, "Sở GD&ĐT", "bang-khen", "--reason", "Thành tích đột xuất"))
    assert "chỉ dùng cùng --over-quota" in r.stderr
    assert vhxh.sql("SELECT count(*) FROM proposal") == [(3,)]
    reason = "Thành tích đột xuất trong phòng chống bão lũ"
    r = vhxh.ok(
        *propose(vhxh, "Sở GD&ĐT", "bang-khen", *hands, "--over-quota", "--reason", reason),
        "--json",
    )
    assert json.loads(r.stdout)["over_quota"] == reason
    assert vhxh.sql("SELECT count(*), count(over_quota) FROM proposal") == [(4, 1)]
    listed = json.loads(vhxh.ok("award", "list", "-b", "vhxh", "-y", "2019", "--json").stdout)
    assert [a["over_quota"] for a in listed if a["unit"] == "Sở Giáo dục và Đào tạo"] == [reason]
    # consensus: one flag; a second one is refused too
    vhxh.ok(*propose(vhxh, "Sở TT&TT", "co-thi-dua", "--how", "consensus"))
    r = vhxh.fails(*propose(vhxh, "Sở KH&CN", "co-thi-dua", "--how", "consensus"))
    assert r.stderr.startswith(
        "Chỉ tiêu Cờ thi đua của Ủy ban nhân dân tỉnh Bắc Kạn của khối năm 2019 là 1"
    )


def test_a_vote_over_the_quota_needs_the_reason_and_its_proposals_keep_it(vhxh):
    for unit in ("Sở Y tế", "Ban Dân tộc", "BHXH tỉnh"):
        vhxh.ok(*propose(vhxh, unit, "bang-khen", "--how", "consensus"))
    args = ("vote", "open", "-b", "vhxh", "-y", "2019", "--award", "bang-khen", "--seats", "1")
    r = vhxh.fails(*args)
    assert "chỉ còn 0 suất, không mở được 1 suất" in r.stderr and "--over-quota" in r.stderr
    reason = "Tỉnh giao thêm một suất"
    vid = vhxh.ok(*args, "--over-quota", "--reason", reason).stdout.strip()
    for _ in range(9):
        vhxh.ok("vote", "cast", vid, "Sở GD&ĐT")
    r = vhxh.ok("vote", "close", vid)
    assert "Sở Giáo dục và Đào tạo" in r.stdout
    assert vhxh.sql("SELECT over_quota FROM vote WHERE id = ?", int(vid)) == [(reason,)]
    assert vhxh.sql("SELECT over_quota FROM proposal WHERE vote_id = ?", int(vid)) == [(reason,)]
    assert tally(vhxh, vid)["over_quota"] == reason
    assert f"Vượt chỉ tiêu: {reason}" in vhxh.ok("vote", "tally", vid).stdout
    fresh = sqlite3.connect(vhxh.round_trip())  # the reasons travel with the file
    assert fresh.execute("SELECT over_quota FROM vote").fetchall() == [(reason,)]
    assert fresh.execute("SELECT count(over_quota) FROM proposal").fetchall() == [(1,)]
    fresh.close()


@pytest.fixture
def no_majority(vhxh):
    """Seed 001's bloc, 8 present: 3–3 with a blank and a spoiled ballot, nobody over half."""
    vid = open_flag(vhxh, "--present", "8")
    for _ in range(3):
        vhxh.ok("vote", "cast", vid, "Sở Y tế")
        vhxh.ok("vote", "cast", vid, "Sở GD&ĐT")
    vhxh.ok("vote", "cast", vid, "--blank")
    vhxh.ok("vote", "cast", vid, "--invalid")
    assert tally(vhxh, vid)["status"] == "no-majority"
    return vhxh


def test_a_re_vote_after_no_majority_among_the_leading_units(no_majority):
    cli = no_majority
    text = cli.ok("vote", "tally", "1", "--explain").stdout
    assert "có thể bỏ phiếu lại (vòng 2) giữa các đơn vị có số phiếu cao nhất" in text
    r = cli.ok("vote", "open", "--round-of", "1", "--json")
    opened = json.loads(r.stdout)
    assert opened["round"] == 2 and opened["round_of"] == 1
    assert opened["round_label"] == "bỏ phiếu lại (vòng 2)"
    assert cli.sql("SELECT round, round_of, seats FROM vote WHERE id = 2") == [(2, 1, 1)]
    assert cli.sql("SELECT unit_id FROM vote_candidate WHERE vote_id = 2 ORDER BY position") == [
        (7,),
        (9,),
    ]  # Sở Y tế, Sở GD&ĐT: the two highest
    cli.fails("vote", "open", "--round-of", "1")  # already has its next round
    data = tally(cli, 2)
    assert data["round_label"] == "bỏ phiếu lại (vòng 2)" and data["round_of"] == 1
    assert data["explanation"].startswith(
        "Bỏ phiếu lại (vòng 2) giữa các đơn vị có số phiếu cao nhất ở vòng trước (cuộc bỏ phiếu 1)."
    )
    shown = cli.ok("vote", "tally", "2").stdout
    assert "(bỏ phiếu lại (vòng 2) của cuộc bỏ phiếu 1)" in shown
    assert "bỏ phiếu lại (vòng 2)" in cli.ok("vote", "list").stdout
    listed = json.loads(cli.ok("vote", "list", "--json").stdout)
    assert [v["round_label"] for v in listed] == [None, "bỏ phiếu lại (vòng 2)"]
    # the second round is the last allowed: still nobody over half, and no third round announced
    for _ in range(4):
        cli.ok("vote", "cast", "2", "Sở Y tế")
    for _ in range(3):
        cli.ok("vote", "cast", "2", "Sở GD&ĐT")
    final = tally(cli, 2)
    assert final["status"] == "no-majority"
    assert "bỏ phiếu lại" not in final["explanation"].split("Kết quả:")[1]
    assert (
        "không có đơn vị nào đạt số phiếu cần thiết; đã bỏ phiếu 2 vòng, tối đa theo quy chế."
        in (final["explanation"])
    )
    r = cli.fails("vote", "open", "--round-of", "2")
    assert "tối đa theo quy chế" in r.stderr and "tdkt vote close 2" in r.stderr
    cli.ok("vote", "close", "2")
    cli.ok("vote", "close", "1")
    assert cli.sql("SELECT count(*) FROM proposal") == [(0,)]


def test_no_re_vote_when_the_vote_decided(vhxh):
    vid = open_flag(vhxh)
    for _ in range(9):
        vhxh.ok("vote", "cast", vid, "Sở TT&TT")
    r = vhxh.fails("vote", "open", "--round-of", vid)
    assert r.stderr.strip() == "Cuộc bỏ phiếu 1 đã đủ đơn vị trúng; không cần bỏ phiếu lại."


def test_the_count_time_and_the_committee_carried_to_the_next_vote(vhxh):
    vhxh.ok("meeting", "log", "--bloc", "vhxh", "--date", "08/01/2020", "--kind", "tong-ket")
    committee = ["Nguyễn Văn A - Trưởng ban", "Trần Thị B - Thành viên"]
    vid = open_flag(vhxh, "--meeting", "1", *[x for c in committee for x in ("--committee", c)])
    for _ in range(9):
        vhxh.ok("vote", "cast", vid, "Sở TT&TT")
    vhxh.fails("vote", "close", vid, "--at", "25:00")
    r = vhxh.ok("vote", "close", vid, "--at", "9h05")
    assert r.stdout.startswith("Đã đóng lúc 09:05. Đề nghị Cờ thi đua của Ủy ban nhân dân tỉnh")
    assert vhxh.sql("SELECT closed, closed_at FROM vote WHERE id = 1") == [(1, "09:05")]
    data = tally(vhxh, 1)
    assert data["closed_at"] == "09:05" and data["committee"] == committee
    shown = vhxh.ok("vote", "tally", "1").stdout
    assert "Kiểm phiếu xong lúc 09:05." in shown
    assert "Ban kiểm phiếu: Nguyễn Văn A - Trưởng ban; Trần Thị B - Thành viên." in shown
    r = vhxh.ok(
        "vote", "open", "-b", "vhxh", "-y", "2019", "--award", "bang-khen", "--meeting", "1"
    )
    assert r.stdout.strip() == "2"
    assert "Ban kiểm phiếu (như cuộc bỏ phiếu trước): Nguyễn Văn A - Trưởng ban" in r.stderr
    assert vhxh.sql("SELECT committee FROM vote WHERE id = 2") == [("\n".join(committee),)]
    assert tally(vhxh, 2)["committee"] == committee
    # a vote of another meeting starts with no committee
    vhxh.ok(
        "meeting",
        "log",
        "--bloc",
        "vhxh",
        "--date",
        "09/01/2020",
        "--kind",
        "khac",
        "--year",
        "2019",
    )
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
        "1",
        "--meeting",
        "2",
    )
    assert vhxh.sql("SELECT committee FROM vote WHERE id = 3") == [(None,)]
    # reopening clears the count's time: the corrected count gets its own
    vhxh.ok("vote", "reopen", "1", "--reason", "Nhập nhầm một phiếu")
    assert vhxh.sql("SELECT closed, closed_at FROM vote WHERE id = 1") == [(0, None)]
    vhxh.round_trip()


def test_excluding_a_candidate_of_a_closed_vote_says_reopen_first(vhxh):
    vid = open_flag(vhxh)
    for _ in range(9):
        vhxh.ok("vote", "cast", vid, "Sở TT&TT")
    vhxh.ok("vote", "close", vid)
    exclude = ("vote", "exclude", "-b", "vhxh", "-y", "2019", "--unit", "Sở TT&TT")
    r = vhxh.fails(*exclude, "--reason", "Có cán bộ bị kỷ luật")
    assert r.stderr.strip() == (
        "«Sở Thông tin và Truyền thông» là ứng viên của cuộc bỏ phiếu 1 đã đóng; mở lại trước "
        "(«tdkt vote reopen 1 --reason …») rồi mới loại khỏi bình xét."
    )
    assert vhxh.sql("SELECT count(*) FROM ineligible") == [(0,)]
    vhxh.ok("vote", "reopen", "1", "--reason", "Có ý kiến của ngành")
    vhxh.ok(*exclude, "--reason", "Có cán bộ bị kỷ luật")
    assert vhxh.sql("SELECT unit_id, reason FROM ineligible") == [(5, "Có cán bộ bị kỷ luật")]


def test_a_blank_ballot_is_a_phieu_trang_everywhere(vhxh):
    vid = open_flag(vhxh)
    r = vhxh.ok("vote", "cast", vid, "--blank")
    assert r.stdout.strip() == "Đã ghi 1 phiếu trắng."
    csv = vhxh.db.parent / "phieu.csv"
    csv.write_text("Sở TT&TT\n\nINVALID\n", encoding="utf-8")
    r = vhxh.ok("vote", "import", vid, str(csv))
    assert r.stdout.strip() == "Đã ghi 3 phiếu: 1 hợp lệ, 1 phiếu trắng, 1 không hợp lệ."
    assert "phiếu trắng: 02" in vhxh.ok("vote", "tally", vid, "--explain").stdout
    r = vhxh.ok("vote", "uncast", vid, "--blank")
    assert r.stdout.strip() == "Đã bỏ 1 phiếu trắng; còn 3 phiếu."
    said = [vhxh.ok("vote", *cmd, "--help").stdout for cmd in (["cast"], ["import"], ["count"])]
    said.append(vhxh.ok("vote", "tally", vid).stdout)
    assert all("phiếu trống" not in text for text in said)
    assert vhxh.sql("SELECT kind, count FROM ballot ORDER BY kind") == [
        ("blank", 1),
        ("invalid", 1),
        ("valid", 1),
    ]


def test_refusals_of_votes_and_awards_start_upper_case(vhxh):
    vid = open_flag(vhxh)
    refusals = [
        ("vote", "cast", vid, "--blank", "--invalid"),
        ("vote", "cast", vid, "Sở Y tế", "--blank"),
        ("vote", "uncast", vid, "--blank"),
        ("vote", "close", vid, "--at", "chiều"),
        ("vote", "open", "--round-of", vid),
        ("vote", "exclude", "-b", "vhxh", "-y", "2019", "--unit", "SYT"),
        ("vote", "open", "-b", "vhxh", "-y", "2019", "--award", "huan-chuong"),
        ("vote", "rules", "vhxh", "-y", "2019", "--base", "nobody"),
        ("vote", "count", vid, "--valid", "1", "--votes", "Sở Y tế"),
        propose(vhxh, "SYT", "giay-khen"),
        propose(vhxh, "SYT", "bang-khen", "--how", "ballot"),
        propose(vhxh, "SYT", "bang-khen", "--how", "hands"),
        propose(vhxh, "SYT", "bang-khen", "--agree", "3"),
        ("award", "cut", "-y", "2019", "--unit", "SYT", "--award", "bang-khen", "--reason", "x"),
        ("award", "withdraw", "-y", "2019", "--unit", "SYT", "--award", "bang-khen"),
    ]
    for args in refusals:
        r = vhxh.fails(*args)
        first = r.stderr.strip().lstrip("«")[:1]
        assert first.isupper(), (args, r.stderr)
