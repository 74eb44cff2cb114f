#!/usr/bin/env python3
"""Generate the golden fixtures for the Augment module (affine warps, PIL brightness, and the
colour and filter operations against albumentations 2.0.8 / albucore 0.0.24 / OpenCV).

Writes everything under Fixtures/augment/ (inputs/, expected/, manifest.json,
README.md). Deterministic (fixed numpy seed, no timestamps) and rerunnable: inputs/
and expected/ are deleted and rewritten on every run.

Run it through Tools/make_fixtures.sh augment, which builds the pinned virtualenv
(Tools/requirements-fixtures.txt: Pillow, numpy, opencv-python-headless, scipy).

Conventions (those of Sources/Augment/Warp.swift)
  * AffineTransform(a, b, c, d, e, f) maps INPUT (x, y) to OUTPUT
    (a x + b y + c, d x + e y + f); the centre of pixel (i, j) is at (i, j).
  * The warp gives each output pixel the input sampled at its inverse-mapped
    position. That is cv2.warpAffine(src, [[a, b, c], [d, e, f]], (W, H)) without
    WARP_INVERSE_MAP.
  * Rotation by +deg turns content counter-clockwise on screen:
    [[cos, sin, .], [-sin, cos, .]] about the centre ((W-1)/2, (H-1)/2), the same
    matrix as cv2.getRotationMatrix2D(centre, deg, 1) (checked here).
  * expected/*.raw: row-major HWC uint8, no header.

Two expectations per warp case:
  * `exact`: a float64 numpy implementation of Invariant's sampling (inverse map per
    output pixel in float64; nearest = floor(x + 0.5); bilinear weights in float64;
    bicubic = Keys with a = -0.75 on a 4x4 neighbourhood; round half up, clamp to
    0..255; each tap outside the input follows the border mode, the constant mode
    reads `fill`). Invariant computes the weights in Float32, so it may differ from
    this by one level where the float64 value sits within float32 noise of a .5.
  * `opencv`: cv2.warpAffine. Older OpenCV quantised positions to 1/32 pixel and
    weights to fixed point; measured here, the pinned 5.1 wheel is within 0.503 of the
    unrounded float64 value everywhere and differs from `exact` only at near ties
    (see tie_mask). The manifest records per case the max and mean absolute
    difference, the number of near ties and the max difference off them.
The bilinear part of `exact` is cross-checked against scipy.ndimage.map_coordinates
(order 1, the border modes' scipy names) before rounding.
"""

from __future__ import annotations

import json
import math
import platform
import shutil
import sys
from pathlib import Path

import cv2
import numpy as np
import PIL
import scipy
from PIL import Image, ImageEnhance
from scipy import ndimage

import albucore
import albumentations
import albumentations.augmentations.pixel.functional as albu_pixel

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Fixtures" / "augment"
INPUTS = OUT / "inputs"
EXPECTED = OUT / "expected"

W, H = 41, 31          # odd, non-square: a 90-degree turn about the centre leaves the canvas
SEED = 20240917
FILL = 77              # the constant border's level in every constant case
CENTRE = ((W - 1) / 2, (H - 1) / 2)

BORDERS = {
    "constant": cv2.BORDER_CONSTANT,
    "replicate": cv2.BORDER_REPLICATE,
    "reflect": cv2.BORDER_REFLECT,
    "reflect101": cv2.BORDER_REFLECT_101,
    "wrap": cv2.BORDER_WRAP,
}
SCIPY_MODES = {"constant": "grid-constant", "replicate": "nearest", "reflect": "reflect",
               "reflect101": "mirror", "wrap": "grid-wrap"}
INTERPOLATIONS = {"nearest": cv2.INTER_NEAREST, "bilinear": cv2.INTER_LINEAR, "bicubic": cv2.INTER_CUBIC}
BRIGHTNESS_FACTORS = [0.5, 0.7, 1.0, 1.3, 2.0]

warp_entries: list[dict] = []
brightness_entries: list[dict] = []
colour_entries: list[dict] = []
checks: dict[str, object] = {}


def rel(p: Path) -> str:
    return p.relative_to(OUT).as_posix()


# --------------------------------------------------------------------------
# Source image
# --------------------------------------------------------------------------

