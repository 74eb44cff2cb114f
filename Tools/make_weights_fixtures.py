"""Weights fixtures: one VGG16-layout network's weights in every dialect Invariant loads, and
the reference outputs Keras 3 and PyTorch compute with them.

    Tools/make_fixtures.sh weights              # Fixtures/weights/
    Tools/make_fixtures.sh weights --full DIR   # also full-size VGG16 files (59 MB each) in DIR

Fixtures/weights/ (small, committed):
- small-legacy.h5       Keras 1 layout, as vgg16_weights_tf_dim_ordering_tf_kernels*.h5: root
                        attribute layer_names, per-layer weight_names, flat datasets
                        `block1_conv1_W_1:0`; fixed-length string attributes (h5py `S`).
- small-tfkeras.h5      tf.keras `model.save` layout: everything under /model_weights, a nested
                        `vgg16` model whose group holds `block1_conv1/kernel:0`…, fc2's weights
                        under TensorFlow 1's uniquified scope `fc2_1/`; variable-length strings.
- small.weights.h5      written by Keras 3 itself (`save_weights`) from Sequential([vgg16 functional,
                        Flatten, fc1, fc2, predictions]).
- small-torchvision.safetensors  torchvision's VGG16 keys (`features.0.weight`, OIHW;
                        `classifier.0.weight`, [out, in], its rows in PyTorch's C×H×W order), written
                        by torch + safetensors.
- attributes.h5         the HDF5 reader's corner cases: Keras's chunked attributes (`layer_names0`,
                        `layer_names1`), a scalar variable-length string, an integer attribute, a
                        float64 and an integer dataset.
- plain.h5              an HDF5 file without Keras weights.
- references.json       the forward outputs: Keras 3 after `load_weights` of each .h5 file, and
                        PyTorch after `load_state_dict` of the safetensors file; plus full-size
                        VGG16 (notop) outputs for weights given by a formula (below).

The network: VGG16's layers and names with block widths SMALL_FILTERS, fc1/fc2 of DENSE_UNITS,
CLASSES classes, on a HEIGHT×WIDTH image (non-square, so that a swapped H/W or the CHW/HWC
flatten order would show). The image is `image(h, w)` (integers 0…255), preprocessed with
Keras's `caffe` mode before both frameworks see it.

Full-size formula weights (exact in float32, reproduced by the Swift tests): see `formula`.
"""
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Fixtures" / "weights"
SMALL_FILTERS = [4, 8, 8, 16, 16]
FULL_FILTERS = [64, 128, 256, 512, 512]
DENSE_UNITS = 16
CLASSES = 5
HEIGHT, WIDTH = 64, 96
FULL_SIZE = 64
BLOCKS = [2, 2, 3, 3, 3]

torch.set_num_threads(1)


def image(height, width):
    """RGB values 0…255 as float32, shape (h, w, 3)."""
    y, x, c = np.meshgrid(np.arange(height), np.arange(width), np.arange(3), indexing="ij")
    return ((y * 31 + x * 17 + c * 101 + (y * x) % 53) % 256).astype(np.float32)


def preprocessed(height, width):
    return keras.applications.vgg16.preprocess_input(image(height, width)[None].copy())


def conv_names():
    return [f"block{b + 1}_conv{i + 1}" for b, n in enumerate(BLOCKS) for i in range(n)]


def formula(layer, tensor, shape, fan_in=None):
    """Weight `tensor` (0 kernel, 1 bias) of conv layer `layer` (0…12): a uint32 hash of the
    flat index j, its top 24 bits centred, times a power of two — exact in float32.
    Kernels lie in [-2^-e, 2^-e) with e = (bit_length(fan_in) - 1) // 2 - 1 (about He's
    scale); biases in [-1/32, 1/32)."""
    j = np.arange(int(np.prod(shape)), dtype=np.uint32)
    x = j * np.uint32(0x9E3779B1) + np.uint32(((layer * 2 + tensor + 1) * 0x85EBCA77) & 0xFFFFFFFF)
    x ^= x >> np.uint32(15)
    x *= np.uint32(0x2C1B3C6D)
    x ^= x >> np.uint32(12)
    v = (x >> np.uint32(8)).astype(np.int64) - (1 << 23)
    e = 5 if tensor == 1 else (fan_in.bit_length() - 1) // 2 - 1
    return (v.astype(np.float32) * np.float32(2.0 ** -(23 + e))).reshape(shape)


