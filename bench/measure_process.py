#!/usr/bin/python3
"""Measures whole programs for bench/run-benchmarks.sh; prints tab-separated lines.

  measure_process.py startup REPS NAME=PROGRAM...
      seconds from starting each PROGRAM to its line "window shown" (genlab prints it
      with GENLAB_STARTUP_PROBE set, which this sets; genlab_bench_bare_window always),
      the programs alternating, REPS rounds, each start with an empty settings folder
      (a first start): "startup  NAME  SECONDS". Needs a display (xvfb-run).
  measure_process.py peak NAME -- COMMAND...
      runs COMMAND to its end: "peak_rss  NAME  MIB  WALL_SECONDS" (the process's
      peak resident memory, from the kernel's accounting of the child)
"""
import os
import subprocess
import sys
import tempfile
import time


def startup(reps, programs):
    for _ in range(reps):
        for name, program in programs:
            with tempfile.TemporaryDirectory() as settings:
                env = dict(os.environ, GENLAB_STARTUP_PROBE="1", XDG_CONFIG_HOME=settings)
                start = time.perf_counter()
                child = subprocess.Popen([program], stdout=subprocess.PIPE, text=True, env=env)
                shown = None
                for line in child.stdout:
                    if line.strip() == "window shown":
                        shown = time.perf_counter() - start
                        break
                child.stdout.close()
                if child.wait(timeout=60) != 0 or shown is None:
                    sys.exit(f"measure_process: {program} did not show its window")
            print(f"startup\t{name}\t{shown:.4f}", flush=True)


def peak(name, command):
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"measure_process: {' '.join(command)} failed")
    print(f"peak_rss\t{name}\t{usage.ru_maxrss / 1024:.1f}\t{wall:.2f}", flush=True)


def main(argv):
    if len(argv) >= 4 and argv[1] == "startup":
        startup(int(argv[2]), [tuple(a.split("=", 1)) for a in argv[3:]])
    elif len(argv) >= 5 and argv[1] == "peak" and argv[3] == "--":
        peak(argv[2], argv[4:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
