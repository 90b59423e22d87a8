"""Write a province-scale dataset in tdkt's import format, deterministic from a seed.

34 blocs × 12 units × 10 years; 4 meetings a year per bloc; a registration per member a year;
20 criteria scored twice (self and verified) per member a year; a year-end vote per bloc a year
with a ballot per member. The 100,000-ballot stress vote is written separately as a ballot CSV
(`tdkt vote import`), since that is how a count committee's ballots arrive.

    python bench/generate.py OUT_DIR [--seed 7] [--blocs 34] [--units 12] [--years 10]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

SECTORS = [
    "Sở Y tế",
    "Sở Tư pháp",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Công Thương",
    "Sở Giáo dục và Đào tạo",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Nông nghiệp và Môi trường",
    "Ban Dân tộc",
    "Thanh tra",
]


def build(seed: int, blocs: int, units_per: int, years: int, first_year: int = 2016) -> dict:
    rnd = random.Random(seed)
    units, bloc_docs = [], []
    uid = mid = vid = pid = 0
    for b in range(1, blocs + 1):
        member_ids = []
        for u in range(units_per):
            uid += 1
            units.append(
                {
                    "id": uid,
                    "name": f"{SECTORS[u % len(SECTORS)]} (khối {b:02d}, đơn vị {u + 1:02d})",
                    "short": f"K{b:02d}U{u + 1:02d}",
                }
            )
            member_ids.append(uid)
        year_docs, meetings, votes = [], [], []
        criteria = {
            "groups": [
                {
                    "code": g,
                    "title": f"Nhóm {g}",
                    "criteria": [
                        {"code": f"{g}{i}", "title": f"Tiêu chí {g}{i}", "max": 5}
                        for i in range(1, 6)
                    ],
                }
                for g in "ABCD"
            ],
            "bands": [
                {"name": "Xuất sắc", "min": 90},
                {"name": "Tốt", "min": 80},
                {"name": "Khá", "min": 0},
            ],
            "combine": "score-breaks-ties",
        }
        for y in range(first_year, first_year + years):
            head, deputy = rnd.sample(member_ids, 2)
            scores = []
            for u in member_ids:
                for g in criteria["groups"]:
                    for c in g["criteria"]:
                        own = rnd.randint(3, 5)
                        scores.append({"unit": u, "code": c["code"], "self": own, "verified": own})
            year_meetings = []
            for kind, month in (("giao-ban", 3), ("so-ket", 7), ("giao-ban", 10), ("tong-ket", 12)):
                mid += 1
                year_meetings.append(mid)
                meetings.append(
                    {
                        "id": mid,
                        "year": y,
                        "date": f"{y}-{month:02d}-{rnd.randint(1, 28):02d}",
                        "kind": kind,
                        "title": f"Hội nghị {kind} {y}",
                        "present": member_ids,
                    }
                )
            vid += 1
            counts: dict[int, int] = {}
            for _ in member_ids:
                choice = rnd.choice(member_ids[:4])
                counts[choice] = counts.get(choice, 0) + 1
            winner = max(counts, key=lambda k: (counts[k], -k))
            elected = [winner] if counts[winner] * 2 > len(member_ids) else []
            votes.append(
                {
                    "id": vid,
                    "year": y,
                    "award": "co-thi-dua",
                    "seats": 1,
                    "meeting": year_meetings[-1],
                    "members": len(member_ids),
                    "present": len(member_ids),
                    "candidates": member_ids,
                    "ballots": [
                        {"kind": "valid", "marks": [k], "count": n}
                        for k, n in sorted(counts.items())
                    ],
                    "closed": True,
                    "elected": elected,
                }
            )
            proposals = []
            for e in elected:
                pid += 1
                proposals.append({"id": pid, "unit": e, "award": "co-thi-dua", "vote": vid})
            year_docs.append(
                {
                    "year": y,
                    "head": head,
                    "deputy": deputy,
                    "members": [{"unit": u} for u in member_ids],
                    "registrations": [
                        {
                            "unit": u,
                            "title": "Cờ thi đua của Ủy ban nhân dân tỉnh",
                            "targets": ["Hoàn thành xuất sắc nhiệm vụ"],
                        }
                        for u in member_ids
                    ],
                    "covenant": {"date": f"{y}-01-15", "signers": member_ids},
                    "proposals": proposals,
                    "criteria": criteria,
                    "scores": scores,
                }
            )
        bloc_docs.append(
            {
                "code": f"k{b:02d}",
                "name": f"Khối thi đua số {b:02d}",
                "parent": "UBND TỈNH MẪU",
                "place": "Tỉnh Mẫu",
                "years": year_docs,
                "meetings": meetings,
                "votes": votes,
            }
        )
    return {"tdkt": 1, "units": units, "blocs": bloc_docs}


def stress_ballots(seed: int, n: int, candidates: list[str]) -> str:
    rnd = random.Random(seed)
    lines = []
    for _ in range(n):
        r = rnd.random()
        if r < 0.01:
            lines.append("")
        elif r < 0.02:
            lines.append("INVALID")
        else:
            lines.append(rnd.choice(candidates))
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--blocs", type=int, default=34)
    ap.add_argument("--units", type=int, default=12)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--ballots", type=int, default=100_000)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    doc = build(args.seed, args.blocs, args.units, args.years)
    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class dumper(base):  # tdkt refuses YAML aliases, so shared lists are written out in full
        def ignore_aliases(self, data):
            return True

    with open(args.out / "province.yaml", "w", encoding="utf-8") as fh:
        yaml.dump(doc, fh, Dumper=dumper, allow_unicode=True, sort_keys=False, width=120)
    names = [u["short"] for u in doc["units"][: args.units]]
    (args.out / "stress-ballots.csv").write_text(
        stress_ballots(args.seed, args.ballots, names), encoding="utf-8"
    )
    print(args.out / "province.yaml")


if __name__ == "__main__":
    main()
