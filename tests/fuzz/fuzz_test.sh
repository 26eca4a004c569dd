#!/usr/bin/env bash
# CTest's runs of a fuzz target (tests/fuzz/fuzz_tests.cmake):
#   fuzz_test.sh replay BINARY FOLDER          each saved crash input in FOLDER, once
#   fuzz_test.sh smoke BINARY CORPUS SECONDS   fuzzing from the seed corpus for SECONDS
# Exits 77 (skipped) when BINARY is not built: cmake --preset fuzz && cmake --build --preset fuzz.
set -uo pipefail
mode=$1 binary=$2 folder=$3
if [ ! -x "$binary" ]; then
  echo "skipped: $binary is not built (cmake --preset fuzz && cmake --build --preset fuzz; make test does both)"
  exit 77
fi
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
# libFuzzer's own exit status for a finding is 77, CTest's "skipped": say 1 instead.
exits=(-error_exitcode=1 -timeout_exitcode=1)
case $mode in
  replay)
    shopt -s nullglob
    inputs=("$folder"/*)
    if [ ${#inputs[@]} -eq 0 ]; then echo "no saved inputs in $folder"; exit 0; fi
    exec "$binary" "${exits[@]}" -timeout=10 "${inputs[@]}"
    ;;
  smoke)
    seconds=$4
    work=$(mktemp -d "${TMPDIR:-/tmp}/genlab-fuzz-smoke.XXXXXX")
    mkdir "$work/corpus"
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    dict=()
    case $(basename "$binary") in
      fuzz_spec_json|fuzz_preset|fuzz_sweep|fuzz_summary_json|fuzz_mirrors) dict=(-dict="$here/json.dict") ;;
      fuzz_options) dict=(-dict="$here/options.dict") ;;
    esac
    "$binary" "${exits[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 "${dict[@]}" \
      -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "$folder"
    status=$?
    if [ $status -ne 0 ]; then
      echo "the input that failed is in $work (save it under tests/fuzz/regressions/$(basename "$folder")/)"
      exit $status
    fi
    rm -rf "$work"
    ;;
  *) echo "usage: fuzz_test.sh replay|smoke BINARY FOLDER [SECONDS]" >&2; exit 2 ;;
esac
