#!/usr/bin/env bash
# Run uv with the given arguments, installing it from PyPI first if needed.
# Order: `uv` on PATH, else `python3 -m uv`, else `pip install --user uv` (or plain
# `pip install uv`, e.g. inside an activated virtualenv) and then `python3 -m uv`.
set -euo pipefail

PY="${PYTHON:-python3}"

if uv --version >/dev/null 2>&1; then
    exec uv "$@"
fi
if "$PY" -m uv --version >/dev/null 2>&1; then
    exec "$PY" -m uv "$@"
fi

echo "bootstrap: uv not found, installing it from PyPI with pip" >&2
"$PY" -m pip install --quiet --user uv 2>/dev/null \
    || "$PY" -m pip install --quiet uv \
    || "$PY" -m pip install --quiet --user --break-system-packages uv
exec "$PY" -m uv "$@"
