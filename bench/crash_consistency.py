#!/usr/bin/python3
"""Crash consistency of a results folder: genlab --headless killed with SIGKILL at random moments.

  crash_consistency.py [--genlab PATH] [--trials N] [--seed S] [--work DIR] [--keep]

Each trial starts a headless session (alternately one run, and Figure 1a's five runs), kills
it with SIGKILL at a random moment, then checks the folder it left:
  - spec.json and summary.json, when present, parse as whole JSON objects;
  - `genlab runs DIR --format json` and `genlab report DIR --export json,svg` (the program's
    own reader, summary and curves) open it, exit 0 and name no problem besides a missing
    summary.json when the kill came before the first record;
  - every epoch the terminal reported as finished is in summary.json (through `genlab runs`)
    and in metrics.csv: at most the epoch in progress is lost; the runs the kill interrupted
    read as "incomplete" (the writer's lock died with it);
  - `genlab --resume DIR` (itself killed once more in half of the trials, then resumed again)
    finishes every run, each epoch and each step exactly once in metrics.csv, with the curves
    of an uninterrupted reference session (same seed, one thread).
Prints one tab-separated line per trial and a summary; exits 1 when a trial failed.
"""
import argparse
import csv
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH_LINE = re.compile(r"^(?P<name>.+?)\s+\[[#.]+\] epoch\s+(?P<epoch>\d+)\s+loss")
# One thread: the reference and every resumed session compute the same numbers.
COMMON = ["--headless", "--preset", "figure1a-fashion-mnist", "--stop-when-fitted", "off", "--threads", "1"]
SCENARIOS = {
    # One run, an epoch of about a second.
    "one-run": COMMON + ["--corruption", "random-labels", "--train-size", "20000", "--epochs", "8"],
    # Figure 1a's five settings interleaved: about a second per round of epochs.
    "figure1a": COMMON + ["--train-size", "5000", "--epochs", "6"],
}
CURVE_METRICS = ("train_loss", "train_accuracy", "test_loss", "test_accuracy")


class Run:
    """A genlab process whose stdout is collected as it goes."""

    def __init__(self, command):
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.out, self.err = [], []
        self.readers = [threading.Thread(target=self._drain, args=(s, b)) for s, b in
                        ((self.process.stdout, self.out), (self.process.stderr, self.err))]
        self.folder_named = threading.Event()
        self.named_at = None
        for reader in self.readers:
            reader.start()

    def _drain(self, stream, lines):
        for line in stream:
            lines.append(line.rstrip("\n"))
            if line.startswith(("results: ", "resuming: ")) and not self.folder_named.is_set():
                self.named_at = time.monotonic()
                self.folder_named.set()

    def kill_after(self, seconds):
        """SIGKILL after `seconds` unless it ended before; True when it was killed."""
        try:
            self.process.wait(timeout=seconds)
            killed = False
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGKILL)
            killed = True
        self.wait()
        return killed

    def wait(self, timeout=600):
        self.process.wait(timeout=timeout)
        for reader in self.readers:
            reader.join()  # everything it printed before it died is in out/err now
        return self.process.returncode

    def folder(self):
        for line in self.out:
            for prefix in ("results: ", "resuming: "):
                if line.startswith(prefix):
                    return Path(line[len(prefix):].split(" (")[0])
        return None

    def reported_epochs(self):
        """The last epoch the terminal reported as finished, per run name."""
        done = {}
        for line in self.out:
            match = EPOCH_LINE.match(line)
            if match:
                done[match["name"]] = max(done.get(match["name"], 0), int(match["epoch"]))
        return done


def genlab_json(genlab, folder, problems):
    """The runs of `folder` as `genlab runs` reads them; its stderr lines go to `problems`."""
    result = subprocess.run([genlab, "runs", str(folder), "--format", "json"], capture_output=True, text=True)
    problems.extend(line for line in result.stderr.splitlines() if line.startswith("genlab: "))
    if result.returncode != 0:
        raise Check(f"genlab runs exited {result.returncode}: {result.stderr.strip()}")
    return json.loads(result.stdout)


def genlab_report(genlab, folder, problems):
    """`genlab report` reads the curves (metrics.csv) as the window does."""
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run([genlab, "report", str(folder), "--export", "json,svg", "--out", out],
                                capture_output=True, text=True)
    problems.extend(line for line in result.stderr.splitlines() if line.startswith("genlab: "))
    if result.returncode != 0:
        raise Check(f"genlab report exited {result.returncode}: {result.stderr.strip()}")


class Check(Exception):
    pass


def whole_json(path):
    """spec.json / summary.json must never be half written."""
    try:
        with open(path, encoding="utf-8") as file:
            value = json.load(file)
    except (ValueError, UnicodeDecodeError) as error:
        raise Check(f"{path.name} is not whole JSON: {error}")
    if not isinstance(value, dict):
        raise Check(f"{path.name} is not a JSON object")
    return value


