"""The newcomer's walk (issue 24): one realistic year of a cụm of eight communes formed by the
2025 reorganisation (two-level local government from 01/07/2025), learnt from README and -h
only, end to end through the CLI, every document rendered as md and its sentences asserted.

Every name here is invented and marked as such («UBND Xã Mẫu A», «UBND TỈNH MẪU»): no real
commune, person or decision is described."""

import json

MEMBERS = [f"UBND Xã Mẫu {x}" for x in "ABCDEGHK"]  # invented communes
SHORT = [f"Xã Mẫu {x}" for x in "ABCDEGHK"]
YEAR = ("-b", "cum9", "-y", "2026")

CRITERIA = """\
groups:
- code: A
  title: Thực hiện nhiệm vụ chính trị
  criteria:
  - {code: A1, title: Hoàn thành chỉ tiêu kinh tế - xã hội được giao, max: 60}
- code: B
  title: Công tác thi đua, khen thưởng
  criteria:
  - {code: B1, title: Tổ chức phong trào thi đua và tham gia hoạt động của Cụm, max: 40}
bonus:
  cap: 5
  items:
  - {code: T1, title: Có mô hình mới được công nhận, max: 5}
penalty:
  cap: 5
  items:
  - {code: P1, title: Báo cáo chậm, max: 5}
bands:
- {name: Xuất sắc, min: 90}
- {name: Tốt, min: 75}
"""

SCORES = "đơn vị;A1;B1;T1;P1\n" + "\n".join(
    f"{name};{a};{b};{t};{p}"
    for name, a, b, t, p in zip(
        MEMBERS,
        [58, 56, 57, 55, 54, 50, 52, 49],
        [38, 37, 36, 35, 34, 33, 30, 31],
        [3, 2, 0, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 1, 0, 2, 0],
        strict=True,
    )
)


def md(cli, tmp_path, *args):
    out = tmp_path / f"{'-'.join(a for a in args if not a.startswith('-'))}.md"
    cli.ok("report", *args, "--format", "md", "-o", str(out))
    return " ".join(out.read_text(encoding="utf-8").split())