def source_rgb() -> np.ndarray:
    """Gradients, a disc, a rectangle, a diagonal line, a 1-pixel checkerboard, an 'F'
    glyph (any flip or turn shows) and mild noise; uint8 (H, W, 3)."""
    rng = np.random.default_rng(SEED)
    y, x = np.mgrid[0:H, 0:W].astype(np.float64)
    u, v = x / (W - 1), y / (H - 1)
    img = np.empty((H, W, 3))
    img[..., 0] = 255 * u
    img[..., 1] = 255 * v
    img[..., 2] = 127.5 + 127.5 * np.sin(2 * np.pi * (1.3 * u + 0.7 * v))
    img[(x - 0.62 * W) ** 2 + (y - 0.62 * H) ** 2 <= (0.22 * H) ** 2] = (230, 40, 60)
    img[(x >= 0.66 * W) & (x < 0.92 * W) & (y >= 0.08 * H) & (y < 0.35 * H)] = (20, 70, 210)
    img[np.abs((x - 0.05 * W) * (H / W) - y) < 0.7] = (250, 250, 250)
    patch = (x >= 0.08 * W) & (x < 0.3 * W) & (y >= 0.68 * H) & (y < 0.95 * H)
    checker = (x.astype(int) + y.astype(int)) % 2 == 0
    img[patch & checker] = (0, 0, 0)
    img[patch & ~checker] = (255, 255, 0)
    img[2:14, 3:6] = (10, 10, 10)      # the F: stem
    img[2:5, 3:12] = (10, 10, 10)      # top bar
    img[7:9, 3:10] = (10, 10, 10)      # middle bar
    img += rng.normal(0.0, 6.0, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------
# Matrices, in Invariant's convention (AffineTransform.swift)
# --------------------------------------------------------------------------

def about(centre, a, b, d, e):
    cx, cy = centre
    return [a, b, cx - a * cx - b * cy, d, e, cy - d * cx - e * cy]


def rotation(degrees, centre=CENTRE):
    r = degrees * math.pi / 180
    return about(centre, math.cos(r), math.sin(r), -math.sin(r), math.cos(r))


def scaling(sx, sy, centre=CENTRE):
    return about(centre, sx, 0.0, 0.0, sy)


def shear(xdeg, ydeg, centre=CENTRE):
    return about(centre, 1.0, math.tan(xdeg * math.pi / 180), math.tan(ydeg * math.pi / 180), 1.0)


def translation(x, y):
    return [1.0, 0.0, x, 0.0, 1.0, y]


def followed_by(m, n):
    """m, then n (AffineTransform.followed(by:))."""
    a, b, c, d, e, f = m
    na, nb, nc, nd, ne, nf = n
    return [na * a + nb * d, na * b + nb * e, na * c + nb * f + nc,
            nd * a + ne * d, nd * b + ne * e, nd * c + ne * f + nf]


def inverse(m):
    a, b, c, d, e, f = m
    det = a * e - b * d
    ia, ib, id_, ie = e / det, -b / det, -d / det, a / det
    return [ia, ib, -(ia * c + ib * f), id_, ie, -(id_ * c + ie * f)]


# --------------------------------------------------------------------------
# The float64 reference warp
# --------------------------------------------------------------------------

def resolve(index: np.ndarray, size: int, border: str):
    """(index inside 0..<size, inside-or-not) as BorderMode.resolve; for the constant
    mode, outside taps are flagged and read `fill`."""
    inside = (index >= 0) & (index < size)
    if border == "constant":
        return np.clip(index, 0, size - 1), inside
    if border == "replicate":
        return np.clip(index, 0, size - 1), np.ones_like(inside)
    if border == "reflect":
        period = 2 * size
        i = np.mod(index, period)
        return np.where(i < size, i, period - 1 - i), np.ones_like(inside)
    if border == "reflect101":
        if size == 1:
            return np.zeros_like(index), np.ones_like(inside)
        period = 2 * size - 2
        i = np.mod(index, period)
        return np.where(i < size, i, period - i), np.ones_like(inside)
    if border == "wrap":
        return np.mod(index, size), np.ones_like(inside)
    raise ValueError(border)


def taps(src: np.ndarray, ix: np.ndarray, iy: np.ndarray, border: str, fill: float) -> np.ndarray:
    h, w, _ = src.shape
    rx, vx = resolve(ix, w, border)
    ry, vy = resolve(iy, h, border)
    values = src[ry, rx].astype(np.float64)
    return np.where((vx & vy)[..., None], values, float(fill))


def source_positions(matrix, width, height):
    ia, ib, ic, id_, ie, if_ = inverse(matrix)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float64)
    return ia * xs + ib * ys + ic, id_ * xs + ie * ys + if_


