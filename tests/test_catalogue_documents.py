"""Each kind of bloc under a body of each kind of the catalogue writes every document in its own
words: no «tỉnh» under a city or a ministry, no «khối» in a cụm's papers, no Quốc hiệu on a Party
paper, no province's award in an association's proposal."""

from __future__ import annotations

import re

import pytest

BODIES = {
    # code: (typed as a clerk would, words that must not appear in its blocs' papers)
    "tinh-bac-kan": ("UBND tỉnh Bắc Kạn", ["Thành phố", "ĐẢNG CỘNG SẢN", "Ban Thường vụ"]),
    "tp-ho-chi-minh": (
        "UBND TP. Hồ Chí Minh",
        ["tỉnh", "Tỉnh", "TỈNH", "ĐẢNG CỘNG SẢN", "Ban Thường vụ"],
    ),
    "nhnn": ("NHNN", ["Ủy ban nhân dân", "UBND", "tỉnh", "Sở Nội vụ", "ĐẢNG CỘNG SẢN"]),
    "tinh-uy-dak-lak": (
        "Tỉnh ủy Đắk Lắk",
        ["Ủy ban nhân dân", "UBND", "Sở Nội vụ", "CỘNG HÒA XÃ HỘI", "Độc lập - Tự do"],
    ),
    "tw-hoi-ccb": ("TW Hội CCB", ["Ủy ban nhân dân", "UBND", "tỉnh", "Sở Nội vụ", "ĐẢNG CỘNG SẢN"]),
}
KIND_WORDS = {"khoi": re.compile(r"\bcụm\b", re.I), "cum": re.compile(r"\bkhối\b", re.I)}
DOCUMENTS = ["annual", "semiannual", "proposal", "covenant"]


def _bloc(cli, code: str, typed: str, kind: str) -> None:
    name = ("Cụm thi đua số 3" if kind == "cum" else "Khối thi đua số 3") + " Mẫu"
    cli.ok("bloc", "add", name, "--code", "b", "--parent", typed)
    for unit in ("Đơn vị An", "Đơn vị Bình", "Đơn vị Cường"):
        cli.ok("unit", "add", unit)
    cli.ok("bloc", "join", "b", "Đơn vị An", "Đơn vị Bình", "Đơn vị Cường", "--year", "2024")
    cli.ok("bloc", "head", "b", "--year", "2024", "--head", "Đơn vị An", "--deputy", "Đơn vị Bình")
    cli.ok("meeting", "log", "-b", "b", "--date", "20/06/2024", "--kind", "so-ket")
    cli.ok("meeting", "log", "-b", "b", "--date", "20/12/2024", "--kind", "tong-ket")
    cli.ok("pledge", "sign", "-b", "b", "-y", "2024", "--date", "20/01/2024")
    cli.ok(
        "award",
        "propose",
        "-b",
        "b",
        "-y",
        "2024",
        "--unit",
        "Đơn vị An",
        "--award",
        "co-thi-dua",
        "--how",
        "consensus",
    )


@pytest.mark.parametrize("kind", ["khoi", "cum"])
@pytest.mark.parametrize("code", list(BODIES))
def test_every_document_speaks_the_blocs_own_setting(cli, code, kind):
    typed, forbidden = BODIES[code]
    _bloc(cli, code, typed, kind)
    for doc in DOCUMENTS:
        r = cli.ok("report", doc, "--bloc", "b", "--year", "2024", "--format", "md", "-o", "-")
        text = r.stdout
        for word in forbidden:
            assert word not in text, (doc, word, [ln for ln in text.splitlines() if word in ln])
        stray = [ln for ln in text.splitlines() if KIND_WORDS[kind].search(ln)]
        assert not stray, (doc, stray)
