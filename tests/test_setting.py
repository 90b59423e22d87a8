"""A bloc in its own setting: kind from its name, its profile from the catalogue of parent bodies,
a default ký hiệu, and every printed word following the kind."""

from __future__ import annotations

import json

import pytest

from tdkt_cli.blocs import bodies
from tdkt_cli.blocs.setting import default_doc_code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Khối thi đua Văn hóa - Xã hội", "KTĐVHXH"),
        ("Cụm thi đua số 10", "CTĐ10"),
        ("Cụm thi đua số 6 Tỉnh ủy", "CTĐ6TU"),
        ("Khối thi đua 3", "KTĐ3"),
        ("Khối các cơ quan Đảng tỉnh", "KCQĐT"),
    ],
)
def test_default_doc_code_is_the_initials_of_the_name(name, code):
    assert default_doc_code(name) == code


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Cụm thi đua số 10", "cum"),
        ("CỤM THI ĐUA SỐ 5 CÁC XÃ PHÍA TÂY", "cum"),
        ("Khối thi đua 3", "khoi"),
        ("Nhóm thi đua các hội", None),
    ],
)
def test_kind_follows_the_name(name, kind):
    assert bodies.kind_from_name(name) == kind


def test_a_cum_named_so_is_a_cum_and_says_so(cli):
    r = cli.ok("bloc", "add", "Cụm thi đua số 10", "--code", "c10")
    assert r.stdout.strip() == "c10"
    assert "Loại: cụm (theo tên khối); cụm trưởng, cụm phó." in r.stderr
    assert "Ký hiệu văn bản: CTĐ10" in r.stderr
    shown = json.loads(cli.ok("bloc", "profile", "c10", "--json").stdout)
    assert shown["kind"] == "cum"
    cli.ok("unit", "add", "Phường Bến Cát")
    cli.ok("unit", "add", "Phường Tây Nam")
    cli.ok("bloc", "join", "c10", "Phường Bến Cát", "Phường Tây Nam", "--year", "2025")
    r = cli.ok("bloc", "head", "c10", "--year", "2025", "--head", "Phường Bến Cát")
    assert "cụm trưởng Phường Bến Cát" in r.stdout and "trưởng khối" not in r.stdout
    r = cli.ok("bloc", "show", "c10", "--year", "2025")
    assert "Cụm trưởng: Phường Bến Cát" in r.stdout and "trưởng khối" not in r.stdout.lower()
    r = cli.ok("province", "--year", "2025")
    assert "Cụm trưởng" in r.stdout and "Trưởng khối" not in r.stdout


def test_kind_given_wins_over_the_name(cli):
    cli.ok("bloc", "add", "Cụm thi đua số 2", "--code", "c2", "--kind", "khoi")
    assert json.loads(cli.ok("bloc", "profile", "c2", "--json").stdout)["kind"] == "khoi"


def test_a_plain_khoi_keeps_no_profile_row(cli):
    cli.ok("bloc", "add", "Khối thi đua Y", "--code", "y")
    assert cli.sql("SELECT count(*) FROM bloc_profile") == [(0,)]
    assert cli.sql("SELECT doc_code FROM bloc") == [("KTĐY",)]


def test_an_unknown_parent_is_kept_as_typed_and_the_clerk_is_told_what_to_set(cli):
    r = cli.ok("bloc", "add", "Khối thi đua X", "--code", "x", "--parent", "Ban Quản lý dự án Y")
    assert "không có trong danh mục cơ quan" in r.stderr
    assert "--decider" in r.stderr and "--addressee" in r.stderr and "--through" in r.stderr
    assert cli.sql("SELECT parent FROM bloc") == [("Ban Quản lý dự án Y",)]


def test_doc_code_given_is_kept(cli):
    r = cli.ok("bloc", "add", "Khối thi đua Z", "--code", "z", "--doc-code", "KZ")
    assert "Ký hiệu văn bản" not in r.stderr
    assert cli.sql("SELECT doc_code FROM bloc") == [("KZ",)]
