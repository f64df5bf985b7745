#!/usr/bin/env bash
# Set up (if needed), check the house rules, and run the test suite on every core.
#   scripts/test.sh                      everything (a few minutes on 2 cores)
#   scripts/test.sh -m "not system"      the fast part: unit and verification (under a minute)
#   scripts/test.sh tests/unit -n 0      one folder, in this process
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "ruff: lint, import order, complexity"
.venv/bin/ruff check --quiet .
echo "import-linter: the layers and no cycles"
contracts=$(.venv/bin/lint-imports --no-cache 2>&1) || { echo "$contracts"; exit 1; }
echo "$contracts" | grep -E "^Contracts:"
echo "mypy: the leaf, case and power layers"
.venv/bin/mypy
echo "pytest"
.venv/bin/python -m pytest -q -n auto --dist loadfile "$@"
