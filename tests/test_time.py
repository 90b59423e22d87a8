"""Issue 13: every record as it was on the day, and years that carry over (real CLI, real files)."""

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.fixture
def k8(cli):
    """A bloc of Bắc Kạn whose province merged into Thái Nguyên from 01/7/2025."""
    for name in ("Sở Y tế", "Sở Tài chính", "Huyện ủy Ba Bể", "Hội Nông dân tỉnh"):
        cli.ok("unit", "add", name)
    cli.ok(
        "bloc", "add", "Khối thi đua số 8", "--code", "k8",
        "--parent", "UBND TỈNH BẮC KẠN", "--place", "Bắc Kạn",
    )  # fmt: skip
    cli.ok("bloc", "join", "k8", "1", "2", "3", "4", "--year", "2024", "--group", "A")
    cli.ok("bloc", "head", "k8", "--year", "2024", "--head", "Huyện ủy Ba Bể", "--deputy", "1")
    return cli


def md(cli, *args):
    return cli.ok("report", *args, "--format", "md", "-o", "-").stdout


def test_bloc_changes_province_and_old_documents_keep_the_old_one(k8):
    k8.ok("pledge", "sign", "--bloc", "k8", "--year", "2024", "--date", "15/01/2024")
    k8.ok(
        "bloc", "edit", "k8", "--parent", "UBND TỈNH THÁI NGUYÊN", "--place", "Thái Nguyên",
        "--from", "01/7/2025",
    )  # fmt: skip
    text = md(k8, "covenant", "--bloc", "k8", "--year", "2024")
    assert "UBND TỈNH BẮC KẠN" in text and "Bắc Kạn, ngày 15 tháng 01 năm 2024" in text
    assert "THÁI NGUYÊN" not in text
    # the history is kept as rows with their dates; the bloc row holds the latest values
    assert k8.sql("SELECT valid_from, parent FROM bloc_attr ORDER BY ifnull(valid_from, '')") == [
        (None, "UBND TỈNH BẮC KẠN"),
        ("2025-07-01", "UBND TỈNH THÁI NGUYÊN"),
    ]
    assert k8.sql("SELECT parent, place FROM bloc") == [("UBND TỈNH THÁI NGUYÊN", "Thái Nguyên")]
    shown = json.loads(k8.ok("bloc", "show", "k8", "--year", "2024", "--json").stdout)
    assert shown["parent"] == "UBND TỈNH BẮC KẠN" and shown["as_of"] == "2024-12-31"
    assert [h["from"] for h in shown["history"]] == [None, "2025-07-01"]
    people = k8.ok("bloc", "show", "k8", "--year", "2024").stdout
    assert "từ ngày 01/07/2025: cơ quan cấp trên: UBND TỈNH THÁI NGUYÊN" in people
    # a later document prints the new province
    k8.ok("bloc", "join", "k8", "--year", "2025", "--same-as", "2024", "--head", "1")
    k8.ok("pledge", "sign", "--bloc", "k8", "--year", "2025", "--date", "20/11/2025")
    text = md(k8, "covenant", "--bloc", "k8", "--year", "2025")
    assert "UBND TỈNH THÁI NGUYÊN" in text and "Thái Nguyên, ngày 20 tháng 11 năm 2025" in text
    province = json.loads(k8.ok("province", "--year", "2024", "--json").stdout)
    assert province["blocs"][0]["parent"] == "UBND TỈNH BẮC KẠN"
    # a correction without --from changes the value in force now, adds no period
    k8.ok("bloc", "edit", "k8", "--place", "tỉnh Thái Nguyên")
    assert k8.sql("SELECT count(*) FROM bloc_attr") == [(2,)]
    assert k8.sql("SELECT place FROM bloc") == [("tỉnh Thái Nguyên",)]
    k8.fails("bloc", "edit", "k8", "--place", "X", "--from", "31/02/2025")
    # a dated change is undone whole: the period and the bloc row
    k8.ok("bloc", "edit", "k8", "--name", "Cụm thi đua số 8", "--from", "01/01/2026")
    k8.ok("undo", "--yes")
    assert k8.sql("SELECT count(*) FROM bloc_attr") == [(2,)]
    assert k8.sql("SELECT name FROM bloc") == [("Khối thi đua số 8",)]
    fresh = k8.round_trip()
    conn = sqlite3.connect(fresh)
    assert conn.execute("SELECT count(*) FROM bloc_attr").fetchone() == (2,)


