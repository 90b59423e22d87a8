"""Templates compiled once (documents/compiled.py): the cache never changes what is rendered."""

from __future__ import annotations

import sys

import pytest

from tdkt_cli.documents import render
from tdkt_cli.documents.compiled import template_from


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    e = render.environment()
    e.bytecode_cache.folder = str(tmp_path / "cache")
    return e


def files(env):
    from pathlib import Path

    folder = Path(env.bytecode_cache.folder)
    return sorted(folder.glob("jinja-*.cache")) if folder.exists() else []


def test_a_template_is_compiled_once_and_renders_the_same(env):
    source = "{% for x in xs %}{{ x|upper }};{% endfor %}"
    first = template_from(env, source, "t").render(xs=["a", "b"])
    assert first == "A;B;"
    assert len(files(env)) == 1
    stamp = files(env)[0].stat().st_mtime_ns
    assert template_from(env, source, "t").render(xs=["c"]) == "C;"
    assert files(env)[0].stat().st_mtime_ns == stamp  # read, not written again


def test_an_edited_template_is_compiled_again(env):
    assert template_from(env, "{{ a }}", "t").render(a=1) == "1"
    assert template_from(env, "[{{ a }}]", "t").render(a=1) == "[1]"


def test_a_damaged_cache_file_is_compiled_again(env):
    template_from(env, "{{ a }}!", "t").render(a=1)
    (path,) = files(env)
    for junk in (b"", b"j2garbage", path.read_bytes()[:20], b"\x80\x04\x95" * 50):
        path.write_bytes(junk)
        assert template_from(env, "{{ a }}!", "t").render(a=2) == "2!"


def test_a_cache_file_that_holds_no_code_is_compiled_again(env):
    """Found by hand (w15): a file with Jinja's header and the template's checksum but anything
    other than code after them (a damaged disk, a stray write) gave «Lỗi không mong đợi
    (AttributeError: 'int' object has no attribute 'co_filename')» on every render."""
    import io
    import marshal
    import pickle

    from jinja2.bccache import bc_magic

    template_from(env, "{{ a }}!", "t").render(a=1)
    (path,) = files(env)
    head = io.BytesIO(path.read_bytes())
    assert head.read(len(bc_magic)) == bc_magic
    checksum = pickle.load(head)
    for value in (42, "code", (1, 2), b"\x00"):
        path.write_bytes(bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(value))
        assert template_from(env, "{{ a }}!", "t").render(a=2) == "2!"


def test_nothing_is_written_where_python_writes_no_bytecode(env, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert template_from(env, "{{ a }}", "t").render(a=3) == "3"
    assert files(env) == []


def test_the_options_of_the_environment_are_in_the_key(env):
    """md and html environments compile the same text differently (autoescape)."""
    html = render.environment(html=True)
    html.bytecode_cache.folder = env.bytecode_cache.folder
    assert template_from(env, "{{ a }}", "t").render(a="<b>") == "<b>"
    assert template_from(html, "{{ a }}", "t").render(a="<b>") == "&lt;b&gt;"
    assert len(files(env)) == 2


def test_the_sandbox_holds_with_a_cached_template(env):
    from jinja2.exceptions import SecurityError

    source = "{{ ''.__class__.__mro__ }}"
    for _ in range(2):  # compiled, then from the cache
        with pytest.raises(SecurityError):
            template_from(env, source, "t").render()


def test_a_docx_renders_the_same_bytes_compiled_or_cached(vhxh, tmp_path, monkeypatch):
    """docxtpl's XML parts go through the cache too (CachedSandbox.from_string)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    from tdkt_cli.documents import compiled

    monkeypatch.setattr(compiled, "cache_folder", lambda: str(tmp_path / "cache"))
    made = []
    for i in range(2):
        out = tmp_path / f"r{i}.docx"
        vhxh.ok("report", "annual", "-b", "vhxh", "-y", "2019", "-o", str(out))
        made.append(out.read_bytes())
    assert made[0] == made[1]
    assert list((tmp_path / "cache").glob("jinja-*.cache"))


# --- docxtpl's cleaned XML parts, kept (compiled.patched) ------------------------------------


def test_a_cleaned_xml_part_is_kept_and_used_only_for_that_very_part(tmp_path, monkeypatch):
    """docxtpl's patch_xml of a part is kept in a file named by the part's length and CRC-32;
    the file holds the part, so another part with the same name (a CRC collision, a file from
    another docxtpl) is cleaned afresh, and a damaged file is cleaned again."""
    import marshal
    import zlib

    from docxtpl import DocxTemplate

    from tdkt_cli.documents.compiled import patched

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    folder = str(tmp_path)
    source = "<w:t>{{<w:r> a </w:r>}}</w:t>" * 3
    clean = DocxTemplate.patch_xml(None, source)
    calls = []

    def patch(xml):
        calls.append(xml)
        return DocxTemplate.patch_xml(None, xml)

    assert patched(source, patch, folder) == clean and len(calls) == 1
    assert patched(source, patch, folder) == clean and len(calls) == 1  # read back, not redone
    (kept,) = tmp_path.glob("docxtpl-*.xml.cache")
    data = source.encode()
    assert kept.name == f"docxtpl-{len(data)}-{zlib.crc32(data):08x}.xml.cache"
    tag, was, _ = marshal.loads(kept.read_bytes())
    kept.write_bytes(marshal.dumps((tag, was[:-1] + "X", "<wrong/>")))  # same name, other part
    assert patched(source, patch, folder) == clean and len(calls) == 2
    kept.write_bytes(marshal.dumps(("docxtpl 0.0.1", source, "<wrong/>")))  # another docxtpl
    assert patched(source, patch, folder) == clean and len(calls) == 3
    for junk in (b"", b"\x00garbage", kept.read_bytes()[:9], marshal.dumps([1, 2, 3])):
        kept.write_bytes(junk)
        assert patched(source, patch, folder) == clean
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # as Python: no cache file written
    other = tmp_path / "other"
    assert patched(source, patch, str(other)) == clean and not other.exists()


def test_a_docx_renders_the_same_with_its_parts_kept_or_not(vhxh, tmp_path, monkeypatch):
    """The same annual report, once cleaning its parts afresh and once from the kept ones: the
    same bytes."""
    from tdkt_cli.documents import compiled

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(compiled, "cache_folder", lambda: str(tmp_path / "c"))
    outs = []
    for name in ("a.docx", "b.docx"):
        vhxh.ok("report", "annual", "-b", "vhxh", "-y", "2019", "-o", str(tmp_path / name))
        outs.append((tmp_path / name).read_bytes())
    assert list((tmp_path / "c").glob("docxtpl-*.xml.cache"))
    assert outs[0] == outs[1]
