#!/usr/bin/python3
"""Writes docs/BENCHMARKS.md from the measurements bench/run-benchmarks.sh collected."""
import datetime
import os
import statistics
import subprocess
import sys

folder, reps = sys.argv[1], sys.argv[2]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rows(name):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return []
    return [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]


cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
cores = os.cpu_count()
print("# Benchmarks\n")
print("Written by `make bench` (bench/run-benchmarks.sh); do not edit by hand. Each figure is the")
print(f"median of {reps} repetitions (min and max beside it where useful), measured in one run next")
print("to its reference. Reproduce all of it with `make bench`.\n")
print(f"Machine: {cpu}, {cores} cores, no GPU; {datetime.date.today().isoformat()}.\n")

# Data layer.
ref = {r[0]: r[1:] for r in rows("reference.tsv")}
gz = float(ref["gzip_decompress"][0])
print("## Data layer (Fashion-MNIST, 60,000 + 10,000 images, from the gzip IDX files)\n")
print(f"Reference: `gzip -dc` of the same four files into /dev/null (decompression alone), median {gz:.3f} s.\n")
print("| what | median s | min s | max s | ratio to gzip -dc |")
print("|---|---|---|---|---|")
names = {"load_fashion_mnist": "read + decode to float32 tensors (`loadFashionMnist`)",
         "prepare_default": "default preparation: load + per-channel standardization (`loadDataset`)",
         "corrupt_random-labels": "corrupt: random labels (60,000 labels)",
         "corrupt_shuffled-pixels": "corrupt: shuffled pixels (70,000 images)",
         "corrupt_random-pixels": "corrupt: random pixels (70,000 permutations)",
         "corrupt_gaussian": "corrupt: Gaussian (70,000 noise images)"}
for name, median, lo, hi, _ in rows("data.tsv"):
    print(f"| {names.get(name, name)} | {float(median):.3f} | {float(lo):.3f} | {float(hi):.3f} | {float(median) / gz:.2f} |")
print("\nTarget (issue 2): loading full Fashion-MNIST under 1 s. "
      "Command: `build/release/bench/genlab_bench_data 7`.\n")

# Training throughput.
train = rows("train.tsv")
if train:
    print("## Training throughput, batch 128, 1x28x28 images, CPU\n")
    print("C++: `genlab_bench_train throughput ARCH STEPS` (the lab's Trainer). Python: "
          "`bench/train_throughput.py ARCH STEPS`, the same networks (parameter counts checked equal) "
          "and protocol in Debian's python3-torch 1.13, the same PyTorch as libtorch-dev. The two "
          "alternate, repetition by repetition. Threads as the trainer plans them (MLPs: one "
          "LibTorch thread, every core for OpenBLAS; conv nets: the reverse).\n")
    print("| network | C++ images/s | Python images/s | C++ / Python | target |")
    print("|---|---|---|---|---|")
    targets = {"mlp": 1.25, "mlp3": 1.25, "alexnet": 1.0, "inception": 1.0}
    labels = {"mlp": "MLP 1x512", "mlp3": "MLP 3x512", "alexnet": "small AlexNet", "inception": "small Inception"}
    medians = {}
    for arch in ["mlp", "mlp3", "alexnet", "inception"]:
        value = {side: [float(r[2]) for r in train if r[0] == side and r[1] == f"throughput_{arch}"]
                 for side in ("cpp", "python")}
        params = {side: {r[2] for r in train if r[0] == side and r[1] == f"parameters_{arch}"} for side in ("cpp", "python")}
        assert params["cpp"] == params["python"], f"{arch}: parameter counts differ {params}"
        if not value["cpp"] or not value["python"]:
            continue
        cpp, py = statistics.median(value["cpp"]), statistics.median(value["python"])
        medians[arch] = cpp
        print(f"| {labels[arch]} | {cpp:,.0f} ({min(value['cpp']):,.0f}-{max(value['cpp']):,.0f}) | "
              f"{py:,.0f} ({min(value['python']):,.0f}-{max(value['python']):,.0f}) | {cpp / py:.2f} | {targets[arch]:.2f} |")
    matmul = [float(r[1]) for r in rows("matmul.tsv")]
    if matmul and "mlp" in medians:
        peak = statistics.median(matmul)
        # Per image: forward and weight-gradient GEMMs of both layers, input gradient of layer 2.
        flops_per_image = 2 * (784 * 512 + 512 * 10) * 2 + 2 * 512 * 10
        achieved = medians["mlp"] * flops_per_image / 1e9
        print(f"\nMLP 1x512 training: {flops_per_image:,} FLOP per image (GEMMs only) x "
              f"{medians['mlp']:,.0f} images/s = {achieved:.1f} GFLOP/s, against a single-precision "
              f"matrix-multiply peak of {peak:.1f} GFLOP/s (`genlab_bench_train matmul`: 2048^3 `torch::mm`, "
              f"best of 5, median over {len(matmul)} runs): **{100 * achieved / peak:.0f}% of peak** "
              "(target 80%).\n")

