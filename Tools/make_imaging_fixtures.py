#!/usr/bin/env python3
"""Generate the golden fixtures for the image decoding and resizing tests.

Writes everything under Fixtures/imaging/ (inputs/, expected/, manifest.json,
README.md). Deterministic (fixed numpy seeds, no timestamps) and rerunnable:
inputs/ and expected/ are deleted and rewritten on every run.

Run it through Tools/make_fixtures.sh imaging, which builds the pinned
virtualenv (Tools/requirements-fixtures.txt).

Conventions
  * expected/*.raw: row-major HWC samples, no header. uint8 unless the manifest
    entry says "dtype": "uint16", then little-endian uint16.
  * expected/*.u16.raw: the full 16-bit samples of a 16-bit input,
    little-endian uint16, row-major HWC ("u16_channels" channels).
  * Decoding follows keras.utils.load_img exactly (no EXIF transposition);
    "oriented" entries additionally apply ImageOps.exif_transpose first.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import struct
import sys
import warnings
from pathlib import Path

import numpy as np
import png  # pypng
import PIL
from PIL import Image, ImageOps, features

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Fixtures" / "imaging"
INPUTS = OUT / "inputs"
EXPECTED = OUT / "expected"
RESIZE_DIR = EXPECTED / "resize"

# Small decode images: both dimensions odd and not multiples of 8 or 16, so
# partial JPEG MCUs, odd chroma edges and partial Adam7 passes are exercised.
W, H = 35, 27
# Draft to 150x150 picks DCT scale 1/2; odd sizes make libjpeg round the scaled
# size up (333x301 -> 167x151).
LARGE_W, LARGE_H = 333, 301
RESIZE_W, RESIZE_H = 97, 73

SEED = 20240611

FILTERS = [
    ("nearest", Image.Resampling.NEAREST),
    ("box", Image.Resampling.BOX),
    ("bilinear", Image.Resampling.BILINEAR),
    ("hamming", Image.Resampling.HAMMING),
    ("bicubic", Image.Resampling.BICUBIC),
    ("lanczos", Image.Resampling.LANCZOS),
]
RESIZE_SIZES = [(40, 30), (131, 101), (150, 50), (16, 16)]
GRAY_RESIZE_SIZES = [(40, 30), (16, 16)]  # the L source: downscales only, to keep the folder small
# (box, target) pairs; the first is what Keras's keep_aspect_ratio computes for
# a 97x73 source and a square target (crop width 73, x offset int(24/2)=12).
BOX_CASES = [
    ((12, 0, 85, 73), (50, 50)),
    ((12.5, 3.25, 84.75, 70.5), (50, 50)),
    ((0, 10, 97, 60), (64, 24)),
    ((30.3, 20.7, 50.9, 35.1), (45, 33)),  # upscale of a small fractional box
]
BOX_FILTERS = ["nearest", "bilinear", "bicubic"]

inputs_info: list[dict] = []   # per-input notes for the manifest / README
decode_entries: list[dict] = []
resize_entries: list[dict] = []
draft_entries: list[dict] = []
u16_sources: dict[str, tuple[np.ndarray, int]] = {}  # input rel path -> (samples, channels)
notes: dict[str, str] = {}


def rel(p: Path) -> str:
    return p.relative_to(OUT).as_posix()


# --------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------

def grid(w: int, h: int):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    return x, y, x / max(w - 1, 1), y / max(h - 1, 1)


def structured_rgb(w: int, h: int, seed: int, noise: float = 7.0) -> np.ndarray:
    """Gradients + shapes + mild noise, float64 in 0..255, shape (h, w, 3)."""
    rng = np.random.default_rng(seed)
    x, y, u, v = grid(w, h)
    img = np.empty((h, w, 3))
    img[..., 0] = 255 * u
    img[..., 1] = 255 * v
    img[..., 2] = 127.5 + 127.5 * np.sin(2 * np.pi * (1.3 * u + 0.7 * v))
    # Off-centre disc.
    cx, cy, r = 0.33 * w, 0.58 * h, 0.24 * min(w, h)
    disc = (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    img[disc] = (230, 40, 60)
    # Rectangle in the upper right.
    rect = (x >= 0.62 * w) & (x < 0.9 * w) & (y >= 0.12 * h) & (y < 0.45 * h)
    img[rect] = (20, 70, 210)
    # A thin diagonal white line.
    line = np.abs((x - 0.05 * w) * (h / w) - y) < 0.7
    img[line] = (250, 250, 250)
    # A 1-pixel checkerboard patch in the lower right (high frequency).
    patch = (x >= 0.72 * w) & (x < 0.95 * w) & (y >= 0.65 * h) & (y < 0.92 * h)
    checker = ((x.astype(int) + y.astype(int)) % 2 == 0)
    img[patch & checker] = (0, 0, 0)
    img[patch & ~checker] = (255, 255, 0)
    img += rng.normal(0.0, noise, img.shape)
    return np.clip(img, 0, 255)


def to_u8(a: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def rgb8(w=W, h=H, seed=SEED, noise=7.0) -> Image.Image:
    return Image.fromarray(to_u8(structured_rgb(w, h, seed, noise)), "RGB")


def gray8(w=W, h=H, seed=SEED + 1) -> Image.Image:
    a = structured_rgb(w, h, seed)
    lum = 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]
    return Image.fromarray(to_u8(lum), "L")


def alpha8(w=W, h=H, seed=SEED + 2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x, y, u, v = grid(w, h)
    a = 255 * (0.15 + 0.85 * v) + rng.normal(0, 4, (h, w))
    a[(x < 0.2 * w) & (y < 0.3 * h)] = 0            # fully transparent corner
    a[(x - 0.7 * w) ** 2 + (y - 0.7 * h) ** 2 < (0.15 * min(w, h)) ** 2] = 255
    a[:, int(0.5 * w)] = 128                         # a half-transparent column
    return to_u8(a)


def gray16_array(w=W, h=H, seed=SEED + 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x, y, u, v = grid(w, h)
    a = 65535 * (0.6 * u + 0.4 * v) + 1500 * np.sin(2 * np.pi * 2.5 * v)
    a += rng.normal(0, 350, (h, w))
    a[(x - 0.3 * w) ** 2 + (y - 0.5 * h) ** 2 < (0.2 * min(w, h)) ** 2] = 40000
    a[(x >= 0.6 * w) & (y < 0.3 * h)] = 300          # small values: only low byte set
    a = np.clip(np.rint(a), 0, 65535).astype(np.uint16)
    a[0, 0] = 0
    a[-1, -1] = 65535
    a[0, -1] = 255
    a[-1, 0] = 256
    return a


def rgb16_array(w=W, h=H, seed=SEED + 4) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x, y, u, v = grid(w, h)
    a = np.empty((h, w, 3))
    a[..., 0] = 65535 * u
    a[..., 1] = 65535 * v
    a[..., 2] = 32767.5 + 32767.5 * np.cos(2 * np.pi * (u - v))
    a += rng.normal(0, 300, a.shape)
    a[(x - 0.6 * w) ** 2 + (y - 0.4 * h) ** 2 < (0.2 * min(w, h)) ** 2] = (65535, 1000, 200)
    a = np.clip(np.rint(a), 0, 65535).astype(np.uint16)
    a[0, 0] = (0, 0, 0)
    a[-1, -1] = (65535, 65535, 65535)
    a[0, -1] = (255, 256, 257)
    return a


def palette_image(n_colors: int, seed: int, w=W, h=H) -> Image.Image:
    """Mode P: banded gradient indices + shapes, with a seeded colourful palette."""
    rng = np.random.default_rng(seed)
    x, y, u, v = grid(w, h)
    bands = n_colors - 8
    idx = np.floor((0.6 * u + 0.4 * v) * (bands - 0.001)).astype(np.int64)
    idx[(x - 0.35 * w) ** 2 + (y - 0.5 * h) ** 2 < (0.22 * min(w, h)) ** 2] = bands
    idx[(x >= 0.65 * w) & (y < 0.4 * h)] = bands + 1
    idx[np.abs(x - y * w / h) < 0.7] = bands + 2
    noise_mask = rng.random((h, w)) < 0.08
    idx[noise_mask] = rng.integers(bands + 3, n_colors, noise_mask.sum())
    img = Image.fromarray(idx.astype(np.uint8), "L").convert("P")
    pal = rng.integers(0, 256, (n_colors, 3), dtype=np.uint8)
    pal[0] = (0, 0, 0)
    pal[1] = (255, 255, 255)
    img.putpalette(pal.flatten().tolist())
    return img


def asymmetric_rgb(w=W, h=H, seed=SEED + 5) -> Image.Image:
    """Structured image plus a large 'F' glyph in the top-left: any flip or
    rotation is visible."""
    a = structured_rgb(w, h, seed, noise=3.0)
    a[1:h - 4, 2:7] = (0, 0, 0)          # stem of the F
    a[1:5, 2:int(0.55 * w)] = (0, 0, 0)  # top bar
    a[int(0.4 * h):int(0.4 * h) + 4, 2:int(0.4 * w)] = (0, 0, 0)  # middle bar
    a[h - 6:h - 1, w - 6:w - 1] = (0, 255, 0)  # green marker bottom-right
    return Image.fromarray(to_u8(a), "RGB")


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------

def add_input(path: Path, fmt: str, note: str = "") -> Path:
    inputs_info.append({"input": rel(path), "format": fmt, "note": note})
    return path


def exif_with_orientation(k: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = k
    return exif.tobytes()


def write_ascii_pnm(path: Path, arr: np.ndarray, magic: str, maxval: int = 255):
    h, w = arr.shape[:2]
    lines = [magic, "# written by Tools/make_imaging_fixtures.py", f"{w} {h}", str(maxval)]
    values = [str(int(v)) for v in arr.reshape(-1)]
    cur = ""
    for s in values:  # keep lines <= 70 characters as the Netpbm spec asks
        if cur and len(cur) + 1 + len(s) > 70:
            lines.append(cur)
            cur = s
        else:
            cur = f"{cur} {s}" if cur else s
    if cur:
        lines.append(cur)
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def make_inputs() -> None:
    INPUTS.mkdir(parents=True)
    base = rgb8()
    gray = gray8()

    # ---- JPEG ----
    p = add_input(INPUTS / "rgb_baseline.jpg", "jpeg", "quality 90, Pillow default subsampling")
    base.save(p, quality=90)
    p = add_input(INPUTS / "rgb_progressive.jpg", "jpeg", "quality 90, progressive")
    base.save(p, quality=90, progressive=True)
    p = add_input(INPUTS / "rgb_420.jpg", "jpeg", "quality 90, subsampling 4:2:0")
    base.save(p, quality=90, subsampling="4:2:0")
    p = add_input(INPUTS / "rgb_422.jpg", "jpeg", "quality 90, subsampling 4:2:2")
    base.save(p, quality=90, subsampling="4:2:2")
    p = add_input(INPUTS / "rgb_444.jpg", "jpeg", "quality 90, subsampling 4:4:4")
    base.save(p, quality=90, subsampling="4:4:4")
    p = add_input(INPUTS / "gray.jpg", "jpeg", "mode L, quality 90")
    gray.save(p, quality=90)
    p = add_input(INPUTS / "cmyk.jpg", "jpeg", "mode CMYK, quality 90")
    cmyk = base.convert("CMYK")
    cmyk.save(p, quality=90)
    data = p.read_bytes()
    has_adobe = b"\xff\xee" in data and b"Adobe" in data
    notes["cmyk_jpeg_adobe_marker"] = str(has_adobe)
    inputs_info[-1]["note"] += f"; Adobe APP14 marker present: {has_adobe}"
    asym = asymmetric_rgb()
    for k in range(2, 9):
        p = add_input(INPUTS / f"exif_orientation_{k}.jpg", "jpeg",
                      f"asymmetric 'F' image, EXIF Orientation={k}, quality 95")
        asym.save(p, quality=95, exif=exif_with_orientation(k))
    large = rgb8(LARGE_W, LARGE_H, SEED + 10, noise=3.0)
    p = add_input(INPUTS / "rgb_large.jpg", "jpeg",
                  f"{LARGE_W}x{LARGE_H}, quality 90, for the draft (DCT-scaling) path")
    large.save(p, quality=90)

    # ---- PNG ----
    x, y, _, _ = grid(W, H)
    bw = np.asarray(gray) > 110
    bw[(x.astype(int) + y.astype(int)) % 7 == 0] ^= True  # some isolated pixels
    p = add_input(INPUTS / "gray1.png", "png", "mode 1 (1-bit)")
    bilevel = Image.frombytes("1", (W, H), np.packbits(bw, axis=1).tobytes())
    bilevel.save(p)
    p = add_input(INPUTS / "gray8.png", "png", "mode L")
    gray.save(p)
    g16 = gray16_array()
    p = add_input(INPUTS / "gray16.png", "png", "16-bit grayscale written by Pillow from mode I;16")
    Image.fromarray(g16).save(p)  # numpy uint16 -> mode I;16
    p = add_input(INPUTS / "graya8.png", "png", "mode LA")
    Image.merge("LA", [gray, Image.fromarray(alpha8(), "L")]).save(p)
    p = add_input(INPUTS / "rgb8.png", "png", "mode RGB")
    base.save(p)
    rgb16 = rgb16_array()
    p = add_input(INPUTS / "rgb16.png", "png", "16-bit RGB written with pypng (Pillow has no 16-bit RGB mode)")
    with open(p, "wb") as f:
        png.Writer(W, H, greyscale=False, bitdepth=16).write(f, rgb16.reshape(H, W * 3).tolist())
    p = add_input(INPUTS / "rgba8.png", "png", "mode RGBA")
    Image.merge("RGBA", [*base.split(), Image.fromarray(alpha8(), "L")]).save(p)
    p = add_input(INPUTS / "palette.png", "png", "mode P, 24 colours")
    palette_image(24, SEED + 20).save(p)
    p = add_input(INPUTS / "palette_trns.png", "png",
                  "mode P, 24 colours, tRNS with 16 entries (shorter than the palette)")
    pal_t = palette_image(24, SEED + 21)
    trns = bytes([0, 255, 128, 64, 200, 10, 255, 255, 90, 0, 255, 30, 250, 180, 1, 254])
    pal_t.save(p, transparency=trns)
    p = add_input(INPUTS / "interlaced.png", "png", "RGB 8-bit, Adam7 interlaced, written with pypng")
    with open(p, "wb") as f:
        png.Writer(W, H, greyscale=False, bitdepth=8, interlace=True).write(
            f, np.asarray(base).reshape(H, W * 3).tolist())
    p = add_input(INPUTS / "exif_orientation_6.png", "png", "asymmetric RGB, eXIf chunk Orientation=6")
    asym.save(p, exif=exif_with_orientation(6))

    # ---- WebP ----
    p = add_input(INPUTS / "lossless.webp", "webp", "RGB lossless")
    base.save(p, lossless=True)
    p = add_input(INPUTS / "lossy.webp", "webp", "RGB lossy quality 80")
    base.save(p, quality=80)
    p = add_input(INPUTS / "rgba_lossless.webp", "webp", "RGBA lossless, exact=True")
    Image.merge("RGBA", [*base.split(), Image.fromarray(alpha8(), "L")]).save(p, lossless=True, exact=True)

    # ---- TIFF ----
    p = add_input(INPUTS / "rgb.tif", "tiff", "RGB uncompressed")
    base.save(p, compression="raw")
    p = add_input(INPUTS / "rgb_lzw.tif", "tiff", "RGB LZW")
    base.save(p, compression="tiff_lzw")
    p = add_input(INPUTS / "gray16.tif", "tiff", "16-bit grayscale (mode I;16), uncompressed")
    Image.fromarray(g16).save(p, compression="raw")
    p = add_input(INPUTS / "cmyk.tif", "tiff", "CMYK uncompressed (not inverted)")
    cmyk.save(p, compression="raw")

    # ---- BMP ----
    p = add_input(INPUTS / "rgb24.bmp", "bmp", "RGB 24-bit")
    base.save(p)
    p = add_input(INPUTS / "palette8.bmp", "bmp", "mode P saved by Pillow")
    palette_image(24, SEED + 22).save(p)
    p = add_input(INPUTS / "gray8.bmp", "bmp", "mode L saved by Pillow")
    gray.save(p)
    p = add_input(INPUTS / "rgba32.bmp", "bmp", "mode RGBA saved by Pillow")
    Image.merge("RGBA", [*base.split(), Image.fromarray(alpha8(), "L")]).save(p)

    # ---- Netpbm ----
    p = add_input(INPUTS / "rgb.ppm", "ppm", "P6 maxval 255")
    base.save(p)
    p = add_input(INPUTS / "gray.pgm", "ppm", "P5 maxval 255")
    gray.save(p)
    p = add_input(INPUTS / "gray16.pgm", "ppm", "P5 maxval 65535 (big-endian samples)")
    buf = io.BytesIO()
    Image.fromarray(g16).save(buf, format="PPM")
    expected_header = f"P5\n{W} {H}\n65535\n".encode()
    if buf.getvalue().startswith(expected_header):
        p.write_bytes(buf.getvalue())
        inputs_info[-1]["note"] += "; written by Pillow"
    else:
        p.write_bytes(expected_header + g16.astype(">u2").tobytes())
        inputs_info[-1]["note"] += "; written by hand"
    p = add_input(INPUTS / "gray_maxval100.pgm", "ppm", "P5 maxval 100, written by hand (Pillow rescales to 0..255)")
    g100 = np.rint(np.asarray(gray).astype(np.float64) * 100 / 255).astype(np.uint8)
    p.write_bytes(f"P5\n# maxval below 255\n{W} {H}\n100\n".encode() + g100.tobytes())
    p = add_input(INPUTS / "bitmap.pbm", "ppm", "P4 (mode 1)")
    bilevel.save(p)
    p = add_input(INPUTS / "ascii.ppm", "ppm", "P3 written by hand, maxval 255, with a comment")
    write_ascii_pnm(p, np.asarray(base), "P3")
    p = add_input(INPUTS / "ascii.pgm", "ppm", "P2 written by hand, maxval 255, with a comment")
    write_ascii_pnm(p, np.asarray(gray), "P2")

    # ---- GIF ----
    p = add_input(INPUTS / "palette.gif", "gif", "mode P, 32 colours, transparency index 3")
    palette_image(32, SEED + 30).save(p, transparency=3)
    p = add_input(INPUTS / "first_frame.gif", "gif", "animated, 3 different frames; only frame 0 is expected")
    frames = [palette_image(32, SEED + 40 + i) for i in range(3)]
    frames[1] = frames[1].transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    frames[2] = frames[2].transpose(Image.Transpose.ROTATE_180)
    frames[0].save(p, save_all=True, append_images=frames[1:], duration=100, loop=0)

    # ---- Resize sources ----
    rs = rgb8(RESIZE_W, RESIZE_H, SEED + 50, noise=18.0)
    p = add_input(INPUTS / "resize_source.png", "png", f"{RESIZE_W}x{RESIZE_H} RGB resize source")
    rs.save(p)
    p = add_input(INPUTS / "resize_source_gray.png", "png", "L version of resize_source.png")
    rs.convert("L").save(p)

    # 16-bit reference samples.
    u16_sources["inputs/gray16.png"] = (g16, 1)
    u16_sources["inputs/gray16.tif"] = (g16, 1)
    u16_sources["inputs/gray16.pgm"] = (g16, 1)
    u16_sources["inputs/rgb16.png"] = (rgb16, 3)


# --------------------------------------------------------------------------
# Expected decodes
# --------------------------------------------------------------------------

SIXTEEN_BIT_INPUTS = {"inputs/gray16.png", "inputs/gray16.tif", "inputs/gray16.pgm", "inputs/rgb16.png"}


def keras_convert(img: Image.Image, mode: str) -> Image.Image:
    """Exactly keras.utils.load_img's colour handling."""
    if mode == "rgb":
        if img.mode != "RGB":
            img = img.convert("RGB")
    elif mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif mode == "rgba":
        if img.mode != "RGBA":
            img = img.convert("RGBA")
    else:
        raise ValueError(mode)
    return img


