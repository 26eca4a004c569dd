#!/usr/bin/env bash
# Renders resources/icons/genlab.svg to the committed PNGs (48, 128 and 256 px) with Qt's SVG
# renderer (the genlab_render_icon target, built on demand). Run after editing the SVG, then
# commit the PNGs.   Usage: packaging/render-icons.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="${1:-$root/build/release}"
[ -f "$build/CMakeCache.txt" ] || { echo "render-icons: '$build' is not a configured build folder (run cmake --preset release)" >&2; exit 1; }
cmake --build "$build" --target genlab_render_icon
for size in 48 128 256; do
  "$build/packaging/genlab_render_icon" "$root/resources/icons/genlab.svg" "$size" \
    "$root/resources/icons/genlab-$size.png"
  echo "resources/icons/genlab-$size.png"
done
