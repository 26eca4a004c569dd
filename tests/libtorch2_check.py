#!/usr/bin/python3
"""Compiles every translation unit of a build that uses LibTorch against LibTorch 2.x headers.

The lab must build against Debian 12's LibTorch 1.13 and a (CUDA) LibTorch 2.x, but only the
first is installed here and a GPU machine is lent rarely. Debian 13 (trixie) packages LibTorch
2.x: this downloads its libtorch-dev (headers only are used; nothing is installed), then runs
each LibTorch unit's compile command from BUILD/compile_commands.json with those headers first
on the include path and -fsyntax-only (no objects, no linking: the API is what differs). The
CUDA headers are not involved: the lab reaches devices through LibTorch's device-generic API.

Usage: tests/libtorch2_check.py [BUILD] [SUITE]   (default build/release trixie; `make
libtorch2-check`, which then runs tests/libtorch2_runtime_check.sh)
Exit status 0 when every unit compiles, 1 when one does not, 2 when the headers cannot be had.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys

TORCH_INCLUDE = "-isystem /usr/include/torch/csrc/api/include"  # how CMake names Debian 12's


def fetch_headers(folder, suite):
    """Debian `suite`'s libtorch-dev unpacked under folder/root; returns its version."""
    root = os.path.join(folder, "root")
    stamp = os.path.join(folder, "version")
    if os.path.exists(stamp):
        return open(stamp).read().strip()
    lists = os.path.join(folder, "lists")
    os.makedirs(os.path.join(lists, "partial"), exist_ok=True)
    os.makedirs(os.path.join(folder, "cache", "archives", "partial"), exist_ok=True)
    sources = os.path.join(folder, "sources.list")
    with open(sources, "w") as out:
        out.write(f"deb http://deb.debian.org/debian {suite} main\n")
    # apt with lists and cache of its own: the machine's package state is left alone.
    apt = ["-o", f"Dir::Etc::SourceList={sources}", "-o", "Dir::Etc::SourceParts=/dev/null",
           "-o", f"Dir::State::Lists={lists}", "-o", f"Dir::Cache={os.path.join(folder, 'cache')}",
           "-o", "APT::Sandbox::User=root"]  # as root: no '_apt' user that cannot write here
    subprocess.run(["apt-get", *apt, "-q", "update"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", *apt, "-q", "download", "libtorch-dev"], check=True, cwd=folder,
                   stdout=subprocess.DEVNULL)
    deb = next(f for f in os.listdir(folder) if f.startswith("libtorch-dev_") and f.endswith(".deb"))
    subprocess.run(["dpkg-deb", "-x", os.path.join(folder, deb), root], check=True)
    version = deb.split("_")[1]
    with open(stamp, "w") as out:
        out.write(version + "\n")
    return version


def torch_units(build, include):
    """(file, command, folder) of each unit that includes LibTorch, rewritten for `include`."""
    units = []
    for entry in json.load(open(os.path.join(build, "compile_commands.json"))):
        command = entry["command"]
        if TORCH_INCLUDE not in command or not os.path.exists(entry["file"]):
            continue  # no LibTorch, or a generated file of a target never built
        command = re.sub(r"-include \S+cmake_pch\.hxx", "-include torch/torch.h", command)
        command = re.sub(r" -o \S+", "", command)
        command = command.replace(TORCH_INCLUDE, f"-isystem {include} -isystem {include}/torch/csrc/api/include")
        command = command.replace(" -c ", " -fsyntax-only -c ")
        units.append((entry["file"], command, entry["directory"]))
    return units


def compile_unit(unit):
    name, command, folder = unit
    done = subprocess.run(command, shell=True, cwd=folder, capture_output=True, text=True)
    return name, done.returncode, done.stderr


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build/release"
    suite = sys.argv[2] if len(sys.argv) > 2 else "trixie"  # its libtorch-dev is LibTorch 2.x
    folder = os.path.abspath(os.path.join(build, "libtorch2", "headers-" + suite))
    try:
        version = fetch_headers(folder, suite)
    except (subprocess.CalledProcessError, StopIteration, OSError) as error:
        print(f"libtorch2-check: cannot get Debian {suite}'s libtorch-dev: {error}", file=sys.stderr)
        return 2
    units = torch_units(build, os.path.join(folder, "root", "usr", "include"))
    print(f"libtorch2-check: {len(units)} LibTorch units of {build} against LibTorch {version} headers", flush=True)
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        for name, status, errors in pool.map(compile_unit, units):
            if status == 0:
                continue
            failed += 1
            print(f"FAILED {name}")
            print("\n".join([line for line in errors.splitlines() if "error" in line][:20]))
    print(f"libtorch2-check: {len(units) - failed} of {len(units)} units compile")
    return 1 if failed or not units else 0


if __name__ == "__main__":
    sys.exit(main())