def samples(img: Image.Image) -> tuple[np.ndarray, int, str]:
    a = np.asarray(img)
    if a.ndim == 2:
        a = a[..., None]
    if a.dtype == np.uint8:
        return a, a.shape[2], "uint8"
    if a.dtype == np.bool_:
        return a.astype(np.uint8) * 255, a.shape[2], "uint8"
    # I;16 or I (int32): Keras keeps these values; they fit in uint16 here.
    assert a.min() >= 0 and a.max() <= 65535, (img.mode, a.min(), a.max())
    return a.astype("<u2"), a.shape[2], "uint16"


def write_u16(rel_input: str, stem: str) -> tuple[str | None, int | None]:
    if rel_input not in u16_sources:
        return None, None
    ref, ch = u16_sources[rel_input]
    # Cross-check against what a reader gives: Pillow for gray, pypng for RGB.
    path = OUT / rel_input
    if ch == 1:
        got = np.asarray(Image.open(path)).astype(np.int64)
    else:
        r = png.Reader(filename=str(path)).read()
        got = np.vstack([np.asarray(row, dtype=np.int64) for row in r[2]]).reshape(H, W, 3)
    assert np.array_equal(got.reshape(ref.shape), ref.astype(np.int64)), rel_input
    out = EXPECTED / f"{stem}.u16.raw"
    if not out.exists():
        out.write_bytes(ref.astype("<u2").tobytes())
    return rel(out), ch


