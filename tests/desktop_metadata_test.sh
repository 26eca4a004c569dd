#!/usr/bin/env bash
# Validates the .desktop entry with desktop-file-validate and the AppStream metadata with
# appstreamcli (offline); each part is skipped, saying so, when its tool is missing.
# Errors and warnings fail; hints and pedantic notes are shown only.
#   Usage: desktop_metadata_test.sh FILE.desktop FILE.metainfo.xml
# Exit status: 0 passed, 1 failed, 77 both tools missing (CTest reports "skipped").
set -uo pipefail
desktop=$1 metainfo=$2
failed=0 checked=0

for file in "$desktop" "$metainfo"; do
  [ -f "$file" ] || { echo "desktop_metadata: '$file' does not exist" >&2; exit 1; }
done

if command -v desktop-file-validate >/dev/null; then
  checked=1
  # desktop-file-validate exits 0 on warnings; its lines read "FILE: error: ...", "...: warning: ...", "...: hint: ...".
  report=$(desktop-file-validate "$desktop" 2>&1); status=$?
  [ -n "$report" ] && echo "$report"
  if [ $status -ne 0 ] || grep -qE ': (error|warning): ' <<<"$report"; then
    echo "desktop_metadata: desktop-file-validate found errors or warnings in '$desktop'" >&2; failed=1
  else
    echo "desktop_metadata: '$(basename "$desktop")' valid (desktop-file-validate)"
  fi
else
  echo "desktop_metadata: desktop-file-validate not installed (package desktop-file-utils): .desktop not checked"
fi

if command -v appstreamcli >/dev/null; then
  checked=1
  # --no-net: nothing is fetched (tests run offline).
  report=$(appstreamcli validate --no-net --pedantic "$metainfo" 2>&1); status=$?
  echo "$report"
  # Pedantic notes ("P:") are reported but do not fail; errors ("E:") and warnings ("W:") do.
  if [ $status -ne 0 ] || grep -qE '^[EW]: ' <<<"$report"; then
    echo "desktop_metadata: appstreamcli found errors or warnings in '$metainfo'" >&2; failed=1
  fi
else
  echo "desktop_metadata: appstreamcli not installed (package appstream): metainfo not checked"
fi

[ $checked -eq 1 ] || exit 77
exit $failed
