#!/usr/bin/env bash
# Runs every benchmark and rewrites docs/BENCHMARKS.md. Usage: bench/run-benchmarks.sh BUILD_DIR
# Each figure is a median over repetitions, next to a reference measured in the same run.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/release}
reps=${GENLAB_BENCH_REPS:-9}
data=${GENLAB_DATA_DIR:-/usr/share/datasets/fashion-mnist}
out=$root/docs/BENCHMARKS.md

cmake --build "$build" --target genlab_bench_data >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Reference: decompressing the same four files with gzip into /dev/null, the floor for any
# reader of these files.
python3 - "$reps" "$data" > "$tmp/reference.tsv" <<'PY'
import glob, subprocess, sys, time, statistics
reps, folder = int(sys.argv[1]), sys.argv[2]
files = sorted(glob.glob(folder + "/*.gz"))
times = []
for _ in range(reps):
    start = time.perf_counter()
    subprocess.run(["gzip", "-dc", *files], stdout=subprocess.DEVNULL, check=True)
    times.append(time.perf_counter() - start)
times.sort()
print(f"gzip_decompress\t{statistics.median(times):.4f}\t{times[0]:.4f}\t{times[-1]:.4f}\t{reps}")
PY
"$build/bench/genlab_bench_data" "$reps" "$data" > "$tmp/data.tsv"

python3 - "$tmp/reference.tsv" "$tmp/data.tsv" "$reps" > "$out" <<'PY'
import platform, subprocess, sys, datetime
ref = dict((l.split("\t")[0], l.split("\t")[1:]) for l in open(sys.argv[1]) if l.strip())
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip()]
reps = sys.argv[3]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
gz = float(ref["gzip_decompress"][0])
print("# Benchmarks\n")
print("Written by `make bench` (bench/run-benchmarks.sh); do not edit by hand. Each figure is the")
print(f"median of {reps} repetitions (min and max beside it), measured in one run next to its reference.\n")
print(f"Machine: {cpu}, {cores} cores; {datetime.date.today().isoformat()}.\n")
print("## Data layer (Fashion-MNIST, 60,000 + 10,000 images, from the gzip IDX files)\n")
print("Reference: `gzip -dc` of the same four files into /dev/null (decompression alone), "
      f"median {gz:.3f} s.\n")
print("| what | median s | min s | max s | ratio to gzip -dc |")
print("|---|---|---|---|---|")
names = {"load_fashion_mnist": "read + decode to float32 tensors (`loadFashionMnist`)",
         "prepare_default": "default preparation: load + per-channel standardization (`loadDataset`)",
         "corrupt_random-labels": "corrupt: random labels (60,000 labels)",
         "corrupt_shuffled-pixels": "corrupt: shuffled pixels (70,000 images)",
         "corrupt_random-pixels": "corrupt: random pixels (70,000 permutations)",
         "corrupt_gaussian": "corrupt: Gaussian (70,000 noise images)"}
for name, median, lo, hi, _ in rows:
    print(f"| {names.get(name, name)} | {float(median):.3f} | {float(lo):.3f} | {float(hi):.3f} | {float(median)/gz:.2f} |")
print("\nTarget (issue 2): loading full Fashion-MNIST under 1 s on this 2-core machine.\n")
print("Reproduce: `make bench` (or `bench/run-benchmarks.sh build/release`; "
      "`GENLAB_BENCH_REPS=N` sets the repetitions).")
PY
echo "bench: wrote $out"
cat "$out"
