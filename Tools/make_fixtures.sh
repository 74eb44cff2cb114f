#!/usr/bin/env bash
# Regenerates golden fixtures with the pinned reference libraries (Tools/requirements-fixtures.txt),
# in the git-ignored virtualenv .venv-tools at the repo root.
#
#   Tools/make_fixtures.sh imaging   # Fixtures/imaging/  (Pillow)
#   Tools/make_fixtures.sh augment   # Fixtures/augment/  (OpenCV, numpy, PIL)
#   Tools/make_fixtures.sh keras     # Fixtures/keras/    (Keras's arithmetic on numpy/scipy)
#   Tools/make_fixtures.sh torch     # Fixtures/torch/    (PyTorch: a small CNN's forward, loss and gradients)
#   Tools/make_fixtures.sh weights   # Fixtures/weights/  (VGG16 weights in every dialect; Keras 3 and PyTorch outputs)
#
# A fixture set with its own Tools/requirements-<name>.txt gets its own virtualenv
# .venv-tools-<name> (PyTorch and Keras are large; the image fixtures don't need them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="${1:-}"
script="$root/Tools/make_${name}_fixtures.py"
if [[ -z "$name" || ! -f "$script" ]]; then
    echo "usage: Tools/make_fixtures.sh imaging|augment|keras|torch|weights" >&2
    exit 2
fi
shift
venv="$root/.venv-tools"
requirements="$root/Tools/requirements-fixtures.txt"
if [ -f "$root/Tools/requirements-$name.txt" ]; then
    venv="$root/.venv-tools-$name"
    requirements="$root/Tools/requirements-$name.txt"
fi
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
exec "$venv/bin/python" "$script" "$@"
