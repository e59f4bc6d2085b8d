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
# Installed already when a stamp is newer than pyproject.toml (an install with extras installed the
# base too) and the entry points exist. Nothing is reinstalled otherwise: pip rewrites bin/helpglot,
# and a build started meanwhile from this environment (a test running beside tests/test_demo.py)
# would find no program.
if [ -n "$EXTRAS" ]; then STAMPS=("$STAMP"); else STAMPS=("$VENV"/.helpglot-installed*); fi
INSTALLED=""
for stamp in "${STAMPS[@]}"; do
  if [ -f "$stamp" ] && [ ! "$ROOT/pyproject.toml" -nt "$stamp" ]; then INSTALLED=1; fi
done
if [ -z "$INSTALLED" ] || [ ! -x "$VENV/bin/helpglot" ]; then
  echo "==> installing helpglot${EXTRAS:+[$EXTRAS]} and the site stack"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT${EXTRAS:+[$EXTRAS]}"
  touch "$STAMP"
fi
