"""The tool's name and version, as results files record them (``summary.json``'s ``tool`` block),
as the package is built (``pyproject.toml`` reads the version from here) and as every command's
``--version`` prints them."""

#: The distribution's name on PyPI (``pip install orbital-datacenter``), which results folders are
#: also recognised by. The import packages keep their names: ``thermal``, ``power``, ``geometry``.
TOOL_NAME = "orbital-datacenter"
#: The tool's version.
VERSION = "0.1.0"
#: What ``--version`` prints, for every command line of the tool.
VERSION_LINE = f"{TOOL_NAME} {VERSION}"