def metrics_rows(folder):
    """metrics.csv's complete rows (a partial last line, left by a kill mid-write, is skipped)."""
    path = folder / "metrics.csv"
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    complete = lines[:-1]  # after the last newline: a partial line or nothing
    if complete and complete[0] != "run,setting,step,epoch,metric,value,wall_time":
        raise Check("metrics.csv has another header: " + complete[0][:60])
    return list(csv.DictReader(complete))


def epochs_in_metrics(rows):
    epochs = {}
    for row in rows:
        if row["metric"] == "train_loss":
            epochs.setdefault(int(row["run"]), []).append(int(row["epoch"]))
    return epochs


def inspect_killed(genlab, folder, reported, problems):
    """The checks on a folder left by a kill. Returns its runs (`genlab runs`) and the most
    epochs a run reported finished and the folder lacks (0 when it passes)."""
    for name in ("spec.json", "summary.json"):
        if (folder / name).exists():
            whole_json(folder / name)
    # A session killed while it loaded its data has no runs yet: a row without a setting.
    runs = [run for run in genlab_json(genlab, folder, problems) if run["setting"]]
    if runs:
        genlab_report(genlab, folder, problems)
    allowed = [p for p in problems if p.endswith("no summary.json: the process that wrote it ended before its first record")]
    if len(allowed) != len(problems):
        raise Check("the reader names problems: " + " | ".join(p for p in problems if p not in allowed))
    by_name = {run["name"]: run for run in runs}
    in_metrics = epochs_in_metrics(metrics_rows(folder))
    lost = 0
    for name, epoch in reported.items():
        run = by_name.get(name)
        if run is None:
            raise Check(f"'{name}' reported epoch {epoch} but the folder has no such run")
        lost = max(lost, epoch - run["epochs"])
        held = in_metrics.get(run["run"], [])
        if sorted(held) != list(range(1, len(held) + 1)):
            raise Check(f"run {run['run']}: metrics.csv holds epochs {held}")
        lost = max(lost, epoch - len(held))
        # At most the epoch whose record was written when the kill came before its line.
        if run["epochs"] > epoch + 1 or len(held) > epoch + 1:
            raise Check(f"'{name}': reported {epoch}, the folder holds {run['epochs']} (summary) {len(held)} (metrics)")
    if lost > 0:
        raise Check(f"{lost} epoch(s) reported finished are missing from the folder")
    for run in runs:
        if run["status"] not in ("incomplete", "finished"):
            raise Check(f"run {run['run']} reads as '{run['status']}', not incomplete")
    return runs, lost


def resume(genlab, folder, rng, kill_first):
    """genlab --resume until it exits 0; the first attempt killed at random when asked, and
    the folder it leaves checked as the first kill's."""
    attempts = []
    if kill_first:
        first = Run([genlab, "--resume", str(folder), "--threads", "1"])
        killed = first.kill_after(rng.uniform(0.2, 4.0))
        attempts.append("killed" if killed else f"exit {first.process.returncode}")
        if not killed and first.process.returncode != 0:
            raise Check("genlab --resume exited %d: %s" % (first.process.returncode, " ".join(first.err[-2:])))
        if killed:
            inspect_killed(genlab, folder, first.reported_epochs(), [])
    final = Run([genlab, "--resume", str(folder), "--threads", "1"])
    code = final.wait()
    attempts.append(f"exit {code}")
    if code != 0:
        raise Check("genlab --resume exited %d: %s" % (code, " ".join(final.err[-2:])))
    if any(line.strip() for line in final.err):
        raise Check("genlab --resume wrote to stderr: " + " ".join(final.err[:2]))
    # Per run: the epoch it went on from ("r0@3"), "r0@0" without a checkpoint, "r0=kept".
    continued = []
    for line in final.out:
        match = re.match(r"\s+run (\d+), .*?(?:resumed after epoch (\d+)|(no checkpoint)|(before, kept))", line)
        if match:
            run, epoch, none, kept = match.groups()
            continued.append(f"r{run}@{epoch}" if epoch else f"r{run}@0" if none else f"r{run}=kept")
    return attempts, continued


def curves(rows):
    """Epoch metrics per (run, metric, epoch), and the loss steps per run."""
    values, steps = {}, {}
    for row in rows:
        run = int(row["run"])
        if row["metric"] == "loss":
            steps.setdefault(run, []).append(int(row["step"]))
        elif row["metric"] in CURVE_METRICS:
            key = (run, row["metric"], int(row["epoch"]))
            if key in values:
                raise Check(f"metrics.csv holds run {run}'s {row['metric']} of epoch {row['epoch']} twice")
            values[key] = float(row["value"])
    return values, steps


