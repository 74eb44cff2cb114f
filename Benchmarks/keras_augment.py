#!/usr/bin/env python3
"""Keras's side of the `augment` figure: the lesson's own augmentation, Keras's legacy
`ImageDataGenerator` (Keras 3 keeps it in its tf.keras namespace,
`keras._tf_keras.keras.preprocessing.image`, which `tf.keras.preprocessing.image` is), on the same images as
`reference.py augment`, one thread. Prints one JSON line:

  {"bench":"augment","library":"keras-imagedatagenerator","img_per_s":..,...}

  keras_augment.py [--photos DIR] [--size 150] [--n 1000] [--passes N] [--min-seconds S]

The generator is configured as the Keras-like pipeline that Invariant's side runs
(hflip,rotate=20,zoom=0.8:1.2,shift=0.1,brightness=0.8:1.2): horizontal_flip,
rotation_range=20, zoom_range=0.2, width/height_shift_range=0.1, brightness_range
(0.8, 1.2), fill_mode "reflect" (scipy's, the nearest to reflect-101). Each image goes
through `random_transform` — what `flow`/`flow_from_directory` call per image: one
`apply_affine_transform` (scipy's `affine_transform`, order 1, on float32), the flip, and
PIL's brightness enhancer on the image truncated to uint8 — and comes back as float32,
as Keras yields it. Run in the torch venv (Keras 3 needs a backend to import; the generator
itself is NumPy, SciPy and PIL).
"""
import argparse
import os
import sys

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import augment_images, emit, timed_passes  # noqa: E402  (same images, same timing rule)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", help="JPEG photos for the odd-indexed images (default: all random content)")
    parser.add_argument("--size", type=int, default=150)
    parser.add_argument("--n", type=int, default=1000, help="images per pass (default 1000)")
    parser.add_argument("--passes", type=int, default=5, help="minimum timed passes (default 5)")
    parser.add_argument("--min-seconds", type=float, default=2.0, help="minimum timed seconds")
    args = parser.parse_args(argv)

    import keras
    import torch
    torch.set_num_threads(1)
    from keras._tf_keras.keras.preprocessing.image import ImageDataGenerator

    images, photo_count = augment_images(args.n, args.size, args.photos)
    # Keras works on float32 arrays (img_to_array); the conversion is not timed.
    arrays = [image.astype(np.float32) for image in images]
    print(f"keras_augment.py: {len(arrays)} images of {args.size}x{args.size}, {photo_count} distinct photos",
          file=sys.stderr)
    generator = ImageDataGenerator(rotation_range=20, width_shift_range=0.1, height_shift_range=0.1,
                                   zoom_range=0.2, brightness_range=(0.8, 1.2), horizontal_flip=True,
                                   fill_mode="reflect")
    np.random.seed(137)

    def run_pass():
        out = None
        for array in arrays:
            out = generator.random_transform(array)
        assert out.shape == (args.size, args.size, 3)

    rate, rates = timed_passes(run_pass, len(arrays), args.passes, args.min_seconds)
    emit({"bench": "augment", "library": "keras-imagedatagenerator", "img_per_s": round(rate, 1),
          "images": len(arrays), "size": args.size, "pipeline": "keras-like", "threads": 1,
          "passes": len(rates), "stat": "median", "version": keras.__version__})


if __name__ == "__main__":
    main()
