#!/usr/bin/env bash
# make fuzz: runs each fuzz target for SECONDS from its seed corpus (tests/fuzz/corpus/<target>)
# and the corpus earlier runs grew (build/fuzz/corpus/<target>), going on after a crash, and
# prints each target's executions and crashes. Crash inputs land in build/fuzz/crashes/<target>/;
# a log per target in build/fuzz/logs/.
#   Usage: run-fuzzers.sh BUILD_DIR SECONDS [TARGET...]   (default: every target)
set -uo pipefail
build=$1 seconds=$2
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
targets=("$@")
# every target: the list in fuzz_tests.cmake
[ ${#targets[@]} -gt 0 ] || read -ra targets < <(sed -n 's/^set(GENLAB_FUZZ_TARGETS \(.*\))$/\1/p' "$here/fuzz_tests.cmake")
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# A finding's signature: its kind and the first frame in the project's code, numbers dropped, so
# that the same bug found many times counts once.
signature() {
  local log
  log=$("$1" -error_exitcode=1 -timeout=10 "$2" 2>&1)
  { grep -m1 -E "what\(\):|property violated|ERROR: AddressSanitizer|runtime error:|ERROR: libFuzzer: (timeout|out-of-memory)" <<<"$log"
    grep -m1 -E "#[0-9]+ .* in genlab::" <<<"$log" | sed -E 's/.* in (genlab::[^(]*).*/\1/'
  } | sed -E 's/0x[0-9a-f]+//g; s/[0-9]+//g; s/^ *//' | tr '\n' ' '
}

summary=()
found=0
for target in "${targets[@]}"; do
  binary=$build/tests/fuzz/fuzz_$target
  [ -x "$binary" ] || { echo "fuzz: $binary is not built (cmake --build --preset fuzz)" >&2; exit 2; }
  corpus=$build/corpus/$target crashes=$build/crashes/$target log=$build/logs/$target.log
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  dict=()
  case $target in
    spec_json|preset|sweep|summary_json) dict=(-dict="$here/json.dict") ;;
    options) dict=(-dict="$here/options.dict") ;;
  esac
  before=$(ls "$crashes" | wc -l)
  echo "fuzz: $target for ${seconds}s (log $log)"
  # One worker process (-fork=1) that is restarted after a crash, a timeout or running out of
  # memory, so that one finding does not end the run.
  "$binary" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$seconds" \
    -timeout=10 -rss_limit_mb=2048 -max_len=16384 "${dict[@]}" -artifact_prefix="$crashes/" \
    "$corpus" "$here/corpus/$target" >"$log" 2>&1
  last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1)
  execs=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"$last")
  fails=$(sed -E 's#.*oom/timeout/crash: ([0-9]+/[0-9]+/[0-9]+).*#\1#' <<<"$last")
  new=$(( $(ls "$crashes" | wc -l) - before ))
  found=$((found + new))
  distinct=$(for file in $(ls -t "$crashes" | head -n "$new"); do signature "$binary" "$crashes/$file"; echo; done | sort -u | grep -c .)
  summary+=("$(printf '%-12s %10s %8s %18s %8s %8s' "$target" "${execs:-0}" "$(ls "$corpus" | wc -l)" "${fails:-0/0/0}" "$new" "$distinct")")
done

printf '\n%-12s %10s %8s %18s %8s %8s\n' target executions corpus oom/timeout/crash inputs distinct
printf '%s\n' "${summary[@]}"
if [ $found -gt 0 ]; then
  echo "fuzz: $found new inputs that fail, in $build/crashes/<target>/; replay one with"
  echo "      $build/tests/fuzz/fuzz_<target> FILE, and save it under tests/fuzz/regressions/<target>/"
  exit 1
fi
