"""Issue 15: three secretariats' files (separate databases, overlapping ids) merged into one
province file; the province view, a unit's award history across blocs, re-importing an updated
file, a conflicting file that writes nothing, a bloc file handed over and brought back, and the
read-only browser view."""

from __future__ import annotations

import asyncio
import copy
import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from conftest import Cli, dump

ROOT = Path(__file__).parents[1]

AWARD = "decisions:\n- {{id: 1, unit: {unit}, year: {year}, award: {award}, number: {number}, date: {date}}}\n"


def secretariat(tmp: Path, name: str, code: str, units: list[str], year: int, award: str) -> Cli:
    """A bloc's own file, numbered from 1 like every secretariat's."""
    cli = Cli(tmp / f"{name}.db")
    cli.ok("init")
    cli.ok("bloc", "add", f"Khối thi đua {name}", "--code", code)
    for u in units:
        cli.ok("unit", "add", u)
    cli.ok("bloc", "join", code, *units, "--year", str(year))
    cli.ok("bloc", "head", code, "--year", str(year), "--head", units[0], "--deputy", units[1])
    extra = tmp / f"{name}-award.yaml"
    extra.write_text(
        "tdkt: 1\n"
        + AWARD.format(
            unit=2, year=year, award=award, number=f"{year}/QĐ-UBND", date=f"{year}-12-20"
        ),
        encoding="utf-8",
    )
    cli.ok("import", str(extra))
    return cli


def export(cli: Cli, path: Path) -> Path:
    path.write_text(cli.ok("export").stdout, encoding="utf-8")
    return path


@pytest.fixture
def three(tmp_path):
    a = secretariat(
        tmp_path, "A", "khoi1", ["Sở Tư pháp", "Sở Y tế", "Sở Nội vụ"], 2024, "co-thi-dua"
    )
    b = secretariat(
        tmp_path, "B", "khoi2", ["Sở Tài chính", "Sở Y tế", "Sở Xây dựng"], 2023, "bang-khen"
    )
    c = secretariat(
        tmp_path, "C", "khoi3", ["Huyện ủy Lắk", "Huyện ủy Ea H'leo"], 2024, "bang-khen"
    )
    files = [export(x, tmp_path / f"{n}.yaml") for x, n in ((a, "A"), (b, "B"), (c, "C"))]
    return a, b, c, files


