#!/usr/bin/env python3
"""Reference measurements for `make bench`: the same work as the Swift benchmarks, done
with the libraries people would otherwise use. Prints ONE JSON line per figure to stdout
(progress and notes go to stderr), e.g.

  {"bench":"decode","library":"pillow","img_per_s":1234.5,"images":200,"size":150,"threads":1,...}

Subcommands:
  reference.py decode --photos DIR [--size 150] [--passes N] [--min-seconds S] [--library pillow|opencv|all]
  reference.py loader --data DIR [--limit 10000] [--batch 64] [--workers 2] [--passes N] [--variant pool|threads|all]
  reference.py augment [--photos DIR] [--size 150] [--n 1000] [--passes N] [--library albumentations|opencv-fused|all]
  reference.py transforms [--photos DIR] [--sizes 150,224] [--n 300] [--passes 3] [--min-seconds 1] [--only NAME,...] [--list]

Timing rule (the same for every figure, and the one the Swift side follows): one untimed
warm-up pass (it also brings the files into the page cache), then timed passes until both
--passes and --min-seconds are reached; img_per_s is the MEDIAN over the timed passes of
(images in one pass / seconds of that pass). Median rather than best, so that one lucky
pass on a shared 2-core machine does not decide the figure.
"""
import argparse
import concurrent.futures
import io
import json
import multiprocessing
import os
import statistics
import sys
import time

if len(sys.argv) > 1 and sys.argv[1] in ("augment", "transforms"):
    # One thread everywhere for the augment figure; must precede numpy's import.
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_var, "1")
    # albumentations 2.x otherwise checks online for a newer version at import.
    os.environ.setdefault("NO_ALBUMENTATIONS_UPDATE", "1")

import numpy as np

IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".bmp", ".ppm", ".tif", ".tiff")  # Keras' white list


def emit(record):
    print(json.dumps(record, separators=(",", ":")), flush=True)


def timed_passes(run_pass, images, passes, min_seconds):
    """Warm-up, then at least `passes` timed passes and at least `min_seconds` in all.
    Returns (median img/s, list of per-pass img/s)."""
    run_pass()  # warm-up, untimed
    rates, total = [], 0.0
    while len(rates) < passes or total < min_seconds:
        t0 = time.perf_counter()
        run_pass()
        dt = time.perf_counter() - t0
        total += dt
        rates.append(images / dt)
    return statistics.median(rates), rates


# ---------------------------------------------------------------- decode

def list_photos(folder):
    files = sorted(f for f in os.listdir(folder) if f.lower().endswith((".jpg", ".jpeg")))
    if not files:
        raise SystemExit(f"reference.py: no JPEG files in {folder}")
    return [os.path.join(folder, f) for f in files]


def decode_pass_pillow(paths, size):
    from PIL import Image
    out = None
    for p in paths:
        # Read from disk + decode (DCT-domain downscale via draft) + resize to size x size RGB.
        im = Image.open(p)
        im.draft("RGB", (size, size))
        im = im.convert("RGB").resize((size, size), Image.BILINEAR)
        out = np.asarray(im)
    assert out.shape == (size, size, 3)


def decode_pass_opencv(paths, size):
    import cv2
    out = None
    for p in paths:
        # IMREAD_REDUCED_COLOR_2 = libjpeg's 1/2 DCT scaling, like Pillow's draft on these inputs.
        img = cv2.imread(p, cv2.IMREAD_REDUCED_COLOR_2)
        img = cv2.resize(img, (size, size), interpolation=cv2.INTER_LINEAR)
        out = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    assert out.shape == (size, size, 3)


def cmd_decode(args):
    paths = list_photos(args.photos)
    libs = ["pillow", "opencv"] if args.library == "all" else [args.library]
    for lib in libs:
        if lib == "pillow":
            import PIL
            version = PIL.__version__
            run = lambda: decode_pass_pillow(paths, args.size)  # noqa: E731
        else:
            import cv2
            cv2.setNumThreads(1)
            version = cv2.__version__
            run = lambda: decode_pass_opencv(paths, args.size)  # noqa: E731
        rate, rates = timed_passes(run, len(paths), args.passes, args.min_seconds)
        emit({"bench": "decode", "library": lib, "img_per_s": round(rate, 1),
              "images": len(paths), "size": args.size, "threads": 1,
              "passes": len(rates), "stat": "median", "version": version})


