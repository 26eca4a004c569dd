#!/usr/bin/env bash
# The Debian package end to end: builds it with CPack into a scratch folder of the build tree,
# checks its control fields and file list, unpacks it (dpkg -x) and runs the unpacked program:
# --version, --list-presets (which must read the unpacked presets, not the source tree's) and a
# two-epoch training run on synthetic data. Needs a finished build (the man page included).
#   Usage: package_test.sh BUILD_DIR VERSION APP_ID
set -euo pipefail
build=$1 version=$2 app_id=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scratch="$build/package-test"
fail() { echo "package_test: $*" >&2; exit 1; }
step() { echo "--- $*"; }

for tool in cpack dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || fail "'$tool' not found (install dpkg-dev and cmake: packaging/debian-packages.txt)"
done
[ -f "$build/CPackConfig.cmake" ] || fail "'$build/CPackConfig.cmake' missing: configure the build first"
rm -rf "$scratch"
mkdir -p "$scratch"

step "cpack -G DEB"
# -B keeps this package and CPack's staging apart from `make package`'s in the build folder.
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log"; fail "cpack failed (log above)"; }
deb="$scratch/genlab_${version}_amd64.deb"
[ -f "$deb" ] || { ls "$scratch"; fail "cpack did not write '$deb'"; }

step "control fields"
dpkg-deb -I "$deb"
field() { dpkg-deb -f "$deb" "$1"; }
expect_field() { [ "$(field "$1")" = "$2" ] || fail "$1 is '$(field "$1")', expected '$2'"; }
expect_field Package genlab
expect_field Version "$version"
expect_field Architecture amd64
expect_field Section science
expect_field Priority optional
[ -n "$(field Maintainer)" ] || fail "no Maintainer field"
depends=$(field Depends)
# Depends comes from dpkg-shlibdeps: the libraries the binary links, each with its package.
for package in libc6 'libtorch[0-9.]*' libqt6widgets6 libqt6svg6; do
  grep -qE "(^|, )$package( |,|$)" <<<"$depends" || fail "Depends lacks $package: '$depends'"
done
recommends=$(field Recommends)
for package in dataset-fashion-mnist libopenblas0-pthread; do
  grep -qE "(^|, )$package( |,|$)" <<<"$recommends" || fail "Recommends lacks $package: '$recommends'"
done

step "file list"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$scratch/files.txt"
has() { grep -qxE "$1" "$scratch/files.txt" || fail "the package lacks $1"; }
share=/usr/share
has /usr/bin/genlab
has /usr/libexec/genlab/genlab-train
has "$share/applications/$app_id\.desktop"
has "$share/metainfo/$app_id\.metainfo\.xml"
for size in 48x48 128x128 256x256; do has "$share/icons/hicolor/$size/apps/$app_id\.png"; done
has "$share/icons/hicolor/scalable/apps/$app_id\.svg"
has "$share/man/man1/genlab\.1\.gz"
has "$share/doc/genlab/copyright"
has "$share/genlab/presets/figure1a-fashion-mnist\.json"
presets_in_sources=$(find "$here/../resources/presets" -name '*.json' | wc -l)
presets_in_package=$(grep -c "^$share/genlab/presets/.*\.json$" "$scratch/files.txt")
[ "$presets_in_package" -eq "$presets_in_sources" ] ||
  fail "the package has $presets_in_package presets, the sources $presets_in_sources"
outside=$(grep -vE '^/usr(/|$)|^/$' "$scratch/files.txt" || true)
[ -z "$outside" ] || fail "files outside /usr: $outside"
echo "$(wc -l <"$scratch/files.txt") entries, $presets_in_package presets"

