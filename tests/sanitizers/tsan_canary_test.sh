#!/bin/bash
# tsan_canary_test.sh CANARY: runs tsan_canary (with the tsan preset's TSAN_OPTIONS and
# suppressions) and passes when ThreadSanitizer reported the deliberate race of each hand-over.
set -u
canary=$1
report=$("$canary" 2>&1)
status=$?
missing=()
for function in raceInQueuedLambda raceInQueuedSlot raceInPooledTask; do
  # a report whose stack names the racing function
  awk -v f="$function" '/WARNING: ThreadSanitizer: data race/ { inside = 1 }
                        inside && index($0, f) { found = 1 } END { exit !found }' <<<"$report" ||
    missing+=("$function")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "FAIL: no ThreadSanitizer report for the deliberate race in ${missing[*]} (exit $status)." >&2
  echo "A suppression in tests/sanitizers/tsan.supp hides races in code that Qt delivers to:" >&2
  echo "$report" >&2
  exit 1
fi
[ "$status" -eq 66 ] || { echo "FAIL: tsan_canary exited $status, expected TSan's exitcode 66" >&2; exit 1; }
echo "ThreadSanitizer reported the deliberate race through a queued functor, a queued signal and a pooled task."
