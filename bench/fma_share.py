"""Whether this machine's cores have multiply-add units of their own: the single-precision
matrix-multiply rate of one thread alone, then of one thread in each of `nproc` processes at
once (Debian's python3-torch, 2048^3 torch.mm, best of 8 each). Where two virtual CPUs are the
two hardware threads of one core, the processes at once share one core's rate.
Usage: python3 bench/fma_share.py"""
import multiprocessing
import os
import time

import torch


def rate(_=None):
    torch.set_num_threads(1)
    n = 2048
    a, b, c = torch.randn(n, n), torch.randn(n, n), torch.empty(n, n)
    best = float("inf")
    for _ in range(8):
        start = time.perf_counter()
        torch.mm(a, b, out=c)
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


if __name__ == "__main__":
    cores = os.cpu_count()
    alone = rate()
    with multiprocessing.get_context("spawn").Pool(cores) as pool:
        together = pool.map(rate, range(cores))
    print(f"one thread alone\t{alone:.1f}\tGFLOP/s")
    print(f"{cores} at once, each\t" + "\t".join(f"{r:.1f}" for r in together) + f"\tsum\t{sum(together):.1f}\tGFLOP/s")
