#!/usr/bin/env bash
# Runs every benchmark and rewrites docs/BENCHMARKS.md.   Usage: bench/run-benchmarks.sh BUILD_DIR
# Each figure is a median over repetitions, next to a reference measured in the same run.
# GENLAB_BENCH_REPS (default 7) sets the repetitions; GENLAB_BENCH_PRESET=0 skips the
# Figure 1a preset and full Fashion-MNIST runs (about a minute together).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/release}
reps=${GENLAB_BENCH_REPS:-7}
data=${GENLAB_DATA_DIR:-/usr/share/datasets/fashion-mnist}
out=$root/docs/BENCHMARKS.md
python=/usr/bin/python3  # Debian's, which has python3-torch
cores=$(nproc)

cmake --build "$build" --target genlab genlab_bench_data genlab_bench_train >/dev/null
tmp=$build/bench-results  # raw measurements, kept for bench/render_benchmarks.py
rm -rf "$tmp" && mkdir -p "$tmp"
bench_train=$build/bench/genlab_bench_train

# OpenBLAS's kernels: its own choice at load, and the ones the lab switches to when that
# choice is its fallback for a CPU it does not know (core/train/blas_kernel.h). Every
# measurement below, C++ and Python, then runs on the lab's kernels; OpenBLAS's own choice
# is measured once more as the reference for the switch.
echo "bench: OpenBLAS kernels" >&2
unset OPENBLAS_CORETYPE
"$bench_train" blas-kernel > "$tmp/blas.tsv"
read -r _ own_kernel lab_kernel < "$tmp/blas.tsv"
if [ "$own_kernel" != - ] && [ "$own_kernel" != "$lab_kernel" ]; then
  for ((r = 0; r < reps; r++)); do
    OPENBLAS_CORETYPE=$own_kernel "$bench_train" matmul | sed 's/^/own\t/' >> "$tmp/kernels.tsv"
    "$bench_train" matmul | sed 's/^/lab\t/' >> "$tmp/kernels.tsv"
    OPENBLAS_CORETYPE=$own_kernel "$bench_train" throughput mlp 100 | sed 's/^/own\t/' >> "$tmp/kernels.tsv"
    "$bench_train" throughput mlp 100 | sed 's/^/lab\t/' >> "$tmp/kernels.tsv"
  done
fi
[ "$lab_kernel" != - ] && export OPENBLAS_CORETYPE=$lab_kernel

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
# Threads as the trainer plans them (train::planThreads); Python's MLPs give the cores to OpenBLAS.
echo "bench: training throughput" >&2
for spec in mlp:100 mlp3:60 alexnet:4 inception:2; do
  arch=${spec%%:*}; steps=${spec##*:}
  blas=$cores; case $arch in mlp*) ;; *) blas=1 ;; esac
  for ((r = 0; r < reps; r++)); do
    OPENBLAS_NUM_THREADS=$blas "$bench_train" throughput "$arch" "$steps" | sed 's/^/cpp\t/' >> "$tmp/train.tsv"
    OPENBLAS_NUM_THREADS=$blas "$python" "$root/bench/train_throughput.py" "$arch" "$steps" | sed 's/^/python\t/' >> "$tmp/train.tsv"
  done
done
# The convolution peak, alternating with the convolutional networks trained as one run on every
# core and as a session of several settings trains them (a run on each core), so that all three
# see the same machine state.
for ((r = 0; r < reps; r++)); do
  "$bench_train" conv-peak >> "$tmp/conv-peak.tsv"
  for spec in alexnet:8 inception:3; do
    "$bench_train" throughput "${spec%%:*}" "${spec##*:}" | sed 's/^/conv\t/' >> "$tmp/train.tsv"
    "$bench_train" throughput-at-once "${spec%%:*}" "${spec##*:}" | sed 's/^/conv\t/' >> "$tmp/train.tsv"
  done
done
for ((r = 0; r < reps; r++)); do "$bench_train" layers >> "$tmp/layers.tsv"; done
for ((r = 0; r < reps; r++)); do "$bench_train" matmul >> "$tmp/matmul.tsv"; done
for arch in alexnet inception; do "$python" "$root/bench/network_flops.py" "$arch" >> "$tmp/flops.tsv"; done

# Runs at once (docs/architecture.md, "Runs at once"): the Figure 1a preset's and the
# label-corruption sweep's sessions against their GEMM-bound limit at the peak measured in the
# same process, the lab's plan (a run per core) alternating with one run at a time on every core.
if [ "${GENLAB_BENCH_LIMIT:-1}" != 0 ]; then
  echo "bench: runs at once against the GEMM-bound limit" >&2
  for ((r = 0; r < ${GENLAB_LIMIT_REPS:-3}; r++)); do
    for preset in figure1a-fashion-mnist label-corruption-sweep; do
      for runs in 0 1; do
        "$bench_train" limit "$preset" "$runs" | sed "s/^/$preset\t$runs\t/" >> "$tmp/limit.tsv"
      done
    done
  done
  # The sweep at two more seeds under both plans: do the plans fit in the same epochs on average?
  for seed in 1 2; do
    for runs in 0 1; do
      "$bench_train" limit label-corruption-sweep "$runs" "$seed" | sed "s/^/$seed\t$runs\t/" >> "$tmp/seeds.tsv"
    done
  done
