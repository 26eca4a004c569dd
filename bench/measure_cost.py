#!/usr/bin/env python3
"""What each measure costs (docs/measures.md): the same run without a measure and with each one,
in turn, each a fresh `genlab --headless` process; prints "network<TAB>measure<TAB>training wall
seconds" rows, measure "none", "memorization" or "capacity" (the run's wall_seconds from
summary.json, which leaves out the process start and data loading).
   Usage: measure_cost.py GENLAB SCRATCH REPETITIONS
"""
import json
import pathlib
import shutil
import subprocess
import sys

genlab, scratch, repetitions = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
# Fashion-MNIST, 5,000 images, labels corrupted at p = 0.4 (the memorization preset's setting),
# 20 epochs without stopping: the same work every way. Memorization is measured on MLP 1x512;
# capacity on both MLPs of the presets.
common = ["--headless", "--dataset", "fashion-mnist", "--train-size", "5000", "--test-size", "1000",
          "--corruption", "labels:0.4", "--epochs", "20", "--stop-when-fitted", "off"]
measures = {"none": [], "memorization": ["--memorization", "on"], "capacity": ["--capacity", "on"]}
networks = {"MLP 1x512": (["--depth", "1"], ["none", "memorization", "capacity"]),
            "MLP 3x512": (["--depth", "3"], ["none", "capacity"])}
for _ in range(repetitions):
    for network, (shape, measured) in networks.items():
        for measure in measured:
            out = scratch / measure
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run([genlab, *common, *shape, *measures[measure], "--out", str(out)],
                           check=True, stdout=subprocess.DEVNULL)
            summary = json.loads(next(out.glob("*/summary.json")).read_text())
            print(f"{network}\t{measure}\t{summary['runs'][0]['wall_seconds']:.4f}", flush=True)
shutil.rmtree(scratch, ignore_errors=True)
