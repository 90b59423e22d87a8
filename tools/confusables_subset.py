"""Write src/tdkt_cli/text/confusables.txt: the part of Unicode's confusables.txt (UTS #39) that
tdkt's name check needs, from a full copy of that file.

    python tools/confusables_subset.py path/to/confusables.txt

Kept: every mapping whose prototype is written in Latin letters, combining marks, digits or
punctuation (what a Vietnamese name is made of), and every mapping to a prototype that some such
character also maps to (so both sides of a look-alike pair keep their mapping). Sources that NFD
decomposes are left out: the skeleton is taken over NFD text, where they never occur. The
Unicode header (copyright and terms of use) is kept as it is.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "tdkt_cli" / "text" / "confusables.txt"


def _latinish(ch: str) -> bool:
    o = ord(ch)
    return o < 0x250 or 0x300 <= o < 0x370 or 0x1E00 <= o < 0x1F00 or 0x2000 <= o < 0x2070


def main(source: str) -> None:
    text = Path(source).read_text(encoding="utf-8-sig")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    rows = []
    for line in text.splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        src, dst = (p.strip() for p in data.split(";")[:2])
        rows.append((chr(int(src, 16)), "".join(chr(int(x, 16)) for x in dst.split())))
    latin_targets = {dst for src, dst in rows if _latinish(src)}
    kept = [
        (src, dst)
        for src, dst in rows
        if (all(_latinish(c) for c in dst) or dst in latin_targets)
        and unicodedata.normalize("NFD", src) == src
    ]
    lines = [
        *header,
        "#",
        "# tdkt: a subset of the file above (tools/confusables_subset.py says which part),",
        "# one mapping a line: source code point, then the prototype's code points.",
        *(f"{ord(s):04X} {' '.join(f'{ord(c):04X}' for c in d)}" for s, d in sorted(kept)),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} of {len(rows)} mappings written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
