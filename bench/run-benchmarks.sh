#!/usr/bin/env bash
# Runs every benchmark and rewrites docs/BENCHMARKS.md.   Usage: bench/run-benchmarks.sh BUILD_DIR
# Each figure is a median over repetitions, next to a reference measured in the same run.
# GENLAB_BENCH_REPS (default 7) sets the repetitions; GENLAB_BENCH_PRESET=0 skips the
# Figure 1a preset run (about two minutes).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/release}
reps=${GENLAB_BENCH_REPS:-7}
data=${GENLAB_DATA_DIR:-/usr/share/datasets/fashion-mnist}
out=$root/docs/BENCHMARKS.md
python=/usr/bin/python3  # Debian's, which has python3-torch
cores=$(nproc)

cmake --build "$build" --target genlab_bench_data genlab_bench_train >/dev/null
tmp=$build/bench-results  # raw measurements, kept for bench/render_benchmarks.py
rm -rf "$tmp" && mkdir -p "$tmp"

echo "bench: data layer" >&2
"$python" - "$reps" "$data" > "$tmp/reference.tsv" <<'PY'
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

# Training throughput: C++ and Python alternate, so that both see the same machine state.
# Threads as the trainer plans them: MLPs give the cores to OpenBLAS, conv nets to LibTorch.
echo "bench: training throughput" >&2
for spec in mlp:100 mlp3:60 alexnet:4 inception:2; do
  arch=${spec%%:*}; steps=${spec##*:}
  blas=$cores; case $arch in mlp*) ;; *) blas=1 ;; esac
  for ((r = 0; r < reps; r++)); do
    OPENBLAS_NUM_THREADS=$blas "$build/bench/genlab_bench_train" throughput "$arch" "$steps" | sed 's/^/cpp\t/' >> "$tmp/train.tsv"
    OPENBLAS_NUM_THREADS=$blas "$python" "$root/bench/train_throughput.py" "$arch" "$steps" | sed 's/^/python\t/' >> "$tmp/train.tsv"
  done
done
for ((r = 0; r < reps; r++)); do
  "$build/bench/genlab_bench_train" matmul >> "$tmp/matmul.tsv"
done
if [ "${GENLAB_BENCH_PRESET:-1}" != 0 ]; then
  echo "bench: Figure 1a preset" >&2
  "$build/bench/genlab_bench_train" preset figure1a-fashion-mnist > "$tmp/preset.tsv"
fi

# The window while it trains (offscreen Qt platform: the same drawing, no display needed).
echo "bench: window" >&2
cmake --build "$build" --target genlab_bench_window >/dev/null
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
"$build/bench/genlab_bench_window" overhead "$reps" 2>/dev/null > "$tmp/window.tsv"
"$build/bench/genlab_bench_window" latency 2>/dev/null >> "$tmp/window.tsv"
"$build/bench/genlab_bench_window" first-point "$reps" 2>/dev/null >> "$tmp/window.tsv"

# The live loss plot alone: replot of 6 curves x 100,000 steps, appending a chunk.
echo "bench: replot" >&2
cmake --build "$build" --target genlab_bench_replot >/dev/null
"$build/bench/genlab_bench_replot" 30 2>/dev/null > "$tmp/replot.tsv"

"$python" "$root/bench/render_benchmarks.py" "$tmp" "$reps" > "$out"
echo "bench: wrote $out" >&2
cat "$out"
