"""Hand-made .xlsx files, valid and hostile, built with zipfile (no binary fixtures): what a clerk's
damaged file, another program's export or an attacker's upload may hold."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    DECL + f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    DECL + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    DECL + f'<Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    DECL + f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)
MEMBERS = [["Đơn vị", "Nhóm"], ["Sở Y tế", "Sở"], ["BHXH tỉnh", "Sở"]]


def shared_strings(strings: list[str], prolog: str = "", raw_first: str | None = None) -> str:
    items = [f"<si><t>{escape(s)}</t></si>" for s in strings]
    if raw_first is not None:
        items[0] = f"<si><t>{raw_first}</t></si>"
    return (
        DECL + prolog + f'<sst xmlns="{MAIN}" count="{len(items)}" uniqueCount="{len(items)}">'
        + "".join(items) + "</sst>"
    )  # fmt: skip


def sheet_xml(rows_xml: str) -> str:
    return DECL + f'<worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData></worksheet>'


def _col(i: int) -> str:
    return "ABCDEFGHIJ"[i]


def string_rows(rows: list[list[str]], strings: list[str]) -> str:
    out = []
    for r, row in enumerate(rows, 1):
        cells = "".join(
            f'<c r="{_col(c)}{r}" t="s"><v>{strings.index(v)}</v></c>' for c, v in enumerate(row)
        )
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def parts(rows: list[list[str]] | None = None) -> dict[str, str | bytes]:
    rows = rows or MEMBERS
    strings = sorted({v for row in rows for v in row})
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/styles.xml": STYLES,
        "xl/sharedStrings.xml": shared_strings(strings),
        "xl/worksheets/sheet1.xml": sheet_xml(string_rows(rows, strings)),
    }


def save(path: Path, content: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in content.items():
            z.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def members(path: Path) -> Path:
    return save(path, parts())


def bad_shared_index(path: Path) -> Path:
    p = parts()
    p["xl/worksheets/sheet1.xml"] = str(p["xl/worksheets/sheet1.xml"]).replace(
        '<c r="A2" t="s"><v>', '<c r="A2" t="s"><v>999'
    )
    return save(path, p)


def cut_xml(path: Path) -> Path:
    p = parts()
    text = str(p["xl/worksheets/sheet1.xml"])
    p["xl/worksheets/sheet1.xml"] = text[: len(text) * 2 // 3]
    return save(path, p)


def external_entity(path: Path, secret: Path, padding: int = 0) -> Path:
    """A DOCTYPE whose entity names a file beside it; `padding` puts it behind a long comment."""
    strings = sorted({v for row in MEMBERS for v in row})
    p = parts()
    prolog = (
        f"<!--{'x' * padding}-->" if padding else ""
    ) + f'<!DOCTYPE sst [<!ENTITY e SYSTEM "file://{secret}">]>'
    p["xl/sharedStrings.xml"] = shared_strings(strings, prolog, raw_first="&e;")
    return save(path, p)


def billion_laughs(path: Path) -> Path:
    strings = sorted({v for row in MEMBERS for v in row})
    lol = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    p = parts()
    p["xl/sharedStrings.xml"] = shared_strings(
        strings, f"<!DOCTYPE sst [{lol}]>", raw_first="&lol9;"
    )
    return save(path, p)


def utf16_doctype(path: Path, secret: Path) -> Path:
    """The same entity in an XML part written in UTF-16: a byte search for "<!DOCTYPE" misses it."""
    strings = sorted({v for row in MEMBERS for v in row})
    p = parts()
    text = shared_strings(
        strings, f'<!DOCTYPE sst [<!ENTITY e SYSTEM "file://{secret}">]>', raw_first="&e;"
    ).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    p["xl/sharedStrings.xml"] = text.encode("utf-16")
    return save(path, p)


def bad_styles(path: Path) -> Path:
    p = parts()
    p["xl/styles.xml"] = (
        str(p["xl/styles.xml"])
        .replace(
            '<fonts count="1"><font><sz val="11"/>',
            '<fonts count="1"><font><sz val="11"/><b val="x"/>',
        )
        .replace('<numFmt numFmtId="164"', '<numFmt numFmtId="abc"')
    )
    return save(path, p)


def date_past_9999(path: Path) -> Path:
    p = parts()
    p["xl/worksheets/sheet1.xml"] = str(p["xl/worksheets/sheet1.xml"]).replace(
        "</row></sheetData>", '<c r="C3" s="1"><v>99999999</v></c></row></sheetData>'
    )
    return save(path, p)


def not_a_zip(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 20)
    return path


def truncated_zip(path: Path) -> Path:
    members(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def encrypted(path: Path) -> Path:
    """What Excel saves with a password: an OLE compound file holding EncryptionInfo."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path.write_bytes(header + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 2048)
    return path


def old_xls(path: Path) -> Path:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path.write_bytes(header + "Workbook".encode("utf-16-le") + b"\x00" * 2048)
    return path


def zip_bomb(path: Path, mib: int = 300) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in parts().items():
            if name != "xl/worksheets/sheet1.xml":
                z.writestr(name, str(data))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(sheet_xml("").encode()[: -len("</sheetData></worksheet>")])
            chunk = b" " * (1024 * 1024)
            for _ in range(mib):
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")
    return path


def million_rows(path: Path, n: int = 1_000_000) -> Path:
    p = parts()
    rows = "".join(f'<row r="{r}"/>' for r in range(1, n + 1))
    p["xl/worksheets/sheet1.xml"] = sheet_xml(rows)
    return save(path, p)


def wide_dimension(path: Path) -> Path:
    """A sheet that claims A1:XFD1048576 but holds three rows: read the rows, not the claim."""
    p = parts()
    p["xl/worksheets/sheet1.xml"] = str(p["xl/worksheets/sheet1.xml"]).replace(
        "<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>'
    )
    return save(path, p)
