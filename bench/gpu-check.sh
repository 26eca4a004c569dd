#!/usr/bin/env bash
# The GPU check, prepared to run in one go on a machine with an NVIDIA GPU, a CUDA PyTorch 2.x
# (whose Python install holds LibTorch's headers, libraries and CMake package), nvcc, CMake
# and Ninja, and no Qt, Boost or network:
#   1. builds the Qt-free core and genlab_bench_train against that LibTorch (CMake, falling
#      back to plain g++ if Torch's CMake package cannot configure CUDA there);
#   2. runs fit-check: a session on CUDA must memorize 256 random labels; and
#      runs-at-once-check: three runs trained at once on the GPU, each on its own stream,
#      must give the step losses of each run trained alone;
#   3. times one CIFAR-shaped epoch of small Inception on the GPU: 50,000 synthetic 32x32x3
#      images, batch 128 (cifar-epoch);
#   4. the label-corruption sweep (six runs of MLP 1x512, then 3x512, 20 epochs each): the
#      session's wall time against its slowest run's (sweep-wall), with the runs at once (each
#      on its own stream) and, as the reference, one at a time;
#   5. small Inception on 3x32x32 batches, C++ against bench/train_throughput.py;
#   6. measures training images/s per network on the GPU, C++ against bench/train_throughput.py
#      in the same PyTorch, alternating, GENLAB_GPU_REPS times (default 3);
#      GENLAB_GPU_THROUGHPUT=0 skips this step.
# GENLAB_GPU_BUILD=g++ skips the CMake build and builds with plain g++ at once (the fallback; a
# CPU machine can rehearse it with PYTHON pointing at a Python whose torch module is LibTorch's).
# Everything together is meant to fit in five minutes on a 16-core machine with one GPU.
# nlohmann-json must travel with the tree: copy /usr/include/nlohmann to build/deps/include/
# first (make gpu-deps does it). Results go to stdout and, when $OUT is set, to $OUT/gpu.tsv.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python=${PYTHON:-python3}
reps=${GENLAB_GPU_REPS:-3}
jobs=$(nproc)
out=${OUT:-/tmp}/gpu.tsv
: > "$out"

nvidia-smi -L || echo "no nvidia-smi"
torchdir=$("$python" -c 'import torch, os; print(os.path.dirname(torch.__file__))')
"$python" -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda, "GPU", torch.cuda.is_available())'
g++ --version | head -1
printf 'machine\t%s\t%s\t%s\n' "$(nvidia-smi -L 2>/dev/null | head -1)" \
  "$("$python" -c 'import torch; print("PyTorch", torch.__version__)')" "$(date -I)" >> "$out"

bench=""
if [ "${GENLAB_GPU_BUILD:-cmake}" = cmake ] &&
   cmake -S . -B build/gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DGENLAB_GUI=OFF \
     -DCMAKE_PREFIX_PATH="$torchdir/share/cmake" \
     -DGENLAB_NLOHMANN_INCLUDE_DIR="$PWD/build/deps/include" > build-gpu-configure.log 2>&1 &&
   cmake --build build/gpu --target genlab_bench_train -j "$jobs" > build-gpu.log 2>&1; then
  bench=build/gpu/bench/genlab_bench_train
  echo "built with CMake"
else
  if [ "${GENLAB_GPU_BUILD:-cmake}" = cmake ]; then
    echo "CMake build failed; its log ends:"; tail -25 build-gpu-configure.log build-gpu.log 2>/dev/null
  fi
  echo "building with g++"
  abi=$("$python" -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
  objects=/tmp/genlab-gpu-objects; mkdir -p "$objects"
  flags="-std=c++20 -O2 -fPIC -fopenmp -D_GLIBCXX_USE_CXX11_ABI=$abi -I. -isystem $torchdir/include
    -isystem $torchdir/include/torch/csrc/api/include -isystem build/deps/include
    -DGENLAB_VERSION=\"gpu-check\" -DGENLAB_INSTALLED_PRESET_DIR=\"/nonexistent\"
    -DGENLAB_SOURCE_PRESET_DIR=\"$PWD/resources/presets\""
  libs=""
  if [ -e /usr/include/zlib.h ]; then flags="$flags -DGENLAB_HAVE_ZLIB"; libs="-lz"; fi
  # No network there: the sources on libcurl, OpenSSL and libarchive give way to
  # without_transfers.cpp, as in a CMake build that lacks them (core/datasets/CMakeLists.txt).
  transfers=$(grep -rlE '^#include <(curl/|openssl/|archive)' core)
  for source in $(find core -name '*.cpp' | grep -vxF "$transfers") bench/bench_train.cpp; do
    g++ $flags -c "$source" -o "$objects/$(echo "$source" | tr / _).o" &
    while [ "$(jobs -r | wc -l)" -ge "$jobs" ]; do sleep 0.2; done
  done
  wait
  torchlibs="-L$torchdir/lib -Wl,-rpath,$torchdir/lib -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10"
  [ -e "$torchdir/lib/libtorch_cuda.so" ] && torchlibs="$torchlibs -ltorch_cuda -lc10_cuda"
  g++ -fopenmp "$objects"/*.o $torchlibs $libs -o "$objects/genlab_bench_train" && bench=$objects/genlab_bench_train
fi
[ -n "$bench" ] || { echo "GPU check: build failed"; exit 2; }

echo "== fit-check"
"$bench" fit-check | tee -a "$out"
checks=${PIPESTATUS[0]}  # 0 while the checks pass; the exit status
echo "== runs at once on the GPU against each run alone"
"$bench" runs-at-once-check | tee -a "$out"
[ "${PIPESTATUS[0]}" = 0 ] || checks=1

echo "== one CIFAR-shaped epoch of small Inception (50,000 x 32x32x3, batch 128)"
"$bench" cifar-epoch 50000 | tee -a "$out"

echo "== the label-corruption sweep on one device: six runs against the slowest (issue 18: <= 2),"
echo "   at once (each run on its own stream), then one at a time (the reference)"
for depth in 1 3; do
  "$bench" sweep-wall "$depth" 20 | tee -a "$out"
  "$bench" sweep-wall "$depth" 20 1 | tee -a "$out"
done

echo "== small Inception on CIFAR-shaped batches (3x32x32): C++ then Python, $reps repetitions"
for ((r = 0; r < reps; r++)); do
  "$bench" throughput inception 100 3x32x32 | sed 's/^/cpp-cifar\t/' | tee -a "$out"
  "$python" bench/train_throughput.py inception 100 3x32x32 | sed 's/^/python-cifar\t/' | tee -a "$out"
done

[ "${GENLAB_GPU_THROUGHPUT:-1}" != 0 ] || exit "$checks"
echo "== throughput (batch 128, 1x28x28): C++ then Python, $reps repetitions"
for spec in mlp:2000 mlp3:2000 alexnet:400 inception:100; do
  arch=${spec%%:*}; steps=${spec##*:}
  for ((r = 0; r < reps; r++)); do
    "$bench" throughput "$arch" "$steps" | sed 's/^/cpp\t/' | tee -a "$out"
    "$python" bench/train_throughput.py "$arch" "$steps" | sed 's/^/python\t/' | tee -a "$out"
  done
done
exit "$checks"