def keys_weights(t: np.ndarray):
    a = -0.75

    def near(d):
        return ((a + 2) * d - (a + 3)) * d * d + 1

    def far(d):
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def exact_float(src, matrix, width, height, interpolation, border, fill):
    """The sampled values before rounding, float64 (H, W, C)."""
    src = src.reshape(src.shape[0], src.shape[1], -1)
    sx, sy = source_positions(matrix, width, height)
    if interpolation == "nearest":
        return taps(src, np.floor(sx + 0.5).astype(np.int64), np.floor(sy + 0.5).astype(np.int64), border, fill)
    x0, y0 = np.floor(sx), np.floor(sy)
    fx, fy = (sx - x0)[..., None], (sy - y0)[..., None]
    x0, y0 = x0.astype(np.int64), y0.astype(np.int64)
    if interpolation == "bilinear":
        return ((1 - fx) * (1 - fy) * taps(src, x0, y0, border, fill)
                + fx * (1 - fy) * taps(src, x0 + 1, y0, border, fill)
                + (1 - fx) * fy * taps(src, x0, y0 + 1, border, fill)
                + fx * fy * taps(src, x0 + 1, y0 + 1, border, fill))
    if interpolation == "bicubic":
        wx, wy = keys_weights(fx), keys_weights(fy)
        total = np.zeros((height, width, src.shape[2]))
        for j in range(4):
            for i in range(4):
                total += wx[i] * wy[j] * taps(src, x0 - 1 + i, y0 - 1 + j, border, fill)
        return total
    raise ValueError(interpolation)


TIE_POSITION = 1e-6   # nearest: a source coordinate this close to a half-integer
TIE_VALUE = 0.01      # bilinear/bicubic: an unrounded value this close to k + 0.5


def tie_mask(src, matrix, width, height, interpolation, border, fill) -> np.ndarray:
    """Samples where the rounding is a near tie, (H, W, C) bool: for nearest, pixels whose
    source x or y lies within TIE_POSITION of a half-integer (which pixel is read then
    hangs on the last bits of the position); otherwise samples whose float64 value lies
    within TIE_VALUE of k + 0.5 (the level hangs on the last bits of the weights)."""
    channels = 1 if src.ndim == 2 else src.shape[2]
    if interpolation == "nearest":
        sx, sy = source_positions(matrix, width, height)
        near = (np.abs(sx - np.floor(sx) - 0.5) < TIE_POSITION) | (np.abs(sy - np.floor(sy) - 0.5) < TIE_POSITION)
        return np.repeat(near[..., None], channels, axis=2)
    v = np.clip(exact_float(src, matrix, width, height, interpolation, border, fill), 0, 255)
    return np.abs(v - np.floor(v) - 0.5) < TIE_VALUE


def round_half_up(values: np.ndarray) -> np.ndarray:
    return np.floor(np.clip(values, 0, 255) + 0.5).astype(np.uint8)


def exact_warp(src, matrix, width, height, interpolation, border, fill):
    out = round_half_up(exact_float(src, matrix, width, height, interpolation, border, fill))
    return out if src.ndim == 3 else out[..., 0]


def opencv_warp(src, matrix, width, height, interpolation, border, fill):
    m = np.array(matrix, dtype=np.float64).reshape(2, 3)
    return cv2.warpAffine(src, m, (width, height), flags=INTERPOLATIONS[interpolation],
                          borderMode=BORDERS[border], borderValue=(fill, fill, fill, fill))


def scipy_bilinear(src, matrix, width, height, border, fill):
    src = src.reshape(src.shape[0], src.shape[1], -1).astype(np.float64)
    sx, sy = source_positions(matrix, width, height)
    return np.stack([ndimage.map_coordinates(src[..., c], [sy, sx], order=1, mode=SCIPY_MODES[border],
                                             cval=float(fill), prefilter=False)
                     for c in range(src.shape[2])], axis=-1)


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