# ---------------------------------------------------------------- loader

def keras_file_list(directory):
    """Files in the order Keras' flow_from_directory yields them (shuffle=False): class
    folders sorted by name, then within each class os.walk sorted by root, files sorted."""
    classes = sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
    if not classes:
        raise SystemExit(f"reference.py: no class folders in {directory}")
    files, labels = [], []
    for idx, cls in enumerate(classes):
        root_dir = os.path.join(directory, cls)
        for root, _, names in sorted(os.walk(root_dir), key=lambda x: x[0]):
            for name in sorted(names):
                if name.lower().endswith(IMAGE_EXTS):
                    files.append(os.path.join(root, name))
                    labels.append(idx)
    return classes, files, np.asarray(labels, dtype=np.int32)


def load_batch(job):
    """What Keras' DirectoryIterator does for one batch with color_mode='grayscale',
    class_mode='categorical' and target_size equal to the file size: load_img (read the
    file's bytes, PIL open, convert to 'L'), img_to_array (float32, HxWx1) into a
    zeroed batch array, plus the one-hot label batch."""
    from PIL import Image
    paths, labels, num_classes = job
    batch_x = None
    for i, p in enumerate(paths):
        with open(p, "rb") as f:
            im = Image.open(io.BytesIO(f.read()))
        if im.mode not in ("L", "I;16", "I"):
            im = im.convert("L")
        x = np.asarray(im, dtype=np.float32)
        if batch_x is None:
            batch_x = np.zeros((len(paths),) + x.shape + (1,), dtype=np.float32)
        batch_x[i] = x[:, :, None]
    batch_y = np.zeros((len(paths), num_classes), dtype=np.float32)
    batch_y[np.arange(len(paths)), labels] = 1.0
    return batch_x, batch_y


def cmd_loader(args):
    classes, files, labels = keras_file_list(args.data)
    if args.limit and args.limit > 0:
        files, labels = files[:args.limit], labels[:args.limit]
    n = len(files)
    batches = [(files[i:i + args.batch], labels[i:i + args.batch], len(classes))
               for i in range(0, n, args.batch)]
    print(f"reference.py loader: {n} images, {len(classes)} classes, {len(batches)} batches",
          file=sys.stderr)

    variants = ["pool", "threads"] if args.variant == "all" else [args.variant]
    for variant in variants:
        if variant == "pool":
            # Like Keras' OrderedEnqueuer with use_multiprocessing=True: a process pool
            # whose workers each build one whole batch; batches come back in order.
            # Pool start-up is outside the timed passes (Keras starts it once per fit).
            executor = multiprocessing.get_context("fork").Pool(args.workers)
            mapper = lambda: executor.imap(load_batch, batches)  # noqa: E731
            name = f"pillow-pool{args.workers}"
        else:
            executor = concurrent.futures.ThreadPoolExecutor(args.workers)
            mapper = lambda: executor.map(load_batch, batches)  # noqa: E731
            name = f"pillow-threads{args.workers}"

        def run_pass():
            seen = 0
            for bx, by in mapper():
                assert bx.dtype == np.float32 and bx.ndim == 4 and bx.shape[3] == 1
                seen += bx.shape[0]
            assert seen == n

        try:
            rate, rates = timed_passes(run_pass, n, args.passes, args.min_seconds)
        finally:
            if variant == "pool":
                executor.close()
                executor.join()
            else:
                executor.shutdown()
        emit({"bench": "loader", "library": name, "img_per_s": round(rate, 1),
              "images": n, "batch": args.batch, "workers": args.workers,
              "passes": len(rates), "stat": "median"})


# ---------------------------------------------------------------- augment
#
# The Keras-like pipeline of `invariant bench augment` (hflip,rotate=20,zoom=0.8:1.2,
# shift=0.1,brightness=0.8:1.2): horizontal flip with p = 0.5, rotation by U(-20, 20)
# degrees about the centre, zoom U(0.8, 1.2) (same factor on both axes) about the centre,
# shift U(-0.1, 0.1) x size on each axis independently, brightness x U(0.8, 1.2); bilinear,
# reflect101 border. Parameters are drawn per image. The images are in memory; one thread.