def decode_one(path: Path, modes, oriented_too: bool) -> None:
    rel_input = rel(path)
    stem = path.name.rsplit(".", 1)[0]
    ext = path.suffix.lstrip(".")
    # Distinct stems per input (e.g. gray16.png and gray16.tif): add the extension when needed.
    clash = sum(1 for i in inputs_info if Path(i["input"]).name.rsplit(".", 1)[0] == stem) > 1
    out_stem = f"{stem}.{ext}" if clash else stem
    with Image.open(path) as probe:
        pillow_mode = probe.mode
        info = next(i for i in inputs_info if i["input"] == rel_input)
        info.update({"pillow_format": probe.format, "pillow_mode": pillow_mode,
                     "width": probe.size[0], "height": probe.size[1]})
    is16 = rel_input in SIXTEEN_BIT_INPUTS
    u16, u16_ch = write_u16(rel_input, out_stem)
    variants = [(m, False) for m in modes] + ([("rgb", True)] if oriented_too else [])
    for mode, oriented in variants:
        with Image.open(path) as img:
            if oriented:
                img = ImageOps.exif_transpose(img)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                out = keras_convert(img, mode)
                out.load()
            arr, ch, dtype = samples(out)
        name = f"{out_stem}.{mode}{'.oriented' if oriented else ''}.raw"
        (EXPECTED / name).write_bytes(arr.tobytes())
        entry = {
            "input": rel_input, "mode": mode, "oriented": oriented,
            "expected": rel(EXPECTED / name),
            "width": arr.shape[1], "height": arr.shape[0], "channels": ch,
            "dtype": dtype, "pillow_16bit": is16, "pillow_mode": pillow_mode,
            "result_mode": out.mode, "u16": u16, "u16_channels": u16_ch,
        }
        if caught:
            entry["pillow_warning"] = str(caught[0].message)
        decode_entries.append(entry)