def transforms():
    """name -> (matrix, output width, output height, description for the manifest)."""
    composed = followed_by(followed_by(rotation(25), scaling(1.15, 1.15)), translation(2.3, -1.6))
    # A quarter turn into the swapped canvas: rotate about the origin, then move the
    # rotated image (x' = y, y' = -x) back onto a 31x41 canvas.
    quarter = followed_by(rotation(90, (0.0, 0.0)), translation(0.0, W - 1))
    # Corners onto corners of a 25x19 canvas, like a resize by (24/40, 18/30).
    shrink = scaling((25 - 1) / (W - 1), (19 - 1) / (H - 1), (0.0, 0.0))
    c = list(CENTRE)
    return {
        "rot17": (rotation(17), W, H, {"kind": "rotation", "degrees": 17, "center": c}),
        "rot-33": (rotation(-33), W, H, {"kind": "rotation", "degrees": -33, "center": c}),
        "rot90": (rotation(90), W, H, {"kind": "rotation", "degrees": 90, "center": c}),
        "scale0.8": (scaling(0.8, 0.8), W, H, {"kind": "scaling", "x": 0.8, "y": 0.8, "center": c}),
        "scale1.3": (scaling(1.3, 1.3), W, H, {"kind": "scaling", "x": 1.3, "y": 1.3, "center": c}),
        "shift": (translation(3.5, -2.25), W, H, {"kind": "translation", "x": 3.5, "y": -2.25}),
        "shear": (shear(14, -9), W, H, {"kind": "shear", "x": 14, "y": -9, "center": c}),
        "composed": (composed, W, H, {"kind": "composed", "steps": [
            {"kind": "rotation", "degrees": 25, "center": c},
            {"kind": "scaling", "x": 1.15, "y": 1.15, "center": c},
            {"kind": "translation", "x": 2.3, "y": -1.6}]}),
        "quarter-canvas": (quarter, H, W, {"kind": "composed", "steps": [
            {"kind": "rotation", "degrees": 90, "center": [0.0, 0.0]},
            {"kind": "translation", "x": 0.0, "y": float(W - 1)}]}),
        "shrink": (shrink, 25, 19, {"kind": "scaling", "x": 24 / 40, "y": 18 / 30, "center": [0.0, 0.0]}),
        "composed-canvas": (composed, 53, 37, {"kind": "composed", "note": "the composed matrix onto a larger canvas"}),
    }


def case_list():
    """(transform, interpolation, border, channels). Full cross product of interpolations
    and borders for two transforms (rot17 in RGB, composed in gray); bilinear with every
    border and nearest/bicubic with constant and reflect101 for the other six; a few
    output sizes other than the input's. Most cases are gray to keep the folder small:
    the sampling is per channel, the RGB cases cover the interleaving."""
    cases = []
    for interp in INTERPOLATIONS:
        for border in BORDERS:
            cases.append(("rot17", interp, border, 3))
            cases.append(("composed", interp, border, 1))
    for name in ("rot-33", "rot90", "scale0.8", "scale1.3", "shift", "shear"):
        for border in BORDERS:
            cases.append((name, "bilinear", border, 3 if border in ("constant", "reflect101") else 1))
        for interp in ("nearest", "bicubic"):
            for border in ("constant", "reflect101"):
                cases.append((name, interp, border, 1))
    cases += [
        ("quarter-canvas", "nearest", "replicate", 3),
        ("quarter-canvas", "bilinear", "constant", 1),
        ("quarter-canvas", "bicubic", "reflect", 1),
        ("shrink", "bilinear", "constant", 3),
        ("shrink", "bicubic", "reflect101", 1),
        ("composed-canvas", "bilinear", "constant", 3),
        ("composed-canvas", "bicubic", "wrap", 1),
    ]
    return cases


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------

def write_raw(path: Path, a: np.ndarray) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(np.ascontiguousarray(a, dtype=np.uint8).tobytes())
    return rel(path)


def check_rotation_matrices():
    worst = 0.0
    for degrees in (17, -33, 90, 25):
        ours = np.array(rotation(degrees)).reshape(2, 3)
        theirs = cv2.getRotationMatrix2D(CENTRE, degrees, 1.0)
        worst = max(worst, float(np.abs(ours - theirs).max()))
    assert worst < 1e-12, f"rotation matrix differs from cv2.getRotationMatrix2D by {worst}"
    checks["rotation_vs_getRotationMatrix2D_max_abs"] = worst


