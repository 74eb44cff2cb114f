#!/usr/bin/env python3
"""PyTorch's side of the `train-step` figure: seconds per training step (forward, loss,
backward, Adam) on random data, for exactly the models `invariant bench train-step` times.
Prints one JSON line:

  {"bench":"train-step:small-cnn","library":"pytorch","img_per_s":..,"sec_per_step":..,...}

  train_step.py --model small-cnn|vgg16|vgg16-frozen [--steps N] [--warmup N] [--threads N]

Models (the same as the Swift side):
- small-cnn: Conv 32 3x3 relu, Conv 64 3x3 relu (valid), MaxPool 2, Flatten, Dense 128 relu,
  Dense 10, on 28x28x1, batch 64;
- vgg16: VGG16's convolutional base (13 same-padded 3x3 ReLU convolutions, 5 max poolings),
  Flatten, Dense 512 relu, Dense 196, on 150x150x3, batch 16; vgg16-frozen: the base frozen
  (requires_grad False, so autograd skips it).
Adam (lr 1e-3), cross-entropy from logits. Median over the timed steps, after warm-up steps.
"""
import argparse
import json
import resource
import statistics
import time

import torch
from torch import nn


def vgg16_base():
    layers, channels = [], 3
    for filters, count in [(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)]:
        for _ in range(count):
            layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(inplace=True)]
            channels = filters
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers)


def build(name):
    if name == "small-cnn":
        model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(12 * 12 * 64, 128), nn.ReLU(), nn.Linear(128, 10))
        return model, (64, 1, 28, 28), 10
    base = vgg16_base()
    if name == "vgg16-frozen":
        for parameter in base.parameters():
            parameter.requires_grad_(False)
    model = nn.Sequential(base, nn.Flatten(), nn.Linear(4 * 4 * 512, 512), nn.ReLU(), nn.Linear(512, 196))
    return model, (16, 3, 150, 150), 196


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, choices=["small-cnn", "vgg16", "vgg16-frozen"])
    ap.add_argument("--steps", type=int, default=None, help="timed steps (default 10; 30 for small-cnn)")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=None, help="torch threads (default: all cores)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model, shape, classes = build(args.model)
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    loss_function = nn.CrossEntropyLoss()
    images = torch.rand(shape) * 255
    labels = torch.randint(0, classes, (shape[0],))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_function(model(images), labels)
        loss.backward()
        optimizer.step()

    for _ in range(args.warmup):
        step()
    steps = args.steps or (30 if args.model == "small-cnn" else 10)
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(json.dumps({"bench": f"train-step:{args.model}", "library": "pytorch", "img_per_s": round(shape[0] / median, 1),
                      "images": shape[0], "sec_per_step": round(median, 4), "min": round(min(times), 4),
                      "max": round(max(times), 4),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "threads": torch.get_num_threads(),
                      "torch": torch.__version__}, separators=(",", ":")), flush=True)


if __name__ == "__main__":
    main()