def test_merged_and_dissolved_units_mid_year(k8):
    k8.ok("bloc", "join", "k8", "--year", "2025", "--same-as", "2024", "--head", "Huyện ủy Ba Bể")
    r = k8.ok("unit", "end", "Huyện ủy Ba Bể", "--on", "01/07/2025", "--reason", "cấp huyện")
    assert "trưởng khối khối k8 năm 2025" in r.stdout
    r = k8.ok("unit", "merge", "Hội Nông dân tỉnh", "--into", "Sở Tài chính", "--on", "01/07/2025")
    assert "thành viên khối k8 năm 2025" in r.stdout
    assert k8.sql("SELECT ended_on, merged_into, end_reason FROM unit WHERE id = 3") == [
        ("2025-07-01", None, "cấp huyện")
    ]
    # a meeting after the end: the two are not present by default, cannot be named present
    k8.ok("meeting", "log", "--bloc", "k8", "--date", "20/11/2025", "--kind", "giao-ban")
    assert k8.sql("SELECT unit_id FROM meeting_present ORDER BY unit_id") == [(1,), (2,)]
    r = k8.fails(
        "meeting", "log", "--bloc", "k8", "--date", "21/11/2025", "--kind", "giao-ban",
        "--present", "Hội Nông dân tỉnh",
    )  # fmt: skip
    assert "01/07/2025" in r.stderr
    # a meeting before the end still counts them
    k8.ok("meeting", "log", "--bloc", "k8", "--date", "20/03/2025", "--kind", "giao-ban")
    assert k8.sql("SELECT count(*) FROM meeting_present WHERE meeting_id = 2") == [(4,)]
    # not voters, not candidates after the end
    k8.ok("vote", "open", "--bloc", "k8", "--year", "2025", "--award", "bang-khen",
          "--seats", "1", "--meeting", "1")  # fmt: skip
    assert k8.sql("SELECT members, present FROM vote") == [(2, 2)]
    assert k8.sql("SELECT unit_id FROM vote_candidate ORDER BY unit_id") == [(1,), (2,)]
    r = k8.fails(
        "vote", "open", "--bloc", "k8", "--year", "2025", "--award", "co-thi-dua", "--seats",
        "1", "--meeting", "1", "--candidate", "Huyện ủy Ba Bể",
    )  # fmt: skip
    assert "giải thể từ ngày 01/07/2025" in r.stderr
    # flagged in bloc show and province; a member until July is a true record: db check holds
    assert "trưởng khối «Huyện ủy Ba Bể» đã giải thể" in k8.ok("bloc", "show", "k8").stdout
    province = json.loads(k8.ok("province", "--year", "2025", "--json").stdout)
    assert len(province["blocs"][0]["ended"]) == 2
    k8.ok("db", "check")
    # a new year leaves them out, says so, and refuses them as head or member
    r = k8.ok("bloc", "join", "k8", "--year", "2026", "--same-as", "2025")
    assert "Bỏ qua «Huyện ủy Ba Bể»" in r.stdout and "Bỏ qua «Hội Nông dân tỉnh»" in r.stdout
    assert k8.sql("SELECT unit_id, grp FROM membership WHERE year = 2026 ORDER BY position") == [
        (1, "A"),
        (2, "A"),
    ]
    assert "01/07/2025" in k8.fails("bloc", "join", "k8", "3", "--year", "2026").stderr
    k8.fails("bloc", "head", "k8", "--year", "2026", "--head", "Huyện ủy Ba Bể")
    # a unit founded on a date cannot belong to an earlier year
    k8.ok("unit", "add", "Đảng ủy xã Ba Bể", "--founded", "01/07/2025")
    assert "01/07/2025" in k8.fails("bloc", "join", "k8", "5", "--year", "2024").stderr
    k8.ok("bloc", "join", "k8", "5", "--year", "2025")
    # export → import → export gives the same text (db check would flag the ended members)
    text = k8.ok("export").stdout
    (k8.db.parent / "x.yaml").write_text(text, encoding="utf-8")
    fresh = str(k8.db.parent / "fresh.db")
    k8.ok("--db", fresh, "import", str(k8.db.parent / "x.yaml"))
    assert k8.ok("--db", fresh, "export").stdout == text
    assert "end_reason: cấp huyện" in text and "founded_on: '2025-07-01'" in text


