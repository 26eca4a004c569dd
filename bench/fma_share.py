"""Whether this machine's cores have multiply-add units of their own: the single-precision
matrix-multiply rate (2048^3 torch.mm on one thread, Debian's python3-torch) of one process
alone, then of `nproc` processes at once, each timed over the same few seconds, started
together. Where two virtual CPUs are the two hardware threads of one core, the processes at
once share one core's rate. Usage: python3 bench/fma_share.py [SECONDS]"""
import multiprocessing
import os
import sys
import time

import torch

N = 2048


def work(barrier, seconds, results):
    torch.set_num_threads(1)
    a, b, c = torch.randn(N, N), torch.randn(N, N), torch.empty(N, N)
    torch.mm(a, b, out=c)  # warm: the first product packs and allocates
    barrier.wait()
    start, products = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        torch.mm(a, b, out=c)
        products += 1
    results.put(2 * N**3 * products / (time.perf_counter() - start) / 1e9)


def rates(processes, seconds):
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(processes), context.Queue()
    workers = [context.Process(target=work, args=(barrier, seconds, results)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    found = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    return found


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    cores = os.cpu_count()
    alone = rates(1, seconds)[0]
    together = rates(cores, seconds)
    print(f"one process alone\t{alone:.1f}\tGFLOP/s")
    print(f"{cores} at once, each\t" + "\t".join(f"{r:.1f}" for r in together) +
          f"\tsum\t{sum(together):.1f}\tGFLOP/s")