def make_decodes() -> None:
    EXPECTED.mkdir(parents=True)
    for info in list(inputs_info):
        p = OUT / info["input"]
        name = p.name
        if name == "rgb_large.jpg":
            decode_one(p, ["rgb"], False)  # full-size decode; rgb only to keep the folder small
        elif name == "resize_source.png":
            decode_one(p, ["rgb"], False)  # lets resize tests run without the PNG decoder
        elif name == "resize_source_gray.png":
            decode_one(p, ["grayscale"], False)
        elif name.startswith("exif_orientation_"):
            # All share one pixel stream; gray/rgba would repeat the rgb case.
            decode_one(p, ["rgb"], True)
        else:
            decode_one(p, ["rgb", "grayscale", "rgba"], False)


# --------------------------------------------------------------------------
# Expected resizes and draft
# --------------------------------------------------------------------------

def fmt_num(v) -> str:
    return str(v).replace(".", "p")


def make_resizes() -> None:
    RESIZE_DIR.mkdir(parents=True)
    sources = [("rgb", INPUTS / "resize_source.png"), ("gray", INPUTS / "resize_source_gray.png")]
    for tag, src in sources:
        with Image.open(src) as img:
            img.load()
            for fname, f in FILTERS:
                for (w, h) in RESIZE_SIZES:
                    if tag == "gray" and (w, h) not in GRAY_RESIZE_SIZES:
                        continue
                    out = img.resize((w, h), resample=f)
                    arr, ch, _ = samples(out)
                    name = f"{tag}.{fname}.{w}x{h}.raw"
                    (RESIZE_DIR / name).write_bytes(arr.tobytes())
                    resize_entries.append({"input": rel(src), "filter": fname, "width": w, "height": h,
                                           "box": None, "channels": ch,
                                           "expected": rel(RESIZE_DIR / name)})
    fmap = dict(FILTERS)
    with Image.open(INPUTS / "resize_source.png") as img:
        img.load()
        for box, (w, h) in BOX_CASES:
            for fname in BOX_FILTERS:
                out = img.resize((w, h), resample=fmap[fname], box=box)
                arr, ch, _ = samples(out)
                bname = "_".join(fmt_num(b) for b in box)
                name = f"rgb.{fname}.{w}x{h}.box_{bname}.raw"
                (RESIZE_DIR / name).write_bytes(arr.tobytes())
                resize_entries.append({"input": "inputs/resize_source.png", "filter": fname,
                                       "width": w, "height": h, "box": list(box), "channels": ch,
                                       "expected": rel(RESIZE_DIR / name)})


