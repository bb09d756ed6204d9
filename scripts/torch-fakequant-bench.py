#!/usr/bin/python3
"""The baseline a researcher would write instead of fqt's simulator: fully quantized training of the
small CNN simulated in PyTorch with fake quantization, batched on the CPU. `./fqt bench train` runs
it (when Debian's python3-torch is installed) and prints its samples/s beside the simulator's.

What it quantizes, per tensor, uint8 affine (scale and zero point from the tensor's own min and max,
including 0), with stochastic rounding (floor(x / s + z + u), u uniform in [0, 1)), then dequantized:
  - features: the input and every layer's output (convolutions, linear layers; ReLU and max
    pooling keep values on the grid they get);
  - errors: the gradient reaching each of those tensors in the backward pass;
  - weights and biases: after every optimizer step (plain SGD, learning rate 0.01).
Gradients are computed and summed in float32 (PyTorch autograd), as fake-quant simulations do; the
toolkit's simulator instead runs the integer arithmetic of the device, bit for bit.

    /usr/bin/python3 scripts/torch-fakequant-bench.py --batch 16 --samples 4000 --warmup 1000 --threads 2

prints one JSON line: {"batch": 16, "samples": 4000, "seconds": ..., "samples_per_second": ...,
"threads": 2}. The bench gives it as many intra-op threads as the simulator uses, as the DJL baseline.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# The data as the fixtures script reads it (Debian's dataset-fashion-mnist, pixels / 255).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "fixtures"))
from make_fixtures import images, read_idx  # noqa: E402


def fake_quant(x):
    """uint8 affine per tensor with stochastic rounding, dequantized (the range always holds 0)."""
    lo = torch.clamp(x.min(), max=0.0)
    hi = torch.clamp(x.max(), min=0.0)
    scale = torch.clamp((hi - lo) / 255.0, min=1e-12)
    zero = torch.round(-lo / scale)
    q = torch.clamp(torch.floor(x / scale + zero + torch.rand_like(x)), 0, 255)
    return (q - zero) * scale


class Quantize(torch.autograd.Function):
    """Features forward, errors backward: both fake-quantized."""

    @staticmethod
    def forward(ctx, x):
        return fake_quant(x)

    @staticmethod
    def backward(ctx, grad):
        return fake_quant(grad)


class Q(nn.Module):
    def forward(self, x):
        return Quantize.apply(x)


def small_cnn():
    # fqt's Models.smallCnn: conv8-relu-pool, conv16-relu-pool, flatten, linear64-relu, linear10.
    return nn.Sequential(Q(), nn.Conv2d(1, 8, 3, padding=1), Q(), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1), Q(), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(784, 64), Q(), nn.ReLU(), nn.Linear(64, 10), Q())


def train(model, opt, x, y, batch):
    for i in range(0, len(x), batch):
        opt.zero_grad()
        loss = F.cross_entropy(model(x[i:i + batch]), y[i:i + batch])
        loss.backward()
        opt.step()
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(fake_quant(p))


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--batch", type=int, default=16)
    a.add_argument("--samples", type=int, default=4000)
    a.add_argument("--warmup", type=int, default=1000)
    a.add_argument("--threads", type=int, default=1, help="intra-op threads")
    args = a.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    pixels = images("train-images-idx3-ubyte")
    labels = torch.from_numpy(read_idx("train-labels-idx1-ubyte").astype(np.int64))
    order = torch.randperm(len(labels))[:args.warmup + args.samples]
    x, y = pixels[order], labels[order]
    model = small_cnn()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    train(model, opt, x[:args.warmup], y[:args.warmup], args.batch)
    t0 = time.perf_counter()
    train(model, opt, x[args.warmup:], y[args.warmup:], args.batch)
    seconds = time.perf_counter() - t0
    print(json.dumps({"batch": args.batch, "samples": args.samples, "seconds": seconds,
                      "samples_per_second": args.samples / seconds, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
