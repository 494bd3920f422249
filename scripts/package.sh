#!/usr/bin/env bash
# Build the installable plugin zip with qgis-plugin-ci (version from CHANGELOG.md) into dist/.
# Packaging runs in a throwaway clone of HEAD: qgis-plugin-ci archives committed files only and
# resets the tree it works in, which must never touch a developer's uncommitted work.
set -euo pipefail
TOOLS_VENV=$(cd "${1:-.venv-tools}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
version=$(grep -m1 -oE '^## \[?[0-9]+\.[0-9]+\.[0-9]+' CHANGELOG.md | grep -oE '[0-9]+\.[0-9]+\.[0-9]+')
[ -n "$version" ] || { echo "No version heading (## x.y.z) in CHANGELOG.md" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet "$ROOT" "$work/repo"
cd "$work/repo"
git config user.email "package@localhost"
git config user.name "package"
bash scripts/build_translations.sh
assets=()
for qm in citycomponents_plugin/i18n/*.qm; do [ -e "$qm" ] && assets+=(--asset-path "$qm"); done
"$TOOLS_VENV/bin/qgis-plugin-ci" package "$version" --disable-submodule-update "${assets[@]}" >/dev/null
mkdir -p "$ROOT/dist"
mv -f citycomponents_plugin."$version".zip "$ROOT/dist/"
echo "$ROOT/dist/citycomponents_plugin.$version.zip"
