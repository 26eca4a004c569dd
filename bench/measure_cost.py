#!/usr/bin/env python3
"""What a measure costs (docs/measures.md): the same run with the measure off and on, in turn,
each a fresh `genlab --headless` process; prints "off|on<TAB>training wall seconds" rows (the
run's wall_seconds from summary.json, which leaves out the process start and data loading).
   Usage: measure_cost.py GENLAB SCRATCH REPETITIONS
"""
import json
import pathlib
import shutil
import subprocess
import sys

genlab, scratch, repetitions = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
# Fashion-MNIST, 5,000 images, MLP 1x512, labels corrupted at p = 0.4 (the memorization preset's
# setting), 20 epochs without stopping: the same work both ways.
arguments = ["--headless", "--dataset", "fashion-mnist", "--train-size", "5000", "--test-size", "1000",
             "--corruption", "labels:0.4", "--epochs", "20", "--stop-when-fitted", "off"]
for _ in range(repetitions):
    for state in ("off", "on"):
        out = scratch / state
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([genlab, *arguments, "--memorization", state, "--out", str(out)],
                       check=True, stdout=subprocess.DEVNULL)
        summary = json.loads(next(out.glob("*/summary.json")).read_text())
        print(f"{state}\t{summary['runs'][0]['wall_seconds']:.4f}", flush=True)
shutil.rmtree(scratch, ignore_errors=True)