def formula_weights(filters):
    weights, channels = {}, 3
    for index, name in enumerate(conv_names()):
        out = filters[int(name[5]) - 1]
        weights[name] = [formula(index, 0, (3, 3, channels, out), 9 * channels), formula(index, 1, (out,))]
        channels = out
    return weights


def random_weights(filters, flat_features, seed=7):
    """He-normal kernels and small biases (Keras layouts: HWIO, [in, out]); the first kernel
    scaled by 1/100 for inputs of ±128, so that the softmax is not saturated."""
    rng = np.random.default_rng(seed)
    weights, channels = {}, 3
    for name in conv_names():
        out = filters[int(name[5]) - 1]
        scale = 0.01 if name == "block1_conv1" else 1
        kernel = scale * rng.normal(0, np.sqrt(2 / (9 * channels)), (3, 3, channels, out))
        weights[name] = [kernel.astype(np.float32), rng.normal(0, 0.1, out).astype(np.float32)]
        channels = out
    for name, (inputs, outputs) in [("fc1", (flat_features, DENSE_UNITS)), ("fc2", (DENSE_UNITS, DENSE_UNITS)),
                                    ("predictions", (DENSE_UNITS, CLASSES))]:
        kernel = rng.normal(0, np.sqrt(2 / inputs), (inputs, outputs))
        weights[name] = [kernel.astype(np.float32), rng.normal(0, 0.1, outputs).astype(np.float32)]
    return weights


# Keras models ---------------------------------------------------------------------------------

def keras_base(filters, shape, name="vgg16"):
    inputs = keras.Input(shape)
    x = inputs
    for block, count in enumerate(BLOCKS):
        for i in range(count):
            x = keras.layers.Conv2D(filters[block], 3, padding="same", activation="relu",
                                    name=f"block{block + 1}_conv{i + 1}")(x)
        x = keras.layers.MaxPooling2D(2, name=f"block{block + 1}_pool")(x)
    return keras.Model(inputs, x, name=name)


def keras_head():
    return [keras.layers.Flatten(name="flatten"),
            keras.layers.Dense(DENSE_UNITS, activation="relu", name="fc1"),
            keras.layers.Dense(DENSE_UNITS, activation="relu", name="fc2"),
            keras.layers.Dense(CLASSES, activation="softmax", name="predictions")]


def keras_flat(filters, shape):
    """VGG16 with its top as one functional model (keras.applications' structure)."""
    base = keras_base(filters, shape)
    x = base.output
    for layer in keras_head():
        x = layer(x)
    return keras.Model(base.input, x, name="vgg16")


def keras_nested(filters, shape):
    """A Sequential classifier around a functional VGG16 base (the lesson's structure)."""
    return keras.Sequential([keras.Input(shape), keras_base(filters, shape)] + keras_head(), name="classifier")


def rounded(values):
    """float32 values to 9 significant digits (enough to round-trip), for a smaller JSON file."""
    return [float(f"{v:.9g}") for v in np.asarray(values, dtype=np.float32).ravel()]


def keras_outputs(model, x):
    if model.name == "classifier":
        features = model.get_layer("vgg16")(x)
    else:
        features = keras.Model(model.input, model.get_layer("block5_pool").output)(x)
    numpy = keras.ops.convert_to_numpy
    return {"block5_pool": rounded(numpy(features)[0]), "predictions": rounded(numpy(model(x))[0])}


# Writers -------------------------------------------------------------------------------------

def write_legacy(path, weights, with_top):
    """Keras 1 layout, fixed-length strings, as the ImageNet files Keras downloads."""
    names = ["input_1"] + [n for b, c in enumerate(BLOCKS) for n in
                           [f"block{b + 1}_conv{i + 1}" for i in range(c)] + [f"block{b + 1}_pool"]]
    if with_top:
        names += ["flatten", "fc1", "fc2", "predictions"]
    with h5py.File(path, "w") as f:
        f.attrs["layer_names"] = np.array([n.encode() for n in names])
        f.attrs["keras_version"] = b"1.2.2"
        f.attrs["backend"] = b"tensorflow"
        for name in names:
            group = f.create_group(name)
            if name in weights:
                weight_names = [f"{name}_W_1:0", f"{name}_b_1:0"]
                group.attrs["weight_names"] = np.array([w.encode() for w in weight_names])
                for weight_name, value in zip(weight_names, weights[name]):
                    group.create_dataset(weight_name, data=value)
            else:
                group.attrs["weight_names"] = np.asarray([])