def make_draft() -> None:
    p = INPUTS / "rgb_large.jpg"
    target = (150, 150)
    with Image.open(p) as img:
        full_size = img.size
        draft_result = img.draft("RGB", target)
        d = img.convert("RGB")
        d.load()
    dw, dh = d.size
    (EXPECTED / "rgb_large.draft.raw").write_bytes(np.asarray(d).tobytes())
    r = d.resize(target, Image.Resampling.BILINEAR)
    (EXPECTED / "rgb_large.draft_resized.raw").write_bytes(np.asarray(r).tobytes())
    draft_entries.append({
        "input": rel(p), "source_width": full_size[0], "source_height": full_size[1],
        "target": list(target), "draft_width": dw, "draft_height": dh,
        "draft_scale": None if draft_result is None else
            f"1/{round(full_size[0] / draft_result[1][2])}",
        "pillow_draft_return": None if draft_result is None else
            [draft_result[0], list(draft_result[1])],
        "draft_expected": "expected/rgb_large.draft.raw",
        "resized_expected": "expected/rgb_large.draft_resized.raw",
        "filter": "bilinear", "channels": 3,
        "full_decode_expected": "expected/rgb_large.rgb.raw",
    })


# --------------------------------------------------------------------------
# Manifest and README
# --------------------------------------------------------------------------