def make_warps(sources: dict[int, tuple[np.ndarray, str]]):
    table = transforms()
    scipy_worst = 0.0
    for name, interp, border, channels in case_list():
        matrix, width, height, description = table[name]
        src, input_rel = sources[channels]
        fill = FILL if border == "constant" else 0
        exact = exact_warp(src, matrix, width, height, interp, border, fill)
        ocv = opencv_warp(src, matrix, width, height, interp, border, fill)
        assert exact.shape == ocv.shape, (exact.shape, ocv.shape)
        if interp == "bilinear":
            ours = exact_float(src, matrix, width, height, "bilinear", border, fill)
            scipy_worst = max(scipy_worst, float(np.abs(ours - scipy_bilinear(src, matrix, width, height,
                                                                              border, fill)).max()))
        diff = np.abs(exact.astype(np.int64) - ocv.astype(np.int64))
        ties = tie_mask(src, matrix, width, height, interp, border, fill).reshape(diff.shape)
        if interp == "nearest":
            float_max = None  # a tie picks another pixel: the level difference says nothing
        else:
            unrounded = np.clip(exact_float(src, matrix, width, height, interp, border, fill), 0, 255)
            float_max = round(float(np.abs(ocv.reshape(unrounded.shape) - unrounded).max()), 6)
        stem = f"{name}.{interp}.{border}" + (".gray" if channels == 1 else "")
        exact_rel = write_raw(EXPECTED / f"{stem}.exact.raw", exact)
        # Where OpenCV gives the same bytes, both entries name the exact file.
        ocv_rel = exact_rel if diff.max() == 0 else write_raw(EXPECTED / f"{stem}.opencv.raw", ocv)
        warp_entries.append({
            "name": stem, "input": input_rel, "channels": channels,
            "matrix": [float(v) for v in matrix], "width": width, "height": height,
            "interpolation": interp, "border": border, "fill": fill,
            "opencv": ocv_rel, "exact": exact_rel,
            "opencv_vs_exact_max": int(diff.max()), "opencv_vs_exact_mean": round(float(diff.mean()), 5),
            "opencv_vs_exact_differing": round(float((diff > 0).mean()), 5),
            "ties": int(ties.sum()),
            "opencv_vs_exact_max_off_ties": int(diff[~ties].max()) if (~ties).any() else 0,
            "opencv_vs_unrounded_max": float_max,
            "transform": description,
        })
    assert scipy_worst < 1e-9, f"float64 bilinear differs from scipy map_coordinates by {scipy_worst}"
    checks["bilinear_vs_scipy_map_coordinates_max_abs"] = scipy_worst


def pil_brightness_table(factor: float) -> np.ndarray:
    """PIL's ImagingBlend with a black image: (UINT8)(0 + alpha * v) in C float for
    0 <= alpha <= 1, clipped to 0..255 otherwise; alpha is a C float (float32)."""
    values = np.float32(factor) * np.arange(256, dtype=np.float32)
    return np.clip(np.trunc(values), 0, 255).astype(np.uint8)


def make_brightness(src: np.ndarray, input_rel: str):
    all_match = True
    for factor in BRIGHTNESS_FACTORS:
        out = np.asarray(ImageEnhance.Brightness(Image.fromarray(src)).enhance(factor))
        table_match = bool(np.array_equal(out, pil_brightness_table(factor)[src]))
        all_match &= table_match
        brightness_entries.append({
            "factor": factor, "input": input_rel, "channels": int(out.shape[2] if out.ndim == 3 else 1),
            "width": int(out.shape[1]), "height": int(out.shape[0]),
            "expected": write_raw(EXPECTED / f"brightness.{factor}.raw", out),
            "matches_float32_truncating_table": table_match,
        })
    checks["brightness_is_float32_truncating_table"] = all_match


# --------------------------------------------------------------------------
# Colour and filter operations (albumentations / albucore / OpenCV on uint8)
# --------------------------------------------------------------------------

HSV_CASES = [(15.7, 0, 0), (-40.2, 0, 0), (0, 25.5, 0), (0, -30.3, 0), (0, 0, 18.6), (0, 0, -22.4), (12.3, -17.8, 9.1)]
JITTER_CASES = [("brightness", 0.63), ("brightness", 1.37), ("contrast", 0.55), ("contrast", 1.45), ("contrast", 0.0),
                ("saturation", 0.3), ("saturation", 1.6), ("saturation", 0.0), ("hue", 0.12), ("hue", -0.31)]
GAUSSIAN_SIGMAS = [0.8, 1.7]
SHARPEN = (0.4, 0.8)   # alpha, lightness


def motion_kernel() -> np.ndarray:
    """A 5x5 diagonal line, normalised (the test builds the same ConvolutionKernel from it)."""
    k = np.zeros((5, 5), np.float32)
    for i in range(5):
        k[i, i] = 1
    k[2, 1] = 1
    return k / k.sum()


