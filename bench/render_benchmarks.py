#!/usr/bin/python3
"""Writes docs/BENCHMARKS.md from the measurements bench/run-benchmarks.sh collected."""
import datetime
import glob
import json
import os
import re
import statistics
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD_TIME_BEGIN, BUILD_TIME_END = "<!-- build-time -->", "<!-- /build-time -->"


def build_time_section():
    """The build-time table from docs/build-time.tsv (bench/build-time.sh), between markers so
    that `make bench-build` can replace it alone."""
    path = os.path.join(root, "docs", "build-time.tsv")
    if not os.path.exists(path):
        return ""
    lines = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
    head, figures = lines[0], {r[0]: r[1:] for r in lines[1:]}
    ref = float(figures["reference"][0])
    out = [BUILD_TIME_BEGIN, "## Build time (fresh clone, 2 cores)\n",
           f"`bench/build-time.sh` (`make bench-build`) on commit {head[1]}, {head[2]}, {head[3]}: "
           "configure and build everything `make test` builds (the release and fuzz presets), in "
           "fresh clones, with a ccache folder of its own. Reference: the same fresh build of "
           f"commit {figures['reference'][1]} (before issue 19, which had no fuzz preset), in the "
           "same run, without ccache. "
           "One run each (a build takes minutes); the one-file rebuilds are medians of 3.\n",
           "| build | seconds | ratio to reference | ccache hits | target |", "|---|---|---|---|---|"]
    fuzz_list = open(os.path.join(root, "tests", "fuzz", "fuzz_tests.cmake")).read()
    fuzz_targets = len(re.search(r"set\(GENLAB_FUZZ_TARGETS ([^)]*)\)", fuzz_list).group(1).split())
    rows = [("reference", "reference: fresh build of the earlier layout", "-"),
            ("no-cache", "fresh build, ccache off", "-"),
            ("cold", "fresh build, empty cache (what CI pays)", "480 s"),
            ("warm", "`make clean`, then build from the cache", "120 s"),
            ("clone", "a second fresh clone in another folder, same cache", "120 s"),
            ("one-file core/train/trainer.cpp", "one changed line in core/train/trainer.cpp to a rebuilt genlab", "60 s"),
            ("one-file core/train/schedule.cpp", "one changed line in core/train/schedule.cpp to a rebuilt genlab", "60 s"),
            ("tests", "the test suite but the fuzz smokes (`ctest --preset release -LE fuzz`)", "90 s"),
            ("fuzz", "the fuzz targets' crash inputs and 30-second smokes (`ctest --preset release -L fuzz`)",
             f"{fuzz_targets} x 30 s (issue 15)")]
    for key, label, target in rows:
        if key not in figures:
            continue
        seconds, extra = float(figures[key][0]), figures[key][1] if len(figures[key]) > 1 else "-"
        hits = extra if "/" in extra else "-"
        ratio = f"{seconds / ref:.2f}" if key not in ("reference", "tests", "fuzz") and not key.startswith("one-file") else "-"
        out.append(f"| {label} | {seconds:.0f} | {ratio} | {hits} | {target} |")
    out.append("\nWhat made the difference (measured while changing it): GCC spends about 6 s on "
               "the precompiled `<torch/torch.h>` in every unit that includes it, instantiating what "
               "it declares, so a unit that needs no LibTorch now compiles without it (the spec, "
               "results, window and command-line code reach LibTorch through Torch-free headers), "
               "the LibTorch units of a folder compile as one unity batch, and ccache (with the "
               "sloppiness the precompiled header needs, base_dir at the source folder, depend "
               "mode) serves a rebuild after `make clean` or in a fresh clone. Since then: lld links "
               "(GNU ld took about six times longer over each executable's LibTorch and Qt "
               "libraries), the Torch tests hide LibTorch's headers from moc (`Q_MOC_RUN`; moc "
               "otherwise parses all of them, seconds per test), and every test runs with one "
               "LibTorch thread (`OMP_NUM_THREADS=1`, tests/CMakeLists.txt): CTest runs two tests at "
               "a time on two cores, and two OpenMP teams spinning against each other made "
               "small-batch training several times slower.")
    out.append("\nThe second round: `genlab` links no LibTorch and hands the commands that train to "
               "`genlab-train` (app/training.h), and tests that do not train link only the Torch-free "
               "core, so about 60 of the suite's process starts no longer load LibTorch (`genlab "
               "--version`: 0.04 s against 0.89 s for `genlab-train --version`); every library "
               "compiles in unity batches of at most 8 sources (nlohmann-json, Qt and QCustomPlot "
               "parsed once per batch); test_session, test_resume and test_trainer drive the engine "
               "through its Torch-free headers and skip the precompiled header, whose loading alone "
               "costs 6.6 s per unit (an empty unit with it; test_session's unit: 21 s with it, 12 s "
               "without); tests compile at -O1 (about a fifth less time than -O3 for test units); "
               "CTest starts the longest tests first (COST), so that the Slurm test need not run "
               "alone at the end. Together: the release preset's fresh build without ccache took "
               "365 s against 499 s just before (one build each, `ninja` logs for the parts).")
    out.append(f"\nThe fuzz smokes are {fuzz_targets} runs of 30 s by definition (issue 15 asks for a "
               "30-second smoke of every fuzz target in `make test`): at least "
               f"{fuzz_targets * 30 // 2} s on two cores, so the suite's 90 s target (issue 19, "
               "written before the fuzz targets existed) is read as the suite without them.")
    out.append(BUILD_TIME_END + "\n")
    return "\n".join(out)


if len(sys.argv) > 1 and sys.argv[1] == "--build-time-only":
    # Replace the build-time section of the existing docs/BENCHMARKS.md.
    path = os.path.join(root, "docs", "BENCHMARKS.md")
    text = open(path).read()
    section = build_time_section()
    if BUILD_TIME_BEGIN in text:
        start, end = text.index(BUILD_TIME_BEGIN), text.index(BUILD_TIME_END) + len(BUILD_TIME_END) + 1
        text = text[:start] + section + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(path, "w").write(text)
    sys.exit(0)

folder, reps = sys.argv[1], sys.argv[2]


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
blas = rows("blas.tsv")
own_kernel, lab_kernel = (blas[0][1], blas[0][2]) if blas else ("-", "-")
print(f"Machine: {cpu}, {cores} cores, no GPU; {datetime.date.today().isoformat()}. OpenBLAS kernels: "
      f"{lab_kernel} (OpenBLAS's own choice at load: {own_kernel}); C++ and Python run on the same kernels.\n")

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

# OpenBLAS's kernels: its own choice against the lab's.
kernels = rows("kernels.tsv")
if kernels:
    def side(who, name):
        return [float(r[2]) for r in kernels if r[0] == who and r[1] == name]
    print(f"## OpenBLAS kernels: {own_kernel} (OpenBLAS's choice) against {lab_kernel} (the lab's)\n")
    print("Debian 12's OpenBLAS 0.3.21 does not know this CPU's model number and falls back to its "
          "Prescott (SSE3) kernels; the lab then switches it to the kernels of the CPU's instruction "
          "sets (`train::useBlasKernel`, core/train/blas_kernel.h). Same process and protocol, the "
          "two alternating; the reference is OpenBLAS's own choice "
          f"(`OPENBLAS_CORETYPE={own_kernel} genlab_bench_train ...`).\n")
    print(f"| figure | {own_kernel} (reference) | {lab_kernel} | ratio |")
    print("|---|---|---|---|")
    for name, label, unit in [("matmul_peak", "2048^3 matrix multiply (`genlab_bench_train matmul`)", "GFLOP/s"),
                              ("throughput_mlp", "MLP 1x512 training, batch 128 (`genlab_bench_train throughput mlp 100`)", "images/s")]:
        o, l = side("own", name), side("lab", name)
        if o and l:
            print(f"| {label} | {statistics.median(o):,.1f} {unit} | {statistics.median(l):,.1f} {unit} | "
                  f"{statistics.median(l) / statistics.median(o):.2f} |")
    print()