def lib_versions() -> dict:
    out = {}
    for name in ("jpg", "zlib", "libtiff"):
        try:
            out[name] = features.version(name)
        except Exception:  # noqa: BLE001
            pass
    try:
        out["webp"] = features.version_module("webp")
    except Exception:  # noqa: BLE001
        pass
    return out


def write_manifest() -> None:
    manifest = {
        "generator": "Tools/make_imaging_fixtures.py",
        "pillow": PIL.__version__,
        "numpy": np.__version__,
        "pypng": getattr(png, "__version__", "unknown"),
        "pillow_codecs": lib_versions(),
        "conventions": {
            "raw": "row-major HWC, no header; uint8 unless dtype says uint16",
            "uint16": "little-endian",
            "u16": "full 16-bit samples of a 16-bit input, little-endian uint16, HWC with u16_channels",
            "decode": "keras.utils.load_img colour handling, no EXIF transposition unless oriented",
        },
        "inputs": inputs_info,
        "decode": decode_entries,
        "resize": resize_entries,
        "draft": draft_entries,
    }
    # One entry per line: readable, diff-friendly and compact.
    parts = []
    for k, v in manifest.items():
        if isinstance(v, list):
            body = ",\n".join("  " + json.dumps(e) for e in v)
            parts.append(f" {json.dumps(k)}: [\n{body}\n ]")
        else:
            parts.append(f" {json.dumps(k)}: {json.dumps(v)}")
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    json.loads(text)
    (OUT / "manifest.json").write_text(text)


