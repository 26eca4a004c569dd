#!/usr/bin/env bash
# Builds the Qt-free core and genlab_bench_train against LibTorch 2.x and runs them: a minimal
# Debian SUITE (default trixie, whose libtorch-dev is LibTorch 2.x) made by debootstrap under
# BUILD/libtorch2/SUITE (once; about 1.6 GB), this working tree copied into it, configured as the
# GPU check configures it (GENLAB_GUI=OFF, no libcurl, OpenSSL or libarchive there), then
# fit-check and runs-at-once-check on its CPU. Needs root (debootstrap, chroot) and network to
# Debian's mirror.   Usage: tests/libtorch2_runtime_check.sh [BUILD] [SUITE]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=$(realpath -m "${1:-build/release}")
suite=${2:-trixie}
root=$build/libtorch2/$suite

[ "$(id -u)" -eq 0 ] || { echo "libtorch2 runtime check: needs root (debootstrap and chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "libtorch2 runtime check: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }

if [ ! -e "$root/.complete" ]; then
  # An interrupted debootstrap can leave /proc or /sys mounted in it: never delete through those.
  if findmnt -rn -o TARGET | grep -q "^$root/"; then
    echo "libtorch2 runtime check: something is mounted under $root; unmount it first" >&2; exit 2
  fi
  rm -rf "$root"
  echo "libtorch2 runtime check: making a minimal Debian $suite in $root"
  debootstrap --variant=minbase \
    --include=g++,cmake,ninja-build,libtorch-dev,nlohmann-json3-dev,zlib1g-dev,libopenblas0-pthread \
    "$suite" "$root" http://deb.debian.org/debian > "$build/libtorch2/debootstrap-$suite.log" 2>&1 ||
    { echo "libtorch2 runtime check: debootstrap failed; see $build/libtorch2/debootstrap-$suite.log" >&2; exit 2; }
  touch "$root/.complete"
fi

# The working tree as it is (tracked and untracked files git does not ignore), fresh each time.
rm -rf "$root/src" "$root/build"
mkdir -p "$root/src"
git ls-files -z --cached --others --exclude-standard | tar -c --null -T - | tar -x -C "$root/src"

# In a mount namespace of its own, so that /proc is unmounted however this ends (a mount left in
# the build folder would be deleted through by `make clean`). debootstrap made the chroot's /dev.
export root
unshare --mount --propagation private bash -c '
  mount -t proc proc "$root/proc"
  chroot "$root" dpkg-query -W -f="LibTorch \${Version}\n" libtorch-dev
  chroot "$root" bash -c "cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DGENLAB_GUI=OFF > /build.log 2>&1 &&
    cmake --build /build --target genlab_bench_train >> /build.log 2>&1" ||
    { echo "libtorch2 runtime check: the build failed; its log ends:"; tail -30 "$root/build.log"; exit 1; }
  status=0
  chroot "$root" /build/bench/genlab_bench_train fit-check || status=1
  chroot "$root" /build/bench/genlab_bench_train runs-at-once-check || status=1
  exit $status'
