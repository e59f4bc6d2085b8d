# Shared by scripts/demo and scripts/test: create .venv and install helpglot into it.
# Usage: . scripts/_venv.sh [extras]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${HELPGLOT_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
export NO_MKDOCS_2_WARNING=1
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating virtualenv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
STAMP="$VENV/.helpglot-installed${1:+-$1}"
if [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ]; then
  echo "==> installing helpglot${1:+[$1]} and the site stack"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT${1:+[$1]}"
  touch "$STAMP"
else
  # editable install: code changes need nothing; keep the entry points current
  "$VENV/bin/python" -m pip install --quiet --no-deps -e "$ROOT" >/dev/null
fi
