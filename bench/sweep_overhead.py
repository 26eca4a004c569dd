#!/usr/bin/env python3
"""The sweep runner against the same tasks run by hand, and --jobs 2 against --jobs 1.

Usage: sweep_overhead.py GENLAB SWEEP_FILE SCRATCH REPS
Prints one line per measurement: "plain|jobs1|jobs2|task_plain|task_sweep<TAB>seconds". Each
repetition runs the sweep's tasks three ways, in turn, into fresh folders: one plain
`genlab --headless` per task (the base spec as --config, the axis values as --set),
`genlab sweep run --jobs 1`, and `genlab sweep run --jobs 2`; then task 0 alone, plain and as a
cluster task runs it (`genlab sweep run --task 0`).
"""
import itertools, json, shutil, subprocess, sys, time
from pathlib import Path

genlab, sweep_file, scratch, reps = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
sweep = json.loads(sweep_file.read_text())
scratch.mkdir(parents=True, exist_ok=True)
base = scratch / "base.json"
base.write_text(json.dumps(sweep["spec"]))
axes = list(sweep["axes"].items())

def assignments(values):
    out = []
    for (path, _), value in zip(axes, values):
        if path == "setting":
            out += ["--set", f"settings={value}"]
        else:
            out += ["--set", f"{path}={value}"]
    return out

def timed(commands, folder):
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start

for r in range(reps):
    out = scratch / f"rep{r}"
    plain = [[genlab, "--headless", "--config", str(base), *assignments(values), "--out", str(out / "plain")]
             for values in itertools.product(*[v for _, v in axes])]
    print(f"plain\t{timed(plain, out / 'plain'):.3f}", flush=True)
    for jobs in (1, 2):
        folder = out / f"jobs{jobs}"
        command = [genlab, "sweep", "run", str(sweep_file), "--out", str(folder), "--jobs", str(jobs)]
        print(f"jobs{jobs}\t{timed([command], folder):.3f}", flush=True)
    print(f"task_plain\t{timed([plain[0]], out / 'plain'):.3f}", flush=True)
    task = [genlab, "sweep", "run", str(sweep_file), "--task", "0", "--out", str(out / "task")]
    print(f"task_sweep\t{timed([task], out / 'task'):.3f}", flush=True)
    shutil.rmtree(out, ignore_errors=True)