# Training throughput.
train = rows("train.tsv")
if train:
    print("## Training throughput, batch 128, 1x28x28 images, CPU\n")
    print("C++: `genlab_bench_train throughput ARCH STEPS` (the lab's Trainer). Python: "
          "`bench/train_throughput.py ARCH STEPS`, the same networks (parameter counts checked equal) "
          "and protocol in Debian's python3-torch 1.13, the same PyTorch as libtorch-dev, on the same "
          "OpenBLAS kernels. The two alternate, repetition by repetition. Threads as the trainer plans them (MLPs: every "
          "core for their split products where the BLAS's kernels keep their bits, else for OpenBLAS, "
          "one LibTorch thread; conv nets: every core for LibTorch, one OpenBLAS thread). Python's "
          "MLPs run on OpenBLAS's threads.\n")
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
    matmul_rows = rows("matmul.tsv")
    def rates(name):
        return [float(r[1]) for r in matmul_rows if r[0] == name]
    matmul, forward, gradient = rates("matmul_peak"), rates("matmul_mlp_forward"), rates("matmul_mlp_weight_gradient")
    if matmul and "mlp" in medians:
        peak = statistics.median(matmul)
        # Per image: forward and weight-gradient GEMMs of both layers, input gradient of layer 2.
        flops_per_image = 2 * (784 * 512 + 512 * 10) * 2 + 2 * 512 * 10
        achieved = medians["mlp"] * flops_per_image / 1e9
        print(f"\nMLP 1x512 training: {flops_per_image:,} FLOP per image (GEMMs only) x "
              f"{medians['mlp']:,.0f} images/s = {achieved:.1f} GFLOP/s, against a single-precision "
              f"matrix-multiply peak of {peak:.1f} GFLOP/s (`genlab_bench_train matmul`: 2048^3 `torch::mm`, "
              f"best of 5, median over {len(matmul)} runs): **{100 * achieved / peak:.0f}% of peak** "
              f"(target 80%: {'met' if achieved >= 0.8 * peak else 'missed'}).")
        forward_t = [r for r in matmul_rows if r[0] == "matmul_thread_forward"]
        gradient_t = [r for r in matmul_rows if r[0] == "matmul_thread_weight_gradient"]
        if forward and gradient:
            f, g = statistics.median(forward), statistics.median(gradient)
            transposed = rates("matmul_mlp_forward_transposed")
            step_forward_rates = rates("matmul_mlp_step_forward")
            step_gradient_rates = rates("matmul_mlp_step_weight_gradient")
            shape_bound = None  # seconds per image in the first layer's two products, by the step's routes
            transposed_text = (f", {statistics.median(transposed):.1f} GFLOP/s for the same product transposed "
                               f"(512 x 784 by 784 x 128, {100 * statistics.median(transposed) / peak:.0f}% of the "
                               "2048^3 rate), as the MLP's own step forms it," if transposed else "")
            print(f"On the MLP's own GEMM shapes OpenBLAS, on its own threads, reaches {f:.1f} GFLOP/s (forward, "
                  f"128 x 784 by 784 x 512){transposed_text} and {g:.1f} GFLOP/s (weight gradient, 784 x 128 by "
                  f"128 x 512), {100 * f / peak:.0f}% and {100 * g / peak:.0f}% of the 2048^3 rate (same command).",
                  end="")
            if step_forward_rates and step_gradient_rates:
                step_forward = statistics.median(step_forward_rates)
                step_gradient = statistics.median(step_gradient_rates)
                # The first layer holds 784 x 512 of the 407,050 weights: its two products bound
                # the step's rate.
                shape_bound = 2 * 784 * 512 / (step_forward * 1e9) + 2 * 784 * 512 / (step_gradient * 1e9)
                print(f" By the routes the step takes on every core (the products in blocks, one per core, "
                      f"each on one BLAS thread, and the weight gradient by the lab's loop where it runs: "
                      f"`models::splitProduct` and `models::weightGradient` under the MLP's thread plan), the "
                      f"forward runs at {step_forward:.1f} and the weight gradient at {step_gradient:.1f} GFLOP/s. "
                      f"At those rates the first layer's two products alone allow at most "
                      f"{1 / shape_bound:,.0f} images/s; the training step's median reaches "
                      f"{100 * medians['mlp'] * shape_bound:.0f}% of that bound.", end="")
            print("\n")
        if forward_t and gradient_t:
            def spread(rows_, column):
                values = [float(r[column]) for r in rows_]
                return f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"
            def sharing(rows_):
                return statistics.median(float(r[1]) / float(r[3]) for r in rows_)
            shared = max(sharing(forward_t), sharing(gradient_t))
            verdict = ("A thread alone runs well above its rate beside the others: the cores share their "
                       "arithmetic units (hyper-threads of one physical core)." if shared >= 1.2 else
                       f"A thread runs about as fast beside the others as alone (median of the ratios "
                       f"{shared:.2f} at most): the cores do not share their arithmetic units, as "
                       "hyper-threads of one physical core would.")
            print(f"The first layer's two products at batch 128 on one thread, GFLOP/s per thread, alone and "
                  f"then on all {gradient_t[0][5].split()[0]} cores at once, each thread its own products (same "
                  f"command, medians with min-max): OpenBLAS's forward {spread(forward_t, 1)} alone, "
                  f"{spread(forward_t, 3)} each at once; the weight gradient by the step's route "
                  f"({gradient_t[0][6]}) {spread(gradient_t, 1)} alone, {spread(gradient_t, 3)} each at once. "
                  f"{verdict}\n")
        if forward and gradient:
            if shape_bound is not None:
                shapes_at_peak = min(step_forward, step_gradient) >= 0.85 * peak
                step_at_shapes = medians["mlp"] * shape_bound >= 0.75
                if shapes_at_peak:
                    print("So the GEMMs' shapes are not what keeps the step from the peak: the rest of the "
                          "step is.", end=" ")
                else:
                    print("On these kernels the MLP's own shapes run well below the 2048^3 rate, "
                          f"and {'the step reaches most of what they allow: the shapes, more than the rest of the step, keep it from the peak' if step_at_shapes else 'the rest of the step holds it back further'}. "
                          "(On an earlier host's Haswell kernels, 2026-11-28, the same shapes ran at the "
                          "2048^3 rate and the rest of the step was what held it back.)", end=" ")
            print("A profile of `genlab_bench_train throughput mlp 3000` (`perf record`, 2026-11-28, "
                  "Haswell kernels) put a third of the samples in OpenBLAS (GEMM kernels and packing), a "
                  "fifth in LibTorch's own loops on its one thread (SGD with momentum and zeroing the "
                  "gradients pass over all 407,050 weights three times a step, the loss, ReLU, "
                  "bias), and a third in the kernel, mostly OpenBLAS's idle thread yielding while "
                  "it waits for the next GEMM. The 80% target assumed a step of GEMMs only. Since "
                  "then the step makes one pass over the weights instead of four (FusedSgd, "
                  "gradients released rather than zeroed), and a session of several runs trains a "
                  "run on each core, with no BLAS threads waiting for each other (\"Runs at once\" "
                  "below); this table still times one run on every core. An MLP without batch norm "
                  "or dropout now takes its CPU step without autograd (`MlpImpl::trainingStep`, "
                  "2026-12-02), and SGD's update runs on the CPU's widest vectors: in a profile of "
                  "the Figure 1a preset's session, runs at once "
                  "(`perf record genlab_bench_train limit figure1a-fashion-mnist 0`, Cooperlake "
                  "kernels), OpenBLAS's share of the samples went from 70% to 78% and LibTorch's "
                  "own from 11.7% to 6.3%, the products being the same: a step about a tenth "
                  "shorter. What is left besides the products: SGD's update 3.9%, gathering the "
                  "batch 2.3%. In the next profile of that session (2026-12-02, `perf record -e "
                  "cpu-clock`), OpenBLAS's packing of both operands took 11% of the samples and its "
                  "zeroing of the weight gradient before the product 2.3%; since then that weight "
                  "gradient, and CpuLinear's, is the lab's own loop "
                  "(core/models/dense_weight_gradient.h), which reads the gradient and the images "
                  "as they lie and stores each sum once. Against the commit before it and the two "
                  "before that (huge pages for large tensors, subsets taken before the images "
                  "become floats), 4 alternating pairs each on a loaded host: this table's MLP 1x512 "
                  "118,500 against 75,700 images/s (medians), the Figure 1a preset's session 1.67 "
                  "against 1.74 of its limit (`genlab_bench_train limit figure1a-fashion-mnist 0`). Tried and "
                  "reverted (2026-12-03, commit 86f3014): a lone run's lent cores as helper threads "
                  "of its own that spin for 0.5 ms between products, instead of an OpenMP team that "
                  "sleeps between them. In 24 alternating pairs of `genlab_bench_train throughput mlp` "
                  "against the commit before, on a loaded host, the paired medians of three batches "
                  "(8, 4 and 12 pairs) were 1.09, 0.87 and 1.00, the helpers faster in 13 of the 24: "
                  "no measurable gain. What fusing the first layer's SGD update into its weight "
                  "gradient could gain at most (2026-12-04): with that update left out altogether (a "
                  "build that trains wrongly, for the bound alone), 16 alternating pairs of "
                  "`genlab_bench_train throughput-at-once mlp 1000` against the same commit (5bb897c) gave a "
                  "paired median of 1.04 (0.79 to 1.12); a fused update would keep part of that "
                  "pass, so it was not pursued.\n")
        else:
            print()