step "unpack (dpkg -x) and run the unpacked program"
root="$scratch/root"
dpkg -x "$deb" "$root"
# The control archive's md5sums must match what was unpacked (the man page is gzipped in
# CPack's staging folder before they are computed).
dpkg-deb -e "$deb" "$scratch/control"
(cd "$root" && md5sum --quiet -c "$scratch/control/md5sums") || fail "md5sums do not match the unpacked files"
gzip -t "$root/usr/share/man/man1/genlab.1.gz" || fail "the man page is not valid gzip"
grep -qx 'License: GPL-3.0-or-later' "$root/usr/share/doc/genlab/copyright" ||
  fail "the copyright file does not name the licence GPL-3.0-or-later"
genlab="$root/usr/bin/genlab"
# genlab, and genlab-train to which it hands the commands that train (app/training.h).
for program in "$genlab" "$root/usr/libexec/genlab/genlab-train"; do
  if command -v file >/dev/null; then
    file "$program" | grep -q 'ELF 64-bit.*x86-64.*, stripped' || fail "not a stripped x86-64 executable: $(file -b "$program")"
  fi
  if command -v readelf >/dev/null && readelf -d "$program" | grep -qE 'R(UN)?PATH'; then
    fail "the installed $program keeps a run path: $(readelf -d "$program" | grep -E 'R(UN)?PATH')"
  fi
done
if command -v readelf >/dev/null && readelf -d "$genlab" | grep -q 'libtorch'; then
  fail "genlab loads LibTorch; only genlab-train should"
fi
# No display: the program must run headless. GENLAB_PRESET_DIR would override where presets
# are looked for.
run() { (cd "$scratch" && env -u DISPLAY -u WAYLAND_DISPLAY -u GENLAB_PRESET_DIR "$genlab" "$@"); }
headless=()
grep -q -- '--headless' <<<"$(run --help)" && headless=(--headless)

[ "$(run --version)" = "genlab $version" ] || fail "--version printed '$(run --version)', expected 'genlab $version'"
# A preset only the unpacked tree has: listing it proves the program reads the presets beside
# itself (<exe>/../share/genlab/presets) before the source tree's, which hold the same files.
marker="$root/usr/share/genlab/presets/zz-package-test.json"
sed '0,/"title": *"[^"]*"/s//"title": "package test marker"/' \
  "$root/usr/share/genlab/presets/figure1a-fashion-mnist.json" >"$marker"
listing=$(run "${headless[@]}" --list-presets) || fail "--list-presets failed: $listing"
grep -qx 'zz-package-test' <<<"$listing" ||
  { echo "$listing"; fail "--list-presets did not read the unpacked presets"; }
grep -qx 'figure1a-fashion-mnist' <<<"$listing" || fail "--list-presets lacks figure1a-fashion-mnist"

status=0
# Through genlab-train, which must find the unpacked presets too (<exe>/../../share/genlab/presets).
run "${headless[@]}" --preset zz-package-test --dataset synthetic --train-size 1000 --test-size 500 --arch mlp --epochs 2 --out "$scratch/run" >"$scratch/run.log" 2>&1 || status=$?
[ $status -eq 0 ] || { cat "$scratch/run.log"; fail "the two-epoch run failed (exit $status)"; }
# --out is a results root: the session writes a folder of its own in it.
sessions=("$scratch"/run/*/)
[ ${#sessions[@]} -eq 1 ] && [ -d "${sessions[0]}" ] || { cat "$scratch/run.log"; fail "the run made no session folder in $scratch/run"; }
for result in spec.json metrics.csv summary.json; do
  [ -s "${sessions[0]}$result" ] || { cat "$scratch/run.log"; fail "the run wrote no $result"; }
done
tail -n 4 "$scratch/run.log"

step "desktop entry and AppStream metadata, as installed"
status=0
bash "$here/desktop_metadata_test.sh" "$root/usr/share/applications/$app_id.desktop" \
  "$root/usr/share/metainfo/$app_id.metainfo.xml" || status=$?
[ $status -eq 0 ] || [ $status -eq 77 ] || fail "the installed .desktop or metainfo file is not valid"

echo "package_test: passed ($deb)"