def augment_images(n, size, photos_dir, seed=12345):
    """N size x size RGB uint8 images, as the Swift side builds them: even indices random
    content; odd indices the photos (the first n/2 JPEGs of DIR, sorted, decoded with
    Pillow's draft and resized to size x size bilinear, whole frame), cycled; all random
    when there are no photos. The cost of a warp does not depend on the content."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    photos = []
    if photos_dir and os.path.isdir(photos_dir):
        for p in list_photos(photos_dir)[:max(n // 2, 1)]:
            im = Image.open(p)
            im.draft("RGB", (size, size))
            photos.append(np.ascontiguousarray(im.convert("RGB").resize((size, size), Image.BILINEAR)))
    images = []
    for i in range(n):
        if photos and i % 2 == 1:
            images.append(photos[(i // 2) % len(photos)])
        else:
            images.append(rng.integers(0, 256, (size, size, 3), dtype=np.uint8))
    return images, len(photos)


def albumentations_pipeline(seed=137):
    """The closest albumentations equivalent. Differences from Invariant's pipeline:
    A.Affine builds one matrix from rotate/scale/translate and makes one cv2.warpAffine
    (like Invariant's fused warp); flip is a separate cv2.flip (Invariant folds it into the
    warp). Brightness is A.MultiplicativeNoise with one multiplier for the whole image
    (elementwise=False, per_channel=False) — a multiplicative factor like PIL's
    ImageEnhance.Brightness; it may round where PIL truncates (one level at most), which
    does not change the cost. A.RandomBrightnessContrast would be the wrong equivalent:
    it adds an offset (brightness_limit x 255 or x the mean) instead of multiplying.
    Compose adds albumentations' per-call bookkeeping, which is part of what users pay."""
    import albumentations as A
    import cv2
    return A.Compose([
        A.HorizontalFlip(p=0.5),
        A.Affine(rotate=(-20, 20), scale=(0.8, 1.2), keep_ratio=True, translate_percent=(-0.1, 0.1),
                 shear=0, interpolation=cv2.INTER_LINEAR, border_mode=cv2.BORDER_REFLECT_101, p=1.0),
        A.MultiplicativeNoise(multiplier=(0.8, 1.2), per_channel=False, elementwise=False, p=1.0),
    ], seed=seed)


def opencv_fused_augment(image, rng, levels=np.arange(256, dtype=np.float32)):
    """Hand-fused raw OpenCV: one warpAffine with the composed rotate+zoom+shift matrix
    (getRotationMatrix2D about the centre with the zoom as its scale, plus the shift),
    cv2.flip of the result when the flip is drawn (flip-after-warp is the same random
    family, as the angle and shift ranges are symmetric), and PIL's brightness table
    (trunc(float32 factor x level), clipped at 255) through cv2.LUT."""
    import cv2
    h, w = image.shape[:2]
    flip, angle, zoom, dx, dy, factor = rng.random(6)
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), 40 * angle - 20, 0.8 + 0.4 * zoom)
    matrix[0, 2] += (0.2 * dx - 0.1) * w
    matrix[1, 2] += (0.2 * dy - 0.1) * h
    out = cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)
    if flip < 0.5:
        out = cv2.flip(out, 1)
    table = np.minimum(np.float32(0.8 + 0.4 * factor) * levels, 255).astype(np.uint8)
    return cv2.LUT(out, table)


def cmd_augment(args):
    import cv2
    cv2.setNumThreads(1)
    images, photo_count = augment_images(args.n, args.size, args.photos)
    print(f"reference.py augment: {len(images)} images of {args.size}x{args.size}, "
          f"{photo_count} distinct photos", file=sys.stderr)
    libs = ["albumentations", "opencv-fused"] if args.library == "all" else [args.library]
    for lib in libs:
        if lib == "albumentations":
            import albumentations as A
            pipeline = albumentations_pipeline()
            version = A.__version__

            def run_pass():
                out = None
                for img in images:
                    out = pipeline(image=img)["image"]
                assert out.shape == (args.size, args.size, 3) and out.dtype == np.uint8
        else:
            version = cv2.__version__
            rng = np.random.default_rng(137)

            def run_pass():
                out = None
                for img in images:
                    out = opencv_fused_augment(img, rng)
                assert out.shape == (args.size, args.size, 3) and out.dtype == np.uint8
        rate, rates = timed_passes(run_pass, len(images), args.passes, args.min_seconds)
        emit({"bench": "augment", "library": lib, "img_per_s": round(rate, 1),
              "images": len(images), "size": args.size, "pipeline": "keras-like", "threads": 1,
              "passes": len(rates), "stat": "median", "version": version})


