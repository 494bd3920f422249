#!/usr/bin/env bash
# Symlink the plugin into the default QGIS 3 profile, for development in a desktop QGIS.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${QGIS_PROFILE_DIR:-$HOME/.local/share/QGIS/QGIS3/profiles/default}
mkdir -p "$profile/python/plugins"
ln -sfn "$(pwd)/citycomponents_plugin" "$profile/python/plugins/citycomponents_plugin"
echo "Linked into $profile/python/plugins; enable City Components in Plugins > Manage and Install Plugins."