def test_second_year_from_the_first_in_one_command(k8):
    k8.ok("vote", "rules", "k8", "--year", "2024", "--threshold", "2/3", "--flag-quota", "2")
    r = k8.ok(
        "bloc", "join", "k8", "--year", "2025", "--same-as", "2024",
        "--head", "Sở Y tế", "--deputy", "Sở Tài chính",
    )  # fmt: skip
    assert r.stdout.count("lấy theo năm 2024") == 4
    assert k8.sql("SELECT unit_id, position, grp FROM membership WHERE year = 2025") == k8.sql(
        "SELECT unit_id, position, grp FROM membership WHERE year = 2024"
    )
    assert k8.sql("SELECT head_id, deputy_id FROM bloc_year WHERE year = 2025") == [(1, 2)]
    # the quy chế of 2024 holds in 2025 until replaced
    rules = json.loads(k8.ok("vote", "rules", "k8", "--year", "2025", "--json").stdout)
    assert rules["threshold"] == "2/3" and rules["since"] == 2024
    assert "đặt từ năm 2024" in k8.ok("vote", "rules", "k8", "--year", "2025").stdout
    k8.ok("vote", "rules", "k8", "--year", "2026", "--threshold", "1/2")
    assert (
        json.loads(k8.ok("vote", "rules", "k8", "--year", "2025", "--json").stdout)["threshold"]
        == "2/3"
    )
    assert (
        json.loads(k8.ok("vote", "rules", "k8", "--year", "2027", "--json").stdout)["since"] == 2026
    )
    # refused: a year that already has members; a source year without any
    k8.fails("bloc", "join", "k8", "--year", "2025", "--same-as", "2024")
    k8.fails("bloc", "join", "k8", "--year", "2030", "--same-as", "2029")


@pytest.mark.parametrize(
    ("meeting", "year", "cites", "not_cited"),
    [
        ("15/01/2016", 2015, ["ngày 26 tháng 11 năm 2003", "42/2010/NĐ-CP", "65/2014/NĐ-CP"],
         ["91/2017", "ngày 15 tháng 6 năm 2022"]),
        ("08/01/2020", 2019, ["ngày 16 tháng 11 năm 2013", "91/2017/NĐ-CP ngày 31 tháng 7 năm 2017"],
         ["42/2010", "98/2023", "ngày 15 tháng 6 năm 2022"]),
        ("10/01/2024", 2023, ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", "98/2023/NĐ-CP"],
         ["91/2017", "năm 2003", "152/2025"]),
        ("12/01/2026", 2025, ["ngày 15 tháng 6 năm 2022", "152/2025/NĐ-CP ngày 14 tháng 6 năm 2025"],
         ["98/2023", "91/2017"]),
    ],
)  # fmt: skip
def test_proposal_cites_the_laws_of_its_date(k8, meeting, year, cites, not_cited):
    if year != 2024:
        k8.ok("bloc", "join", "k8", "--year", str(year), "--same-as", "2024")
    k8.ok("meeting", "log", "--bloc", "k8", "--date", meeting, "--kind", "tong-ket")
    k8.ok("vote", "open", "--bloc", "k8", "--year", str(year), "--award", "bang-khen",
          "--seats", "1", "--meeting", "1")  # fmt: skip
    for _ in range(4):
        k8.ok("vote", "cast", "1", "Sở Y tế")
    k8.ok("vote", "close", "1")
    text = md(k8, "proposal", "--bloc", "k8", "--year", str(year))
    for line in cites:
        assert line in text
    for line in not_cited:
        assert line not in text
    assert "Căn cứ Quy chế hoạt động của Khối thi đua số 8;" in text  # the bloc's own