# ---------------------------------------------------------------- transforms
#
# One transform at a time, Invariant's spec token beside albumentations' same transform,
# at each size. Both sides run with the same probability: p = 1 everywhere except where
# Invariant's spec token has a fixed p = 0.5 (solarize, posterize, rgb-shift: the spec
# parser has no probability form for them), where albumentations gets p = 0.5 as well so
# that both transform about half the images. Geometric settings are Invariant's defaults:
# bilinear, reflect101 border. `{c}` in a spec is 4/5 of the side (crop / resize target),
# `{p}` is the side + 50 (pad target), so that no crop or pad is a no-op at either size.
#
# Where the two sides do not do exactly the same work (noted per entry):
# - crops (center-crop, crop): albumentations slices the array and returns a contiguous
#   copy (checked: C-contiguous, no memory shared with the input); Invariant returns a view
#   of the input (O(1); its images are copy-on-write). Same output; only albumentations copies.
# - hflip / vflip: cv2.flip there; transpose / rotate90: np.transpose / np.rot90 made
#   contiguous there; a nearest-neighbour warp here. Same output, exact.
# - brightness: A.MultiplicativeNoise with one multiplier per image (elementwise=False,
#   per_channel=False) = a multiplicative brightness factor; it rounds where PIL (and
#   Invariant) truncate: at most one level, same cost. (A.ColorJitter(brightness=...) is
#   multiplicative too but also runs its contrast/saturation/hue steps; A.RandomBrightness-
#   Contrast adds an offset instead of multiplying: neither is the same transform.)
# - zoom / shift / shear: A.Affine with only that parameter set; it still builds the full
#   matrix and makes one cv2.warpAffine, as Invariant makes one warp.
# - random-resized-crop: the same torchvision region draw; both resample the region
#   straight to the target (no antialiasing).
# - rotate90: both draw 0..3 quarter turns (0 = identity, still an output image).
# - perspective: albumentations warps to the quadrilateral's size and resizes back (two
#   resamplings); Invariant maps the quadrilateral onto the canvas with one homography.
# - elastic: the same field statistics (Gaussian noise smoothed by sigma 50), different noise.
# - motion-blur: the same line kernels up to rasterisation; jpeg: libjpeg-turbo on both sides.

