"""Day one of a new clerk (issue 24, point 8), each small thing through the real CLI."""



def test_pledge_list_shows_the_id_edit_and_remove_take(vhxh):
    vhxh.ok(
        "pledge", "record", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "--title", "Cờ thi đua"
    )
    vhxh.ok(
        "pledge",
        "record",
        "-b",
        "vhxh",
        "-y",
        "2019",
        "--unit",
        "Ban Dân tộc",
        "--title",
        "Bằng khen",
    )
    shown = vhxh.ok("pledge", "list", "-b", "vhxh", "-y", "2019").stdout
    assert "Mã số" in shown.splitlines()[2]
    rows = [line for line in shown.splitlines() if "Ban Dân tộc" in line]
    assert len(rows) == 1 and rows[0].split("│")[1].strip() == "2"
    vhxh.ok("pledge", "remove", "2")
    assert vhxh.sql("SELECT id FROM pledge") == [(1,)]


def test_a_pledged_title_is_the_catalogue_award(vhxh):
    record = ("pledge", "record", "-b", "vhxh", "-y", "2019", "--unit", "SYT", "--title")
    r = vhxh.ok(*record, "Bằng khen")
    assert r.stdout.strip() == (
        "Đã ghi đăng ký của Sở Y tế: Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn."
    )
    vhxh.ok(*record, "co-thi-dua")
    vhxh.ok(*record, "Cờ thi đua của UBND tỉnh")  # the same award: its targets replaced
    vhxh.ok(*record, "Tập thể lao động xuất sắc")  # the unit's own head gives it
    assert vhxh.sql("SELECT title FROM pledge ORDER BY id") == [
        ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn",),
        ("Cờ thi đua của Ủy ban nhân dân tỉnh Bắc Kạn",),
        ("Tập thể lao động xuất sắc",),
    ]
    r = vhxh.fails(*record, "Huân chương Lao động hạng Ba")
    err = r.stderr.strip()
    assert err.startswith(
        "Danh hiệu «Huân chương Lao động hạng Ba» không có trong danh mục khen thưởng của khối "
        "vhxh năm 2019 (co-thi-dua (Cờ thi đua của Ủy ban nhân dân tỉnh Bắc Kạn); bang-khen"
    )
    assert "tdkt bloc profile vhxh --file" in err and err.count("\n") == 0
    r = vhxh.fails("pledge", "edit", "1", "--title", "Giấy khen")
    assert r.stderr.startswith("Danh hiệu «Giấy khen» không có trong danh mục")


def test_unit_show_by_a_part_of_its_name(cli):
    # invented communes, not real ones
    for name in ("UBND Xã Mẫu Thanh Sơn", "UBND Xã Mẫu Thanh Hà", "UBND Xã Mẫu Sơn Thủy"):
        cli.ok("unit", "add", name)
    assert cli.ok("unit", "show", "thanh son").stdout.startswith("UBND Xã Mẫu Thanh Sơn (mã số 1)")
    assert cli.ok("unit", "show", "SON THUY").stdout.startswith("UBND Xã Mẫu Sơn Thủy (mã số 3)")
    r = cli.fails("unit", "show", "thanh")  # two units: suggested, not guessed
    assert r.stderr.strip() == (
        "Không tìm thấy đơn vị «thanh». Có phải: UBND Xã Mẫu Thanh Hà (mã số 2); "
        "UBND Xã Mẫu Thanh Sơn (mã số 1)?"
    )
    r = cli.fails("unit", "show", "than")  # a part of a word is not a part of the name
    assert r.stderr.startswith("Không tìm thấy đơn vị «than».")
    # a command that writes still needs the whole name
    cli.ok("bloc", "add", "Cụm thi đua Mẫu", "--code", "mau", "--parent", "UBND TỈNH MẪU")
    assert cli.fails("bloc", "join", "mau", "thanh son", "--year", "2025").stderr.startswith(
        "Không tìm thấy đơn vị «thanh son»."
    )
