#!/usr/bin/env bash
# Regenerate Fixtures/keras/ with the pinned numpy/scipy/Pillow.
# Creates (or reuses) the git-ignored virtualenv .venv-tools at the repo root.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-tools"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$root/Tools/requirements-fixtures.txt"
exec "$venv/bin/python" "$root/Tools/make_keras_fixtures.py" "$@"
