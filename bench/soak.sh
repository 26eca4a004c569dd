#!/usr/bin/env bash
# Soak of the window (issue 15): genlab_bench_soak trains the Figure 1a preset in a loop through
# the window's actions for SOAK_SECONDS (default 600) on an Xvfb display of its own.
#   Usage: bench/soak.sh [BUILD_DIR]      (default build/release)
# SOAK_WARMUP (default 120 s) and SOAK_MAX_SLOPE (default 512 KiB/min, docs/robustness.md) go
# to the driver. Writes BUILD_DIR/soak/samples.tsv (seconds, rss_kib, cycle, state),
# summary.tsv and stderr.txt; fails on the driver's failure or on anything written to stderr.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/release}
seconds=${SOAK_SECONDS:-600}
out=$build/soak
mkdir -p "$out"
cmake --build "$build" --target genlab_bench_soak >/dev/null

# A display number of its own (:90 to :99, the first whose lock file is free).
display=
for n in 90 91 92 93 94 95 96 97 98 99; do
  if [ ! -e "/tmp/.X$n-lock" ] && [ ! -e "/tmp/.X11-unix/X$n" ]; then display=:$n; break; fi
done
[ -n "$display" ] || { echo "soak: no free display among :90-:99" >&2; exit 1; }
settings=$(mktemp -d)  # settings, data and runtime folders of its own (0700)
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true; rm -rf "$settings"' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done

status=0
env DISPLAY="$display" QT_QPA_PLATFORM=xcb XDG_CONFIG_HOME="$settings/config" XDG_DATA_HOME="$settings/data" \
  XDG_RUNTIME_DIR="$settings" \
  "$build/bench/genlab_bench_soak" "$seconds" "$out/samples.tsv" "${SOAK_WARMUP:-120}" "${SOAK_MAX_SLOPE:-512}" \
  >"$out/summary.tsv" 2>"$out/stderr.txt" || status=$?
cat "$out/summary.tsv"
if [ -s "$out/stderr.txt" ]; then
  echo "soak: stderr was not empty:" >&2
  head -20 "$out/stderr.txt" >&2
  status=1
fi
echo "soak: samples in $out/samples.tsv" >&2
exit "$status"