def write_readme() -> None:
    rows = "\n".join(
        f"| `{i['input']}` | {i.get('pillow_format', '')} | {i.get('pillow_mode', '')} | "
        f"{i.get('width', '')}x{i.get('height', '')} | {i['note']} |"
        for i in inputs_info)
    by_mode = {}
    for e in decode_entries:
        if e["pillow_mode"] != e["result_mode"] or e["dtype"] != "uint8":
            by_mode.setdefault((e["pillow_mode"], e["mode"]), e["result_mode"] + (" (uint16)" if e["dtype"] == "uint16" else ""))
    codecs = ", ".join(f"{k} {v}" for k, v in lib_versions().items())
    text = f"""# Imaging golden fixtures

Generated by `Tools/make_imaging_fixtures.py`; do not edit by hand. Regenerate with

    Tools/make_fixtures.sh imaging

which creates `.venv-tools/` (git-ignored), installs `Tools/requirements-fixtures.txt`
and runs the script. The script is deterministic (fixed numpy seeds) and deletes and
rewrites `inputs/`, `expected/`, `manifest.json` and this README on every run.

Pinned: Pillow {PIL.__version__}, numpy {np.__version__}, pypng {getattr(png, '__version__', '?')}.
Codecs inside the Pillow wheel: {codecs}.

## Layout

- `inputs/` — the encoded test images (small, {W}x{H} unless noted).
- `expected/<stem>.<mode>[.oriented].raw` — what Pillow decodes, converted as
  `keras.utils.load_img` does for `color_mode` = `rgb` / `grayscale` / `rgba`
  (`rgb`: convert('RGB') unless already RGB; `grayscale`: convert('L') unless the mode is
  L, I;16 or I; `rgba`: convert('RGBA') unless already RGBA). No EXIF transposition,
  because Keras applies none; `.oriented` files apply `ImageOps.exif_transpose` first.
  When two inputs share a stem (`gray16.png`/`gray16.tif`/`gray16.pgm`) the extension is
  kept in the stem.
- `expected/<stem>.u16.raw` — full-depth samples of the 16-bit inputs.
- `expected/resize/` — `Image.resize` of `inputs/resize_source*.png` for every filter
  (nearest, box, bilinear, hamming, bicubic, lanczos) and size, plus `box=` crops.
- `expected/rgb_large.*` — the JPEG draft (DCT scaling) path: `draft('RGB', (150,150))`,
  the draft-size decode, and its bilinear resize to 150x150.
- `manifest.json` — every case, with paths relative to this folder.

## Conventions

- `.raw`: row-major, HWC (interleaved channels), no header. `uint8`, except decode entries
  with `"dtype": "uint16"` (Keras keeps mode I;16/I grayscale as is), which are
  little-endian uint16.
- `.u16.raw`: little-endian uint16, HWC with `u16_channels` channels.
- `"pillow_16bit": true` marks decodes of 16-bit inputs: Pillow's 8-bit conversions of
  those clip or drop bits, so compare those with that in mind (and check depth via `u16`).
- `pillow_mode` is the mode Pillow opened the file as; `result_mode` is after conversion.

## Inputs as Pillow opens them

| input | format | Pillow mode | size | note |
| --- | --- | --- | --- | --- |
{rows}

## Conversions that change mode or depth

| opened as | color_mode | result |
| --- | --- | --- |
""" + "\n".join(f"| {a} | {b} | {c} |" for (a, b), c in sorted(by_mode.items())) + "\n"
    notes["exif_orientation_*"] = ("decoded in rgb mode only, plain and .oriented: the seven JPEGs "
                                   "share one pixel stream, so gray/rgba would repeat other cases")
    notes["rgb_large.jpg"] = "full-size decode in rgb mode only (size)"
    if notes:
        text += "\n## Observations\n\n" + "\n".join(f"- {k}: {v}" for k, v in notes.items()) + "\n"
    (OUT / "README.md").write_text(text)