def write_tfkeras(path, weights):
    """tf.keras `model.save('x.h5')` layout of the nested classifier: /model_weights, nested
    names, variable-length strings."""
    text = h5py.string_dtype()
    with h5py.File(path, "w") as f:
        root = f.create_group("model_weights")
        names = ["input_1", "vgg16", "flatten", "fc1", "fc2", "predictions"]
        root.attrs.create("layer_names", names, dtype=text)
        root.attrs["keras_version"] = "2.15.0"
        root.attrs["backend"] = "tensorflow"
        for name in names:
            group = root.create_group(name)
            owners = conv_names() if name == "vgg16" else [name] if name in weights else []
            # TensorFlow 1 uniquified variable scopes when a model was built twice: fc2's
            # weights are `fc2_1/kernel:0` in group `fc2`.
            scopes = {owner: owner + "_1" if owner == "fc2" else owner for owner in owners}
            weight_names = [f"{scopes[owner]}/{kind}:0" for owner in owners for kind in ("kernel", "bias")]
            group.attrs.create("weight_names", weight_names, dtype=text)
            for owner in owners:
                for kind, value in zip(("kernel", "bias"), weights[owner]):
                    group.create_dataset(f"{scopes[owner]}/{kind}:0", data=value)


def write_attributes(path):
    with h5py.File(path, "w") as f:
        f.attrs["layer_names0"] = np.array([b"block1_conv1", b"block1_conv2"])
        f.attrs["layer_names1"] = np.array([b"block1_pool"])
        f.attrs.create("title", "weights", dtype=h5py.string_dtype())
        f.attrs["count"] = np.int64(3)
        f.create_dataset("group/doubles", data=np.array([[0.5, -1.25, 3.0]], dtype=np.float64))
        f.create_dataset("group/integers", data=np.arange(4, dtype=np.int32))
    with h5py.File(path.with_name("plain.h5"), "w") as f:
        f.create_dataset("values", data=np.zeros(2, dtype=np.float32))


def torch_vgg(filters, flat_features, pooled, with_top=True):
    """torchvision's VGG16 structure (its `features` and `classifier` indices)."""
    layers, channels = [], 3
    for block, count in enumerate(BLOCKS):
        for _ in range(count):
            layers += [torch.nn.Conv2d(channels, filters[block], 3, padding=1), torch.nn.ReLU(inplace=True)]
            channels = filters[block]
        layers.append(torch.nn.MaxPool2d(2, 2))
    model = torch.nn.Module()
    model.features = torch.nn.Sequential(*layers)
    model.avgpool = torch.nn.AdaptiveAvgPool2d(pooled)
    if with_top:
        model.classifier = torch.nn.Sequential(
            torch.nn.Linear(flat_features, DENSE_UNITS), torch.nn.ReLU(True), torch.nn.Dropout(),
            torch.nn.Linear(DENSE_UNITS, DENSE_UNITS), torch.nn.ReLU(True), torch.nn.Dropout(),
            torch.nn.Linear(DENSE_UNITS, CLASSES))
    return model.eval()


def torch_state(weights, pooled_shape):
    """Keras-layout weights under torchvision's keys and layouts."""
    state, conv_indices = {}, []
    index = 0
    for count in BLOCKS:
        conv_indices += [index + 2 * i for i in range(count)]
        index += 2 * count + 1
    for name, at in zip(conv_names(), conv_indices):
        kernel, bias = weights[name]
        state[f"features.{at}.weight"] = torch.from_numpy(np.ascontiguousarray(kernel.transpose(3, 2, 0, 1)))
        state[f"features.{at}.bias"] = torch.from_numpy(bias)
    if "fc1" in weights:
        h, w, c = pooled_shape
        kernel = weights["fc1"][0]
        rows = kernel.reshape(h, w, c, -1).transpose(2, 0, 1, 3).reshape(h * w * c, -1)  # HWC rows → CHW rows
        for name, at, matrix in [("fc1", 0, rows), ("fc2", 3, weights["fc2"][0]), ("predictions", 6, weights["predictions"][0])]:
            state[f"classifier.{at}.weight"] = torch.from_numpy(np.ascontiguousarray(matrix.T))
            state[f"classifier.{at}.bias"] = torch.from_numpy(weights[name][1])
    return state


