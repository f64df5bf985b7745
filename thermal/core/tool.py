"""The tool's name and version, as results files record them (``summary.json``'s ``tool`` block) and
as the package is built (``pyproject.toml`` reads the version from here)."""

#: The name results folders are recognised by (the distribution's name on PyPI).
TOOL_NAME = "orbital-datacenter"
#: The tool's version.
VERSION = "0.1.0"
