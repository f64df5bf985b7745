"""A case file's text as a mapping: YAML read safely, within limits, one line on any failure.

What a case file may not do, each refused with a :class:`thermal.core.errors.CaseError` that says
where:

- be larger than :data:`MAX_CASE_BYTES` (case files are a few kilobytes; meshes live in their own
  files);
- be other than UTF-8, or UTF-8/UTF-16/UTF-32 with a byte-order mark;
- nest deeper than :data:`MAX_DEPTH`, or hold more than :data:`MAX_NODES` values once its aliases
  are expanded (the "billion laughs" alias bomb is a few hundred bytes);
- use a key that is not a name (``1: x``, ``yes: x``, ``? [a, b]``), or the same key twice in a
  mapping (PyYAML would keep the last one silently).

YAML is read with PyYAML's safe loader: no tags that build Python objects.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import yaml

from thermal.core.errors import CaseError

MAX_CASE_BYTES = 1 << 20
MAX_DEPTH = 64
MAX_NODES = 100_000

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _where(mark) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "somewhere"


class _CaseLoader(yaml.SafeLoader):
    """SafeLoader with a nesting limit, names as keys, and each key once per mapping."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise CaseError("case", f"values nested at most {MAX_DEPTH} deep",
                                f"deeper at {_where(self.peek_event().start_mark)}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":      # `<<: *defaults` merges a mapping in
                continue
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or key_node.tag != "tag:yaml.org,2002:str":
                shown = key if key is not None else f"a {key_node.id}"
                raise CaseError("case", "keys that are names (quote one that looks like a number or yes/no)",
                                f"{shown} at {_where(key_node.start_mark)}")
            if key in seen:
                raise CaseError(str(key), "each key once per mapping",
                                f"a second '{key}' at {_where(key_node.start_mark)}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _expanded_size(root) -> int:
    """Values in the document with every alias expanded (shared nodes counted each time they are
    used), memoised so that an alias bomb is measured without being expanded."""
    sizes: dict[int, int] = {}
    order, todo = [], [root]
    while todo:                                  # children before parents, without recursion
        node = todo.pop()
        if id(node) in sizes:
            continue
        sizes[id(node)] = -1
        order.append(node)
        if isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            todo.extend(n for pair in node.value for n in pair)
    for node in reversed(order):
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = []
        sizes[id(node)] = min(1 + sum(sizes[id(c)] for c in children), MAX_NODES + 1)
    return sizes[id(root)]


def decode(data: bytes) -> str:
    """Text of a case file: by its byte-order mark, else UTF-8; anything else is a CaseError."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                raise CaseError("case", f"text in {codec.split('-sig')[0].upper()}, as its byte-order mark says",
                                f"undecodable bytes at byte {err.start}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise CaseError("case", "UTF-8 text (or UTF-16 with a byte-order mark)",
                        f"the byte 0x{data[err.start]:02x} on line {line}, which is not UTF-8") from None


def parse_yaml(data: bytes | str) -> dict:
    """A case document (bytes of a file, or text) as a mapping, within the limits above."""
    size = len(data.encode() if isinstance(data, str) else data)
    if size > MAX_CASE_BYTES:
        raise CaseError("case", f"a case file of at most {MAX_CASE_BYTES // 1024} KiB",
                        f"{size / 1024:,.0f} KiB")
    text = decode(data) if isinstance(data, bytes) else data
    try:
        loader = _CaseLoader(text)    # refuses control characters such as NUL at once
    except yaml.YAMLError as err:
        raise CaseError("case", "printable YAML text", f"{getattr(err, 'reason', 'unreadable')} at "
                        f"character {getattr(err, 'position', '?')}") from None
    try:
        root = loader.get_single_node()
        if root is None:
            raise CaseError("case", "a mapping with at least 'name' and 'spacecraft'", "an empty file")
        if _expanded_size(root) > MAX_NODES:
            raise CaseError("case", f"at most {MAX_NODES:,} values once aliases are expanded",
                            "more (an alias bomb?)")
        document = loader.construct_document(root)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or "unreadable"
        raise CaseError("case", "valid YAML", f"{problem} at {_where(mark)}") from None
    finally:
        loader.dispose()
    if not isinstance(document, dict):
        raise CaseError("case", "a mapping of sections (name, orbit, spacecraft, ...)", document)
    return document


def load_yaml(path: Path) -> dict:
    """Read a case file into a mapping; a missing, unreadable, oversized or non-YAML file is a
    CaseError."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_CASE_BYTES:            # refuse before reading a huge file into memory
            raise CaseError("case", f"a case file of at most {MAX_CASE_BYTES // 1024} KiB",
                            f"{size / 1024:,.0f} KiB")
        data = path.read_bytes()
    except OSError as err:
        raise CaseError("case", "a readable YAML file", str(path), err.strerror or "unreadable") from None
    return parse_yaml(data)


def check_keys(data, where: str) -> None:
    """Every key of a case given as a mapping is text, at every level (as a case file's are)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str):
                raise CaseError(where or "case", "text keys", key, "a key of another type")
            check_keys(value, f"{where}.{key}" if where else key)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            check_keys(item, f"{where}[{i}]")


_KEY_PATH = re.compile(r"[^.\[\]]+(?:\.[^.\[\]]+|\[\d+\])*")
_KEY_PATH_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def split_key_path(key_path: str) -> list[str | int]:
    """``'spacecraft.radiators[0].area'`` -> ``['spacecraft', 'radiators', 0, 'area']``: names
    joined by dots, list items by ``[index]``. Anything else is a CaseError naming the path."""
    if not isinstance(key_path, str) or not _KEY_PATH.fullmatch(key_path):
        raise CaseError("with_values", "key paths such as 'spacecraft.radiators[0].area' (names joined by '.', "
                        "list items as [index])", key_path)
    return [int(index) if index else name for index, name in _KEY_PATH_PART.findall(key_path)]


def set_key_path(document: dict, key_path: str, value: object) -> None:
    """Set the value at ``key_path`` (:func:`split_key_path`) in a case document, in place: the
    mappings missing on the way are made, a list item must exist; ``None`` removes the key. What
    the value means is for the case reader to check when the document is read."""
    parts = split_key_path(key_path)
    node: object = document
    for k, part in enumerate(parts[:-1]):
        where = _shown_path(parts[:k + 1])
        nxt = parts[k + 1]
        if isinstance(part, int):
            node = _item(node, part, _shown_path(parts[:k]), where)
        else:
            if not isinstance(node, dict):
                raise CaseError(_shown_path(parts[:k]) or "case", "a mapping to hold the key " + repr(part),
                                node)
            if node.get(part) is None:
                if isinstance(nxt, int):
                    raise CaseError(where, f"a list with an item [{nxt}]", "no such key")
                node[part] = {}
            node = node[part]
    last = parts[-1]
    if isinstance(last, int):
        _item(node, last, _shown_path(parts[:-1]), key_path)
        assert isinstance(node, list)       # _item refused anything else
        if value is None:
            del node[last]
        else:
            node[last] = value
        return
    if not isinstance(node, dict):
        raise CaseError(_shown_path(parts[:-1]), f"a mapping to hold the key '{last}'", node)
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value


def _item(node: object, index: int, list_path: str, where: str) -> object:
    if not isinstance(node, list):
        raise CaseError(list_path, f"a list for the item [{index}]", node)
    if not 0 <= index < len(node):
        raise CaseError(where, f"an item of the list {list_path} of {len(node)} (index 0 to {len(node) - 1})",
                        index)
    return node[index]


def _shown_path(parts: list[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(parts))