def make_colour(src: np.ndarray, input_rel: str):
    def add(op: str, params: dict, out: np.ndarray, stem: str):
        assert out.shape == src.shape and out.dtype == np.uint8, (op, out.shape, out.dtype)
        colour_entries.append({"op": op, **params, "input": input_rel,
                               "expected": write_raw(EXPECTED / f"colour.{stem}.raw", out)})

    for hue, sat, val in HSV_CASES:
        add("hsv", {"hue": hue, "saturation": sat, "value": val},
            albu_pixel.shift_hsv(src.copy(), hue, sat, val), f"hsv.{hue}.{sat}.{val}")
    functions = {"brightness": albu_pixel.adjust_brightness_torchvision, "contrast": albu_pixel.adjust_contrast_torchvision,
                 "saturation": albu_pixel.adjust_saturation_torchvision, "hue": albu_pixel.adjust_hue_torchvision}
    for name, factor in JITTER_CASES:
        add(name, {"factor": factor}, functions[name](src.copy(), factor), f"{name}.{factor}")
    for sigma in GAUSSIAN_SIGMAS:
        # OpenCV quantises an 8-bit Gaussian kernel to 8 fractional bits with its own sum
        # correction; the real-valued blur (float64, OpenCV's size and border, rounded) is the
        # ±1 reference, and the uint8 result is kept beside it.
        size = int(round(sigma * 6 + 1)) | 1
        exact = np.clip(np.rint(cv2.GaussianBlur(src.astype(np.float64), (size, size), sigma)), 0, 255).astype(np.uint8)
        ocv = cv2.GaussianBlur(src, (0, 0), sigma)
        add("gaussian", {"sigma": sigma, "opencv": write_raw(EXPECTED / f"colour.gaussian.{sigma}.opencv.raw", ocv),
                         "opencv_vs_exact_max": int(np.abs(ocv.astype(int) - exact.astype(int)).max())},
            exact, f"gaussian.{sigma}")
    alpha, lightness = SHARPEN
    identity = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], np.float32)
    effect = np.array([[-1, -1, -1], [-1, 8 + lightness, -1], [-1, -1, -1]], np.float32)
    sharpen = ((1 - alpha) * identity + alpha * effect).astype(np.float32)
    add("sharpen", {"alpha": alpha, "lightness": lightness}, albu_pixel.convolve(src.copy(), sharpen), "sharpen")
    kernel = motion_kernel()
    add("kernel", {"width": 5, "height": 5, "weights": [float(v) for v in kernel.ravel()]},
        cv2.filter2D(src, -1, kernel), "motion")


# --------------------------------------------------------------------------
# Manifest and README# --------------------------------------------------------------------------
# Manifest and README
# --------------------------------------------------------------------------

def summary() -> dict:
    out = {}
    for interp in INTERPOLATIONS:
        rows = [e for e in warp_entries if e["interpolation"] == interp]
        out[interp] = {
            "cases": len(rows),
            "max": max(e["opencv_vs_exact_max"] for e in rows),
            "mean_of_means": round(sum(e["opencv_vs_exact_mean"] for e in rows) / len(rows), 5),
            "max_of_means": max(e["opencv_vs_exact_mean"] for e in rows),
            "identical_cases": sum(1 for e in rows if e["opencv_vs_exact_max"] == 0),
            "max_off_ties": max(e["opencv_vs_exact_max_off_ties"] for e in rows),
            "unrounded_max": (None if interp == "nearest"
                              else max(e["opencv_vs_unrounded_max"] for e in rows)),
        }
    return out