def _transform_table():
    """[(name, spec template, albumentations factory(size) -> transform)]."""
    import albumentations as A
    import cv2
    lin, r101 = cv2.INTER_LINEAR, cv2.BORDER_REFLECT_101

    def c(size):  # crop / resize target side
        return size * 4 // 5

    def pad(size):
        return size + 50

    return [
        ("hflip", "hflip=1", lambda s: A.HorizontalFlip(p=1)),
        ("vflip", "vflip=1", lambda s: A.VerticalFlip(p=1)),
        ("transpose", "transpose=1", lambda s: A.Transpose(p=1)),
        ("rotate90", "rotate90=1", lambda s: A.RandomRotate90(p=1)),
        ("rotate", "rotate=20", lambda s: A.Rotate(limit=20, interpolation=lin, border_mode=r101, p=1)),
        ("zoom", "zoom=0.8:1.2",
         lambda s: A.Affine(scale=(0.8, 1.2), keep_ratio=True, interpolation=lin, border_mode=r101, p=1)),
        ("shift", "shift=0.1",
         lambda s: A.Affine(translate_percent=(-0.1, 0.1), interpolation=lin, border_mode=r101, p=1)),
        ("shear", "shear=10",
         lambda s: A.Affine(shear={"x": (-10, 10), "y": (-10, 10)}, interpolation=lin, border_mode=r101, p=1)),
        ("brightness", "brightness=0.8:1.2",
         lambda s: A.MultiplicativeNoise(multiplier=(0.8, 1.2), per_channel=False, elementwise=False, p=1)),
        ("gamma", "gamma=0.8:1.2", lambda s: A.RandomGamma(gamma_limit=(80, 120), p=1)),
        ("solarize", "solarize=128", lambda s: A.Solarize(threshold_range=(0.5, 0.5), p=0.5)),   # p = 0.5 both
        ("posterize", "posterize=4:4", lambda s: A.Posterize(num_bits=(4, 4), p=0.5)),           # p = 0.5 both
        ("invert", "invert=1", lambda s: A.InvertImg(p=1)),
        ("rgb-shift", "rgb-shift=20",                                                            # p = 0.5 both
         lambda s: A.RGBShift(r_shift_limit=20, g_shift_limit=20, b_shift_limit=20, p=0.5)),
        ("center-crop", "center-crop={c}x{c}", lambda s: A.CenterCrop(height=c(s), width=c(s), p=1)),
        ("crop", "crop={c}x{c}", lambda s: A.RandomCrop(height=c(s), width=c(s), p=1)),
        ("resize", "resize={c}x{c}", lambda s: A.Resize(height=c(s), width=c(s), interpolation=lin, p=1)),
        ("random-resized-crop", "random-resized-crop={c}x{c}",
         lambda s: A.RandomResizedCrop(size=(c(s), c(s)), scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3),
                                       interpolation=lin, p=1)),
        ("pad", "pad={p}x{p}",
         lambda s: A.PadIfNeeded(min_height=pad(s), min_width=pad(s), position="center",
                                 border_mode=r101, p=1)),
        ("longest-max-size", "longest-max-size={c}",
         lambda s: A.LongestMaxSize(max_size=c(s), interpolation=lin, p=1)),
        # The rows below fire with p = 0.5 on both sides (the spec tokens' probability).
        ("perspective", "perspective=0.05:0.1",
         lambda s: A.Perspective(scale=(0.05, 0.1), interpolation=lin, border_mode=r101, p=0.5)),
        ("hsv", "hsv=20:30:20", lambda s: A.HueSaturationValue(20, 30, 20, p=0.5)),
        ("color-jitter", "color-jitter=0.2:0.2:0.2:0.1", lambda s: A.ColorJitter(0.2, 0.2, 0.2, 0.1, p=0.5)),
        ("sharpen", "sharpen=0.2:0.5", lambda s: A.Sharpen(alpha=(0.2, 0.5), lightness=(0.5, 1.0), p=0.5)),
        ("blur", "blur=0.5:3", lambda s: A.GaussianBlur(sigma_limit=(0.5, 3.0), blur_limit=0, p=0.5)),
        ("motion-blur", "motion-blur=3:7", lambda s: A.MotionBlur(blur_limit=(3, 7), p=0.5)),
        ("jpeg", "jpeg=50:90", lambda s: A.ImageCompression(quality_range=(50, 90), p=0.5)),
        ("grid-distortion", "grid-distortion=0.3",
         lambda s: A.GridDistortion(num_steps=5, distort_limit=0.3, interpolation=lin, border_mode=r101, p=0.5)),
        ("elastic", "elastic=1:50",
         lambda s: A.ElasticTransform(alpha=1, sigma=50, interpolation=lin, border_mode=r101, p=0.5)),
    ], c, pad


