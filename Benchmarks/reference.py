#!/usr/bin/env python3
"""Reference measurements for `make bench`: the same work as the Swift benchmarks, done
with the libraries people would otherwise use. Prints ONE JSON line per figure to stdout
(progress and notes go to stderr), e.g.

  {"bench":"decode","library":"pillow","img_per_s":1234.5,"images":200,"size":150,"threads":1,...}

Subcommands:
  reference.py decode --photos DIR [--size 150] [--passes N] [--min-seconds S] [--library pillow|opencv|all]
  reference.py loader --data DIR [--limit 10000] [--batch 64] [--workers 2] [--passes N] [--variant pool|threads|all]

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

    args = ap.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