preset = rows("preset.tsv")
if preset:
    total = [r for r in preset if r[0].startswith("preset_")][0]
    print("## Figure 1a preset on Fashion-MNIST (CPU)\n")
    print("`genlab_bench_train preset figure1a-fashion-mnist`: MLP 1x512, 5,000 training and 1,000 test "
          "images, five settings interleaved, each until 100% training accuracy. One run (its epochs "
          "to fit are deterministic; its wall time is not).\n")
    print("| setting | status | epoch fitted | run wall s | train acc | test acc |")
    print("|---|---|---|---|---|---|")
    for r in preset:
        if r[0] == "run":
            fields = dict(f.split("=") for f in r[3:])
            print(f"| {r[1]} | {r[2]} | {fields['fit_epoch']} | {float(fields['wall']):.1f} | "
                  f"{float(fields['train_acc']):.4f} | {float(fields['test_acc']):.4f} |")
    print(f"\nWhole preset: **{float(total[1]):.1f} s** (target 60 s).\n")

print("""## Reading the CPU figures

- C++ and Python call the same LibTorch 1.13 kernels; what the C++ trainer saves is the
  interpreter's share of a step, a few hundred microseconds against several milliseconds of
  GEMMs for an MLP step and far more for a convolutional one. The ratios therefore sit near
  1, within the spread of this shared machine; 1.25x for the MLP is reached in some runs and
  not in others.
- The thread plan matters far more than the language: with LibTorch's default of every core
  for its own loops *and* for OpenBLAS, MLP 1x512 trained at about 4,000-7,000 images/s in
  both languages; splitting the cores (see docs/architecture.md) gave the figures above.
- The MLP's GEMMs are small (128 x 784 x 512): OpenBLAS on two threads reaches about half the
  2048^3 peak on them, which bounds the FLOP/s fraction.
- The Figure 1a preset trains 320 epochs of 5,000 images in all (random labels alone need
  123), about 1.6 million training images plus evaluation; at the MLP throughput above that
  is 80-110 s on this machine. The 60 s target assumed the 25,000-50,000 images/s that
  ../shared/paper.md reports for a Python run; on this machine Python measures about 15,000.
""")

# The window while it trains (bench/bench_window.cpp).
window = rows("window.tsv")
if window:
    def values(name):
        return [float(r[1]) for r in window if r[0] == name]
    head, win, gui = values("headless_images_per_second"), values("window_images_per_second"), values("gui_thread_core_share")
    clicks, first = values("click_latency"), values("start_to_first_point")
    print("## Window while it trains\n")
    print("The Figure 1a session of the preset (Fashion-MNIST, 5,000 training images, MLP 1x512, "
          "the five settings) for 4 epochs each, no stopping when fitted, so that both sides do "
          "the same work; headless is the session with its results files (as `genlab --headless "
          "--out`), the window shown on Qt's offscreen platform (the same drawing as on a "
          "display) with live plots, writing the same files. Reproduce: `QT_QPA_PLATFORM=offscreen "
          "build/release/bench/genlab_bench_window overhead 7` (then `latency`, `first-point 7`).\n")
    print("| figure | median | min - max | reference | ratio | target |")
    print("|---|---|---|---|---|---|")
    if head and win:
        ratios = [w / h for w, h in zip(win, head)]
        print(f"| training images/s in the window (session wall time) | {statistics.median(win):,.0f} | "
              f"{min(win):,.0f} - {max(win):,.0f} | headless, same session, alternating: {statistics.median(head):,.0f} | "
              f"{statistics.median(ratios):.2f} (per pair: {', '.join(f'{r:.2f}' for r in ratios)}) | >= 0.95 |")
    if gui:
        print(f"| GUI thread's share of one core while training | {statistics.median(gui):.1%} | {min(gui):.1%} - {max(gui):.1%} | | | |")
    if clicks:
        clicks.sort()
        p95 = clicks[min(len(clicks) - 1, int(0.95 * len(clicks)))]
        print(f"| click latency while training (posted press+release to handler), {len(clicks)} clicks | "
              f"{statistics.median(clicks):.2f} ms | {clicks[0]:.2f} - {clicks[-1]:.2f} ms (95th pct {p95:.2f}) | 50 ms target | "
              f"{statistics.median(clicks) / 50:.3f} | < 50 ms |")
    if first:
        print(f"| Start to first loss point (Fashion-MNIST) | {statistics.median(first):.2f} s | {min(first):.2f} - {max(first):.2f} s | 2 s target | "
              f"{statistics.median(first) / 2:.2f} | < 2 s |")
    if head and win and statistics.median(ratios) < 0.95:
        print(f"""
**Target missed: the window trains at {statistics.median(ratios):.2f} of the headless speed (median
of the pairs; target 0.95).** The GUI thread uses about {statistics.median(gui):.0%} of one core while
plotting live. A profile of the window alone (`perf record --call-graph dwarf
genlab_bench_window window-only`) puts about 90% of it in `QCustomPlot::replot` of the loss
panel: layer drawing, the band fill, copying the paint buffer to the widget, about 5 ms a
replot. Deliveries come about 10 times a second (one per ~0.1 s chunk), so halving the cap
from 30 to 15 a second moved the share only from 6.5% to 5.4%. On this 2-core machine both
cores already belong to the MLP's OpenBLAS threads, which spin and wait for each other, so
each slice the GUI takes also stalls the other thread. Next to try: while the view follows
the data, replot only the graph layer when the axes did not change, and skip a replot when
no curve moved by a pixel.""")