def bench_images_like_swift(n, size, photos_dir, seed=12345, pool=64):
    """The images exactly as `invariant bench augment` cycles them: a pool of at most 64
    random-content images and the first min(64, n/2) photos (decoded with Pillow's draft,
    resized bilinear); image i is photo (i // 2) % photos when i is odd and there are
    photos, else noise i % 64 (so, with photos, the 32 even-indexed noise images). Same
    number of distinct images, hence the same cache footprint, on both sides."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    photos = []
    if photos_dir and os.path.isdir(photos_dir):
        for p in list_photos(photos_dir)[:min(pool, max(n // 2, 1))]:
            im = Image.open(p)
            im.draft("RGB", (size, size))
            photos.append(np.ascontiguousarray(im.convert("RGB").resize((size, size), Image.BILINEAR)))
    noise = [rng.integers(0, 256, (size, size, 3), dtype=np.uint8) for _ in range(min(pool, n))]
    images = [photos[(i // 2) % len(photos)] if photos and i % 2 == 1 else noise[i % len(noise)]
              for i in range(n)]
    return images, len(photos)


def cmd_transforms(args):
    import cv2
    cv2.setNumThreads(1)
    import albumentations as A
    table, c, pad = _transform_table()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    only = set(args.only.split(",")) if args.only else None
    if only:
        unknown = only - {name for name, _, _ in table}
        if unknown:
            raise SystemExit(f"reference.py transforms: unknown transform(s) {sorted(unknown)}")
        table = [t for t in table if t[0] in only]
    if args.list:
        # name <TAB> size <TAB> invariant spec, for run.sh's Swift side.
        for size in sizes:
            for name, spec, _ in table:
                print(f"{name}\t{size}\t{spec.format(c=c(size), p=pad(size))}")
        return
    for size in sizes:
        images, photo_count = bench_images_like_swift(args.n, size, args.photos)
        print(f"reference.py transforms: {len(images)} images of {size}x{size}, "
              f"{photo_count} distinct photos", file=sys.stderr)
        for name, spec, make in table:
            transform = make(size)
            if hasattr(transform, "set_random_seed"):
                transform.set_random_seed(137)

            def run_pass():
                out = None
                for img in images:
                    out = transform(image=img)["image"]
                assert out.dtype == np.uint8 and out.ndim == 3

            rate, rates = timed_passes(run_pass, len(images), args.passes, args.min_seconds)
            emit({"bench": f"transform:{name}@{size}", "library": "albumentations", "img_per_s": round(rate, 1),
                  "images": len(images), "size": size, "spec": spec.format(c=c(size), p=pad(size)),
                  "transform": type(transform).__name__, "p": transform.p, "threads": 1,
                  "passes": len(rates), "stat": "median", "version": A.__version__})


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    d = sub.add_parser("decode", help="JPEG read + decode + resize to size x size RGB, one thread")
    d.add_argument("--photos", required=True, help="folder of JPEG photos (make_inputs.py)")
    d.add_argument("--size", type=int, default=150)
    d.add_argument("--passes", type=int, default=5, help="minimum timed passes (default 5)")
    d.add_argument("--min-seconds", type=float, default=2.0, help="minimum timed seconds per library")
    d.add_argument("--library", choices=["pillow", "opencv", "all"], default="all")
    d.set_defaults(func=cmd_decode)

    lo = sub.add_parser("loader", help="Keras flow_from_directory-equivalent batch loader")
    lo.add_argument("--data", required=True, help="DIR/<class>/<file>.png")
    lo.add_argument("--limit", type=int, default=10000, help="first N files in Keras order (0 = all)")
    lo.add_argument("--batch", type=int, default=64)
    lo.add_argument("--workers", type=int, default=2)
    lo.add_argument("--passes", type=int, default=3, help="minimum timed passes (default 3)")
    lo.add_argument("--min-seconds", type=float, default=2.0, help="minimum timed seconds per variant")
    lo.add_argument("--variant", choices=["pool", "threads", "all"], default="all")
    lo.set_defaults(func=cmd_loader)

    au = sub.add_parser("augment", help="Keras-like augmentation pipeline on in-memory RGB images, one thread")
    au.add_argument("--photos", help="JPEG photos for the odd-indexed images (default: all random content)")
    au.add_argument("--size", type=int, default=150)
    au.add_argument("--n", type=int, default=1000, help="images per pass (default 1000)")
    au.add_argument("--passes", type=int, default=5, help="minimum timed passes (default 5)")
    au.add_argument("--min-seconds", type=float, default=2.0, help="minimum timed seconds per library")
    au.add_argument("--library", choices=["albumentations", "opencv-fused", "all"], default="all")
    au.set_defaults(func=cmd_augment)

    tr = sub.add_parser("transforms", help="each single transform, Invariant spec token vs albumentations, one thread")
    tr.add_argument("--photos", help="JPEG photos for the odd-indexed images (default: all random content)")
    tr.add_argument("--sizes", default="150,224", help="comma-separated image sides (default 150,224)")
    tr.add_argument("--n", type=int, default=300, help="images per pass (default 300)")
    tr.add_argument("--passes", type=int, default=3, help="minimum timed passes (default 3)")
    tr.add_argument("--min-seconds", type=float, default=1.0, help="minimum timed seconds per transform and size")
    tr.add_argument("--only", help="comma-separated transform names (default: all)")
    tr.add_argument("--list", action="store_true", help="print name, size and Invariant spec per line; measure nothing")
    tr.set_defaults(func=cmd_transforms)

    args = ap.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
