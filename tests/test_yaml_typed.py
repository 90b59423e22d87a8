"""Hand-typed YAML is read as typed: no YAML 1.1 booleans, octals or sexagesimals, and a key typed
twice is an error with its line."""

import json

import pytest

from tdkt_cli.core.errors import InvalidInput
from tdkt_cli.files.yamlio import dumps, loads

HAND_TYPED = """\
tdkt: 1
units:
- id: 1
  name: Sở Nội vụ
  short: NO
- id: 2
  name: Sở Ngoại vụ
  short: on
  aliases: [yes, 010, 1:30, 0x1F, 1e5]
blocs:
- code: on
  name: Khối Nội chính
"""


def test_values_as_typed():
    doc = loads(HAND_TYPED)
    assert doc["units"][0]["short"] == "NO"
    assert doc["units"][1]["short"] == "on"
    assert doc["units"][1]["aliases"] == ["yes", "010", "1:30", "0x1F", 1e5]
    assert doc["blocs"][0]["code"] == "on"
    assert loads("a: 12\nb: -3\nc: 1.5\nd: true\ne: ~\nf: 2019-01-08") == {
        "a": 12,
        "b": -3,
        "c": 1.5,
        "d": True,
        "e": None,
        "f": __import__("datetime").date(2019, 1, 8),
    }


def test_import_keeps_hand_typed_text(cli, tmp_path):
    f = tmp_path / "hand.yaml"
    f.write_text(HAND_TYPED.replace("  aliases: [yes, 010, 1:30, 0x1F, 1e5]\n", ""), "utf-8")
    cli.ok("import", str(f))
    units = {u["name"]: u for u in json.loads(cli.ok("unit", "list", "--json").stdout)}
    assert units["Sở Nội vụ"]["short"] == "NO"
    assert units["Sở Ngoại vụ"]["short"] == "on"
    assert cli.sql("SELECT code FROM bloc") == [("on",)]
    cli.round_trip()


def test_duplicate_key_is_an_error_with_its_line(cli, tmp_path):
    with pytest.raises(InvalidInput) as exc:
        loads("tdkt: 1\nunits:\n- id: 1\n  name: A\n  name: B\n")
    assert "dòng 5" in exc.value.message and "«name»" in exc.value.message
    f = tmp_path / "dup.yaml"
    f.write_text("tdkt: 1\nunits: []\nunits: []\n", "utf-8")
    cli.ok("init")
    r = cli.fails("import", str(f))
    assert "dòng 3" in r.stderr and "«units»" in r.stderr


@pytest.mark.parametrize("version", ["true", "1.0", "'1'", "yes"])
def test_format_version_must_be_the_number(cli, tmp_path, version):
    f = tmp_path / "v.yaml"
    f.write_text(f"tdkt: {version}\nunits: []\n", "utf-8")
    cli.ok("init")
    r = cli.fails("import", str(f))
    assert "định dạng" in r.stderr


def test_export_quotes_what_would_read_back_otherwise():
    data = {"a": "NO", "b": "010", "c": "1e5", "d": "2019-01-08", "e": "true", "f": "x", "g": ""}
    text = dumps(data)
    assert loads(text) == data
    import yaml

    assert yaml.safe_load(text) == data
