#!/usr/bin/env bash
# Create .venv (if needed) and install the Python dependencies from pyproject.toml:
# [project].dependencies plus the `test` extra.
#
# Fast when nothing changed: a stamp file .venv/.installed-<hash of pyproject.toml>
# records the last successful install, so a second run does nothing.
#
# The dependency list is read from pyproject.toml and installed with
# `pip install -r`, not `pip install -e .`: the project itself has no package to
# install ([tool.setuptools] packages = []), and this way nothing is built and no
# *.egg-info folder is left in the work tree. pip keeps using the machine's
# configuration (/etc/xdg/pip: local indexes and constraints).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
VENV="${VENV:-.venv}"

hash="$(sha256sum pyproject.toml | cut -c1-16)"
stamp="$VENV/.installed-$hash"

# Recreate the venv if it is missing or its interpreter no longer runs
# (e.g. the venv was copied from another machine).
if ! "$VENV/bin/python" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
  echo "venv: creating $VENV with $PYTHON"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi

if [ -f "$stamp" ]; then
  echo "venv: dependencies up to date"
  exit 0
fi

echo "venv: installing dependencies from pyproject.toml"
"$VENV/bin/python" - > "$VENV/requirements.txt" <<'PY'
import tomllib
with open("pyproject.toml", "rb") as f:
    project = tomllib.load(f)["project"]
for req in project["dependencies"] + project["optional-dependencies"]["test"]:
    print(req)
PY
# The local indexes print one "Location ... is ignored" warning per package
# they lack; those are harmless and drown real messages, so drop them.
"$VENV/bin/pip" install -q -r "$VENV/requirements.txt" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)

rm -f "$VENV"/.installed-*
touch "$stamp"
echo "venv: ready"
