#!/usr/bin/env python3
"""Golden values from PyTorch for the tensor engine: a small CNN's forward pass, loss, every
gradient, and one Adam step (PyTorch's form), on fixed random inputs.

Writes Fixtures/torch/ (tensors as raw float32 little-endian files + manifest.json). Run it
through `Tools/make_fixtures.sh torch` (pinned venv: Tools/requirements-torch.txt).

The network, in Invariant's terms (NHWC activations, HWIO kernels, [in, out] dense weights):

    x [4, 9, 9, 3]
    conv1   3x3, 3 -> 5, padding same, bias, relu
    conv2   3x3, 5 -> 6, stride 2, padding valid, bias, relu      -> [4, 4, 4, 6]
    batch normalization, training mode, epsilon 1e-3, gamma, beta
    max pooling 2x2                                                -> [4, 2, 2, 6]

(The ReLU sits before the batch normalisation so that conv2's bias has a gradient: right
before a batch normalisation in training mode a bias cancels out and its gradient is 0.)
    flatten (channels last: h, w, c order)                         -> [4, 24]
    dense1  24 -> 7 + bias, gelu (exact)
    dense2  7 -> 5 + bias                                          -> logits [4, 5]
    loss = sparse categorical cross-entropy from logits, mean over the batch

PyTorch computes in float64 from the float32 inputs, so the committed values are the exact
answer for those inputs; Invariant computes in float32 and its tests state the tolerance.
After the backward pass, one step of torch.optim.Adam (lr 0.01, betas 0.9/0.999, eps 1e-8:
PyTorch's form, eps outside the square root, bias-corrected) gives the updated parameters.
"""
from __future__ import annotations

import json
import platform
import shutil
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "Fixtures" / "torch"


def main() -> None:
    rng = np.random.default_rng(20261204)

    def f32(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    # Invariant layouts, float32.
    arrays = {
        "input": f32(4, 9, 9, 3),
        "conv1.kernel": f32(3, 3, 3, 5, scale=0.3),
        "conv1.bias": f32(5, scale=0.1),
        "conv2.kernel": f32(3, 3, 5, 6, scale=0.2),
        "conv2.bias": f32(6, scale=0.1),
        "bn.gamma": (1 + f32(6, scale=0.1)),
        "bn.beta": f32(6, scale=0.1),
        "dense1.kernel": f32(24, 7, scale=0.3),
        "dense1.bias": f32(7, scale=0.1),
        "dense2.kernel": f32(7, 5, scale=0.4),
        "dense2.bias": f32(5, scale=0.1),
    }
    labels = [3, 0, 4, 1]
    parameter_names = [name for name in arrays if name != "input"]

    # float64 leaves in PyTorch layouts (NCHW, OIHW) built from the float32 values.
    def leaf(name):
        return torch.tensor(arrays[name].astype(np.float64), requires_grad=True)

    leaves = {name: leaf(name) for name in arrays}
    x = leaves["input"].permute(0, 3, 1, 2)

    def conv(inp, name, **kwargs):
        return F.conv2d(inp, leaves[f"{name}.kernel"].permute(3, 2, 0, 1), leaves[f"{name}.bias"], **kwargs)

    h = F.relu(conv(x, "conv1", padding=1))
    h = F.relu(conv(h, "conv2", stride=2))
    h = F.batch_norm(h, None, None, leaves["bn.gamma"], leaves["bn.beta"], training=True, eps=1e-3)
    h = F.max_pool2d(h, 2)
    h = h.permute(0, 2, 3, 1).reshape(4, -1)
    h = F.gelu(h @ leaves["dense1.kernel"] + leaves["dense1.bias"])
    logits = h @ leaves["dense2.kernel"] + leaves["dense2.bias"]
    loss = F.cross_entropy(logits, torch.tensor(labels))
    loss.backward()

    expected = {"logits": logits.detach().numpy(), "loss": loss.detach().numpy().reshape(1)}
    for name in arrays:
        expected[f"gradient/{name}"] = leaves[name].grad.numpy()

    # One Adam step on float64 copies of the parameters, with the gradients above.
    parameters = [torch.tensor(arrays[n].astype(np.float64)) for n in parameter_names]
    for parameter, name in zip(parameters, parameter_names):
        parameter.grad = leaves[name].grad.clone()
    optimizer = torch.optim.Adam(parameters, lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    optimizer.step()
    for parameter, name in zip(parameters, parameter_names):
        expected[f"adam/{name}"] = parameter.numpy()

    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "tensors").mkdir(parents=True)
    files = {}
    for group in (arrays, expected):
        for name, value in group.items():
            path = "tensors/" + name.replace("/", "__") + ".f32"
            np.asarray(value, dtype="<f4").tofile(OUT / path)
            files[name] = {"file": path, "shape": list(np.shape(value))}
    manifest = {
        "generator": "Tools/make_torch_fixtures.py",
        "torch": torch.__version__,
        "numpy": np.__version__,
        "machine": platform.machine(),
        "labels": labels,
        "parameters": parameter_names,
        "adam": {"learning_rate": 0.01, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8, "form": "pytorch"},
        "conventions": "float32 little-endian, row-major; Invariant layouts (NHWC, HWIO, dense [in, out]); "
                       "expected values computed by PyTorch in float64 from these float32 inputs",
        "tensors": files,
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {len(files)} tensors to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