fi

# The Figure 1a preset as a user runs it (genlab, headless, writing its results): wall time
# and peak resident memory; then Figure 1a's five settings on all of Fashion-MNIST for one
# epoch (peak memory), and genlab --version (the libraries alone: start-up and memory floor).
measure="$python $root/bench/measure_process.py"
if [ "${GENLAB_BENCH_PRESET:-1}" != 0 ]; then
  echo "bench: Figure 1a preset and full Fashion-MNIST" >&2
  genlab=$build/app/genlab
  $measure peak figure1a -- "$genlab" --headless --preset figure1a-fashion-mnist --out "$tmp/figure1a" > "$tmp/peak.tsv"
  $measure peak full-fashion-mnist -- "$genlab" --headless --preset figure1a-fashion-mnist \
    --train-size 0 --test-size 0 --epochs 1 --out "$tmp/full-fashion-mnist" >> "$tmp/peak.tsv"
  $measure peak libraries -- "$build/app/genlab-train" --version >> "$tmp/peak.tsv"
fi

# Start-up to a visible window, on an X server (Xvfb): genlab against a bare Qt Widgets window,
# alternating, each a first start (empty settings folder).
if command -v xvfb-run > /dev/null; then
  echo "bench: start-up" >&2
  cmake --build "$build" --target genlab_bench_bare_window >/dev/null
  xvfb-run -a -s "-screen 0 1920x1080x24" $measure startup "$reps" genlab="$build/app/genlab" \
    bare-qt="$build/bench/genlab_bench_bare_window" 2>/dev/null > "$tmp/startup.tsv"
fi

# The window while it trains (offscreen Qt platform: the same drawing, no display needed).
echo "bench: window" >&2
cmake --build "$build" --target genlab_bench_window >/dev/null
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
"$build/bench/genlab_bench_window" overhead $((2 * reps - 1)) 2>/dev/null > "$tmp/window.tsv"
"$build/bench/genlab_bench_window" latency 2>/dev/null >> "$tmp/window.tsv"
"$build/bench/genlab_bench_window" first-point "$reps" 2>/dev/null >> "$tmp/window.tsv"

# The live loss plot alone: replot of 6 curves x 100,000 steps, appending a chunk.
echo "bench: replot" >&2
cmake --build "$build" --target genlab_bench_replot >/dev/null
"$build/bench/genlab_bench_replot" 30 2>/dev/null > "$tmp/replot.tsv"

# Results folders at scale (issue 12): 200 sessions of 100,000 steps (20 million rows) opened in
# the window and read whole by the run library, against `wc -l` of the same files; then 20
# sessions that grow while the window follows them.
echo "bench: run folders" >&2
cmake --build "$build" --target genlab_bench_runs >/dev/null
runs=$tmp/run-folders
rm -rf "$runs" && mkdir -p "$runs"
"$build/bench/genlab_bench_runs" generate "$runs/200" 200 100000 2>/dev/null
for ((r = 0; r < reps; r++)); do
  "$python" - "$runs/200" >> "$tmp/runs.tsv" <<'PY'
import glob, subprocess, sys, time
files = sorted(glob.glob(sys.argv[1] + "/*/metrics.csv"))
start = time.perf_counter()
subprocess.run(["wc", "-l", *files], stdout=subprocess.DEVNULL, check=True)
print(f"wc_l\t{time.perf_counter() - start:.4f}")
PY
  "$build/bench/genlab_bench_runs" open "$runs/200" window 2>/dev/null >> "$tmp/runs.tsv"
  "$build/bench/genlab_bench_runs" open "$runs/200" library 2>/dev/null >> "$tmp/runs.tsv"
done
for ((r = 0; r < 3; r++)); do
  mkdir -p "$runs/follow-$r"
  "$build/bench/genlab_bench_runs" follow "$runs/follow-$r" 20 10 2>/dev/null >> "$tmp/runs.tsv"
done
rm -rf "$runs"

# Sweeps (issue 14): the runner against the same tasks run by hand, and --jobs 2 against 1.
echo "bench: sweeps" >&2
"$python" "$root/bench/sweep_overhead.py" "$build/app/genlab" "$root/bench/sweep-bench.json" \
  "$tmp/sweeps" "$(( reps < 3 ? reps : 3 ))" > "$tmp/sweeps.tsv"
rm -rf "$tmp/sweeps"

# Measures (issue 17): runs with each measure against the same run without.
echo "bench: measures" >&2
"$python" "$root/bench/measure_cost.py" "$build/app/genlab" "$tmp/measures" "$reps" > "$tmp/measures.tsv"

# The kernel interpolant's solve (issue 17, the paper's Section 5) against LAPACK's
# factorization alone, n = 5,000 and 10,000 (built only where CMake found the LAPACK library).
if cmake --build "$build" --target genlab_bench_closed_form >/dev/null 2>&1; then
  echo "bench: closed form" >&2
  "$build/bench/genlab_bench_closed_form" 0 3 5000 10000 > "$tmp/closed-form.tsv"
fi

"$python" "$root/bench/render_benchmarks.py" "$tmp" "$reps" > "$out"
echo "bench: wrote $out" >&2
cat "$out"
