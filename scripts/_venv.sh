# Shared by scripts/demo and scripts/test: create .venv and install helpglot into it.
# Usage: HELPGLOT_EXTRAS=test . scripts/_venv.sh   (extras optional; never read from "$1",
# which a sourced file inherits from the calling script)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${HELPGLOT_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
export NO_MKDOCS_2_WARNING=1
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating virtualenv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
EXTRAS="${HELPGLOT_EXTRAS:-}"
STAMP="$VENV/.helpglot-installed${EXTRAS:+-$EXTRAS}"
if [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ]; then
  echo "==> installing helpglot${EXTRAS:+[$EXTRAS]} and the site stack"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT${EXTRAS:+[$EXTRAS]}"
  touch "$STAMP"
else
  # editable install: code changes need nothing; keep the entry points current
  "$VENV/bin/python" -m pip install --quiet --no-deps -e "$ROOT" >/dev/null
fi
