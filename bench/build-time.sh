#!/usr/bin/env bash
# Build time of a fresh clone on this machine (issue 19). Writes docs/build-time.tsv, which
# bench/render_benchmarks.py renders into docs/BENCHMARKS.md.
#   Usage: bench/build-time.sh [REFERENCE_REV]        (make bench-build)
# Measures the committed HEAD in clones under a scratch folder, with a ccache folder of its own
# (the user's cache is neither read nor written), all in one run:
#   reference  REFERENCE_REV (default: the last commit before issue 19) built fresh, no ccache
#   cold       a fresh clone of HEAD, empty cache: configure + build of all `make test` builds
#   no-cache   the same build with ccache turned off (CCACHE_DISABLE)
#   warm       `make clean`, then the same build from the now full cache
#   clone      a second fresh clone in another folder, same cache (ccache's base_dir at work)
#   one-file   a changed line in core/train/trainer.cpp (LibTorch, a unity batch) or in
#              core/train/schedule.cpp (no LibTorch), to a rebuilt genlab; median of 3 each
#   tests      ctest of the whole suite but the fuzz smokes (the cold clone's build)
#   fuzz       ctest of the label fuzz: each fuzz target's crash inputs and its 30-second smoke
# About 30 minutes on 2 cores, most of it the reference.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
reference=${1:-9a8362d}
scratch=$(mktemp -d /tmp/genlab-build-time.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
out=$root/docs/build-time.tsv
export CCACHE_DIR=$scratch/ccache
unset CCACHE_DISABLE

now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }
stat_of() { ccache --print-stats | awk -v k="$1" '$1 == k { print $2 }'; }
# hits/cacheable calls of the last build, as "hits/calls"
hit_rate() {
  local hits=$(( $(stat_of direct_cache_hit) + $(stat_of preprocessed_cache_hit) ))
  echo "$hits/$(( hits + $(stat_of cache_miss) ))"
}
# fresh_build DIR: configure and build what `make test` builds (the release preset, and the fuzz
# preset where the clone has one), printing the wall seconds
fresh_build() {
  local start preset; start=$(now)
  (cd "$1" && rm -rf build
   for preset in release fuzz; do
     grep -q "\"name\": \"$preset\"" CMakePresets.json || continue
     cmake --preset $preset > /dev/null && cmake --build --preset $preset >> "$scratch/build.log" 2>&1 || exit 1
   done) || { tail -20 "$scratch/build.log" >&2; exit 1; }
  since "$start"
}
rows=()
row() { rows+=("$(printf '%s\t' "$@" | sed 's/\t$//')"); echo "build-time: $*" >&2; }

git -C "$root" diff --quiet HEAD || echo "build-time: measuring HEAD; uncommitted changes are left out" >&2
git clone -q --no-hardlinks "$root" "$scratch/reference"
git -C "$scratch/reference" checkout -q "$reference"
t=$(CCACHE_DISABLE=1 fresh_build "$scratch/reference")
row reference "$t" "$(git -C "$root" rev-parse --short "$reference")"
rm -rf "$scratch/reference"

git clone -q --no-hardlinks "$root" "$scratch/cold"
ccache -z > /dev/null
t=$(fresh_build "$scratch/cold"); row cold "$t" "$(hit_rate)"
t=$(CCACHE_DISABLE=1 fresh_build "$scratch/cold"); row no-cache "$t" -
ccache -z > /dev/null
t=$(fresh_build "$scratch/cold"); row warm "$t" "$(hit_rate)"
git clone -q --no-hardlinks "$root" "$scratch/clone"
ccache -z > /dev/null
t=$(fresh_build "$scratch/clone"); row clone "$t" "$(hit_rate)"
rm -rf "$scratch/clone"

for file in core/train/trainer.cpp core/train/schedule.cpp; do
  times=()
  for rep in 1 2 3; do
    echo "// build-time probe $rep $(now)" >> "$scratch/cold/$file"
    start=$(now)
    cmake --build "$scratch/cold/build/release" --target genlab > /dev/null
    times+=("$(since "$start")")
  done
  git -C "$scratch/cold" checkout -q -- "$file"
  row "one-file $file" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)" "$(IFS=' '; echo "${times[*]}")"
done
cmake --build "$scratch/cold/build/release" > /dev/null
for part in tests fuzz; do
  [ $part = tests ] && select=(-LE fuzz) || select=(-L fuzz)
  start=$(now)
  (cd "$scratch/cold" && ctest --preset release "${select[@]}" > "$scratch/ctest.log" 2>&1) ||
    { tail -30 "$scratch/ctest.log" >&2; exit 1; }
  row $part "$(since "$start")" "$(grep -m1 'tests passed' "$scratch/ctest.log")"
done

{
  echo -e "# build-time\t$(git -C "$root" rev-parse --short HEAD)\t$(date -u +%F)\t$(nproc) cores"
  printf '%s\n' "${rows[@]}"
} > "$out"
python3 "$root/bench/render_benchmarks.py" --build-time-only
echo "build-time: wrote $out and its section of docs/BENCHMARKS.md" >&2
