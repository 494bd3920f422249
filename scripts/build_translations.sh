#!/usr/bin/env bash
# Compile the shipped Qt translations (i18n/*.ts -> .qm) with lrelease from qttools5-dev-tools.
set -euo pipefail
cd "$(dirname "$0")/../citycomponents_plugin/i18n"
shopt -s nullglob
LRELEASE=$(command -v lrelease || true)
[ -z "$LRELEASE" ] && [ -x /usr/lib/qt5/bin/lrelease ] && LRELEASE=/usr/lib/qt5/bin/lrelease
for ts in *.ts; do
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    [ -n "$LRELEASE" ] || { echo "lrelease not found: install qttools5-dev-tools" >&2; exit 1; }
    "$LRELEASE" -silent "$ts" -qm "$qm"
  fi
done
