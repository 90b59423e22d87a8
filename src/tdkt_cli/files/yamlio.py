"""YAML in and out, for `export`, `import`, narratives and criteria files.

Reading is yaml's SafeLoader with three more refusals, because users hand in files they were sent:
no anchors or aliases (a "billion laughs" file expands them), no nesting deeper than MAX_DEPTH,
and no file over MAX_BYTES. Every mapping remembers its line so errors can name it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..core.errors import InvalidInput
from ..core.patterns import lazy

MAX_DEPTH = 40
MAX_BYTES = 50 * 1024 * 1024


class LineDict(dict):
    """A mapping read from YAML, with the line (1-based) where it starts."""

    __slots__ = ("line",)  # set by the reader; read with getattr(node, "line", 0)


_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10× faster


def _build(loader: Any, source: str) -> Any:
    """Build plain objects straight from the parser's events.

    No node tree is kept (a province file stays small in memory), aliases are refused at the
    first `*ref`, nesting is bounded, and every mapping records its line.
    """
    from yaml import events

    scalar_event, mapping_start, sequence_start = (
        events.ScalarEvent,
        events.MappingStartEvent,
        events.SequenceStartEvent,
    )
    ends = (events.MappingEndEvent, events.SequenceEndEvent)
    loader.get_event()  # StreamStart
    if loader.check_event(events.StreamEndEvent):
        return None
    loader.get_event()  # DocumentStart
    stack: list[list] = []  # [container, pending key] for each open collection
    root: Any = None
    plain: dict[str, Any] = {}  # value → object for plain scalars: most values repeat
    get_event = loader.get_event
    plain_get = plain.get
    while True:
        event = get_event()
        kind = type(event)
        if kind is scalar_event:
            if event.tag is None and event.implicit[0]:  # plain (unquoted) scalar
                value = plain_get(event.value, _MISSING)
                if value is _MISSING:
                    value = _plain(loader, event)
                    if len(plain) < 50_000:
                        plain[event.value] = value
            elif event.tag is None or event.tag == "!":
                value = event.value  # quoted or block text: a string
            else:
                value = _scalar(loader, event, source)
        elif kind in ends:
            value = stack.pop()[0]
        elif kind is mapping_start or kind is sequence_start:
            line = event.start_mark.line + 1
            if len(stack) >= MAX_DEPTH:
                raise InvalidInput(
                    f"{source}, dòng {line}: tệp lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)."
                )
            if event.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                raise InvalidInput(
                    f"{source}, dòng {line}: thẻ YAML không được phép ({event.tag}); tdkt chỉ đọc dữ liệu thuần."
                )
            if kind is mapping_start:
                container: Any = LineDict()
                container.line = line
            else:
                container = []
            stack.append([container, _NO_KEY])
            continue
        elif kind is events.AliasEvent:
            raise InvalidInput(
                f"{source}, dòng {event.start_mark.line + 1}: tệp dùng bí danh YAML (*{event.anchor}); "
                "tdkt không nhận bí danh."
            )
        elif kind is events.DocumentEndEvent:
            if not loader.check_event(events.StreamEndEvent):
                raise InvalidInput(f"{source}: tệp có nhiều tài liệu YAML; tdkt chỉ đọc một.")
            return root
        else:
            continue
        if not stack:
            root = value
            continue
        top = stack[-1]
        parent = top[0]
        if type(parent) is list:
            parent.append(value)
        elif top[1] is _NO_KEY:
            if isinstance(value, list | dict):
                raise InvalidInput(
                    f"{source}, dòng {event.start_mark.line + 1}: khóa của bảng phải là chữ hoặc số."
                )
            if value in parent:  # YAML says keys are unique; a second one would silently win
                raise InvalidInput(
                    f"{source}, dòng {event.start_mark.line + 1}: khóa «{value}» lặp lại trong "
                    f"cùng một bảng (bảng bắt đầu ở dòng {parent.line}); hãy giữ một."
                )
            top[1] = value
        else:
            parent[top[1]] = value
            top[1] = _NO_KEY


_NO_KEY = object()
_MISSING = object()
_SAFE_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:timestamp",
}


# Plain (unquoted) values are read as a clerk types them, not by YAML 1.1's rules: only
# true/false are booleans (not yes/no/on/off: `short: NO` is the text "NO", `code: on` is "on"),
# only plain decimals are numbers (`010` is the text "010", not 8 in octal; no 0x, 1_000 or
# 1:30 sexagesimal), and only ISO dates are dates. This is YAML 1.2's core schema, stricter.
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = lazy(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = lazy(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?|[-+]?\.[0-9]+")
_TIMESTAMP = lazy(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?")


_STR = "tag:yaml.org,2002:str"


class _Mark:
    """Just enough of a scalar event for _plain()."""

    start_mark = end_mark = None

    def __init__(self, value: str) -> None:
        self.value = value


_TIMESTAMPS = yaml.constructor.SafeConstructor()


def _plain(loader: Any, event: Any) -> Any:
    text = event.value
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _TIMESTAMP.fullmatch(text):
        try:
            node = yaml.ScalarNode(
                "tag:yaml.org,2002:timestamp", text, event.start_mark, event.end_mark
            )
            return loader.construct_yaml_timestamp(node)
        except (ValueError, TypeError, AttributeError):
            return text
    return text


def _scalar(loader: Any, event: Any, source: str) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag not in _SAFE_TAGS:
        raise InvalidInput(
            f"{source}, dòng {event.start_mark.line + 1}: thẻ YAML không được phép ({tag}); "
            "tdkt chỉ đọc dữ liệu thuần."
        )
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    return loader.yaml_constructors[tag](loader, node)


def loads(text: str | bytes, source: str = "tệp") -> Any:
    loader = _Parser(text)
    try:
        return _build(loader, source)
    except InvalidInput:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", dòng {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidInput(f"{source}{where}: YAML không hợp lệ ({problem}).") from None
    except (ValueError, TypeError) as exc:  # a scalar that will not construct, e.g. a bad date
        raise InvalidInput(f"{source}: giá trị không đọc được ({exc}).") from None
    finally:
        loader.dispose()


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

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """A text is written bare only if both tdkt's reader and YAML 1.1 read it back as text
        ("1e5" or "NO" are quoted), so an export always imports as it was."""
        tag = super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode and implicit[0] and tag == _STR:
            ours = _plain(_TIMESTAMPS, _Mark(value))
            if not isinstance(ours, str):
                return "tag:yaml.org,2002:null"  # anything but str: the emitter quotes the text
        return tag


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