def torch_outputs(model, x):
    with torch.no_grad():
        batch = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
        features = model.features(batch)
        result = {"block5_pool": rounded(features[0].permute(1, 2, 0).numpy())}  # HWC order
        if hasattr(model, "classifier"):
            logits = model.classifier(torch.flatten(model.avgpool(features), 1))
            result["predictions"] = rounded(torch.softmax(logits, 1)[0].numpy())
    return result


def set_keras_weights(model, weights):
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            set_keras_weights(layer, weights)
        elif layer.name in weights:
            layer.set_weights(weights[layer.name])


def main():
    full_dir = Path(sys.argv[sys.argv.index("--full") + 1]) if "--full" in sys.argv else None
    OUT.mkdir(parents=True, exist_ok=True)
    shape = (HEIGHT, WIDTH, 3)
    pooled = (HEIGHT // 32, WIDTH // 32, SMALL_FILTERS[-1])
    weights = random_weights(SMALL_FILTERS, int(np.prod(pooled)))
    x = preprocessed(HEIGHT, WIDTH)
    references = {"height": HEIGHT, "width": WIDTH, "filters": SMALL_FILTERS, "dense_units": DENSE_UNITS,
                  "classes": CLASSES, "keras": keras.__version__, "torch": torch.__version__}

    write_legacy(OUT / "small-legacy.h5", weights, with_top=True)
    flat = keras_flat(SMALL_FILTERS, shape)
    flat.load_weights(str(OUT / "small-legacy.h5"))
    references["keras_legacy"] = keras_outputs(flat, x)

    write_tfkeras(OUT / "small-tfkeras.h5", weights)
    nested = keras_nested(SMALL_FILTERS, shape)
    nested.load_weights(str(OUT / "small-tfkeras.h5"))
    references["keras_tfkeras"] = keras_outputs(nested, x)

    writer = keras_nested(SMALL_FILTERS, shape)
    set_keras_weights(writer, weights)
    writer.save_weights(str(OUT / "small.weights.h5"))
    reader = keras_nested(SMALL_FILTERS, shape)
    reader.load_weights(str(OUT / "small.weights.h5"))
    references["keras3"] = keras_outputs(reader, x)

    save_file(torch_state(weights, pooled), str(OUT / "small-torchvision.safetensors"))
    from safetensors.torch import load_file
    model = torch_vgg(SMALL_FILTERS, int(np.prod(pooled)), pooled[:2])
    model.load_state_dict(load_file(str(OUT / "small-torchvision.safetensors")))
    references["torch"] = torch_outputs(model, x)

    # Full-size VGG16 (notop) with formula weights: only the outputs are committed.
    full_shape = (FULL_SIZE, FULL_SIZE, 3)
    full_weights = formula_weights(FULL_FILTERS)
    x_full = preprocessed(FULL_SIZE, FULL_SIZE)
    vgg = keras.applications.VGG16(include_top=False, weights=None, input_shape=full_shape)
    set_keras_weights(vgg, full_weights)
    references["full_size"] = FULL_SIZE
    references["full_keras"] = rounded(keras.ops.convert_to_numpy(vgg(x_full))[0])
    full_torch = torch_vgg(FULL_FILTERS, 0, (1, 1), with_top=False)
    full_torch.load_state_dict(torch_state(full_weights, None))
    references["full_torch"] = torch_outputs(full_torch, x_full)["block5_pool"]

    write_attributes(OUT / "attributes.h5")
    (OUT / "references.json").write_text(json.dumps(references, indent=None) + "\n")
    if full_dir:
        full_dir.mkdir(parents=True, exist_ok=True)
        write_legacy(full_dir / "vgg16-formula-legacy.h5", full_weights, with_top=False)
        vgg.save_weights(str(full_dir / "vgg16-formula.weights.h5"))
        save_file(torch_state(full_weights, None), str(full_dir / "vgg16-formula-torchvision.safetensors"))
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