def check_resumed(genlab, folder, reference, epochs):
    problems = []
    runs = genlab_json(genlab, folder, problems)
    if problems:
        raise Check("after resume the reader names problems: " + " | ".join(problems))
    for run in runs:
        if run["status"] != "finished" or run["epochs"] != epochs:
            raise Check(f"after resume run {run['run']} is {run['status']} after {run['epochs']} epochs")
    values, steps = curves(metrics_rows(folder))
    ref_values, ref_steps = reference
    for run, list_ in steps.items():
        if list_ != sorted(set(list_)) or list_ != ref_steps.get(run):
            raise Check(f"run {run}: its loss steps are not 1..{len(ref_steps.get(run, []))} once each")
    if set(values) != set(ref_values):
        raise Check("the resumed epoch metrics are not those of the reference")
    worst = max(abs(values[k] - ref_values[k]) for k in values)
    if worst > 1e-6:
        raise Check(f"resumed curves differ from the uninterrupted ones by up to {worst:.3g}")
    return worst


def killed_run(genlab, options, out, rng, span):
    """A session killed at a random moment between its folder's first files (the line
    "results: ...") and its expected end; drawn again, sooner, when it ended before."""
    for attempt in range(3):
        run = Run([genlab, *options, "--out", str(out / str(attempt))])
        if not run.folder_named.wait(120):
            sys.exit("crash_consistency: genlab named no results folder: " + " ".join(run.err[-3:]))
        delay = rng.uniform(0, 0.95 * span)
        if run.kill_after(max(0.0, delay - (time.monotonic() - run.named_at))):
            return run, delay
        span = min(span, time.monotonic() - run.named_at)
    return run, delay


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--genlab", default=str(ROOT / "build/release/app/genlab"))
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("CRASH_SEED", "15")))
    parser.add_argument("--work", default=None, help="folder for the sessions (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the sessions' folders")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    # genlab report is a Qt program: without this, Qt says on stderr that it chose one itself.
    runtime = tempfile.mkdtemp(prefix="genlab-crash-runtime-")
    os.environ.setdefault("XDG_RUNTIME_DIR", runtime)
    work = Path(args.work or tempfile.mkdtemp(prefix="genlab-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    # A copy of its own: a rebuild of the build tree during the trials must not change the
    # program under test (or leave it half linked) between two trials.
    (work / "bin").mkdir(exist_ok=True)
    args.genlab = shutil.copy2(args.genlab, work / "bin" / "genlab")
    os.environ.setdefault("GENLAB_PRESET_DIR", str(ROOT / "resources" / "presets"))

    # Uninterrupted references: their wall time bounds the kill moments, their curves are what
    # every resumed session must end with.
    references = {}
    for name, options in SCENARIOS.items():
        run = Run([args.genlab, *options, "--out", str(work / f"reference-{name}")])
        if run.wait() != 0:
            sys.exit(f"crash_consistency: the reference {name} failed: {' '.join(run.err[-3:])}")
        span = time.monotonic() - run.named_at  # from its folder's first files to its end
        references[name] = (curves(metrics_rows(run.folder())), span, int(options[options.index("--epochs") + 1]))
        print(f"# reference {name}: {span:.1f} s from its folder to its end", flush=True)

    print("trial\tscenario\tkill_after_folder_s\treported\tsummary\tmetrics\tlost\tstray_tmp\tresume\tcontinued\tmax_diff\toutcome")
    failures = 0
    max_lost = 0
    for trial in range(args.trials):
        name = list(SCENARIOS)[trial % len(SCENARIOS)]
        reference, span, epochs = references[name]
        run, kill_at = killed_run(args.genlab, SCENARIOS[name], work / f"trial-{trial:02d}", rng, span)
        reported = run.reported_epochs()
        folder = run.folder()
        fields = {"reported": sum(reported.values()), "summary": "-", "metrics": "-", "lost": 0,
                  "stray_tmp": "-", "resume": "-", "continued": "-", "max_diff": "-"}
        try:
            if run.process.returncode != -signal.SIGKILL:
                raise Check(f"ended before the kill three times (exit {run.process.returncode})")
            problems = []
            runs, fields["lost"] = inspect_killed(args.genlab, folder, reported, problems)
            max_lost = max(max_lost, fields["lost"])
            fields["summary"] = sum(r["epochs"] for r in runs)
            fields["metrics"] = sum(len(e) for e in epochs_in_metrics(metrics_rows(folder)).values())
            fields["stray_tmp"] = len([p for p in folder.iterdir() if ".tmp-" in p.name])
            attempts, continued = resume(args.genlab, folder, rng, kill_first=trial % 4 >= 2)
            fields["resume"] = ",".join(attempts)
            fields["continued"] = ",".join(continued)
            fields["max_diff"] = f"{check_resumed(args.genlab, folder, reference, epochs):.1g}"
            outcome = "pass" + (" (no summary yet)" if problems else "")
        except Check as error:
            failures += 1
            outcome = "FAIL: " + str(error)
        print(f"{trial}\t{name}\t{kill_at:.2f}\t" + "\t".join(str(fields[k]) for k in (
            "reported", "summary", "metrics", "lost", "stray_tmp", "resume", "continued", "max_diff")) +
            f"\t{outcome}", flush=True)
    print(f"# {args.trials - failures} of {args.trials} trials passed; epochs reported finished and lost: {max_lost}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