def write_manifest() -> None:
    manifest = {
        "generator": "Tools/make_augment_fixtures.py",
        "numpy": np.__version__,
        "opencv": cv2.__version__,
        "pillow": PIL.__version__,
        "scipy": scipy.__version__,
        "albumentations": albumentations.__version__,
        "albucore": albucore.__version__,
        "machine": platform.machine(),
        "conventions": {
            "raw": "row-major HWC uint8, no header",
            "matrix": "[a,b,c,d,e,f]: input (x,y) -> output (a x + b y + c, d x + e y + f); pixel centres at integers",
            "warp": "output pixel = input sampled at the inverse-mapped position (cv2.warpAffine with the forward matrix)",
            "rotation": "positive degrees turn content counter-clockwise: [[cos, sin, .], [-sin, cos, .]] about the centre",
            "exact": "float64: nearest floor(x+0.5); bilinear float64 weights; bicubic Keys a=-0.75; round half up; clamp",
            "opencv": "cv2.warpAffine of the pinned wheel; differs from exact only at near ties (see README)",
            "ties": "nearest: source x or y within 1e-6 of a half-integer; else unrounded value within 0.01 of k+0.5",
            "fill": "the constant border's level (0 for other modes)",
            "brightness": "PIL ImageEnhance.Brightness(Image.fromarray(src)).enhance(factor)",
            "colour": "albumentations.augmentations.pixel.functional (shift_hsv, adjust_*_torchvision, convolve), cv2.GaussianBlur(src, (0, 0), sigma), cv2.filter2D",
        },
        "checks": checks,
        "opencv_vs_exact": summary(),
        "inputs": [
            {"input": "inputs/source.png", "channels": 3, "width": W, "height": H, "mode": "RGB"},
            {"input": "inputs/source_gray.png", "channels": 1, "width": W, "height": H,
             "mode": "L", "note": "Image.convert('L') of source.png"},
        ],
        "warp": warp_entries,
        "brightness": brightness_entries,
        "colour": colour_entries,
    }
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
    rows = "\n".join(f"| {k} | {v['cases']} | {v['max']} | {v['mean_of_means']} | {v['max_of_means']} | "
                     f"{v['identical_cases']} | {v['max_off_ties']} | {v['unrounded_max'] if v['unrounded_max'] is not None else '—'} |"
                     for k, v in summary().items())
    text = f"""# Augment golden fixtures

Generated by `Tools/make_augment_fixtures.py`; do not edit by hand. Regenerate with

    Tools/make_fixtures.sh augment

which creates `.venv-tools/` (git-ignored), installs `Tools/requirements-fixtures.txt`
and runs the script. Deterministic (fixed numpy seed); it deletes and rewrites
`inputs/`, `expected/`, `manifest.json` and this README on every run.

Pinned: numpy {np.__version__}, opencv-python-headless {cv2.__version__}, Pillow {PIL.__version__}, scipy {scipy.__version__},
albumentations {albumentations.__version__}, albucore {albucore.__version__}.

## Layout

- `inputs/source.png` — {W}x{H} RGB: gradients, shapes, a 1-pixel checkerboard, an "F" glyph,
  noise. `inputs/source_gray.png` — its `convert('L')`.
- `expected/<transform>.<interpolation>.<border>[.gray].exact.raw` — the float64 reference.
- `expected/<...>.opencv.raw` — `cv2.warpAffine`; absent where it equals the exact file,
  and then the manifest's `opencv` names the exact file.
- `expected/brightness.<factor>.raw` — `ImageEnhance.Brightness(...).enhance(factor)` of
  the RGB source.
- `manifest.json` — every case, paths relative to this folder.

## Warp cases

Each `warp` entry has the 6 numbers of Invariant's `AffineTransform` (`matrix`: input
(x, y) → output (a·x + b·y + c, d·x + e·y + f), pixel centres at integers), the output
`width`/`height`, `interpolation` (nearest, bilinear, bicubic), `border` (constant,
replicate, reflect, reflect101, wrap), `fill` ({FILL} for constant, else 0), the two expected
files, and `transform`, a description from which `AffineTransform.rotation/scaling/shear/
translation` and `followed(by:)` rebuild the matrix. The warp is
`cv2.warpAffine(src, [[a,b,c],[d,e,f]], (width, height), flags, borderMode, borderValue=fill)`
(the forward matrix); rotation matrices equal `cv2.getRotationMatrix2D` (checked,
`checks` in the manifest).

`exact` is float64: inverse map per output pixel, nearest = floor(x + 0.5), bilinear
weights in float64, bicubic Keys a = −0.75, round half up, clamp; every tap outside the
input follows the border mode (constant: reads `fill`). Its bilinear values match
`scipy.ndimage.map_coordinates` (order 1) before rounding. Compare Invariant with it
within 1 level (Invariant blends in Float32).

`opencv` is `cv2.warpAffine` from the pinned wheel (generated on {platform.machine()}).
Per case the manifest has `opencv_vs_exact_max`, `opencv_vs_exact_mean`,
`opencv_vs_exact_differing` (the fraction of samples that differ), `ties` (samples at a
near tie: for nearest, a source x or y within {TIE_POSITION:g} of a half-integer; otherwise an
unrounded float64 value within {TIE_VALUE:g} of k + 0.5), `opencv_vs_exact_max_off_ties`, and for
bilinear/bicubic `opencv_vs_unrounded_max`, the largest |OpenCV level − unrounded float64
value|.

Measured: this OpenCV does **not** behave like the old 1/32-pixel fixed-point warp. It
agrees with `exact` everywhere except at near ties, where it rounds either way (half up
in some border modes, half to even in others, and positions such as 12.499999999999996
sometimes go up): bilinear and bicubic then differ by 1 level, nearest reads the
neighbouring pixel (any level difference). So: compare Invariant with `opencv` within
1 level for bilinear/bicubic, and for nearest exactly off the near ties (or only in cases
with `"ties": 0`).

| interpolation | cases | max abs diff | mean of per-case means | worst per-case mean | identical cases | max off ties | max vs unrounded |
| --- | --- | --- | --- | --- | --- | --- | --- |
{rows}

## Brightness

`brightness` entries: factors {", ".join(map(str, BRIGHTNESS_FACTORS))} on the RGB source.
PIL blends with black in C float: `(UINT8)(alpha·v)` for alpha ≤ 1, clipped at 255
above; every entry equals the table `min(255, trunc(float32(factor)·float32(v)))`
(`matches_float32_truncating_table`), which is what `Brightness` in Transforms.swift builds.

## Colour and filter operations

`colour` entries, each on the RGB source, `expected/colour.<op>.<parameters>.raw`:

- `hsv` — `albumentations.augmentations.pixel.functional.shift_hsv(src, hue, saturation, value)`
  (OpenCV's 8-bit HSV, hue in 0…179), {len(HSV_CASES)} cases.
- `brightness`, `contrast`, `saturation`, `hue` — albumentations' `adjust_*_torchvision` on uint8
  (ColorJitter's four parts), {len(JITTER_CASES)} cases.
- `gaussian` — the float64 Gaussian blur (`cv2.GaussianBlur` on float64 with OpenCV's 8-bit kernel
  size round(6σ + 1) | 1, reflect-101, rounded) for sigma {", ".join(map(str, GAUSSIAN_SIGMAS))}, and in `opencv`
  `cv2.GaussianBlur(src, (0, 0), sigma)` on uint8, which quantises the kernel to 8 fractional bits
  with its own sum correction (`opencv_vs_exact_max` levels from the real-valued blur).
- `sharpen` — `convolve(src, (1 − α)·I + α·[[−1,−1,−1],[−1,8+λ,−1],[−1,−1,−1]])` (albumentations'
  Sharpen kernel), α = {SHARPEN[0]}, λ = {SHARPEN[1]}.
- `kernel` — `cv2.filter2D` with the listed 5×5 weights (a motion-blur line).

The tests hold Invariant within ±1 level of every sample (for `gaussian`: of the float64 blur, and
within ±2 of OpenCV's uint8 result).
"""
    (OUT / "README.md").write_text(text)