def test_three_secretariats_merge_into_one_province(three, tmp_path):
    a, b, _c, files = three
    assert a.sql("SELECT id FROM unit WHERE name = 'Sở Tư pháp'") == [(1,)]
    assert b.sql("SELECT id FROM unit WHERE name = 'Sở Tài chính'") == [(1,)]  # ids overlap
    province = Cli(tmp_path / "province.db")
    province.ok("import", *map(str, files))
    # Sở Y tế is one unit (same name in A and B); 3 + 2 + 2 other units
    assert province.sql("SELECT count(*) FROM unit") == [(7,)]
    view = json.loads(province.ok("province", "--year", "2024", "--json").stdout)
    text = json.dumps(view, ensure_ascii=False)
    assert "khoi1" in text and "khoi3" in text and "Huyện ủy Lắk" in text
    heads = province.sql(
        "SELECT b.code, u.name FROM bloc_year y JOIN bloc b ON b.id = y.bloc_id "
        "JOIN unit u ON u.id = y.head_id ORDER BY b.code"
    )
    assert heads == [("khoi1", "Sở Tư pháp"), ("khoi2", "Sở Tài chính"), ("khoi3", "Huyện ủy Lắk")]
    history = province.sql(
        'SELECT năm, danh_hiệu FROM "lịch_sử_khen_thưởng" WHERE đơn_vị = ? ORDER BY năm', "Sở Y tế"
    )
    assert history == [
        (2023, "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"),
        (2024, "Cờ thi đua của Ủy ban nhân dân tỉnh"),
    ]
    # the stable ids travelled: the province's Sở Tư pháp is A's
    assert province.sql("SELECT uid FROM unit WHERE name = 'Sở Tư pháp'") == a.sql(
        "SELECT uid FROM unit WHERE name = 'Sở Tư pháp'"
    )
    # importing the same files again changes nothing
    before = dump(province.db)
    province.ok("import", *map(str, files))
    assert dump(province.db) == before

    # B's secretariat updates its file: a new member; re-importing replaces khoi2's year only
    khoi1 = province.ok("export", "--bloc", "khoi1").stdout
    b.ok("unit", "add", "Sở Công Thương")
    b.ok("bloc", "join", "khoi2", "Sở Công Thương", "--year", "2023")
    province.ok("import", str(export(b, tmp_path / "B2.yaml")))
    assert province.sql(
        'SELECT count(*) FROM "thành_viên_theo_năm" WHERE mã_khối = ? AND năm = 2023', "khoi2"
    ) == [(4,)]
    assert province.ok("export", "--bloc", "khoi1").stdout == khoi1
    # ... then logs a meeting, and later removes it as a mistake: the re-import removes it too
    b.ok("meeting", "log", "-b", "khoi2", "--date", "10/7/2023", "--kind", "so-ket")
    province.ok("import", str(export(b, tmp_path / "B3.yaml")))
    assert province.sql("SELECT count(*) FROM meeting") == [(1,)]
    b.ok("meeting", "remove", "1")
    r = province.ok("import", str(export(b, tmp_path / "B4.yaml")))
    assert "Bỏ 1 bản ghi" in r.stdout
    assert province.sql("SELECT count(*) FROM meeting") == [(0,)]
    assert province.ok("export", "--bloc", "khoi1").stdout == khoi1
    province.ok("db", "check")

    # a file whose head disagrees with A's for the same bloc-year: listed, nothing written
    changed = tmp_path / "A-changed.yaml"
    text = files[0].read_text(encoding="utf-8")
    head_line = next(line for line in text.splitlines() if line.strip().startswith("head:"))
    changed.write_text(text.replace(head_line, head_line.replace("head: 1", "head: 2")), "utf-8")
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    r = fresh.fails("import", str(files[0]), str(changed))
    assert "hai trưởng khối cho khối khoi1 năm 2024" in r.stderr
    assert "A-changed.yaml, dòng" in r.stderr
    assert fresh.sql("SELECT count(*) FROM unit") == [(0,)]
    # the office chooses with a mapping file
    choice = tmp_path / "choice.yaml"
    choice.write_text(f'prefer:\n  "khoi1 2024": {changed.name}\n', encoding="utf-8")
    fresh.ok("import", str(files[0]), str(changed), "--map", str(choice))
    assert fresh.sql("SELECT u.name FROM bloc_year y JOIN unit u ON u.id = y.head_id") == [
        ("Sở Y tế",)
    ]


def test_ambiguous_name_is_listed_and_the_map_decides(tmp_path):
    province = Cli(tmp_path / "p.db")
    split = tmp_path / "split.yaml"  # one department split in two: both had its name
    split.write_text(
        "tdkt: 1\nunits:\n"
        "- {id: 1, name: Sở Văn hóa và Thể thao, former_names: [{name: Sở VHTTDL, until: 2025-03-01}]}\n"
        "- {id: 2, name: Sở Du lịch, former_names: [{name: Sở VHTTDL, until: 2025-03-01}]}\n",
        encoding="utf-8",
    )
    province.ok("import", str(split))
    f = tmp_path / "x.yaml"
    f.write_text("tdkt: 1\nunits:\n- {id: 1, name: Sở VHTTDL}\n", encoding="utf-8")
    r = province.fails("import", str(f))
    assert "khớp nhiều đơn vị" in r.stderr
    m = tmp_path / "map.yaml"
    m.write_text('units:\n  "Sở VHTTDL": 2\n', encoding="utf-8")
    province.ok("import", str(f), "--map", str(m))
    assert province.sql("SELECT count(*) FROM unit") == [(2,)]


def test_a_bloc_file_handed_to_next_year_comes_back_clean(three, tmp_path):
    _a, _b, _c, files = three
    province = Cli(tmp_path / "province.db")
    province.ok("import", *map(str, files))
    # next year's secretariat (Sở Y tế) starts from A's file in its own database
    nxt = Cli(tmp_path / "next.db")
    nxt.ok("unit", "add", "Sở Văn hóa")  # its own numbering differs from A's
    nxt.ok("import", str(files[0]))
    nxt.ok("bloc", "join", "khoi1", "Sở Tư pháp", "Sở Y tế", "Sở Văn hóa", "--year", "2025")
    nxt.ok("bloc", "head", "khoi1", "--year", "2025", "--head", "Sở Y tế")
    back = tmp_path / "khoi1-2025.yaml"
    back.write_text(nxt.ok("export", "--bloc", "khoi1").stdout, encoding="utf-8")
    province.ok("import", str(back))
    assert province.sql("SELECT count(*) FROM unit WHERE name = 'Sở Y tế'") == [(1,)]
    assert province.sql(
        "SELECT u.name FROM bloc_year y JOIN bloc b ON b.id = y.bloc_id JOIN unit u "
        "ON u.id = y.head_id WHERE b.code = 'khoi1' AND y.year = 2025"
    ) == [("Sở Y tế",)]
    assert province.sql("SELECT count(*) FROM bloc") == [(3,)]


