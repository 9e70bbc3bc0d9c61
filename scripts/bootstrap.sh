#!/usr/bin/env bash
# Create or update .venv from uv.lock (idempotent; about a second when nothing changed).
#
# Interpreter, first match wins:
#   1. UV_PYTHON, when set (uv reads it itself);
#   2. the interpreter of an existing .venv, when it is Python 3.12+;
#   3. python3.13, python3.12 or python3 on PATH, then pyenv's 3.13/3.12 versions;
#   4. otherwise uv downloads CPython 3.13 (needs internet).
set -euo pipefail

cd "$(dirname "$0")/.."
UV=(bash scripts/uv.sh)

# Prints the path of a working Python >= 3.12 given a command or path, or fails.
usable() {
    "$1" -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' 2>/dev/null
}

pick_python() {
    local cand version prefix
    # PATH candidates (pyenv shims print an error and fail when the version is not active).
    for cand in python3.13 python3.12 python3; do
        usable "$cand" && return 0
    done
    if command -v pyenv >/dev/null 2>&1; then
        # Newest first: 3.13.x before 3.12.x; skips dev builds, envs and other majors.
        for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])\.[0-9]+$' | sort -t. -k2,2nr -k3,3nr); do
            prefix=$(pyenv prefix "$version" 2>/dev/null) || continue
            usable "$prefix/bin/python" && return 0
        done
    fi
    return 1
}

sync_args=(sync --frozen)
if [ -n "${UV_PYTHON:-}" ]; then
    :  # uv honours UV_PYTHON directly
elif [ -x .venv/bin/python ] && usable .venv/bin/python >/dev/null; then
    :  # keep the existing environment's interpreter; uv reuses it
elif python=$(pick_python); then
    sync_args+=(--python "$python")
else
    echo "bootstrap: no Python 3.12+ found; asking uv to download CPython 3.13" >&2
    "${UV[@]}" python install 3.13
    sync_args+=(--python 3.13)
fi

if [ -x .venv/bin/python ]; then
    "${UV[@]}" "${sync_args[@]}" --quiet
else
    # First install: say so and let uv show its progress instead of ~15 silent seconds.
    echo "bootstrap: first run, installing the dependencies from uv.lock into .venv ..." >&2
    "${UV[@]}" "${sync_args[@]}"
    echo "bootstrap: .venv ready" >&2
fi
