#!/usr/bin/python3
"""Reference for genlab_bench_train throughput: the same networks and protocol in Python
PyTorch (Debian's python3-torch, the same PyTorch version as libtorch-dev).

    /usr/bin/python3 bench/train_throughput.py ARCH STEPS [CxHxW]

ARCH: mlp, mlp3, alexnet, inception; images 1x28x28 unless CxHxW says (3x32x32: CIFAR-10's
shape). Prints "throughput_ARCH<TAB>images/s<TAB>images/s" and
"parameters_ARCH<TAB>count<TAB>parameters". Threads follow the C++ trainer's plan: an MLP runs
LibTorch's loops on one thread (BLAS threads come from the environment, OPENBLAS_NUM_THREADS);
convolutional networks use every core for LibTorch's loops (run it with OPENBLAS_NUM_THREADS=1).
"""
import os
import sys
import time

import torch
from torch import nn

BATCH = 128
WARMUP = 2


def mlp(depth, shape=(1, 28, 28), width=512, classes=10):
    layers, features = [nn.Flatten()], shape[0] * shape[1] * shape[2]
    for _ in range(depth):
        layers += [nn.Linear(features, width), nn.ReLU()]
        features = width
    return nn.Sequential(*layers, nn.Linear(features, classes))


def alexnet(shape=(1, 28, 28), classes=10):
    def block(cin):
        return [nn.Conv2d(cin, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2, padding=1),
                nn.LocalResponseNorm(9, alpha=0.001, beta=0.75, k=1.0)]
    h = ((shape[1] + 1) // 2 + 1) // 2
    w = ((shape[2] + 1) // 2 + 1) // 2
    return nn.Sequential(*block(shape[0]), *block(64), nn.Flatten(),
                         nn.Linear(64 * h * w, 384), nn.ReLU(), nn.Linear(384, 192), nn.ReLU(),
                         nn.Linear(192, classes))


class Conv(nn.Sequential):
    def __init__(self, cin, cout, k, stride=1):
        padding = k // 2 if stride == 1 else 0
        super().__init__(nn.Conv2d(cin, cout, k, stride=stride, padding=padding),
                         nn.BatchNorm2d(cout, affine=False), nn.ReLU())


class Inc(nn.Module):
    def __init__(self, cin, a, b):
        super().__init__()
        self.one, self.three = Conv(cin, a, 1), Conv(cin, b, 3)

    def forward(self, x):
        return torch.cat([self.one(x), self.three(x)], 1)


class Down(nn.Module):
    def __init__(self, cin, a):
        super().__init__()
        self.conv, self.pool = Conv(cin, a, 3, stride=2), nn.MaxPool2d(3, 2)

    def forward(self, x):
        return torch.cat([self.conv(x), self.pool(x)], 1)


def inception(shape=(1, 28, 28), classes=10):
    return nn.Sequential(
        Conv(shape[0], 96, 3), Inc(96, 32, 32), Inc(64, 32, 48), Down(80, 80),
        Inc(160, 112, 48), Inc(160, 96, 64), Inc(160, 80, 80), Inc(160, 48, 96), Down(144, 96),
        Inc(240, 176, 160), Inc(336, 176, 160), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(336, classes))


NETWORKS = {"mlp": lambda shape: mlp(1, shape), "mlp3": lambda shape: mlp(3, shape),
            "alexnet": alexnet, "inception": inception}


def main():
    arch, steps = sys.argv[1], int(sys.argv[2])
    shape = tuple(int(v) for v in sys.argv[3].split("x")) if len(sys.argv) > 3 else (1, 28, 28)
    cores = os.cpu_count() or 1
    torch.set_num_threads(1 if arch.startswith("mlp") else cores)
    torch.manual_seed(0)
    # The C++ trainer's default device: CUDA when present, else the CPU.
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    n = (WARMUP + steps + 1) * BATCH
    images = torch.rand(n, *shape, device=device)
    labels = torch.randint(0, 10, (n,), device=device)
    net = NETWORKS[arch](shape).to(device)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    order = torch.randperm(n).to(device)
    net.train()

    def train(count, first):
        losses = []
        for i in range(first, first + count):
            index = order[i * BATCH:(i + 1) * BATCH]
            x, y = images.index_select(0, index), labels.index_select(0, index)
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(net(x), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.detach())
        torch.stack(losses).tolist()  # one host copy per block, as in the C++ trainer

    train(WARMUP, 0)
    start = time.perf_counter()
    train(steps, WARMUP)
    elapsed = time.perf_counter() - start
    print(f"throughput_{arch}\t{steps * BATCH / elapsed:.1f}\timages/s")
    print(f"parameters_{arch}\t{sum(p.numel() for p in net.parameters())}\tparameters")


if __name__ == "__main__":
    main()
