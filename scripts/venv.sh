#!/usr/bin/env bash
# Create .venv (if needed) and install the Python dependencies from the lock file
# requirements-test.lock ([project].dependencies plus the `test` extra, exact versions
# with sha256 hashes; `make lock` writes it from pyproject.toml, see scripts/lock.sh).
#
# Refuses to install from a lock that is stale against pyproject.toml's dependency
# lists (run `make lock`), so a new dependency cannot reach a machine unlocked.
#
# Fast when nothing changed: a stamp file .venv/.installed-<hash of the lock>
# records the last successful install, so a second run does nothing.
#
# `pip install --require-hashes -r`, not `pip install -e .`: the project itself has
# no package to install ([tool.setuptools] packages = []), every file pip fetches must
# match a hash in the lock, and nothing is built in the work tree. pip keeps using the
# machine's configuration (/etc/xdg/pip: local indexes and constraints); a local file
# whose hash is not in the lock is never chosen.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
VENV="${VENV:-.venv}"

LOCK=requirements-test.lock
hash="$(sha256sum "$LOCK" | cut -c1-16)"
stamp="$VENV/.installed-$hash"

# Recreate the venv if it is missing or its interpreter no longer runs
# (e.g. the venv was copied from another machine).
if ! "$VENV/bin/python" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
  echo "venv: creating $VENV with $PYTHON"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi

bash scripts/lock.sh check >/dev/null || exit 1

if [ -f "$stamp" ]; then
  echo "venv: dependencies up to date"
  exit 0
fi

echo "venv: installing dependencies from $LOCK"
# The local indexes print one "Location ... is ignored" warning per package
# they lack; those are harmless and drown real messages, so drop them.
"$VENV/bin/pip" install -q --require-hashes -r "$LOCK" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)

rm -f "$VENV"/.installed-*
touch "$stamp"
echo "venv: ready"