def main() -> int:
    for d in (INPUTS, EXPECTED):
        if d.exists():
            shutil.rmtree(d)
    for f in (OUT / "manifest.json",):
        if f.exists():
            f.unlink()
    OUT.mkdir(parents=True, exist_ok=True)
    make_inputs()
    make_decodes()
    make_resizes()
    make_draft()
    observe()
    write_manifest()
    write_readme()
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"wrote {sum(1 for f in OUT.rglob('*') if f.is_file())} files, {total} bytes, "
          f"{len(decode_entries)} decode / {len(resize_entries)} resize / {len(draft_entries)} draft cases")
    return 0


def observe() -> None:
    """Record Pillow behaviours worth knowing on the Swift side."""
    g16 = u16_sources["inputs/gray16.png"][0]
    with Image.open(INPUTS / "gray16.png") as img:
        l8 = np.asarray(img.convert("L")).astype(np.int64)
        rgb = np.asarray(img.convert("RGB"))[..., 0].astype(np.int64)
    ref = g16.astype(np.int64)
    if np.array_equal(l8, np.minimum(ref, 255)):
        notes["I;16 -> L"] = "clips: min(v, 255) (not v >> 8)"
    elif np.array_equal(l8, ref >> 8):
        notes["I;16 -> L"] = "v >> 8"
    else:
        notes["I;16 -> L"] = "other (see expected/gray16.png.*)"
    notes["I;16 -> RGB"] = ("clips: min(v, 255) in each channel" if np.array_equal(rgb, np.minimum(ref, 255))
                           else ("v >> 8" if np.array_equal(rgb, ref >> 8) else "other"))
    with Image.open(INPUTS / "rgb16.png") as img:
        a = np.asarray(img.convert("RGB")).astype(np.int64)
        ref3 = u16_sources["inputs/rgb16.png"][0].astype(np.int64)
        notes["16-bit RGB PNG"] = f"opens as {img.mode}; samples are " + (
            "the high byte (v >> 8)" if np.array_equal(a, ref3 >> 8) else "not v >> 8")
    with Image.open(INPUTS / "rgba32.bmp") as img:
        data = (INPUTS / "rgba32.bmp").read_bytes()
        hdr, bpp, comp = struct.unpack_from("<I", data, 14)[0], struct.unpack_from("<H", data, 28)[0], \
            struct.unpack_from("<I", data, 30)[0]
        notes["RGBA BMP (Pillow writer)"] = f"{bpp}-bit, DIB header {hdr} bytes, compression {comp}; reopens as {img.mode}"
    with Image.open(INPUTS / "gray_maxval100.pgm") as img:
        got = np.asarray(img).astype(np.int64).reshape(-1)
        raw = np.frombuffer((INPUTS / "gray_maxval100.pgm").read_bytes()[-W * H:], np.uint8).astype(np.int64)
        half_even = np.array([round(v / 100 * 255) for v in raw.tolist()])
        notes["PGM/PPM maxval not 255"] = (
            "Pillow's Python PpmDecoder: min(out_max, round(v / maxval * out_max)) with Python's "
            "round-half-even on the float; out_max is 255, or 65535 for a PGM with maxval > 255 "
            f"(opens as mode I; maxval 65535 exactly is read raw as I;16B). Matches here: "
            f"{bool(np.array_equal(got, half_even))}")
    with Image.open(INPUTS / "gray8.bmp") as img:
        data = (INPUTS / "gray8.bmp").read_bytes()
        bpp = struct.unpack_from("<H", data, 28)[0]
        notes["L BMP (Pillow writer)"] = f"{bpp}-bit with a palette; reopens as {img.mode}"


if __name__ == "__main__":
    sys.exit(main())
