"""Where clerks work: file names Windows accepts, LibreOffice where its installer puts it, and a
document that Word holds open.

Secretariats run tdkt on Windows and open what it writes in Word; a name NTFS refuses, a PDF
that silently needs LibreOffice on PATH, or a traceback because Word locks the file all break
their day. The rules here are Windows' own (Microsoft, "Naming Files, Paths, and Namespaces"):
no < > : " / \\ | ? * or control characters, no reserved device names (CON, PRN, AUX, NUL,
COM1-9, LPT1-9, with or without an extension), no trailing dot or space.
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from pathlib import Path

from ..core.errors import TdktError
from ..core.patterns import lazy

_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}
_BAD = lazy(r'[<>:"/\\|?*\x00-\x1f\x7f]+')


def safe_stem(text: str) -> str:
    """A file-name part NTFS accepts, in plain letters: "Văn hóa / Xã hội" → "van-hoa-xa-hoi"."""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    text = _BAD.sub("-", text)
    text = re.sub(r"[\s-]+", "-", text).strip("-. ").lower()
    if not text:
        return "van-ban"
    first, dot, rest = text.partition(".")
    if first.upper() in _RESERVED:  # "con" would name the console, even as "con.docx"
        text = f"{first}_{dot}{rest}"
    return text


def safe_name(name: str) -> str:
    """A whole file name ("stem.ext") NTFS accepts; the extension is kept as given."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        return safe_stem(name)
    return f"{safe_stem(stem)}.{ext}"


# Where LibreOffice's Windows installer (and Collabora / the MSI) puts soffice.
_OFFICE_DIRS = (
    "LibreOffice",
    "LibreOffice 7",
    "LibreOffice 24",
    "LibreOffice 25",
    "Collabora Office",
)


def office_candidates(env: dict[str, str] | None = None) -> list[Path]:
    """soffice.exe under Program Files (64- and 32-bit) and the per-user install folder."""
    env = dict(os.environ if env is None else env)
    roots = [
        env.get("PROGRAMFILES"),
        env.get("PROGRAMW6432"),
        env.get("PROGRAMFILES(X86)"),
        env.get("LOCALAPPDATA") and str(Path(env["LOCALAPPDATA"]) / "Programs"),
        r"C:\Program Files",
        r"C:\Program Files (x86)",
    ]
    found: list[Path] = []
    for root in roots:
        if not root:
            continue
        for folder in _OFFICE_DIRS:
            path = Path(root) / folder / "program" / "soffice.exe"
            if path not in found:
                found.append(path)
    if env.get("TDKT_SOFFICE"):
        found.insert(0, Path(env["TDKT_SOFFICE"]))
    return found


def find_office(env: dict[str, str] | None = None) -> str:
    """The LibreOffice program: TDKT_SOFFICE, PATH, then where the Windows installer puts it."""
    env = dict(os.environ if env is None else env)
    if env.get("TDKT_SOFFICE") and Path(env["TDKT_SOFFICE"]).is_file():
        return env["TDKT_SOFFICE"]
    import shutil  # only to find LibreOffice: every other write goes without it

    path = env.get("PATH")
    for name in ("soffice", "libreoffice", "soffice.exe"):
        found = shutil.which(name, path=path)
        if found:
            return found
    for candidate in office_candidates(env):
        if candidate.is_file():
            return str(candidate)
    raise TdktError(
        "Không tìm thấy LibreOffice để xuất PDF; hãy cài LibreOffice (miễn phí, tải ở "
        "https://www.libreoffice.org/download/) rồi chạy lại, hoặc dùng --format docx."
    )


def profile_url(folder: Path) -> str:
    """The -env:UserInstallation value: a proper file URI (file:///C:/Users/..., spaces escaped)."""
    return Path(folder).resolve().as_uri()


class FileInUse(TdktError):
    """The target is held open by another program (Word on Windows)."""


def replace(tmp: Path, target: Path) -> None:
    """Move `tmp` over `target`; when Word holds the target open, remove `tmp` and say so."""
    try:
        os.replace(tmp, target)
    except PermissionError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise FileInUse(
            f"Không ghi được «{target}» vì tệp đang mở (trong Word hoặc chương trình khác); "
            "hãy đóng tệp rồi chạy lại."
        ) from None
