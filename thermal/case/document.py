"""A case file's text as a mapping: YAML read safely, duplicate keys refused, one line on failure."""

from pathlib import Path

import yaml

from thermal.core.errors import CaseError


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with the same key twice (PyYAML keeps the last silently)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise CaseError(str(key), "each key once per mapping", f"a second '{key}' on line {line}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(path: Path) -> dict:
    """Read a case file into a mapping; a missing, empty or non-YAML file is a CaseError."""
    try:
        text = Path(path).read_text()
    except OSError as err:
        raise CaseError("case", "a readable YAML file", str(path), err.strerror or "unreadable") from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        problem = getattr(err, "problem", None) or "unreadable"
        raise CaseError("case", "valid YAML", f"{problem} at {where}") from None
    if data is None:
        raise CaseError("case", "a mapping with at least 'name' and 'spacecraft'", "an empty file")
    if not isinstance(data, dict):
        raise CaseError("case", "a mapping of sections (name, orbit, spacecraft, ...)", data)
    return data
