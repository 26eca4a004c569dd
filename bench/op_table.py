#!/usr/bin/env python3
"""Time per operator of a Chrome trace that LibTorch's profiler wrote
(GENLAB_PROFILE_TRACE=FILE genlab_bench_train throughput ARCH STEPS): total and self
milliseconds per call site name, per step, most self time first.

    python3 bench/op_table.py FILE STEPS [ROWS]
"""
import collections
import json
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    trace, steps = sys.argv[1], int(sys.argv[2])
    rows = int(sys.argv[3]) if len(sys.argv) == 4 else 25
    with open(trace) as f:
        loaded = json.load(f)
    if isinstance(loaded, dict):  # the Chrome format; LibTorch 1.13 writes the bare list
        loaded = loaded["traceEvents"]
    events = [e for e in loaded if e.get("ph") == "X"]
    # Self time: an event's duration less that of the events nested directly in it (same thread).
    by_thread = collections.defaultdict(list)
    for e in events:
        by_thread[e["tid"]].append(e)
    total = collections.Counter()
    self_time = collections.Counter()
    calls = collections.Counter()
    for thread in by_thread.values():
        thread.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []
        for e in thread:
            while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]:
                stack.pop()
            if stack:
                self_time[stack[-1]["name"]] -= e["dur"]
            total[e["name"]] += e["dur"]
            self_time[e["name"]] += e["dur"]
            calls[e["name"]] += 1
            stack.append(e)
    print(f"{'operator':<48} {'self ms/step':>12} {'total ms/step':>13} {'calls/step':>10}")
    for name, us in self_time.most_common(rows):
        print(f"{name[:48]:<48} {us / 1e3 / steps:12.2f} {total[name] / 1e3 / steps:13.2f} "
              f"{calls[name] / steps:10.1f}")
    print(f"{'all':<48} {sum(self_time.values()) / 1e3 / steps:12.2f}")


if __name__ == "__main__":
    main()