def test_a_year_of_a_cum_of_eight_communes(cli, tmp_path):
    # --- the units and the cụm
    for name, short in zip(MEMBERS, SHORT, strict=True):
        cli.ok("unit", "add", name, "--short", short, "--founded", "01/07/2025")
    r = cli.ok(
        "bloc", "add", "Cụm thi đua số 9 (mẫu)", "--code", "cum9",
        "--parent", "UBND TỈNH MẪU", "--place", "Mẫu",
    )  # fmt: skip
    assert "Loại: cụm (theo tên khối); cụm trưởng, cụm phó." in r.stderr
    cli.ok("bloc", "join", "cum9", *[str(i) for i in range(1, 9)], "--year", "2026")
    r = cli.ok(
        "bloc", "head", "cum9", "--year", "2026", "--head", "Xã Mẫu A", "--deputy", "Xã Mẫu B"
    )
    assert r.stdout.strip() == "Năm 2026: cụm trưởng UBND Xã Mẫu A; cụm phó UBND Xã Mẫu B."
    # --- pledges: «Cờ thi đua», «Bằng khen» typed short, stored as the catalogue names them
    for short in SHORT[:3]:
        cli.ok("pledge", "record", *YEAR, "--unit", short, "--title", "Cờ thi đua",
               "--target", "Hoàn thành 100% chỉ tiêu được giao")  # fmt: skip
    for short in SHORT[3:]:
        cli.ok("pledge", "record", *YEAR, "--unit", short, "--title", "Bằng khen")
    listed = json.loads(cli.ok("pledge", "list", *YEAR, "--json").stdout)
    assert {p["title"] for p in listed["registrations"]} == {
        "Cờ thi đua của Ủy ban nhân dân tỉnh",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
    }
    # --- three meetings: the covenant's, the mid-year review with an absence, the year-end one
    first = cli.ok(
        "meeting", "log", "-b", "cum9", "--date", "20/02/2026", "--kind", "khac",
        "--title", "Hội nghị ký kết giao ước thi đua năm 2026", "--place", "Hội trường UBND Xã Mẫu A",
        "--chair", "Nguyễn Văn Mẫu", "--chair-title", "Chủ tịch UBND Xã Mẫu A",
        "--secretary", "Trần Thị Mẫu", "--secretary-title", "Công chức Văn phòng - Thống kê",
    ).stdout.strip()  # fmt: skip
    cli.ok("pledge", "sign", *YEAR, "--date", "20/02/2026", "--meeting", first)
    second = cli.ok(
        "meeting", "log", "-b", "cum9", "--date", "15/07/2026", "--kind", "so-ket",
        "--place", "Hội trường UBND Xã Mẫu B",
        "--chair", "Lê Văn Mẫu", "--chair-title", "Chủ tịch UBND Xã Mẫu B",
        "--absent", "Xã Mẫu K", "--absent-reason", "Trùng lịch tiếp công dân",
        "--start", "08:00", "--end", "11:00",
    ).stdout.strip()  # fmt: skip
    third = cli.ok(
        "meeting", "log", "-b", "cum9", "--date", "12/01/2027", "--kind", "tong-ket",
        "--place", "Hội trường UBND Xã Mẫu A",
        "--chair", "Nguyễn Văn Mẫu", "--chair-title", "Chủ tịch UBND Xã Mẫu A",
        "--chair", "Lê Văn Mẫu", "--chair-title", "Chủ tịch UBND Xã Mẫu B",
        "--secretary", "Trần Thị Mẫu", "--secretary-title", "Công chức Văn phòng - Thống kê",
        "--start", "08:00", "--end", "11:30",
    ).stdout.strip()  # fmt: skip
    assert (first, second, third) == ("1", "2", "3")
    r = cli.fails("meeting", "log", "-b", "cum9", "--date", "14/01/2027", "--kind", "tong-ket")
    assert "đã có hội nghị tổng kết năm 2026 (mã số 3, ngày 12/01/2027)" in r.stderr
    # --- scores
    (tmp_path / "tieu-chi.yaml").write_text(CRITERIA, encoding="utf-8")
    (tmp_path / "diem.csv").write_text(SCORES, encoding="utf-8")
    cli.ok("score", "criteria", *YEAR, str(tmp_path / "tieu-chi.yaml"))
    cli.ok("score", "import", *YEAR, str(tmp_path / "diem.csv"))
    standings = json.loads(cli.ok("score", "table", *YEAR, "--json").stdout)["standings"]
    assert [s["unit"] for s in standings[:2]] == ["UBND Xã Mẫu A", "UBND Xã Mẫu B"]
    assert standings[0]["total"] == 99 and standings[0]["band"] == "Xuất sắc"
    # --- the flag: nobody over half (3–3, a blank, a spoiled ballot), then its re-vote
    committee = [
        *("--committee", "Phạm Văn Mẫu - Phó Chủ tịch UBND Xã Mẫu C"),
        *("--committee", "Đỗ Thị Mẫu - Công chức Văn hóa - Xã hội Xã Mẫu D"),
    ]
    flag = cli.ok(
        *("vote", "open", *YEAR, "--award", "co-thi-dua", "--meeting", third), *committee
    ).stdout.strip()
    for _ in range(3):
        cli.ok("vote", "cast", flag, "Xã Mẫu A")
        cli.ok("vote", "cast", flag, "Xã Mẫu B")
    cli.ok("vote", "cast", flag, "--blank")
    cli.ok("vote", "cast", flag, "--invalid")
    assert json.loads(cli.ok("vote", "tally", flag, "--json").stdout)["status"] == "no-majority"
    again = json.loads(cli.ok("vote", "open", "--round-of", flag, "--json").stdout)
    revote = str(again["id"])
    assert again["round_label"] == "bỏ phiếu lại (vòng 2)"
    for marked in ["Xã Mẫu A"] * 5 + ["Xã Mẫu B"] * 3:
        cli.ok("vote", "cast", revote, marked)
    cli.ok("vote", "close", flag, "--at", "09:40")
    r = cli.ok("vote", "close", revote, "--at", "10:05")
    assert "UBND Xã Mẫu A" in r.stdout
    # --- certificates: two seats, a tie for the last one, settled by a second round
    cert = cli.ok("vote", "open", *YEAR, "--award", "bang-khen", "--seats", "2", "--meeting", third,
                  "--candidate", "Xã Mẫu C", "--candidate", "Xã Mẫu D", "--candidate", "Xã Mẫu E").stdout.strip()  # fmt: skip
    for marks in (
        [("Xã Mẫu C", "Xã Mẫu D")] * 3
        + [("Xã Mẫu C", "Xã Mẫu E")] * 3
        + [("Xã Mẫu D", "Xã Mẫu E")] * 2
    ):
        cli.ok("vote", "cast", cert, *marks)
    tied = json.loads(cli.ok("vote", "tally", cert, "--json").stdout)
    assert tied["status"] == "tie", tied["status"]
    tie_round = str(json.loads(cli.ok("vote", "open", "--round-of", cert, "--json").stdout)["id"])
    for marked in ["Xã Mẫu D"] * 5 + ["Xã Mẫu E"] * 3:
        cli.ok("vote", "cast", tie_round, marked)
    cli.ok("vote", "close", cert, "--at", "10:30")
    cli.ok("vote", "close", tie_round, "--at", "10:45")
    # --- a certificate agreed by a show of hands: 7 of 8 present
    r = cli.ok("award", "propose", *YEAR, "--unit", "Xã Mẫu G", "--award", "Bằng khen",
               "--how", "hands", "--agree", "7", "--present", "8")  # fmt: skip
    assert r.stdout.strip() == (
        "Đã ghi đề nghị Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh năm 2026 cho UBND Xã Mẫu G."
    )
    r = cli.fails("award", "propose", *YEAR, "--unit", "Xã Mẫu H", "--award", "bang-khen",
                  "--how", "hands", "--agree", "6", "--present", "8")  # fmt: skip
    assert "Chỉ tiêu Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh của cụm năm 2026 là 3" in r.stderr
    # --- every document, as md
    docs = {
        "semiannual": md(cli, tmp_path, "semiannual", *YEAR),
        "annual": md(cli, tmp_path, "annual", *YEAR),
        "proposal": md(cli, tmp_path, "proposal", *YEAR),
        "covenant": md(cli, tmp_path, "covenant", *YEAR),
        **{f"minutes-{m}": md(cli, tmp_path, "minutes", m) for m in (first, second, third)},
        **{f"tally-{v}": md(cli, tmp_path, "tally", v) for v in (flag, revote, cert, tie_round)},
        "ballot": md(cli, tmp_path, "ballot", flag),
    }
    said = " ".join(docs.values())
    assert "phiếu trống" not in said and "khối trưởng" not in said

    # the mid-year review: its own report, and the absence with its reason in the minutes
    assert (
        "Báo cáo này được trình tại Hội nghị sơ kết 6 tháng ngày 15/07/2026." in docs["semiannual"]
    )
    assert (
        "Cụm thi đua số 9 (mẫu) năm 2026 gồm 08 đơn vị thành viên; đơn vị cụm trưởng: UBND Xã "
        "Mẫu A; đơn vị cụm phó: UBND Xã Mẫu B."
    ) in docs["semiannual"]
    assert "Đăng ký thi đua: 08/08 đơn vị đã đăng ký." in docs["semiannual"]
    assert (
        "Thành phần tham dự: 07/08 đơn vị thành viên: UBND Xã Mẫu A, UBND Xã Mẫu B, UBND Xã Mẫu "
        "C, UBND Xã Mẫu D, UBND Xã Mẫu E, UBND Xã Mẫu G và UBND Xã Mẫu H. Vắng mặt: UBND Xã Mẫu "
        "K (lý do: Trùng lịch tiếp công dân)."
    ) in docs["minutes-2"]
    assert "Hội nghị kết thúc vào 11 giờ 00 cùng ngày." in docs["minutes-2"]
    # the covenant, signed at the first meeting by every member
    assert (
        "Hôm nay, ngày 20 tháng 02 năm 2026, các đơn vị thành viên Cụm thi đua số 9 (mẫu) cùng "
        "ký giao ước thi đua năm 2026"
    ) in docs["covenant"]
    # no signer recorded: each member's name over honest blanks, no generic «THỦ TRƯỞNG ĐƠN VỊ»
    assert docs["covenant"].count("**<br>**[…cần bổ sung…]**<br>") == 8
    assert "THỦ TRƯỞNG ĐƠN VỊ" not in docs["covenant"] and "**TM. UBND" not in docs["covenant"]
    assert "Các đơn vị thành viên đã ký giao ước thi đua năm 2026." in docs["minutes-1"]
    # the year-end meeting: co-chairs, and each count in the minutes
    minutes = docs["minutes-3"]
    assert (
        "Chủ trì (chủ tọa): Nguyễn Văn Mẫu, Chủ tịch UBND Xã Mẫu A và Lê Văn Mẫu, Chủ tịch UBND "
        "Xã Mẫu B."
    ) in minutes
    assert (
        "Số phiếu phát ra: 08; số phiếu thu về: 08; số phiếu hợp lệ: 06; 01 phiếu không hợp lệ; "
        "01 phiếu trắng."
    ) in minutes
    assert "Còn 01 suất không có đơn vị nào đạt số phiếu cần thiết." in minutes
    assert (
        "Bỏ phiếu lại (vòng 2) giữa các đơn vị có số phiếu cao nhất ở vòng trước, khi chưa đơn "
        "vị nào đạt."
    ) in minutes
    assert (
        "UBND Xã Mẫu A được suy tôn là đơn vị dẫn đầu cụm, đề nghị tặng Cờ thi đua của Ủy ban "
        "nhân dân tỉnh."
    ) in minutes
    assert (
        "UBND Xã Mẫu D và UBND Xã Mẫu E ngang phiếu nhau ở suất cuối; cụm bỏ phiếu lại giữa các "
        "đơn vị này."
    ) in minutes
    assert "Bỏ phiếu lại (vòng 2) giữa các đơn vị ngang phiếu ở vòng trước." in minutes
    assert "Hội nghị kết thúc vào 11 giờ 30 cùng ngày." in minutes
    assert (
        "Cụm đã biểu quyết giơ tay (07/08 đơn vị có mặt đồng ý) đề nghị tặng Bằng khen của Chủ "
        "tịch Ủy ban nhân dân tỉnh cho UBND Xã Mẫu G."
    ) in minutes
    assert "giơ tay" not in docs["minutes-2"]  # the mid-year review agreed nothing
    # the count minutes: the committee (carried to the certificate vote), the count's time
    for vid, at in (
        (flag, "09 giờ 40"),
        (revote, "10 giờ 05"),
        (cert, "10 giờ 30"),
        (tie_round, "10 giờ 45"),
    ):
        tally = docs[f"tally-{vid}"]
        assert (
            "Ban kiểm phiếu gồm: 1. Phạm Văn Mẫu, Phó Chủ tịch UBND Xã Mẫu C: trưởng ban; 2. Đỗ "
            "Thị Mẫu, Công chức Văn hóa - Xã hội Xã Mẫu D: thành viên;"
        ) in tally, vid
        assert f"công bố tại hội nghị vào lúc {at} cùng ngày" in tally, vid
        assert "trong chương trình Hội nghị tổng kết năm," in tally
    assert (
        "**Kết quả:** Còn 01 suất không có đơn vị nào đạt số phiếu cần thiết."
        in docs[f"tally-{flag}"]
    )
    assert "năm 2026 (bỏ phiếu lại vòng 2)**" in docs[f"tally-{revote}"]
    assert (
        "**Kết quả:** UBND Xã Mẫu D được đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh."
    ) in docs[f"tally-{tie_round}"]
    # the annual report: dated and presented at the year-end meeting, the scores, every vote
    annual = docs["annual"]
    assert "*Mẫu, ngày 12 tháng 01 năm 2027*" in annual
    assert "Báo cáo này được trình tại Hội nghị tổng kết năm ngày 12/01/2027." in annual
    assert "Trong năm 2026, cụm đã tổ chức 02 hội nghị:" in annual
    assert "- Hội nghị sơ kết 6 tháng, ngày 15 tháng 7 năm 2026; có mặt 07/08 đơn vị." in annual
    assert "| 1 | UBND Xã Mẫu A | 99 | Xuất sắc | tự chấm |" in annual
    assert "| 7 | UBND Xã Mẫu H | 80 | Tốt | tự chấm | | 7 | UBND Xã Mẫu K | 80 | Tốt |" in annual
    assert annual.count("| Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh | Bằng khen của") == 2
    # the show of hands beside the votes, with its figures
    assert (
        "UBND Xã Mẫu D được đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh. Cụm đã "
        "biểu quyết giơ tay (07/08 đơn vị có mặt đồng ý) đề nghị tặng Bằng khen của Chủ tịch Ủy "
        "ban nhân dân tỉnh cho UBND Xã Mẫu G."
    ) in annual
    # the tờ trình: every proposal (two by ballot, one by a show of hands), how each was agreed
    proposal = docs["proposal"]
    assert (
        "Tại hội nghị tổng kết năm 2026 ngày 12 tháng 01 năm 2027, Cụm thi đua số 9 (mẫu) (08 "
        "đơn vị thành viên) đã bỏ phiếu kín bình xét, suy tôn Cờ thi đua của Ủy ban nhân dân "
        "tỉnh và Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh; biểu quyết giơ tay đề nghị Bằng "
        "khen của Chủ tịch Ủy ban nhân dân tỉnh (07/08 đơn vị có mặt đồng ý) theo quy chế hoạt "
        "động của cụm, theo biên bản kiểm phiếu gửi kèm;"
    ) in proposal
    assert "| 1 | UBND Xã Mẫu A | 5/8 | 62,50% |" in proposal
    assert (
        "| 1 | UBND Xã Mẫu C | 6/8 | 75,00% | | 2 | UBND Xã Mẫu D | 5/8 | 62,50% | "
        "| 3 | UBND Xã Mẫu G | 7/8 (giơ tay) | 87,50% |"
    ) in proposal
    assert "Mẫu E" not in proposal and "Mẫu H" not in proposal
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Mẫu (qua Sở Nội vụ)." in proposal
    # the ballot paper of the flag vote: one unit at most, every member listed
    assert "Bầu không quá một đơn vị: đánh dấu (X) vào ô “Đồng ý”." in docs["ballot"]
    assert docs["ballot"].count(" | ☐ |") == 8
    # and the year travels whole through export and import
    cli.round_trip()