def main() -> int:
    for d in (INPUTS, EXPECTED):
        if d.exists():
            shutil.rmtree(d)
    for f in (OUT / "manifest.json",):
        if f.exists():
            f.unlink()
    INPUTS.mkdir(parents=True, exist_ok=True)
    EXPECTED.mkdir(parents=True, exist_ok=True)
    rgb = source_rgb()
    Image.fromarray(rgb, "RGB").save(INPUTS / "source.png", optimize=True)
    gray = np.asarray(Image.fromarray(rgb, "RGB").convert("L"))
    Image.fromarray(gray, "L").save(INPUTS / "source_gray.png", optimize=True)
    # Read back what the tests will read.
    rgb = np.asarray(Image.open(INPUTS / "source.png").convert("RGB"))
    gray = np.asarray(Image.open(INPUTS / "source_gray.png"))
    check_rotation_matrices()
    make_warps({3: (rgb, "inputs/source.png"), 1: (gray, "inputs/source_gray.png")})
    make_brightness(rgb, "inputs/source.png")
    make_colour(rgb, "inputs/source.png")
    write_manifest()
    write_readme()
    files = [f for f in OUT.rglob("*") if f.is_file()]
    total = sum(f.stat().st_size for f in files)
    print(f"wrote {len(files)} files, {total} bytes, {len(warp_entries)} warp / "
          f"{len(brightness_entries)} brightness / {len(colour_entries)} colour cases")
    for k, v in summary().items():
        print(f"  {k}: {v}")
    print(f"  checks: {checks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