# Runs at once (genlab_bench_train limit): sessions against their GEMM-bound limit.
limit = rows("limit.tsv")
if limit:
    print("## Runs at once: sessions against their GEMM-bound limit\n")
    print("A preset's session in one process (`genlab_bench_train limit PRESET RUNS`, data loading "
          "included, no results files), its wall time against the time its GEMMs would take at the "
          "matrix-multiply peak measured in the same process on every core, before and after the "
          "session, the better of the two (each the best of `torch::mm` on 2048^3 and on the MLP's "
          "own two shapes): the GEMM-bound limit. GEMM work: the epochs "
          "each run actually trained, forward and backward products per training image, forward "
          "products per image that an evaluation went through (the test set every epoch; the training "
          "set when the fit is checked: the images misclassified as trained first, then, unless "
          "they rule the fit out, the whole set, ending at the first batch of 500 with more "
          "misclassified images than the fit threshold allows, core/train/trainer.cpp). The issue's "
          "\"2.6 TFLOP of GEMMs\" for this preset counts the training products alone: the last "
          "ratio is against that limit, the stricter reading of its target. RUNS 0 is the lab's plan, a run on each core (one BLAS thread each; once fewer "
          "runs are left than cores, each is lent the free cores for its matrix products where "
          "they keep their bits, core/models/cpu_linear.h, and for its SGD update); RUNS 1 is one run at a time on every "
          "core; the two alternate, "
          f"{len([r for r in limit if r[2].startswith('limit_') and r[1] == '0']) // 2} repetitions "
          "each. Reproduce: `build/release/bench/genlab_bench_train limit figure1a-fashion-mnist 0`.\n")
    print("| session | runs at once | median wall s | GEMM TFLOP | peak GFLOP/s | limit s | wall / limit | "
          "against one at a time (paired) | of which training TFLOP | wall / training-only limit | target | "
          "of the wall: set-up s | the last run alone s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    names = {"figure1a-fashion-mnist": "Figure 1a preset", "label-corruption-sweep": "label-corruption sweep"}
    for preset in names:
        walls = {}
        for mode in ("0", "1"):
            lines = [r for r in limit if r[0] == preset and r[1] == mode and r[2].startswith("limit_")]
            walls[mode] = [float(r[4]) for r in lines]
            if not lines:
                continue
            wall = statistics.median(walls[mode])
            ratio = statistics.median(float(r[12]) for r in lines)
            flops = statistics.median(float(r[6]) for r in lines)
            peak_rate = statistics.median(float(r[8]) for r in lines)
            bound = statistics.median(float(r[10]) for r in lines)
            training = statistics.median(float(r[13]) for r in lines)
            training_ratio = statistics.median(float(r[17]) for r in lines)
            phases = [r for r in lines if len(r) > 20]
            setup = f"{statistics.median(float(r[18]) for r in phases):.2f}" if phases else ""
            alone = f"{statistics.median(float(r[20]) for r in phases):.1f}" if phases else ""
            paired = ""
            if mode == "0" and walls.get("0") and len([r for r in limit if r[0] == preset and r[1] == "1"]) > 0:
                ones = [float(r[4]) for r in limit if r[0] == preset and r[1] == "1" and r[2].startswith("limit_")]
                paired = f"{statistics.median(a / b for a, b in zip(walls['0'], ones)):.2f}"
            label = "one per core" if mode == "0" else "one"
            target = "<= 1.5" if mode == "0" else ""
            print(f"| {names[preset]} | {label} | {wall:.1f} | {flops:.2f} | {peak_rate:.0f} | {bound:.1f} | "
                  f"**{ratio:.2f}** | {paired} | {training:.2f} | **{training_ratio:.2f}** | {target} | "
                  f"{setup} | {alone} |")
    print("\nBeyond the limit, the last two columns: the set-up (loading, subsets, standardization, "
          "corruptions, networks: the wall time until the first run starts) and the run that ends "
          "last, alone (the Figure 1a preset's random labels, from about epoch 76, when true labels "
          "fit, to 125), lent every core for its products and its update, per epoch about 1.3 times "
          "slower than two runs at once. History (2026-12-03, `genlab_bench_train limit "
          "figure1a-fashion-mnist 0`): the set-up ran on one core and took 0.75 s; a profile "
          "(`perf record -e cpu-clock`) put two thirds of it in the kernel zeroing fresh pages "
          "(`clear_page_erms`, from huge-page faults), so the set-up now inflates the test files "
          "beside the training files, corrupts up to min(cores, 4) settings at once and makes fewer "
          "new tensors: 0.41 to 0.46 s in 3 runs. Fit checks that first evaluate the images "
          "misclassified as trained took the preset's evaluation GEMMs from 0.41 to 0.31 TFLOP, the "
          "same epochs to fit. For the lone run, tried and left: OMP_WAIT_POLICY=active (6 "
          "alternating pairs, lone-run medians 3.9 against 4.1 s, paired differences both ways); "
          "not lending it the free cores (6 pairs: 5.5 against 4.0 s, so lending stays). The host's "
          "state moves these figures more than any of that: on 2026-12-03, with this code, the same "
          "command gave the Figure 1a preset 1.39 to 1.47 of its training-only limit (17.4 to 18.5 s, "
          "the lone run 3.1 to 3.4 s, 7 runs) in a quiet hour and 1.69 to 2.03 (22.0 to 27.1 s, the "
          "lone run 4.6 to 7.1 s, 13 runs) an hour later, the measured peak 205 to 212 GFLOP/s and "
          "then 195 to 204: the lone run, whose threads wait for each other at every product, "
          "suffers most. Later that day, also tried and left: the helper threads of commit 86f3014 "
          "spinning with `pause` instead of yielding (4 alternating pairs of 1,500 lone-run steps: "
          "0.80 to 0.97 of the OpenMP team's throughput), and every run's first-layer forward by "
          "the lab's loop on the images transposed instead of OpenBLAS's (8 alternating pairs of "
          "`genlab_bench_train throughput-at-once mlp 1000`: paired median 0.99). A lone run's "
          "steps timed one by one (1,500 steps): on two threads a median of 1.44 to 2.20 ms and a "
          "99th percentile of 2.1 to 5.8 ms (9 runs), on one thread 2.73 to 3.09 ms and 3.5 to "
          "5.1 ms (4 runs), single stalls of 40 ms and more in both. The host is a Firecracker "
          "guest with guest halt polling off (`haltpoll.guest_halt_poll_ns=0`); the steal time it "
          "reported meanwhile was 1 to 3%. Where a lone run's time goes (2026-12-03, late evening, "
          "`perf record -D 14500 -e cpu-clock -g genlab_bench_train throughput mlp 3000`, the delay "
          "skipping the set-up, then `perf report --sort pid,symbol`): the two first-layer products "
          "took 60% of the samples, split evenly between the run's thread and the lent core's; the "
          "lent core's thread waited in OpenMP for 12% of the samples, about a quarter of its time, "
          "while the run's own thread did the step's parts that are not split: gathering the batch "
          "2.1%, ReLU's gradient 1.3%, the classifier's small products 1.1%, LibTorch's dispatch "
          "and memory about 2%. Between a quiet hour and a busy one that evening, the same command "
          "as the table gave the Figure 1a preset 1.48 to 1.61 (5 runs) and then 1.61 to 1.88 (5 "
          "runs) of its training-only limit. Two runs at once, a thread each (`perf record -D 10500 "
          "-e cpu-clock -g genlab_bench_train throughput-at-once mlp 2000`, 2026-12-04, after the "
          "batch tally became one plain pass, `Trainer`'s `addBatch`): the two products' kernels "
          "76% of the samples, OpenBLAS's packing of the forward's operands 5.4%, SGD's update "
          "4.9%, gathering the batch 2.8%, ReLU's gradient 1.3%, the tally 0.3%.")
    print("\nThe same runs under both plans (first repetition; `run` lines of the same command): "
          "epochs to fit and final accuracies.\n")
    print("| session | setting | epoch fitted, runs at once | one at a time | test acc, runs at once | one at a time |")
    print("|---|---|---|---|---|---|")
    for preset in names:
        first = {}
        for mode in ("0", "1"):
            seen = {}
            for r in limit:
                if r[0] == preset and r[1] == mode and r[2] == "run" and r[3] not in seen:
                    fields = dict(f.split("=", 1) for f in r[5:] if "=" in f)
                    seen[r[3]] = fields
            first[mode] = seen
        for setting, fields in first.get("0", {}).items():
            other = first.get("1", {}).get(setting, {})
            print(f"| {names[preset]} | {setting} | {fields.get('fit_epoch')} | {other.get('fit_epoch', '')} | "
                  f"{fields.get('test_acc')} | {other.get('test_acc', '')} |")
    # The sweep at more seeds (seeds.tsv: seed, plan, then the limit command's lines).
    seeds = rows("seeds.tsv")
    if seeds:
        # (seed, plan, run line): seed 0 is the sweep's first repetition in limit.tsv.
        sweep_runs = [("0", r[1], r) for r in limit if r[0] == "label-corruption-sweep"]
        sweep_runs += [(r[0], r[1], r) for r in seeds]
        fits = {}  # (level, plan) -> epochs to fit, one per seed
        seen = set()
        for seed, plan, r in sweep_runs:
            if r[2] != "run" or (seed, plan, r[3]) in seen:
                continue
            seen.add((seed, plan, r[3]))
            fields = dict(f.split("=", 1) for f in r[5:] if "=" in f)
            fits.setdefault((r[3], plan), []).append(int(fields["fit_epoch"]))
        count = len(next(iter(fits.values())))
        print(f"\nThe label-corruption sweep at {count} seeds (0, and `genlab_bench_train limit "
              "label-corruption-sweep RUNS SEED` for the others): the mean epoch to fit of each level "
              "under each plan, and the spread between seeds within a plan.\n")
        print("| level | mean epoch fitted, runs at once | one at a time | difference | spread over seeds, runs at once | one at a time |")
        print("|---|---|---|---|---|---|")
        levels = sorted({level for level, _ in fits}, key=lambda l: float(l.split(":")[1]))
        for level in levels:
            a, b = fits.get((level, "0"), []), fits.get((level, "1"), [])
            if not a or not b:
                continue
            ma, mb = statistics.mean(a), statistics.mean(b)
            print(f"| {level} | {ma:.1f} | {mb:.1f} | {100 * (ma / mb - 1):+.1f}% | {max(a) - min(a)} | {max(b) - min(b)} |")
    # Do the two plans give every run the same numbers (the same fit epoch and accuracies)?
    outcomes = {}
    for r in limit + rows("seeds.tsv"):  # (preset or seed, plan, "run", setting, fields)
        if r[2] == "run":
            fields = tuple(f for f in r[5:] if not f.startswith("wall="))
            outcomes.setdefault(r[1], []).append((r[0], r[3], fields))
    same_bits = bool(outcomes.get("0")) and sorted(outcomes.get("0", [])) == sorted(outcomes.get("1", []))
    if same_bits:
        print("\nBoth plans give every run the same numbers, repetition by repetition: on these BLAS "
              "kernels an MLP's products keep their bits whatever the threads that form them "
              "(core/models/cpu_linear.h, `splitProductsKeepBits`), so a run's curve depends on its "
              "seed alone, under any plan. tests/test_concurrent_runs.cpp checks that a run trained "
              "beside others, or lent the cores of ended runs, gives the bits it gives alone.\n")
    else:
        print("\nEach plan is deterministic (the same numbers in every repetition); the two differ in "
              "the last bits (OpenBLAS splits a product differently on one thread than on two, and "
              "these kernels' products do not keep their bits in blocks: `splitProductsKeepBits`), "
              "and a run that memorizes noise amplifies them, so its epoch to fit can move by a few "
              "epochs either way. Within a plan, a run's curve depends on its seed alone: "
              "tests/test_concurrent_runs.cpp checks that a run trained beside others gives the bits "
              "it gives alone on the same threads.\n")

# Convolutional networks against the convolution peak (genlab_bench_train conv-peak).
conv_peak = rows("conv-peak.tsv")
flops = {r[0][len("flops_"):]: float(r[1]) for r in rows("flops.tsv")}
if conv_peak and train and flops:
    by_shape = {}
    for name, rate, _ in conv_peak:
        by_shape.setdefault(name, []).append(float(rate))
    shapes = {name: statistics.median(v) for name, v in by_shape.items()}
    best_shape = max(shapes, key=shapes.get)
    conv_peak_rate = shapes[best_shape]
    print("## Convolutional networks against the convolution peak (CPU)\n")
    print("The convolution peak: LibTorch's oneDNN convolution on one batch of 512 images, every core, "
          "for the shapes the networks use, channels-first (nchw) and channels-last, with the lab's "
          "cache of tensor memory (`genlab_bench_train conv-peak`; median over "
          f"{len(by_shape[best_shape])} runs of the best of 5): "
          + ", ".join(f"{name[len('conv_'):]} {rate:.1f} GFLOP/s" for name, rate in shapes.items())
          + f". The peak is the best of them, {conv_peak_rate:.1f} GFLOP/s. (The 1x1 shape's output at "
          "batch 512, 67 MiB, is above the largest block the cache keeps, 64 MiB (core/train/heap.h), "
          "so each repetition faults it in afresh: its rate is not the convolution's.) Work per "
          "training image: "
          "the convolutions' and dense layers' forward products, weight gradients and input "
          "gradients but the first layer's (`bench/network_flops.py ARCH`, counted on the Python "
          "copies of the networks). Rates at batch 128, 8 timed steps (3 for Inception): one run on "
          "every core (`genlab_bench_train throughput ARCH STEPS`), and the runs that a session of "
          "several settings trains at once on the CPU, one per core, together "
          "(`genlab_bench_train throughput-at-once ARCH STEPS`); the peak and the two rates "
          "alternate, repetition by repetition.\n")
    print("| network | FLOP per training image | runs | images/s | GFLOP/s | of the convolution peak | target |")
    print("|---|---|---|---|---|---|---|")
    for arch, label in (("alexnet", "small AlexNet"), ("inception", "small Inception")):
        if arch not in flops:
            continue
        for name, runs in ((f"throughput_{arch}", "one, every core"),
                           (f"throughput_at_once_{arch}", "at once, one per core")):
            found = [r for r in train if r[0] == "conv" and r[1] == name]
            if not found:
                continue
            if len(found[0]) > 4:
                runs = found[0][4].replace(" runs at once", " at once, one per core")
            rate = statistics.median(float(r[2]) for r in found)
            achieved = rate * flops[arch] / 1e9
            print(f"| {label} | {flops[arch]:,.0f} | {runs} | {rate:,.0f} | {achieved:.1f} | "
                  f"**{100 * achieved / conv_peak_rate:.0f}%** | 60% |")
    print()
    layer_rows = rows("layers.tsv")
    if layer_rows:
        layer_runs = sum(1 for r in layer_rows if r[0] == "layer_max_pool_relu")
        print("The lab's own layers against LibTorch's, forward and backward at batch 128 on one thread, "
              "channels-last (`genlab_bench_train layers`; median of 15 passes each, then the median over "
              f"{layer_runs} runs). AlexNet's max-pool then ReLU on the first convolution's output "
              "(128x64x28x28) and LRN on the pooled one (128x64x14x14), against LibTorch's composition of "
              "the same functions. The small Inception's batch norm then ReLU against LibTorch's "
              "BatchNorm2d then relu. Convolutions (`CpuConv2d`, core/models/cpu_conv.h) against LibTorch's "
              "Conv2d with the same weights: the input gradient by the forward convolution with the turned "
              "kernel (not for the first layers: images need none), the weight gradient of narrow patches "
              "as one matrix product, of wider ones, when the input's channels are a multiple of 16, by the "
              "lab's AVX-512 loop (core/models/conv_weight_gradient.h); a strided convolution's input "
              "gradient stays LibTorch's.\n")
        print("| layer | the lab's ms | LibTorch's ms | LibTorch's / the lab's |")
        print("|---|---|---|---|")
        for name, label in (("layer_max_pool_relu", "max-pool 3/2/1 then ReLU"),
                            ("layer_local_response_norm", "LRN, window 9"),
                            ("layer_batch_norm_relu", "Inception's batch norm then ReLU, 128x96x28x28"),
                            ("layer_first_conv_alexnet", "AlexNet's first conv, 1 to 64, 5x5, 28x28: gathered patches"),
                            ("layer_first_conv_inception", "Inception's first conv, 1 to 96, 3x3, 28x28: gathered patches"),
                            ("layer_first_conv_alexnet_rgb", "AlexNet's first conv on RGB, 3 to 64, 5x5, 32x32: gathered patches"),
                            ("layer_conv_1x1_inception", "Inception's 1x1, 96 to 32, 28x28: the input as patches"),
                            ("layer_conv_1x1_inception_13px", "Inception's 1x1, 160 to 112, 13x13: the input as patches"),
                            ("layer_conv_3x3_inception_13px", "Inception's 3x3, 160 to 96, 13x13: both gradients"),
                            ("layer_conv2_alexnet", "AlexNet's second conv, 64 to 64, 5x5, 14x14: both gradients"),
                            ("layer_down_conv_inception", "Inception's Down conv, 80 to 80, 3x3 stride 2, 28x28: the weight gradient")):
            found = [r for r in layer_rows if r[0] == name]
            if found:
                ours = statistics.median(float(r[1]) for r in found)
                theirs = statistics.median(float(r[3]) for r in found)
                ratio = statistics.median(float(r[5]) for r in found)
                print(f"| {label} | {ours:.2f} | {theirs:.2f} | **{ratio:.2f}** |")
        print()

peak = {r[1]: (float(r[2]), float(r[3])) for r in rows("peak.tsv")}
# --out is a results root: the preset's session folder is the one folder in it.
sessions = sorted(glob.glob(os.path.join(folder, "figure1a", "*", "summary.json")))
summary_path = sessions[-1] if sessions else ""
if "figure1a" in peak and os.path.exists(summary_path):
    summary = json.load(open(summary_path))
    print("## Figure 1a preset on Fashion-MNIST (CPU)\n")
    print("`genlab --headless --preset figure1a-fashion-mnist --out DIR`, as a user runs it: MLP 1x512, "
          "5,000 training and 1,000 test images, five settings interleaved, each until 100% training "
          "accuracy, the results files written as it goes. One run (its epochs to fit are "
          "deterministic; its wall time is not). Per run, from its summary.json:\n")
    print("| setting | status | epoch fitted | run wall s | train acc | test acc |")
    print("|---|---|---|---|---|---|")
    for run in summary["runs"]:
        print(f"| {run['setting']} | {run['status']} | {run['fit_epoch']} | {run['wall_seconds']:.1f} | "
              f"{run['train_accuracy']:.4f} | {run['test_accuracy']:.4f} |")
    wall = peak["figure1a"][1]
    print(f"\nWhole program, start to exit: **{wall:.1f} s** (target 60 s: {'met' if wall < 60 else 'missed'}).\n")

if peak:
    print("## Peak resident memory\n")
    print("The kernel's account of each process's peak resident set (`bench/measure_process.py peak`, "
          "one run each). Reference: `genlab-train --version`, the training program (which `genlab` "
          "hands every training command to), loading the same libraries and doing nothing else.\n")
    print("| run | peak MiB | wall s | beyond the libraries, MiB | target |")
    print("|---|---|---|---|---|")
    base = peak.get("libraries", (0.0, 0.0))[0]
    labels = {"figure1a": ("Figure 1a preset (5,000 + 1,000 images, five settings, to fit)", "< 1 GB"),
              "full-fashion-mnist": ("Figure 1a's five settings on all of Fashion-MNIST (60,000 + 10,000), one epoch", ""),
              "libraries": ("`genlab-train --version` (the libraries)", "")}
    for name in ["figure1a", "full-fashion-mnist", "libraries"]:
        if name in peak:
            mib, wall = peak[name]
            print(f"| {labels[name][0]} | {mib:,.0f} | {wall:.1f} | {mib - base:,.0f} | {labels[name][1]} |")
    print("\nFull Fashion-MNIST as float32 is 70,000 x 784 x 4 bytes = 209 MiB. Of the five settings, "
          "true and random labels share the clean images; shuffled pixels, random pixels and Gaussian "
          "each hold their own (corruption makes new images), so the session holds four image sets "
          "(about 840 MiB), plus the loader's bytes while it decodes. Command: as in the table, "
          "`bench/measure_process.py peak NAME -- genlab ...` (see bench/run-benchmarks.sh).\n")

startup = rows("startup.tsv")
if startup:
    def starts(name):
        return [float(r[2]) for r in startup if r[1] == name]
    g, b = starts("genlab"), starts("bare-qt")
    print("## Start-up to a visible window\n")
    print("From starting the program to its window's first paint, on an X server (Xvfb), each a "
          "first start (empty settings: the Figure 1a preset shows). Reference: a bare Qt Widgets "
          "program that shows an empty window of the same size (bench/bench_bare_window.cpp), "
          f"alternating with genlab. Command: `xvfb-run -a bench/measure_process.py startup {reps} "
          "genlab=build/release/app/genlab bare-qt=build/release/bench/genlab_bench_bare_window`.\n")
    print("| program | median s | min - max s | ratio to bare Qt | target |")
    print("|---|---|---|---|---|")
    print(f"| genlab | {statistics.median(g):.2f} | {min(g):.2f} - {max(g):.2f} | {statistics.median(g) / statistics.median(b):.1f} | < 1 s |")
    print(f"| bare Qt window | {statistics.median(b):.3f} | {min(b):.3f} - {max(b):.3f} | 1 | |")
    if "libraries" in peak:
        print(f"| `genlab --version` (loads the libraries, no window; one run) | {peak['libraries'][1]:.2f} | | | |")
    print("\nAlmost all of genlab's start-up is LibTorch's: `perf record genlab --version` puts about a "
          "third of it in the dynamic linker's symbol lookups (`do_lookup_x`, binding LibTorch's "
          "symbols) and another third in LibTorch's static initializers (registering its operators); "
          "the window itself (form, plots, presets) adds the difference between the last row and "
          "genlab's.\n")

print("""## Reading the CPU figures

- The OpenBLAS kernels matter more than anything else here: on OpenBLAS's fallback kernels
  every GEMM-bound figure (matrix-multiply peak, MLP training, the Figure 1a preset) is a
  fraction of what it is on the CPU's own AVX-512 kernels (when the two differ, a table at the
  top gives the ratios).
  The lab switches when OpenBLAS fell back; a user's OPENBLAS_CORETYPE is left alone.
- C++ and Python call the same LibTorch 1.13 kernels; all the C++ trainer can save is the
  interpreter's share of a step. A profile of MLP 1x512 in Python (`perf record python3
  bench/train_throughput.py mlp 3000`, same kernels, 2026-11-28) put 5% of the samples in
  the interpreter and 1% in LibTorch's Python bindings: the ceiling for C++ is about 1.07x,
  and the 1.25x target cannot be reached by the language alone; a single repetition's ratio
  swings by 10-20% either way on this shared machine (the ranges in the table). For the
  convolutional networks the interpreter's share vanishes (their convolutions take tens of
  milliseconds a step), and the C++ trainer runs the lab's own layers, layout and memory
  cache (docs/architecture.md), which the Python reference does not: their ratio measures
  those, not the language.
- The thread plan matters far more than the language: with LibTorch's default of every core
  for its own loops *and* for OpenBLAS, MLP 1x512 trained at a fraction of the speed in both
  languages; splitting the cores (docs/architecture.md) gave the figures above.
- This machine's two virtual CPUs share one core's multiply-add units: on 2026-12-02 one
  process alone formed 2048^3 products on one thread at 313 and 349 GFLOP/s, and two such
  processes at once, started together and timed over the same 3 s, at 177 + 159 = 336 and
  165 + 161 = 326 (`python3 bench/fma_share.py`, Cooperlake kernels, two runs). So the peak "on
  every core" is about what one thread reaches alone, and runs at once gain by one run's
  memory-bound passes overlapping the other's products, not by a second set of units. The
  host's own load moves every rate: the same single-thread product ran at 160 to 198 GFLOP/s
  at other times that day.
- What bounds the FLOP/s fraction depends on the kernels: the GEMMs' shapes or the step's
  work besides them (element-wise loops, SGD, OpenBLAS's threads waiting between GEMMs); see
  the paragraph under the throughput table.
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
          f"build/release/bench/genlab_bench_window overhead {2 * int(reps) - 1}` (then `latency`, "
          f"`first-point {reps}`).\n")
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
    if head and win:
        met = statistics.median(ratios) >= 0.95
        print(f"""
Window against headless: **{statistics.median(ratios):.2f}** (median of the pairs; target 0.95:
{'met' if met else 'missed'}). History and profile: until 2026-11-27 the window trained at 0.92 of the
headless speed (13 pairs). Its GUI thread used about 6% of one core, and a profile of the
window alone (`perf record --call-graph dwarf genlab_bench_window window-only`) put about
90% of that in `QCustomPlot::replot` of the loss panel (band drawing, clearing and copying
the paint buffers, axes), about 5 ms a replot, one per delivery (about 10 a second). On 2
cores the MLP's two OpenBLAS threads spin and wait for each other, so every slice the GUI
takes stalls both. The fix: PlotPanel spaces its live replots by what they cost, so that
they take at most about 2.5% of a core (a 5 ms replot: 5 a second; at least 2 a second
however slow; up to 30 when replots are cheap). The GUI thread's share is now the row
above.
""")
# The live loss plot (bench/bench_replot.cpp).
replot = rows("replot.tsv")
if replot:
    print("## Window: replot of 6 x 100,000 points\n")
    print("`QT_QPA_PLATFORM=offscreen build/release/bench/genlab_bench_replot 30`: the window's loss "
          "panel (ui/plot_panel.h) at 900 x 500 pixels with six noisy decaying loss curves of "
          "100,000 steps each; median of 30 `QCustomPlot::replot()` after 3 warm-up replots. "
          "Target (issue 5): a replot under 10 ms; ratio = median / 10 ms.\n")
    print("| what | median ms | min ms | max ms | ratio to 10 ms |")
    print("|---|---|---|---|---|")
    labels = {"replot_6x100k_normal": "replot, normal style (2 px lines, 10 pt text)",
              "replot_6x100k_presentation": "replot, presentation style (4 px lines, 20 pt, high contrast)",
              "replot_6x100k_log": "replot, logarithmic loss axis",
              "replot_6x100k_smoothed": "replot, smoothing 0.9",
              "replot_6x100k_log_smoothed": "replot, log axis and smoothing 0.9",
              "replot_6x100k_zoomed_500_steps": "replot, zoomed in to 500 steps",
              "refresh_append_6x100": "`refresh()` appending a chunk of 6 x 100 steps (smoothing 0.6; no replot)",
              "fit_axes_6x100k": "fitting the axes to all 600,000 points (once per replot while the view follows)"}
    for name, median, lo, hi, _ in replot:
        ratio = f"{float(median) / 0.010:.2f}" if name.startswith("replot_") else ""
        print(f"| {labels.get(name, name)} | {1000 * float(median):.2f} | {1000 * float(lo):.2f} | "
              f"{1000 * float(hi):.2f} | {ratio} |")
    print("""
QCustomPlot alone took about 2 s for this replot: its adaptive sampling reduces each curve to
every pixel column's minimum and maximum, but QPainter strokes that zigzag with a 2 px pen by
filling the outline of all its overlapping segments. `ui/band_graph.h` draws the same pixels
as a filled band per curve (column ranges widened by the pen), reading each point once; on
screen the band's edge is smoothed with an antialiased hairline instead of an antialiased
fill, which cost 12 ms more. Appending copies only the new points.
""")

# Results folders at scale (bench/bench_runs.cpp).
runs = rows("runs.tsv")
if runs:
    def med(name, col=1):
        values = [float(r[col]) for r in runs if r[0] == name]
        return (statistics.median(values), min(values), max(values)) if values else None
    wc = med("wc_l")
    print("## Results folders: opening, reading and following runs\n")
    print("200 session folders of one run of 100,000 steps each (20 million rows of metrics.csv, "
          "about 1 GB), written by `genlab_bench_runs generate`. Reference: `wc -l` over the same "
          f"files in the same run (page cache warm), median {wc[0]:.3f} s. Window: the lab opens the "
          "folder as a user would (offscreen Qt); its runs panel lists every session and the newest 20 "
          "start checked and drawn. Library: the run library alone reads every session's curves, "
          "all 20 million rows. Reproduce: `build/release/bench/genlab_bench_runs generate DIR 200 "
          "100000`, then `open DIR window` and `open DIR library`.\n")
    print("| what | median | min | max | ratio to wc -l | target |")
    print("|---|---|---|---|---|---|")
    for name, label, target in [("window_listed", "runs panel lists all 200 sessions", "1 s"),
                                ("window_first_curves", "first curve drawn", "3 s"),
                                ("window_checked_curves", "the 20 checked sessions drawn", ""),
                                ("library_all_curves", "all 200 sessions' curves read (20 million rows)", "")]:
        m = med(name)
        if m:
            print(f"| {label} | {m[0]:.3f} s | {m[1]:.3f} s | {m[2]:.3f} s | {m[0] / wc[0]:.1f} | {target} |")
    for name, label, target in [("window_peak_mib", "peak memory, window with 20 sessions drawn", "1 GiB"),
                                ("library_peak_mib", "peak memory, all 20 million rows read", "1 GiB")]:
        m = med(name)
        if m:
            print(f"| {label} | {m[0]:.0f} MiB | {m[1]:.0f} MiB | {m[2]:.0f} MiB | | {target} |")
    print("\nFollowing growing runs: 20 sessions written by another thread (an epoch of 50 steps "
          "every 100 ms each, metrics synced to disk as the lab writes them) while the window "
          "follows them with their curves drawn; the GUI thread's CPU time over 10 s "
          "(CLOCK_THREAD_CPUTIME_ID), median of 3. `genlab_bench_runs follow DIR 20 10`.\n")
    print("| GUI thread, share of one core | median | min | max | target |")
    print("|---|---|---|---|---|")
    for name, label, target in [("follow_gui_share_between_replots", "window shown, apart from the plots' replots", "2%"),
                                ("follow_gui_share_replots", "the plots' throttled replots", ""),
                                ("follow_gui_share_shown", "window shown, all of it", ""),
                                ("follow_gui_share_hidden", "window hidden (nothing drawn)", "")]:
        m = med(name)
        if m:
            print(f"| {label} | {100 * m[0]:.1f}% | {100 * m[1]:.1f}% | {100 * m[2]:.1f}% | {target} |")
    print("\nThe replots keep the throttle of issue 5 (each panel spaces them to about 2.5% of a core); "
          "session records reach the panel, plots and run table in batches at most every 400 ms, "
          "and the run table is refilled only while it is shown.\n")

# Sweeps (bench/sweep_overhead.py): the runner against plain runs, and --jobs 2 against 1.
sweeps = rows("sweeps.tsv")
if sweeps:
    def times(name):
        values = [float(r[1]) for r in sweeps if r[0] == name]
        return statistics.median(values), min(values), max(values)
    plain, jobs1, jobs2 = times("plain"), times("jobs1"), times("jobs2")
    print("## Sweeps: the runner's overhead and tasks at a time\n")
    print(f"Six MLP tasks (widths 256 and 512 x true labels, random labels, shuffled pixels; 5,000 "
          f"Fashion-MNIST images, 20 epochs each; bench/sweep-bench.json), median of {sum(r[0] == 'plain' for r in sweeps)} "
          "repetitions, the three ways in turn. Reference: the same tasks as plain `genlab --headless "
          "--config BASE --set ...` runs one after another. Reproduce: `python3 bench/sweep_overhead.py "
          "build/release/app/genlab bench/sweep-bench.json /tmp/sweeps 3`. What the runner adds is fixed: "
          "its own start (LibTorch loads in about 0.7 s, see Start-up) and the reading of the tasks' "
          "folders; the tasks are the same processes as plain runs.\n")
    print("| how | median | min | max | against plain runs | target |")
    print("|---|---|---|---|---|---|")
    print(f"| plain `genlab --headless`, one task after another | {plain[0]:.2f} s | {plain[1]:.2f} s | {plain[2]:.2f} s | 1.000 | |")
    print(f"| `genlab sweep run --jobs 1` | {jobs1[0]:.2f} s | {jobs1[1]:.2f} s | {jobs1[2]:.2f} s | "
          f"{jobs1[0] / plain[0]:.3f} | overhead under 2% |")
    print(f"| `genlab sweep run --jobs 2` (one thread per task, the default here) | {jobs2[0]:.2f} s | {jobs2[1]:.2f} s | {jobs2[2]:.2f} s | "
          f"{jobs2[0] / plain[0]:.3f} | |")
    if any(r[0] == "task_plain" for r in sweeps):
        tp, ts = times("task_plain"), times("task_sweep")
        print(f"| task 0 alone, plain `genlab --headless` | {tp[0]:.2f} s | {tp[1]:.2f} s | {tp[2]:.2f} s | 1.000 | |")
        print(f"| task 0 alone, `genlab sweep run --task 0` (a cluster task) | {ts[0]:.2f} s | {ts[1]:.2f} s | {ts[2]:.2f} s | "
              f"{ts[0] / tp[0]:.3f} | overhead under 2% |")
    fixed = jobs1[0] - plain[0]
    if fixed > 0:
        print(f"\nThe runner's cost is fixed, not per task: {fixed:.2f} s here (the median sweep less the median "
              "plain runs), mostly its own start, while each task costs what a plain run costs (the last two rows). "
              f"It stays under 2% for a sweep of {fixed / 0.02:.0f} s or more; the paper's grids take hours.\n")
    else:
        print(f"\nHere the sweep's median was {-fixed:.2f} s shorter than the plain runs', inside the spread "
              "between repetitions: the runner's fixed cost (its own start, the reading of the tasks' folders) "
              "is below what this machine's noise lets the whole sweep show; the last two rows measure it per "
              "task.\n")
    print(f"Throughput of `--jobs 2` against `--jobs 1` on {os.cpu_count()} cores: "
          f"**{jobs1[0] / jobs2[0]:.2f}x** tasks per hour. The default on a machine without several GPUs "
          "is app/sweep_runner.h's kDefaultCpuJobs.\n")

# Measures (bench/measure_cost.py): runs with each measure against the same run without.
measures = rows("measures.tsv")
if measures:
    times = {}
    for network, measure, seconds in measures:
        times.setdefault((network, measure), []).append(float(seconds))
    print("## Measures: what they cost\n")
    print("5,000 Fashion-MNIST images with labels corrupted at p = 0.4, 20 epochs, the run's training wall time "
          "(summary.json), without a measure and with each one in turn, median of "
          f"{len(next(iter(times.values())))}. Reproduce: `python3 bench/measure_cost.py build/release/app/genlab "
          "/tmp/measures 7`. Memorization adds an evaluation pass over the training set to every epoch; the "
          "capacity measures a few products with each weight matrix and an evaluation of "
          "256 training images (docs/measures.md).\n")
    print("The machine drifts by more than the measures cost (a run's time can grow by a quarter over the "
          "benchmark), so each repetition's run with a measure is compared with the same repetition's run "
          "without, and the table gives the median of those paired ratios.\n")
    print("| network | measure | median | min | max | against none (median of paired ratios) | target |")
    print("|---|---|---|---|---|---|---|")
    for (network, measure), ts in times.items():
        base = times[(network, "none")]
        ratio = statistics.median(t / b for t, b in zip(ts, base))
        target = "under 1.05" if measure == "capacity" else ""
        print(f"| {network} | {measure} | {statistics.median(ts):.2f} s | {min(ts):.2f} s | {max(ts):.2f} s | "
              f"{ratio:.3f} | {target} |")
    print()

# The kernel interpolant (bench/bench_closed_form.cpp): its whole solve against dpotrf_ alone.
closed = rows("closed-form.tsv")
if closed:
    values = {r[0]: r[1] for r in closed if len(r) >= 2}
    print("## Kernel interpolation: the solve against LAPACK's factorization\n")
    print("The minimum-norm interpolant of the paper's Section 5 (RBF kernel, float64, synthetic 28x28 images): "
          "the Gram matrix built by blocks, factored in place (Cholesky), two triangular solves, against "
          "LAPACK's `dpotrf_` alone on a copy of the same matrix, in the same run, median of 3. "
          f"Threads: {values.get('threads', '?')}. Reproduce: `cmake --build build/release --target "
          "genlab_bench_closed_form && build/release/bench/genlab_bench_closed_form 0 3 5000 10000`.\n")
    print("| n | interpolant (Gram + Cholesky + solves) | `dpotrf_` alone | ratio | `dpotrf_` rate | peak memory after the solves |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in ("5000", "10000"):
        at = "_n" + n
        if "interpolant_solve" + at not in values:
            continue
        print(f"| {int(n):,} | {float(values['interpolant_solve' + at]):.2f} s | {float(values['lapack_dpotrf' + at]):.2f} s | "
              f"{values['solve_over_dpotrf' + at]} | {values['dpotrf_rate' + at]} GFLOP/s | "
              f"{values['peak_resident_after_solves' + at]} MB |")
    print("\nThe excess over `dpotrf_` is mostly the Gram matrix itself: n^2 d multiply-adds against the "
          "factorization's n^3 / 3, so it shrinks as n grows.\n")

# The GPU check (bench/gpu-check.sh) runs on a lent GPU machine, not here: its raw output is
# kept in docs/gpu-check.tsv and summarized below.
gpu_file = os.path.join(root, "docs", "gpu-check.tsv")
if os.path.exists(gpu_file):
    gpu = [line.rstrip("\n").split("\t") for line in open(gpu_file) if line.strip()]
    fit = [r for r in gpu if r[0] == "fit_check"]
    print("## GPU (from the last `bench/gpu-check.sh`, kept in docs/gpu-check.tsv)\n")
    print("Run on 2026-11-27 on a lent machine with one NVIDIA H200, PyTorch 2.11 with CUDA 13.0 (LibTorch 2.11 "
          "from the same install), 16 cores; the Qt-free core built there with CMake "
          "(`-DGENLAB_GUI=OFF`). Same protocol as the CPU table, batch 128, 1x28x28 images, C++ "
          "and Python alternating, 3 repetitions, medians.\n")
    if fit:
        print(f"fit-check (a session on CUDA memorizes 256 random labels): **{fit[0][1]}** on {fit[0][2]}.\n")
    print("| network | C++ images/s | Python images/s | C++ / Python |")
    print("|---|---|---|---|")
    labels = {"mlp": "MLP 1x512", "mlp3": "MLP 3x512", "alexnet": "small AlexNet", "inception": "small Inception"}
    for arch, label in labels.items():
        cpp = [float(r[2]) for r in gpu if r[0] == "cpp" and r[1] == f"throughput_{arch}"]
        py = [float(r[2]) for r in gpu if r[0] == "python" and r[1] == f"throughput_{arch}"]
        if cpp and py:
            c, p = statistics.median(cpp), statistics.median(py)
            print(f"| {label} | {c:,.0f} ({min(cpp):,.0f}-{max(cpp):,.0f}) | {p:,.0f} ({min(py):,.0f}-{max(py):,.0f}) | {c / p:.2f} |")
    epoch = [r for r in gpu if r[0] == "cifar_epoch_inception"]
    if epoch:
        print(f"\nOne CIFAR-shaped epoch of small Inception (50,000 synthetic 32x32x3 images, batch 128, "
              f"`genlab_bench_train cifar-epoch`): **{float(epoch[-1][1]):.1f} s** ({epoch[-1][4]}).")
    else:
        print("\nOne CIFAR-shaped epoch of small Inception (50,000 synthetic 32x32x3 images, batch 128): "
              "not measured yet. The script has the step (`genlab_bench_train cifar-epoch`, added after "
              "the run above); no GPU machine has been lent since. On this CPU the same epoch runs at "
              "about 40 images/s (`genlab_bench_train cifar-epoch 512`), about 20 minutes an epoch.")
    beside = [r for r in gpu if r[0] == "runs_at_once_check"]
    if beside:
        print(f"\nRuns at once against each run alone (`genlab_bench_train runs-at-once-check`, dropout and "
              f"augmentation, {beside[-1][1]}): **{beside[-1][3]}**, {beside[-1][2]}.")
    sweeps = [r for r in gpu if r[0].startswith("sweep_wall_")]
    if sweeps:
        print("\nThe label-corruption sweep on the GPU, six runs of 20 epochs on synthetic images of its data's "
              "shape and sizes (`genlab_bench_train sweep-wall "
              "DEPTH 20 [1]`; issue 18's target: at most 2x the slowest run's wall time, at once):\n")
        print("| network | runs | session wall s | slowest run s | session / slowest run |")
        print("|---|---|---|---|---|")
        for r in sweeps:
            print(f"| MLP {r[0][len('sweep_wall_mlp'):]} | {r[3]} | {float(r[1]):.2f} | "
                  f"{float(r[4].split()[-2]):.2f} | **{float(r[5]):.2f}** |")
    print("\nReproduce on such a machine: `make gpu-deps` here, then `bash bench/gpu-check.sh` "
          "there with build/deps carried along (the script documents what it needs).")

print()
print(build_time_section())
