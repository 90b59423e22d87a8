"""YAML in and out, for `export`, `import`, narratives and criteria files.

Reading is yaml's SafeLoader with three more refusals, because users hand in files they were sent:
no anchors or aliases (a "billion laughs" file expands them), no nesting deeper than MAX_DEPTH,
and no file over MAX_BYTES. Every mapping remembers its line so errors can name it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InvalidInput

MAX_DEPTH = 40
MAX_BYTES = 50 * 1024 * 1024


class LineDict(dict):
    """A mapping read from YAML, with the line (1-based) where it starts."""

    line: int = 0


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise InvalidInput(
                f"Dòng {event.start_mark.line + 1}: tệp dùng bí danh YAML (*{event.anchor}); "
                "tdkt không nhận bí danh."
            )
        depth = getattr(self, "_depth", 0)
        if depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise InvalidInput(
                f"Dòng {mark.line + 1}: tệp lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)."
            )
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        mapping = super().construct_mapping(node, deep=True)
        result = LineDict(mapping)
        result.line = node.start_mark.line + 1
        return result


_Loader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    lambda loader, node: loader.construct_mapping(node),
)


def loads(text: str, source: str = "tệp") -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except InvalidInput:
        raise
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise InvalidInput(
            f"{source}, dòng {line}: thẻ YAML không được phép ({exc.problem}); tdkt chỉ đọc dữ liệu thuần."
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", dòng {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidInput(f"{source}{where}: YAML không hợp lệ ({problem}).") from None


def read(path: str | Path) -> Any:
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"Không tìm thấy tệp «{p}».")
    if p.stat().st_size > MAX_BYTES:
        raise InvalidInput(f"Tệp «{p}» lớn quá {MAX_BYTES // (1024 * 1024)} MiB.")
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"Tệp «{p}» không phải văn bản UTF-8.") from None
    return loads(text, f"Tệp {p.name}")


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(LineDict, yaml.representer.SafeRepresenter.represent_dict)


def dumps(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
