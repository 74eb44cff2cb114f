#!/usr/bin/env python3
"""Write the benchmark inputs that the Swift benchmarks and reference.py share.

    make_inputs.py [OUT_DIR]          (default .bench/inputs)

OUT_DIR/photos/ gets COUNT JPEG photos (quality 90, written by Pillow), each a random
crop / flip / scale of one of the real photographs bundled inside the scikit-image wheel,
resized to 500x375 (landscape, most of them) or 375x500 (portrait). Everything is drawn
from a fixed seed, so two runs with the same pinned Pillow write the same bytes.
If photos/ already holds exactly COUNT .jpg files, nothing is done.
"""
import argparse
import os
import random
import sys

import numpy as np
from PIL import Image
import skimage.data as skdata

COUNT = 200
SEED = 20240601
LANDSCAPE = (500, 375)          # (width, height)
PORTRAIT = (375, 500)
PORTRAIT_SHARE = 0.2
QUALITY = 90

# Real colour photographs whose files ship inside the scikit-image wheel (no pooch, no
# network). Loaders that would need a download are deliberately absent.
SOURCES = {
    "astronaut": skdata.astronaut,                       # 512x512
    "coffee": skdata.coffee,                             # 600x400
    "chelsea": skdata.chelsea,                           # 451x300
    "rocket": skdata.rocket,                             # 640x427
    "motorcycle": lambda: skdata.stereo_motorcycle()[0],  # 741x500
    "hubble_deep_field": skdata.hubble_deep_field,       # 1000x872
}


def load_sources():
    images = []
    for name, fn in SOURCES.items():
        arr = np.asarray(fn())
        if arr.ndim != 3 or arr.shape[2] < 3:
            raise SystemExit(f"make_inputs: skimage photo {name} is not RGB: {arr.shape}")
        images.append((name, Image.fromarray(arr[:, :, :3].astype(np.uint8), "RGB")))
    return images


def random_view(rng, src, size):
    """A random crop with the target aspect ratio covering 40-100% of the largest such
    crop's area, at a random position, optionally mirrored, resized to `size`."""
    w, h = src.size
    tw, th = size
    aspect = tw / th
    # Largest crop of this aspect that fits in the source.
    max_w = min(w, h * aspect)
    scale = rng.uniform(0.4, 1.0) ** 0.5
    cw = max(1, int(round(max_w * scale)))
    ch = max(1, int(round(cw / aspect)))
    cw, ch = min(cw, w), min(ch, h)
    x = rng.randint(0, w - cw)
    y = rng.randint(0, h - ch)
    im = src.crop((x, y, x + cw, y + ch))
    if rng.random() < 0.5:
        im = im.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return im.resize(size, Image.Resampling.LANCZOS)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", default=".bench/inputs")
    ap.add_argument("--count", type=int, default=COUNT)
    args = ap.parse_args(argv)

    photos = os.path.join(args.out, "photos")
    if os.path.isdir(photos):
        have = [f for f in os.listdir(photos) if f.endswith(".jpg")]
        if len(have) == args.count:
            print(f"make_inputs: {photos} already holds {args.count} photos", file=sys.stderr)
            return 0
        for f in have:  # wrong count: start over so the set is exactly the seeded one
            os.remove(os.path.join(photos, f))
    os.makedirs(photos, exist_ok=True)

    sources = load_sources()
    rng = random.Random(SEED)
    for i in range(args.count):
        name, src = sources[rng.randrange(len(sources))]
        size = PORTRAIT if rng.random() < PORTRAIT_SHARE else LANDSCAPE
        im = random_view(rng, src, size)
        path = os.path.join(photos, f"{i:04d}_{name}.jpg")
        tmp = path + ".tmp"
        im.save(tmp, "JPEG", quality=QUALITY)
        os.replace(tmp, path)
    print(f"make_inputs: wrote {args.count} photos to {photos}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
