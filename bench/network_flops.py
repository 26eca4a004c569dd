#!/usr/bin/python3
"""Floating-point operations per image of one training step of the lab's networks, counted on
bench/train_throughput.py's copies of them (parameter counts checked equal to the C++ ones).

    /usr/bin/python3 bench/network_flops.py ARCH [CxHxW]

Counts the convolutions and dense layers (multiply-adds x 2): the forward pass, the weight
gradients (as many) and the input gradients of every such layer but the first. Prints
"flops_ARCH<TAB>training FLOP per image<TAB>forward FLOP per image".
"""
import sys

import torch
from torch import nn

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from train_throughput import NETWORKS  # noqa: E402


def main():
    arch = sys.argv[1]
    shape = tuple(int(v) for v in sys.argv[2].split("x")) if len(sys.argv) > 2 else (1, 28, 28)
    net = NETWORKS[arch](shape)
    layers = []

    def count(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            per_output = module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
            layers.append(2.0 * per_output * output[0].numel())
        elif isinstance(module, nn.Linear):
            layers.append(2.0 * module.in_features * module.out_features)

    for module in net.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            module.register_forward_hook(count)
    with torch.no_grad():
        net.eval()
        net(torch.zeros(1, *shape))
    forward = sum(layers)
    training = 2 * forward + (forward - layers[0])
    print(f"flops_{arch}\t{training:.0f}\t{forward:.0f}")


if __name__ == "__main__":
    main()
