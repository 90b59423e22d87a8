"""tdkt body …: the catalogue of parent bodies (provinces, cities, ministries, sectors, Party
committees, national associations) that blocs answer to, with what each awards."""

from __future__ import annotations

from typing import Annotated

import typer

from ..blocs import bodies
from .common import JsonOpt, command, emit_json, say, sub_app, table

app = sub_app(
    "Danh mục cơ quan cấp trên: tỉnh, thành phố, bộ, ngành, cấp ủy, hội; khen thưởng của mỗi cơ quan."
)


def _life(body: bodies.Body) -> str:
    if body.valid_to:
        return f"đến {body.valid_to[8:]}/{body.valid_to[5:7]}/{body.valid_to[:4]}"
    if body.valid_from:
        return f"từ {body.valid_from[8:]}/{body.valid_from[5:7]}/{body.valid_from[:4]}"
    return ""


@command(app, "list")
def body_list(
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="Chỉ loại này: tinh | thanh-pho | bo | nganh | dang | hoi."),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Liệt kê các cơ quan cấp trên trong danh mục."""
    found = bodies.list_bodies(kind)
    if json_:
        emit_json([b.as_json() for b in found])
        return
    table(
        f"Danh mục cơ quan cấp trên ({len(found)})",
        ["Mã", "Loại", "Tên", "Hiệu lực"],
        [[b.code, bodies.KINDS[b.kind], b.name, _life(b)] for b in found],
    )


@command(app, "show")
def body_show(
    body: Annotated[
        str, typer.Argument(help="Mã, tên hoặc tên viết tắt, ví dụ «UBND TP. Hồ Chí Minh».")
    ],
    json_: JsonOpt = False,
) -> None:
    """Xem một cơ quan: tên in ở đầu văn bản, người quyết định, nơi gửi, khen thưởng."""
    found = bodies.resolve(body)
    if json_:
        emit_json(found.as_json())
        return
    lines = [
        f"{found.name} ({found.code}, {bodies.KINDS[found.kind].lower()})",
        f"  Đầu văn bản: {found.header}",
        f"  Hệ thống: {found.system}; năm thi đua: "
        + ("năm học (01/9 - 31/8)" if found.year == "school" else "năm dương lịch"),
        f"  Người quyết định: {found.decider}",
        f"  Kính gửi: {found.addressee}" + (f"; qua {found.through}" if found.through else ""),
    ]
    if found.office:
        lines.append(f"  Cơ quan thi đua: {found.office}")
    if found.council:
        lines.append(f"  Hội đồng: {found.council}")
    if _life(found):
        lines.append(
            f"  Hiệu lực: {_life(found)}"
            + (f"; kế thừa: {found.successor}" if found.successor else "")
        )
    lines += [
        f"  Khen thưởng: {a.name} ("
        + (f"tối đa {a.quota}" if a.quota is not None else "số lượng theo quy chế của khối")
        + ")"
        for a in found.awards
    ]
    lines += [f"  Quy định riêng: {r['title']}" for r in found.rules]
    if found.aliases:
        lines.append(f"  Cách viết khác: {'; '.join(found.aliases)}")
    lines += [f"  Nguồn: {s}" for s in found.sources]
    if found.unconfirmed:
        lines.append("  Lưu ý: có thông tin chưa được xác nhận từ nguồn.")
    say("\n".join(lines))