def test_official_identifier_matches_a_renamed_unit(tmp_path):
    province = Cli(tmp_path / "p.db")
    first = tmp_path / "1.yaml"
    # format of QCVN 102:2016/BTTTT as used under QĐ 20/2020/QĐ-TTg, e.g. 000.00.12.H12
    first.write_text(
        "tdkt: 1\nunits:\n- {id: 4, name: Sở Thông tin và Truyền thông, official: 000.15.12.H12}\n",
        encoding="utf-8",
    )
    second = tmp_path / "2.yaml"
    second.write_text(
        "tdkt: 1\nunits:\n- id: 9\n  name: Sở Khoa học và Công nghệ\n  official: 000.15.12.H12\n"
        "  former_names: [{name: Sở Thông tin và Truyền thông, until: 2025-03-01}]\n",
        encoding="utf-8",
    )
    province.ok("import", str(first), str(second))
    assert province.sql("SELECT id, name FROM unit") == [(4, "Sở Khoa học và Công nghệ")]
    province.round_trip()


def test_serve_shows_views_read_only(three, tmp_path):
    pytest.importorskip("datasette")
    from tdkt_cli.store import datasette as web

    province = Cli(tmp_path / "province.db")
    province.ok("import", *map(str, three[3]))
    db = province.db
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    ds = web.build(db)
    from urllib.parse import quote

    from datasette.utils import tilde_encode

    def url(view: str, query: str = "") -> str:
        return f"/{db.stem}/{tilde_encode(view)}.json?_shape=array{query}"

    async def pages():
        index = await ds.client.get(f"/{db.stem}")
        assert index.status_code == 200
        assert "lịch_sử_khen_thưởng" in index.text
        assert "audit_context" not in index.text and "unit_lookup" not in index.text
        page = await ds.client.get(f"/{db.stem}/lịch_sử_khen_thưởng", follow_redirects=True)
        assert page.status_code == 200
        assert "Lịch sử khen thưởng của đơn vị" in page.text
        history = await ds.client.get(
            url("lịch_sử_khen_thưởng", f"&{quote('đơn_vị')}={quote('Sở Y tế')}")
        )
        assert history.status_code == 200, history.text
        assert {r["năm"] for r in history.json()} == {2023, 2024}
        votes = await ds.client.get(url("thành_viên_theo_năm"))
        assert votes.status_code == 200
        roles = {r["vai_trò"] for r in votes.json()}
        assert roles == {"Trưởng khối", "Phó khối", "Thành viên"}
        write = await ds.client.post(f"/{db.stem}/-/execute", json={})
        assert write.status_code != 200 or "error" in write.text

    asyncio.run(pages())
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before


def test_serve_without_datasette_says_how_to_install(cli, monkeypatch):
    import sys

    cli.ok("init")
    monkeypatch.setitem(sys.modules, "datasette.app", None)
    r = cli.fails("serve")
    assert "pip install 'tdkt-cli[web]'" in r.stderr


def test_a_bloc_year_twice_in_one_file_is_named_as_such(cli, tmp_path):
    """Not «sửa ở cả hai tệp» with one file: the clerk is told the file has it twice, where."""
    doc = yaml.safe_load((ROOT / "sample_data" / "01-bac-kan-vhxh.yaml").read_text("utf-8"))
    doc["blocs"][0]["years"].append(copy.deepcopy(doc["blocs"][0]["years"][0]))
    f = tmp_path / "hai-lan.yaml"
    f.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    cli.ok("unit", "list")  # the file exists: the refused import must leave it as it was
    r = cli.fails("import", str(f))
    assert "có hai lần trong tệp (lần đầu ở dòng" in r.stderr, r.stderr
    assert "hai tệp" not in r.stderr