def test_half_year_report_covers_january_to_june(k8):
    k8.ok("meeting", "log", "--bloc", "k8", "--date", "15/03/2024", "--kind", "giao-ban")
    k8.ok("meeting", "log", "--bloc", "k8", "--date", "11/07/2024", "--kind", "so-ket",
          "--title", "Hội nghị sơ kết 6 tháng đầu năm 2024")  # fmt: skip
    text = md(k8, "semiannual", "--bloc", "k8", "--year", "2024")
    assert "(từ ngày 01/01/2024 đến ngày 30/06/2024)" in text
    assert "Trong 6 tháng đầu năm 2024, khối đã tổ chức 01 hội nghị" in text
    assert "Báo cáo này được trình tại Hội nghị sơ kết 6 tháng đầu năm 2024 ngày 11/07/2024" in text
    assert "Bắc Kạn, ngày 11 tháng 7 năm 2024" in text


def test_first_schema_file_upgrades_with_meaning_kept(cli, tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(ROOT / "tests" / "fixtures" / "first-schema.db", old)
    before = json.loads(cli.ok("--db", str(old), "bloc", "show", "vhxh", "--json").stdout)
    conn = sqlite3.connect(old)
    rows = conn.execute("SELECT bloc_id, valid_from, name, parent, place FROM bloc_attr").fetchall()
    assert rows == [(1, None, "Khối thi đua Văn hóa - Xã hội", "UBND TỈNH BẮC KẠN", "Bắc Kạn")]
    assert conn.execute("SELECT founded_on, end_reason FROM unit").fetchall() == [(None, None)] * 2
    conn.close()
    assert before["parent"] == "UBND TỈNH BẮC KẠN" and [h["from"] for h in before["history"]] == [
        None
    ]
    cli.ok("--db", str(old), "db", "check")
    cli.ok("--db", str(old), "bloc", "edit", "vhxh", "--place", "Thái Nguyên", "--from", "1/7/2025")
    assert "Bắc Kạn" in cli.ok("--db", str(old), "bloc", "show", "vhxh", "--year", "2019").stdout


def test_renames_of_an_older_file_become_dated_names(cli, tmp_path):
    from sqlite_utils import Database

    from tdkt_cli.store.migrations import build

    old = tmp_path / "renamed.db"
    conn = sqlite3.connect(old)
    build().apply(Database(conn), stop_before="m007_time")
    conn.executescript(
        """
INSERT INTO unit (id, name, short) VALUES (1, 'Sở Khoa học và Công nghệ', 'SKHCN');
INSERT INTO unit_name (unit_id, name, short, until) VALUES
  (1, 'Sở Bưu chính Viễn thông', NULL, '2008-01-01'),
  (1, 'Sở Thông tin và Truyền thông', 'Sở TT&TT', '2025-03-01');
"""
    )
    from tdkt_cli.text import loose_key, match_key

    for name, source in [
        ("Sở Khoa học và Công nghệ", "name"),
        ("SKHCN", "short"),
        ("Sở Bưu chính Viễn thông", "former"),
        ("Sở Thông tin và Truyền thông", "former"),
        ("Sở TT&TT", "former"),
    ]:  # the lookup as the old code kept it
        conn.execute(
            "INSERT INTO unit_lookup VALUES (1, ?, ?, ?)",
            (match_key(name), loose_key(name), source),
        )
    conn.commit()
    conn.close()
    shown = json.loads(cli.ok("--db", str(old), "unit", "show", "1", "--json").stdout)
    assert shown["former_names"] == [
        {"name": "Sở Bưu chính Viễn thông", "short": None, "until": "2008-01-01"},
        {"name": "Sở Thông tin và Truyền thông", "short": "Sở TT&TT", "until": "2025-03-01"},
    ]
    conn = sqlite3.connect(old)
    assert conn.execute(
        "SELECT valid_from, name FROM unit_name_period ORDER BY ifnull(valid_from, '')"
    ).fetchall() == [
        (None, "Sở Bưu chính Viễn thông"),
        ("2008-01-01", "Sở Thông tin và Truyền thông"),
        ("2025-03-01", "Sở Khoa học và Công nghệ"),
    ]
    conn.close()
    cli.ok("--db", str(old), "db", "check")
    assert (
        json.loads(cli.ok("--db", str(old), "unit", "show", "Sở TT&TT", "--json").stdout)["id"] == 1
    )
    cli.ok(
        "--db", str(old), "unit", "rename", "1", "Sở Khoa học, Công nghệ và Số", "--on", "1/1/2026"
    )
    cli.fails("--db", str(old), "unit", "rename", "1", "Tên khác", "--on", "1/6/2025")
    cli.ok("--db", str(old), "db", "check")


def test_a_unit_cannot_end_before_a_year_it_is_a_member_of(k8):
    """A unit merged on 01/01/2025 never existed in 2025: with a 2025 membership recorded, the
    merge is refused (it made db check fail right after a command that succeeded)."""
    k8.ok("bloc", "join", "k8", "--year", "2025", "--same-as", "2024")
    r = k8.fails("unit", "merge", "Sở Tài chính", "--into", "Sở Y tế", "--on", "01/01/2025")
    assert r.stderr == (
        "«Sở Tài chính» là thành viên khối k8 năm 2025, những năm đơn vị không còn nếu sáp nhập "
        'từ ngày 01/01/2025; cho đơn vị rời khối trước («tdkt bloc leave k8 "Sở Tài chính" '
        "--year 2025») hoặc chọn ngày khác.\n"
    )
    k8.fails("unit", "end", "Sở Tài chính", "--on", "31/12/2024")
    k8.ok("unit", "merge", "Sở Tài chính", "--into", "Sở Y tế", "--on", "02/01/2025")
    k8.ok("db", "check")


def test_tdkt_today_fixes_today_for_a_script(cli, monkeypatch):
    """The clock is read in one place (clock.py); TDKT_TODAY sets its date for every command."""
    monkeypatch.setenv("TDKT_TODAY", "2025-01-08")
    cli.ok("unit", "add", "Sở Y tế")
    (entry,) = json.loads(cli.ok("log", "--json").stdout)
    assert entry["at"].startswith("2025-01-08T")
    monkeypatch.setenv("TDKT_TODAY", "không phải ngày")  # ignored, not a crash
    cli.ok("unit", "add", "Sở Tài chính")


# --- issue 22: a unit's founding and end bound everything dated -------------------------------


@pytest.fixture
def k25(cli):
    cli.ok("unit", "add", "Sở A")
    cli.ok("unit", "add", "Sở B", "--founded", "01/07/2025")
    cli.ok("unit", "add", "Sở C")
    cli.ok("unit", "add", "Sở D")
    cli.ok("bloc", "add", "Khối thi đua số 1", "--code", "k1")
    cli.ok("bloc", "join", "k1", "Sở A", "Sở B", "Sở C", "--year", "2025")
    cli.ok("unit", "end", "Sở C", "--on", "01/10/2025")
    return cli


def test_a_meeting_names_who_did_not_exist_on_its_day(k25):
    r = k25.ok("meeting", "log", "-b", "k1", "--date", "15/01/2025", "--kind", "giao-ban", "--json")
    assert "«Sở B» thành lập từ ngày 01/07/2025; ngày 15/01/2025" in r.stderr
    assert [p["name"] if isinstance(p, dict) else p for p in json.loads(r.stdout)["present"]] != []
    mid = json.loads(r.stdout)["id"]
    shown = json.loads(k25.ok("meeting", "show", str(mid), "--json").stdout)
    assert "Sở B" not in json.dumps(shown["present"], ensure_ascii=False)
    # named as present, a unit not founded yet or already ended is refused, naming unit and day
    r = k25.fails(
        "meeting", "log", "-b", "k1", "--date", "15/01/2025", "--kind", "khac", "--present", "Sở B"
    )
    assert "«Sở B» thành lập từ ngày 01/07/2025; ngày 15/01/2025" in r.stderr
    r = k25.fails(
        "meeting", "log", "-b", "k1", "--date", "15/12/2025", "--kind", "khac", "--present", "Sở C"
    )
    assert "«Sở C» đã giải thể từ ngày 01/10/2025; ngày 15/12/2025" in r.stderr


def test_a_covenant_is_signed_by_the_members_existing_that_day(k25):
    r = k25.ok("pledge", "sign", "-b", "k1", "-y", "2025", "--date", "10/01/2025", "--json")
    assert r.stderr.startswith("Cảnh báo: «Sở B» thành lập từ ngày 01/07/2025")
    assert len(json.loads(r.stdout)["signers"]) == 2


def test_joining_a_unit_that_merges_that_year_names_its_successor(k25):
    k25.ok("unit", "merge", "Sở D", "--into", "Sở A", "--on", "01/07/2025")
    r = k25.ok("bloc", "join", "k1", "Sở D", "--year", "2025")
    assert "cảnh báo" in r.stdout and "«Sở A» là đơn vị kế thừa" in r.stdout
    assert "01/07/2025" in r.stdout
    r = k25.ok("bloc", "join", "k1", "Sở D", "--year", "2024")
    assert "cảnh báo" not in r.stdout


def test_a_unit_never_scored_is_named_not_ranked_last(vhxh):
    root = Path(__file__).parents[1] / "sample_data"
    vhxh.ok("score", "criteria", "-b", "vhxh", "-y", "2019", str(root / "criteria-vhxh-2019.yaml"))
    vhxh.ok("score", "import", "-b", "vhxh", "-y", "2019", str(root / "scores-vhxh-2019.csv"))
    vhxh.ok("unit", "add", "Sở Mới")
    vhxh.ok("bloc", "join", "vhxh", "Sở Mới", "--year", "2019")
    data = json.loads(vhxh.ok("score", "table", "-b", "vhxh", "-y", "2019", "--json").stdout)
    new = [s for s in data["standings"] if s["unit"] == "Sở Mới"]
    assert new and new[0]["rank"] is None and new[0]["source"] == "none"
    assert all(s["rank"] is not None for s in data["standings"] if s["source"] != "none")
    assert "chưa chấm" in vhxh.ok("score", "table", "-b", "vhxh", "-y", "2019").stdout


def test_the_units_alive_in_a_year_read_from_their_rows_are_those_alive_in_year_says(vhxh):
    """province lists the units in no bloc from ids_alive_in_year, which reads the unit rows
    alone; it must keep alive_in_year's rule for every founding and ending date."""
    import sqlite3

    from tdkt_cli.units import service as units

    conn = sqlite3.connect(vhxh.db)
    dates = [
        (1, "2019-01-01", None),
        (2, "2019-12-31", None),
        (3, None, "2019-01-01"),
        (4, None, "2019-01-02"),
        (5, "2018-06-30", "2020-07-01"),
        (6, "2020-01-01", "2020-01-02"),
    ]
    conn.executemany(
        "UPDATE unit SET founded_on = ?, ended_on = ? WHERE id = ?",
        [(f, e, i) for i, f, e in dates],
    )
    conn.commit()
    conn.row_factory = sqlite3.Row
    for year in range(2017, 2023):
        expected = [
            uid
            for (uid,) in conn.execute("SELECT id FROM unit ORDER BY id").fetchall()
            if units.alive_in_year(units.get(conn, uid), year)
        ]
        assert units.ids_alive_in_year(conn, year) == expected, year
    assert 3 not in units.ids_alive_in_year(conn, 2019) and 4 in units.ids_alive_in_year(conn, 2019)
