#!/usr/bin/env bash
# Create .venv with Python 3.12 and install the tool with its pinned dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for candidate in python3.12 "$HOME/.pyenv/versions/3.12.1/bin/python3.12" python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 12))'; then
      PY=$candidate; break
    fi
  done
fi
[ -n "$PY" ] || { echo "setup: Python >= 3.12 is needed (set PYTHON=/path/to/python3.12)" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv
# this tool was installed as "orbital-thermal" before it took its own name on PyPI (orbital-datacenter):
# an editable install of the old name would shadow the new one in a .venv made before the rename
if .venv/bin/python -m pip show orbital-thermal 2>/dev/null | grep -q "^Editable project location: $PWD$"; then
  .venv/bin/python -m pip uninstall --quiet --yes orbital-thermal
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
