#!/usr/bin/env bash
# Run the non-browser test suite on each other supported Python (`make pythons`; `make test`
# runs it after the main suite on 3.11). Each version gets its own environment, .venv-pyX.Y,
# synced from uv.lock. uv cannot download interpreters here, so each is looked for on the
# machine: pythonX.Y on PATH, else pyenv's. A missing interpreter skips that version on a
# developer's machine and fails under CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=${UV:-uv}
command -v "$UV" >/dev/null 2>&1 || UV="python3 -m uv"
export UV_PYTHON_DOWNLOADS=never

find_python() {
  local version=$1 candidate root
  for candidate in "$(command -v "python$version" 2>/dev/null || true)" \
      "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/"$version"*/bin/python; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && \
        "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$version'.split('.'))))" \
        2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

status=0
for version in "$@"; do
  if ! python=$(find_python "$version"); then
    if [ "${CI:-}" = "true" ]; then
      echo "Python $version not found: CI must test every supported Python" >&2
      status=1
    else
      echo "Python $version not found: skipped (install it, e.g. with pyenv)" >&2
    fi
    continue
  fi
  env_dir=".venv-py$version"
  echo "== Python $version ($python): non-browser tests"
  start=$SECONDS
  log=$(mktemp)
  if ! UV_PROJECT_ENVIRONMENT="$env_dir" $UV sync --frozen --extra dev --python "$python" \
      >"$log" 2>&1; then
    cat "$log" >&2
    status=1
    continue
  fi
  rm -f "$log"
  if ! UV_PROJECT_ENVIRONMENT="$env_dir" $UV run --frozen --python "$python" \
      pytest -q -m "not browser" -p no:cacheprovider; then
    status=1
  fi
  echo "== Python $version: $((SECONDS - start)) s"
done
exit $status
