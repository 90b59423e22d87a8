"""People's tables drawn without Rich: every line as wide as the others, within the width asked,
and every word of every cell still there, Vietnamese and wide characters counted right."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tdkt_cli.text.grid import cell_width, render

WORDS = st.sampled_from(
    ["Sở", "Y", "tế", "Bảo", "hiểm", "Xã", "hội", "tỉnh", "Bắc", "Kạn", "Đắk", "Lắk", "12", "中文"]
)
CELL = st.lists(WORDS, max_size=6).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=6),
    width=st.integers(min_value=30, max_value=120),
)
def test_lines_line_up_fit_and_keep_every_word(rows, width):
    text = render("Danh sách", ["Mã", "Tên đơn vị", "Ghi chú"], rows, width)
    lines = text.splitlines()
    assert lines[0] == "Danh sách"
    body = lines[1:]
    assert len({cell_width(line) for line in body}) == 1
    assert cell_width(body[0]) <= max(width, 3 * 3 + 1 + 3 * 4)
    drawn = " ".join(text.replace("│", " ").replace("┃", " ").split())
    for row in rows:
        for word in " ".join(row).split():
            assert word in drawn


def test_a_long_name_wraps_between_words_in_its_column():
    name = "Trường Cao đẳng Nghề Dân tộc Nội trú tỉnh Bắc Kạn"
    text = render(None, ["Mã số", "Tên đơn vị"], [["2", name]], 36)
    assert max(cell_width(line) for line in text.splitlines()) <= 36
    cells = [line.split("│")[2].strip() for line in text.splitlines() if line.startswith("│")]
    assert " ".join(cells) == name
    assert cell_width("tỉnh") == 4 and cell_width("中文") == 4
