#!/usr/bin/env python3
"""Generate golden fixtures for Invariant's Keras `ImageDataGenerator`-compatible front end.

Writes everything under Fixtures/keras/ (inputs/, expected/, manifest.json, README.md).
Deterministic (fixed numpy seed, no timestamps, no random transform parameters) and
rerunnable: inputs/ and expected/ are deleted and rewritten on every run.

Run it through Tools/make_fixtures.sh keras, which builds the pinned virtualenv
(Tools/requirements-fixtures.txt: numpy, scipy, Pillow). TensorFlow/Keras are NOT
installed: the few pure numpy/scipy/PIL functions that `ImageDataGenerator.apply_transform`
runs are transcribed below, operation for operation, from

    keras-team/keras  keras/src/legacy/preprocessing/image.py  (read at commit
        0a54048b9961097d2628727e564708f9f4264b39): ImageDataGenerator.apply_transform,
        apply_affine_transform, transform_matrix_offset_center, apply_channel_shift,
        apply_brightness_shift, flip_axis
    keras-team/keras  keras/src/utils/image_utils.py
        array_to_img, img_to_array   (used by apply_brightness_shift)

(`scipy.ndimage.interpolation.affine_transform` there is `scipy.ndimage.affine_transform`.)
Every case is `ImageDataGenerator(fill_mode=..., cval=..., interpolation_order=1)
.apply_transform(x, params)` with channels_last, float32 x = img_to_array(uint8 image),
and an explicit `params` dict of the shape `get_random_transform` returns.

Besides the outputs, the script checks an independent float64 numpy model of scipy's
order-1 `affine_transform` (the arithmetic of scipy/ndimage/src/ni_interpolation.c, with
the coordinate order measured on scipy 1.17: coordinate = (off0 + r*m00) + c*m01,
`map_coordinate` per mode, weights w0 = 1 - t, w1 = 1 - w0, taps summed (r0c0, r0c1,
r1c0, r1c1) as (v*wr)*wc, one cast to float32) against scipy, bit for bit, on every
affine case and on random float64 data, and measures scipy's edge semantics on a 1-D
row for the manifest's `scipy_modes` table.
"""

from __future__ import annotations

import json
import platform
import shutil
import sys
from pathlib import Path

import numpy as np
import PIL
import scipy
from PIL import Image, ImageEnhance
from scipy import ndimage

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Fixtures" / "keras"
INPUTS = OUT / "inputs"
EXPECTED = OUT / "expected"

W, H = 23, 17            # odd and non-square on purpose (Keras swaps h and w in the centre)
PW, PH = 9, 7            # the 1-pixel probe
PROBE_PIXEL = (2, 4)     # (row, col): centre column, above the centre
SEED = 20250311
KERAS_FILL_MODES = ("nearest", "reflect", "wrap", "constant")   # the modes ImageDataGenerator documents
FRAGILE = 1e-9           # a source coordinate this close to a mode's discontinuity

cases: list[dict] = []
checks: dict[str, object] = {}


def rel(p: Path) -> str:
    return p.relative_to(OUT).as_posix()


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------

def source_rgb() -> np.ndarray:
    """23x17 RGB uint8: gradients, a disc, a rectangle, a diagonal, a 1-pixel checker
    patch, an asymmetric 'F' (any flip or turn shows), mild noise."""
    rng = np.random.default_rng(SEED)
    y, x = np.mgrid[0:H, 0:W].astype(np.float64)
    u, v = x / (W - 1), y / (H - 1)
    img = np.empty((H, W, 3))
    img[..., 0] = 20 + 215 * u
    img[..., 1] = 235 - 215 * v
    img[..., 2] = 127.5 + 110 * np.sin(2 * np.pi * (1.1 * u + 0.8 * v))
    img[(x - 16.0) ** 2 + (y - 11.0) ** 2 <= 3.2 ** 2] = (230, 40, 60)        # disc
    img[(x >= 15) & (x < 21) & (y >= 1) & (y < 5)] = (20, 70, 210)            # rectangle
    img[np.abs(x * (H / W) - y) < 0.6] = (250, 250, 250)                      # diagonal
    patch = (x >= 2) & (x < 8) & (y >= 12) & (y < 16)
    checker = (x.astype(int) + y.astype(int)) % 2 == 0
    img[patch & checker] = (0, 0, 0)
    img[patch & ~checker] = (255, 255, 0)
    img[2:10, 3:5] = (12, 12, 12)       # F: stem
    img[2:4, 3:10] = (12, 12, 12)       # top bar
    img[5:7, 3:8] = (12, 12, 12)        # middle bar
    img += rng.normal(0.0, 5.0, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def probe_gray() -> np.ndarray:
    """9x7 grayscale, all 0 except one 255 pixel at PROBE_PIXEL."""
    img = np.zeros((PH, PW), np.uint8)
    img[PROBE_PIXEL] = 255
    return img


# --------------------------------------------------------------------------
# Keras, transcribed (see the module docstring for the files). Same numpy operations in
# the same order, so the float64 matrices and float32 images are bit-identical to what
# Keras computes; only the input checks and channels_first branches are left out.
# --------------------------------------------------------------------------

def transform_matrix_offset_center(matrix, x, y):
    # keras/src/legacy/preprocessing/image.py. Called with (h, w): x = rows, y = cols,
    # but the matrix it offsets is later transposed to (row, col) by the axis swap below.
    o_x = float(x) / 2 - 0.5
    o_y = float(y) / 2 - 0.5
    offset_matrix = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset_matrix = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return np.dot(np.dot(offset_matrix, matrix), reset_matrix)


def keras_transform_matrix(theta, tx, ty, shear, zx, zy, h, w):
    """The 3x3 matrix apply_affine_transform hands to scipy (after the centre offset and,
    for channels_last (row_axis 0 < col_axis 1), the x/y swap), or None when Keras skips
    the resample (all parameters at their identity values)."""
    transform_matrix = None
    if theta != 0:
        theta = np.deg2rad(theta)
        rotation_matrix = np.array([[np.cos(theta), -np.sin(theta), 0],
                                    [np.sin(theta), np.cos(theta), 0],
                                    [0, 0, 1]])
        transform_matrix = rotation_matrix
    if tx != 0 or ty != 0:
        shift_matrix = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
        transform_matrix = shift_matrix if transform_matrix is None else np.dot(transform_matrix, shift_matrix)
    if shear != 0:
        shear = np.deg2rad(shear)
        shear_matrix = np.array([[1, -np.sin(shear), 0], [0, np.cos(shear), 0], [0, 0, 1]])
        transform_matrix = shear_matrix if transform_matrix is None else np.dot(transform_matrix, shear_matrix)
    if zx != 1 or zy != 1:
        zoom_matrix = np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])
        transform_matrix = zoom_matrix if transform_matrix is None else np.dot(transform_matrix, zoom_matrix)
    if transform_matrix is None:
        return None
    transform_matrix = transform_matrix_offset_center(transform_matrix, h, w)
    # col_axis > row_axis: swap columns 0/1, then rows 0/1 (M' = P M P).
    transform_matrix[:, [0, 1]] = transform_matrix[:, [1, 0]]
    transform_matrix[[0, 1]] = transform_matrix[[1, 0]]
    return transform_matrix


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1,
                           fill_mode="nearest", cval=0.0, order=1):
    """channels_last only (row_axis=0, col_axis=1, channel_axis=2)."""
    h, w = x.shape[0], x.shape[1]
    transform_matrix = keras_transform_matrix(theta, tx, ty, shear, zx, zy, h, w)
    if transform_matrix is None:
        return x, None
    x = np.rollaxis(x, 2, 0)
    final_affine_matrix = transform_matrix[:2, :2]
    final_offset = transform_matrix[:2, 2]
    channel_images = [ndimage.affine_transform(x_channel, final_affine_matrix, final_offset,
                                               order=order, mode=fill_mode, cval=cval)
                      for x_channel in x]
    x = np.stack(channel_images, axis=0)
    x = np.rollaxis(x, 0, 3)
    return x, transform_matrix


def apply_channel_shift(x, intensity, channel_axis=0):
    x = np.rollaxis(x, channel_axis, 0)
    min_x, max_x = np.min(x), np.max(x)
    channel_images = [np.clip(x_channel + intensity, min_x, max_x) for x_channel in x]
    x = np.stack(channel_images, axis=0)
    x = np.rollaxis(x, 0, channel_axis + 1)
    return x


def flip_axis(x, axis):
    x = np.asarray(x).swapaxes(axis, 0)
    x = x[::-1, ...]
    x = x.swapaxes(0, axis)
    return x


def array_to_img(x, scale=True, dtype="float32"):
    # keras/src/utils/image_utils.py, channels_last.
    x = np.asarray(x, dtype=dtype)
    if scale:
        x = x - np.min(x)
        x_max = np.max(x)
        if x_max != 0:
            x /= x_max
        x *= 255
    if x.shape[2] == 4:
        return Image.fromarray(x.astype("uint8"), "RGBA")
    if x.shape[2] == 3:
        return Image.fromarray(x.astype("uint8"), "RGB")
    if np.max(x) > 255:
        return Image.fromarray(x[:, :, 0].astype("int32"), "I")
    return Image.fromarray(x[:, :, 0].astype("uint8"), "L")


def img_to_array(img, dtype="float32"):
    x = np.asarray(img, dtype=dtype)
    if x.ndim == 2:
        x = x.reshape((x.shape[0], x.shape[1], 1))
    return x


def apply_brightness_shift(x, brightness, scale=True):
    x_min, x_max = np.min(x), np.max(x)
    local_scale = (x_min < 0) or (x_max > 255)
    x = array_to_img(x, scale=local_scale or scale)
    x = ImageEnhance.Brightness(x).enhance(brightness)
    x = img_to_array(x)
    if not scale and local_scale:
        x = x / 255 * (x_max - x_min) + x_min
    return x


def apply_transform(x, p, fill_mode, cval, order=1):
    """ImageDataGenerator.apply_transform for channels_last (img_row_axis 0, img_col_axis 1,
    img_channel_axis 2). Returns (image, 3x3 matrix or None, stages that ran)."""
    stages = []
    x, matrix = apply_affine_transform(x, p.get("theta", 0), p.get("tx", 0), p.get("ty", 0),
                                       p.get("shear", 0), p.get("zx", 1), p.get("zy", 1),
                                       fill_mode=fill_mode, cval=cval, order=order)
    if matrix is not None:
        stages.append("affine")
    if p.get("channel_shift_intensity") is not None:
        x = apply_channel_shift(x, p["channel_shift_intensity"], 2)
        stages.append("channel_shift")
    if p.get("flip_horizontal", False):
        x = flip_axis(x, 1)
        stages.append("flip_horizontal")
    if p.get("flip_vertical", False):
        x = flip_axis(x, 0)
        stages.append("flip_vertical")
    if p.get("brightness") is not None:
        x = apply_brightness_shift(x, p["brightness"], False)
        stages.append("brightness")
    return x, matrix, stages


# --------------------------------------------------------------------------
# Independent model of scipy's order-1 affine_transform (float64, then float32)
# --------------------------------------------------------------------------

def map_coordinate(p: np.ndarray, n: int, mode: str) -> np.ndarray:
    """ni_interpolation.c map_coordinate for n > 1; -1 marks 'use cval'."""
    p = p.copy()
    lo, hi = p < 0, p > n - 1
    if mode == "nearest":
        pass                                   # not mapped; the taps are clamped instead
    elif mode == "constant":
        p[lo | hi] = -1.0
    elif mode == "wrap":                       # period n - 1
        sz = n - 1
        q = p[lo]
        p[lo] = q + (sz * (np.trunc(-q / sz).astype(np.int64) + 1)).astype(np.float64)
        q = p[hi]
        p[hi] = q - (sz * np.trunc(q / sz).astype(np.int64)).astype(np.float64)
    elif mode == "reflect":                    # half-sample symmetric, period 2n
        sz2 = 2 * n
        q = p[lo]
        deep = q < -sz2
        q[deep] = (sz2 * np.trunc(-q[deep] / sz2).astype(np.int64)).astype(np.float64) + q[deep]
        p[lo] = np.where(q < -n, q + sz2, -q - 1)
        q = p[hi]
        q = q - (sz2 * np.trunc(q / sz2).astype(np.int64)).astype(np.float64)
        p[hi] = np.where(q >= n, sz2 - q - 1, q)
    else:
        raise ValueError(mode)
    return p


def axis_taps(p: np.ndarray, n: int, mode: str):
    """(tap0, tap1, w0, w1, use_cval) for order 1. After map_coordinate a tap outside
    0..n-1 is -1 or n (reflect: p in (-1, 0) or (n-1, n); constant/wrap: n with weight 0)
    or anywhere (nearest, whose coordinate is not mapped); clamping gives the mode's own
    value in each case (scipy maps reflect taps by reflect, nearest by clamping,
    constant/wrap taps by mirror, which only ever meets weight-0 taps)."""
    cc = map_coordinate(p, n, mode)
    use_cval = ~(cc > -1.0) if mode != "nearest" else np.zeros(cc.shape, bool)
    cc = np.where(use_cval, 0.0, cc)
    start = np.floor(cc)
    t = cc - start
    w0 = 1.0 - t
    w1 = 1.0 - w0                     # ni_splines.c: the last weight is 1 - the others
    s = start.astype(np.int64)
    return np.clip(s, 0, n - 1), np.clip(s + 1, 0, n - 1), w0, w1, use_cval


def source_coordinates(matrix2, offset, h, w):
    """scipy 1.17's order of operations: offset first, then the row term, then the column
    term. (The older ni_interpolation.c, 0.0 + r*m0 + c*m1 and the offset last, differs in
    the last bit; measured to matter, see checks.coordinate_order.)"""
    r, c = np.mgrid[0:h, 0:w].astype(np.float64)
    pr = (offset[0] + r * matrix2[0][0]) + c * matrix2[0][1]
    pc = (offset[1] + r * matrix2[1][0]) + c * matrix2[1][1]
    return pr, pc


def model_plane(a: np.ndarray, matrix2, offset, mode: str, cval: float, coords=None) -> np.ndarray:
    """One channel, float64 result (before scipy's cast to the output dtype)."""
    h, w = a.shape
    pr, pc = coords(matrix2, offset, h, w) if coords else source_coordinates(matrix2, offset, h, w)
    r0, r1, wr0, wr1, cr = axis_taps(pr, h, mode)
    c0, c1, wc0, wc1, cc_ = axis_taps(pc, w, mode)
    a = a.astype(np.float64)
    t = 0.0 + (a[r0, c0] * wr0) * wc0
    t = t + (a[r0, c1] * wr0) * wc1
    t = t + (a[r1, c0] * wr1) * wc0
    t = t + (a[r1, c1] * wr1) * wc1
    return np.where(cr | cc_, float(cval), t)


def model_affine(x: np.ndarray, matrix2, offset, mode: str, cval: float, coords=None) -> np.ndarray:
    out = np.empty(x.shape, np.float32)
    for ch in range(x.shape[2]):
        out[..., ch] = model_plane(x[..., ch], matrix2, offset, mode, cval, coords).astype(np.float32)
    return out


def old_source_coordinates(matrix2, offset, h, w):
    r, c = np.mgrid[0:h, 0:w].astype(np.float64)
    return (((0.0 + r * matrix2[0][0]) + c * matrix2[0][1]) + offset[0],
            ((0.0 + r * matrix2[1][0]) + c * matrix2[1][1]) + offset[1])


def check_model_float64() -> None:
    """The model against scipy in float64 (no float32 cast to hide last-bit differences):
    random images, matrices and offsets, every Keras mode, plus integer-valued data."""
    rng = np.random.default_rng(SEED + 1)
    differing = 0
    total = 0
    for trial in range(24):
        h, w = int(rng.integers(2, 30)), int(rng.integers(2, 30))
        a = rng.random((h, w)) * 255 if trial % 2 else rng.integers(0, 256, (h, w)).astype(np.float64)
        th, s = rng.uniform(-np.pi, np.pi), rng.uniform(0.5, 1.6, 2)
        m2 = np.array([[np.cos(th) * s[0], -np.sin(th) * s[1]], [np.sin(th) * s[0], np.cos(th) * s[1]]])
        off = rng.uniform(-h, h, 2)
        for mode in KERAS_FILL_MODES:
            ref = ndimage.affine_transform(a, m2, off, order=1, mode=mode, cval=77.0)
            differing += int((model_plane(a, m2, off, mode, 77.0) != ref).sum())
            total += ref.size
    checks["model_vs_scipy_float64_random"] = {"samples": total, "differing": differing}
    assert differing == 0, differing


def fragile_count(matrix2, offset, h, w, mode) -> int:
    """Output pixels with a source coordinate within FRAGILE of a point where the mode is
    discontinuous (constant: 0 and n-1; wrap: every multiple of n-1); a different last
    bit in the coordinate there can change the sample completely."""
    if mode not in ("constant", "wrap"):
        return 0
    pr, pc = source_coordinates(matrix2, offset, h, w)
    bad = np.zeros(pr.shape, bool)
    for p, n in ((pr, h), (pc, w)):
        if mode == "constant":
            near = (np.abs(p) < FRAGILE) | (np.abs(p - (n - 1)) < FRAGILE)
        else:
            k = np.rint(p / (n - 1))
            near = np.abs(p - k * (n - 1)) < FRAGILE
        # exactly on the boundary is not fragile if it is exactly representable
        bad |= near & (p != np.rint(p))
    return int(bad.sum())


# --------------------------------------------------------------------------
# scipy edge semantics on a 1-D row
# --------------------------------------------------------------------------

ROW = [10.0, 20.0, 30.0, 40.0]
ROW_POSITIONS = [-3.0, -2.5, -1.5, -1.0, -0.75, -0.5, -0.25, -1e-12, 0.0, 0.5, 1.5,
                 2.75, 3.0, 3.0000000001, 3.25, 3.5, 4.0, 4.5, 5.5, 6.0, 6.5, 7.5]
ROW_CVAL = 100.0


def scipy_mode_table() -> dict:
    row = np.array(ROW)
    pos = np.array(ROW_POSITIONS)
    table = {}
    for mode in ("nearest", "reflect", "wrap", "constant", "grid-constant", "grid-wrap", "mirror"):
        vals = ndimage.map_coordinates(row, [pos], order=1, mode=mode, cval=ROW_CVAL, prefilter=False)
        table[mode] = [float(v) for v in vals]
    # check the model on the Keras modes, densely
    dense = np.concatenate([np.linspace(-13, 16, 29 * 64 + 1), pos,
                            np.arange(-12, 16, dtype=np.float64),
                            np.arange(-12, 16, dtype=np.float64) + 1e-13,
                            np.arange(-12, 16, dtype=np.float64) - 1e-13])
    worst = 0.0
    for mode in KERAS_FILL_MODES:
        ref = ndimage.map_coordinates(row[None, :], [np.zeros_like(dense), dense], order=1, mode=mode,
                                      cval=ROW_CVAL, prefilter=False)
        t0, t1, w0, w1, cv = axis_taps(dense, len(ROW), mode)
        ours = np.where(cv, ROW_CVAL, (0.0 + row[t0] * w0) + row[t1] * w1)
        worst = max(worst, float(np.abs(ref - ours).max()))
    checks["row_model_vs_scipy_max_abs"] = worst
    assert worst < 1e-12, worst
    return {
        "row": ROW, "cval": ROW_CVAL, "order": 1,
        "positions": ROW_POSITIONS,
        "values": table,
        "keras_modes": list(KERAS_FILL_MODES),
        "note": ("scipy.ndimage.map_coordinates(row, [positions], order=1, mode, cval=100); "
                 "exact float64 values. Only nearest/reflect/wrap/constant are documented for "
                 "ImageDataGenerator; grid-constant, grid-wrap and mirror are for contrast."),
    }


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

def params(**kw) -> dict:
    p = {"theta": 0, "tx": 0, "ty": 0, "shear": 0, "zx": 1, "zy": 1,
         "flip_horizontal": False, "flip_vertical": False,
         "channel_shift_intensity": None, "brightness": None}
    for k in kw:
        assert k in p, k
    p.update(kw)
    return p


BORDER = dict(theta=20, tx=1.5, zx=1.25, zy=1.15)          # zooms out: borders show
EVERYTHING = dict(theta=-15, tx=-1.5, ty=2, shear=8, zx=1.1, zy=0.85,
                  flip_horizontal=True, flip_vertical=True,
                  channel_shift_intensity=25.0, brightness=1.2)


def case_list():
    """(name, input, params, fill_mode, cval)."""
    s, pr = "inputs/source.png", "inputs/probe.png"
    out = [
        ("identity", s, params(), "nearest", 0.0),
        ("rot+20", s, params(theta=20), "nearest", 0.0),
        ("rot-20", s, params(theta=-20), "nearest", 0.0),
        ("tx+3.5", s, params(tx=3.5), "nearest", 0.0),
        ("tx-2", s, params(tx=-2), "nearest", 0.0),
        ("ty+2.25", s, params(ty=2.25), "nearest", 0.0),
        ("shear15", s, params(shear=15), "nearest", 0.0),
        ("zoom0.8", s, params(zx=0.8, zy=0.8), "nearest", 0.0),
        ("zoom1.2", s, params(zx=1.2, zy=1.2), "nearest", 0.0),
        ("zoom0.7x1.3", s, params(zx=0.7, zy=1.3), "nearest", 0.0),
        ("flip-h", s, params(flip_horizontal=True), "nearest", 0.0),
        ("flip-v", s, params(flip_vertical=True), "nearest", 0.0),
        ("flip-hv", s, params(flip_horizontal=True, flip_vertical=True), "nearest", 0.0),
        ("chshift+30", s, params(channel_shift_intensity=30.0), "nearest", 0.0),
        ("chshift-40", s, params(channel_shift_intensity=-40.0), "nearest", 0.0),
        ("brightness0.7", s, params(brightness=0.7), "nearest", 0.0),
        ("brightness1.3", s, params(brightness=1.3), "nearest", 0.0),
        ("rot-shift-zoom", s, params(theta=12, tx=2.5, ty=-1.75, zx=0.9, zy=1.1), "nearest", 0.0),
        ("rot-shift-zoom.constant0", s, params(theta=12, tx=2.5, ty=-1.75, zx=0.9, zy=1.1), "constant", 0.0),
        ("everything.nearest", s, params(**EVERYTHING), "nearest", 0.0),
        ("everything.constant100", s, params(**EVERYTHING), "constant", 100.0),
        ("everything.reflect", s, params(**EVERYTHING), "reflect", 0.0),
    ]
    for mode, cval in (("nearest", 0.0), ("reflect", 0.0), ("wrap", 0.0), ("constant", 0.0), ("constant", 100.0)):
        tag = mode if mode != "constant" else f"constant{int(cval)}"
        out.append((f"border.{tag}", s, params(**BORDER), mode, cval))
    out += [
        ("tx+3.5.wrap", s, params(tx=3.5), "wrap", 0.0),
        ("ty+2.25.reflect", s, params(ty=2.25), "reflect", 0.0),
        ("tx-2.constant100", s, params(tx=-2), "constant", 100.0),
        ("zoom1.2.constant0", s, params(zx=1.2, zy=1.2), "constant", 0.0),
        ("zoom1.2.constant0.chshift+30", s, params(zx=1.2, zy=1.2, channel_shift_intensity=30.0), "constant", 0.0),
        ("rot+20.brightness0.7", s, params(theta=20, brightness=0.7), "nearest", 0.0),
        ("shear15.constant100.brightness1.3", s, params(shear=15, brightness=1.3), "constant", 100.0),
        ("probe.rot+90.constant0", pr, params(theta=90), "constant", 0.0),
        ("probe.tx+2.constant0", pr, params(tx=2), "constant", 0.0),
        ("probe.ty+2.constant0", pr, params(ty=2), "constant", 0.0),
        ("probe.zoom0.5.constant0", pr, params(zx=0.5, zy=0.5), "constant", 0.0),
    ]
    return out


def fixed_point(matrix):
    """(row, col) left in place by the output->input map, or None (pure shift)."""
    a = np.asarray(matrix)[:2, :2]
    m = np.eye(2) - a
    if abs(np.linalg.det(m)) < 1e-12:
        return None
    return [round(float(v), 9) for v in np.linalg.solve(m, np.asarray(matrix)[:2, 2])]


def probe_peak(x: np.ndarray):
    r, c = np.unravel_index(int(np.argmax(x[..., 0])), x.shape[:2])
    return [int(r), int(c), float(x[r, c, 0])]


def make_cases(images: dict[str, np.ndarray]):
    model_worst = 0
    old_order = {}
    for name, input_rel, p, mode, cval in case_list():
        x = img_to_array(images[input_rel])            # float32 HWC, as load_img + img_to_array
        y, matrix, stages = apply_transform(x.copy(), p, mode, cval, 1)
        assert y.dtype == np.float32, (name, y.dtype)
        assert y.shape == x.shape
        entry = {"name": name, "input": input_rel, "params": p, "fill_mode": mode, "cval": cval,
                 "interpolation_order": 1, "stages": stages}
        h, w, ch = x.shape
        if matrix is not None:
            m2, off = matrix[:2, :2], matrix[:2, 2]
            entry["matrix"] = [[float(v) for v in row] for row in m2]
            entry["offset"] = [float(v) for v in off]
            entry["transform_matrix"] = [[float(v) for v in row] for row in matrix]
            entry["fixed_point"] = fixed_point(matrix)   # None for a pure shift or shear
            entry["fragile_samples"] = fragile_count(m2, off, h, w, mode)
            # the affine stage alone, against the independent model
            affine_only, _ = apply_affine_transform(x.copy(), p["theta"], p["tx"], p["ty"], p["shear"],
                                                    p["zx"], p["zy"], fill_mode=mode, cval=cval, order=1)
            ours = model_affine(x, m2, off, mode, cval)
            ulps = np.abs(ours.view(np.int32).astype(np.int64) - affine_only.view(np.int32).astype(np.int64))
            entry["model_vs_scipy_max_ulp"] = int(ulps.max())
            model_worst = max(model_worst, int(ulps.max()))
            old = model_affine(x, m2, off, mode, cval, old_source_coordinates)
            n_old = int((old.view(np.int32) != affine_only.view(np.int32)).sum())
            if n_old:
                old_order[name] = {"samples": n_old, "max_abs": float(np.abs(old - affine_only).max())}
        else:
            entry["matrix"] = entry["offset"] = entry["transform_matrix"] = entry["fixed_point"] = None
        if input_rel == "inputs/probe.png":
            entry["probe_peak"] = probe_peak(y)
        path = EXPECTED / f"{name}.f32"
        path.write_bytes(np.ascontiguousarray(y, dtype="<f4").tobytes())
        entry.update({"expected": rel(path), "width": w, "height": h, "channels": ch,
                      "min": float(y.min()), "max": float(y.max()),
                      "integral": bool(np.all(y == np.floor(y)))})
        cases.append(entry)
    checks["model_vs_scipy_max_ulp"] = model_worst
    checks["coordinate_order"] = {
        "scipy": "(off + r*m0) + c*m1",
        "offset_last_cases_differing": old_order,
        "note": "float32 samples where ((0 + r*m0) + c*m1) + off (the older C source) would differ from scipy",
    }


def keras_facts():
    """Measured facts worth stating in the README (asserted so a change is noticed)."""
    m = keras_transform_matrix(20, 0, 0, 0, 1, 1, H, W)
    fp = fixed_point(m)
    checks["rotation_fixed_point_rc"] = fp
    checks["rotation_centre_swapped"] = bool(abs(fp[0] - (W / 2 - 0.5)) < 1e-9 and abs(fp[1] - (H / 2 - 0.5)) < 1e-9)
    # brightness: Keras casts float32 -> uint8 (truncation) before PIL
    x = np.array([[[10.9, 200.5, 254.99]]], np.float32)
    checks["brightness_truncates_first"] = apply_brightness_shift(x, 1.0, False).ravel().tolist()


# --------------------------------------------------------------------------
# Manifest and README
# --------------------------------------------------------------------------

def dump(manifest: dict) -> str:
    parts = []
    for k, v in manifest.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            body = ",\n".join("  " + json.dumps(e) for e in v)
            parts.append(f" {json.dumps(k)}: [\n{body}\n ]")
        else:
            parts.append(f" {json.dumps(k)}: {json.dumps(v)}")
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    json.loads(text)
    return text


def write_manifest(modes: dict) -> None:
    manifest = {
        "generator": "Tools/make_keras_fixtures.py",
        "keras_source": "keras-team/keras keras/src/legacy/preprocessing/image.py "
                        "(ImageDataGenerator.apply_transform and helpers), transcribed; Keras not installed",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pillow": PIL.__version__,
        "machine": platform.machine(),
        "conventions": {
            "expected": "float32 little-endian, row-major HWC, no header; Keras output before standardize/rescale",
            "input_array": "img_to_array(PIL image) = float32 HWC of the uint8 PNG (probe: H x W x 1)",
            "call": "ImageDataGenerator(fill_mode, cval, interpolation_order=1).apply_transform(x, params), channels_last",
            "order": "affine (one scipy.ndimage.affine_transform per channel), channel shift, horizontal flip, vertical flip, brightness",
            "matrix": "final_affine_matrix (2x2) in (row, col): input (r, c) = matrix . (r_out, c_out) + offset",
            "coordinates": "scipy 1.17: r_in = (off0 + r*m00) + c*m01, c_in = (off1 + r*m10) + c*m11, in float64",
            "interpolation": "order 1; see README for the per-mode coordinate mapping and tap weights",
            "transform_matrix": "the 3x3 Keras matrix after transform_matrix_offset_center(M, h, w) and the channels_last x/y swap",
            "fixed_point": "(row, col) the output->input map leaves in place; null when there is none (pure shift, pure shear)",
            "fragile_samples": "output pixels whose source row or col lies within 1e-9 of a discontinuity of the mode (constant: 0, n-1; wrap: k(n-1)) without being exactly on it",
            "model_vs_scipy_max_ulp": "independent float64 model of scipy order-1 resampling (README) vs scipy, float32 ulps",
            "params": "exactly what get_random_transform returns; None = step skipped",
        },
        "checks": checks,
        "scipy_modes": modes,
        "inputs": [
            {"input": "inputs/source.png", "width": W, "height": H, "channels": 3, "mode": "RGB"},
            {"input": "inputs/probe.png", "width": PW, "height": PH, "channels": 1, "mode": "L",
             "note": f"all 0, one 255 pixel at (row, col) = {list(PROBE_PIXEL)}"},
        ],
        "cases": cases,
    }
    (OUT / "manifest.json").write_text(dump(manifest))


def mode_table_md(modes: dict) -> str:
    keep = [i for i, p in enumerate(modes["positions"]) if p not in (-1e-12, 3.0000000001)]
    head = "| mode | " + " | ".join(f"{modes['positions'][i]:g}" for i in keep) + " |"
    sep = "| --- |" + " --- |" * len(keep)
    rows = [f"| {m} | " + " | ".join(f"{modes['values'][m][i]:g}" for i in keep) + " |"
            for m in modes["values"]]
    return "\n".join([head, sep] + rows)


def write_readme(modes: dict) -> None:
    fp = checks["rotation_fixed_point_rc"]
    n_aff = sum(1 for c in cases if c["matrix"] is not None)
    fragile = [c["name"] for c in cases if c.get("fragile_samples")]
    v = modes["values"]
    pos = modes["positions"]

    def at(mode, p):
        return f"{v[mode][pos.index(p)]:g}"

    text = f"""# Keras `ImageDataGenerator` golden fixtures

Generated by `Tools/make_keras_fixtures.py`; do not edit by hand. Regenerate with

    Tools/make_fixtures.sh keras

(creates/reuses `.venv-tools/` from `Tools/requirements-fixtures.txt`). Deterministic; it
deletes and rewrites `inputs/`, `expected/`, `manifest.json` and this README.
Pinned: numpy {np.__version__}, scipy {scipy.__version__}, Pillow {PIL.__version__}.

TensorFlow/Keras are not installed. `ImageDataGenerator.apply_transform` and the helpers it
calls (`apply_affine_transform`, `transform_matrix_offset_center`, `apply_channel_shift`,
`flip_axis`, `apply_brightness_shift`, `array_to_img`, `img_to_array`) are transcribed in the
script, operation for operation, from `keras-team/keras`
`keras/src/legacy/preprocessing/image.py` and `keras/src/utils/image_utils.py`.

## Layout

- `inputs/source.png` — {W}x{H} RGB (width x height; odd and non-square on purpose):
  gradients, a disc, a rectangle, a diagonal, a 1-pixel checker patch, an "F", noise.
- `inputs/probe.png` — {PW}x{PH} grayscale, 0 except one 255 pixel at (row {PROBE_PIXEL[0]},
  col {PROBE_PIXEL[1]}); the manifest's `probe_peak` says where it lands.
- `expected/<name>.f32` — the Keras output: float32 little-endian, row-major HWC, no header
  (before `standardize`/`rescale`).
- `manifest.json` — `scipy_modes` (below), `checks`, and {len(cases)} `cases`
  ({n_aff} with a resample): `name`, `input`, `params` (the explicit dict
  `get_random_transform` would return), `fill_mode`, `cval`, `interpolation_order` (1),
  `stages`, `matrix` (2x2) and `offset` (2) — the exact `final_affine_matrix` and
  `final_offset` handed to scipy, in (row, col) — `transform_matrix` (the 3x3 they come
  from), `fixed_point`, `fragile_samples`, `model_vs_scipy_max_ulp`, `expected`, `width`,
  `height`, `channels`, `min`, `max`, `integral`. `matrix`/`offset` are null when all six
  affine parameters are at identity values: Keras then skips the resample entirely.

## What Keras does (channels_last, float32 x)

1. Affine. `M = R·T·S·Z` (each factor only if non-identity), with
   `R = [[cos θ, −sin θ, 0], [sin θ, cos θ, 0], [0,0,1]]` (θ = deg2rad(theta)),
   `T = [[1,0,tx],[0,1,ty],[0,0,1]]`, `S = [[1, −sin s, 0],[0, cos s, 0],[0,0,1]]`,
   `Z = diag(zx, zy, 1)`; then `transform_matrix_offset_center(M, h, w)` =
   `[[1,0,o_x],[0,1,o_y],[0,0,1]] · M · [[1,0,−o_x],[0,1,−o_y],[0,0,1]]` with
   `o_x = h/2 − 0.5`, `o_y = w/2 − 0.5`; then columns 0/1 and rows 0/1 are swapped
   (`M' = P M P`). `matrix = M'[:2,:2]`, `offset = M'[:2,2]`, and per channel
   `scipy.ndimage.affine_transform(x_c, matrix, offset, order=1, mode=fill_mode, cval=cval)`.
   The output keeps the input's dtype (float32): each sample is computed in float64 and
   cast once.
   - **The centre is swapped for non-square images.** `o_x` (from h) ends up on the
     *column* axis after the swap, `o_y` (from w) on the row axis, so rotation, shear and
     zoom act about (row, col) = (w/2 − 0.5, h/2 − 0.5) = ({fp[0]:g}, {fp[1]:g}) for this
     {W}x{H} image, not about the image centre ({H / 2 - 0.5:g}, {W / 2 - 0.5:g}). Measured:
     `checks.rotation_fixed_point_rc`; each case's `fixed_point`.
   - `tx` moves content along columns (horizontally), `ty` along rows; positive moves it
     left/up (input = output + t). See `probe.tx+2` / `probe.ty+2`.
   - Positive `theta` turns content counter-clockwise on screen (`probe.rot+90`).
   - zoom < 1 enlarges content, > 1 shrinks it (factor multiplies output→input coordinates).
2. Channel shift: `min`, `max` over the whole image (all channels, after the affine step),
   then `clip(x_c + intensity, min, max)` per channel in float32 (`intensity` is a Python
   float, so it is rounded to float32 and added in float32).
3. Horizontal flip (reverse columns), 4. vertical flip (reverse rows).
5. Brightness: `apply_brightness_shift(x, b, scale=False)`: if all values are within
   [0, 255] the float32 array is cast with `astype("uint8")` — **truncation**, so 37.9
   becomes 37 — and `PIL.ImageEnhance.Brightness(img).enhance(b)` runs on that
   (`min(255, trunc(float32(b)·v))`, see Fixtures/augment), then back to float32. Check:
   `[10.9, 200.5, 254.99]` at factor 1.0 gives `{checks['brightness_truncates_first']}`.
   (Values outside [0, 255] would be min–max scaled to 0..255 first and mapped back
   after; no case here reaches that path.)

## scipy order-1 resampling, exactly (measured with scipy {scipy.__version__})

Per output pixel (r, c) scipy computes, in float64,
`r_in = (off0 + r·m00) + c·m01`, `c_in = (off1 + r·m10) + c·m11` — offset **first**
(measured; the older C source's `((0 + r·m00) + c·m01) + off0` differs in the last bit,
and in `probe.rot+90` that turns one sample from 0 into 1.1e−13:
`checks.coordinate_order`). It maps each coordinate by the mode (n = that axis's
length; `nearest` is not mapped), then `start = floor(p)`, `t = p − start`, `w0 = 1 − t`,
`w1 = 1 − w0` (not `t`: differs in the last bit of rare samples), and sums the four taps
in the order (r0,c0), (r0,c1), (r1,c0), (r1,c1) as `(v·wr)·wc` onto 0.0; the float64 sum
is cast once to float32 (the input's dtype). A tap index outside 0..n−1 reads the
nearest edge pixel (for `reflect` that is its own rule; `constant`/`wrap` only reach a
tap at n with weight 0). A numpy model of exactly this is bit-identical to scipy: max
{checks['model_vs_scipy_max_ulp']} float32 ulp over all {n_aff} resampled cases, and
{checks['model_vs_scipy_float64_random']['differing']} differing of
{checks['model_vs_scipy_float64_random']['samples']} float64 samples on random images,
matrices and offsets in the four Keras modes (`checks`).

Mode mapping of a coordinate p outside [0, n − 1] (from `map_coordinate` in
`scipy/ndimage/src/ni_interpolation.c`, confirmed on a dense sweep):

- `nearest`: `aaaa|abcd|dddd`. p itself is not clamped: start = floor(p), both taps are
  clamped to [0, n − 1], weights come from p, so far outside the value is
  `a·w0 + a·w1` (= a up to double rounding; exactly a after the float32 cast).
- `reflect`: half-sample symmetric, period 2n, `dcba|abcd|dcba`: the pixel before 0 is
  pixel 0 again, so all of [−1, 0] (and [n − 1, n]) equals the edge pixel; −1.5 is
  halfway between a and b. Mapping:
  p < 0: (if p < −2n: p += 2n·trunc(−p/2n)); p = p < −n ? p + 2n : −p − 1;
  p > n − 1: p −= 2n·trunc(p/2n); if p ≥ n: p = 2n − p − 1. A tap at −1 or n reads
  pixel 0 or n − 1.
- `wrap`: **period n − 1**, not n (`abcdabcd` in Keras's docstring is misleading): the
  first and last pixels coincide. p < 0: p += (n−1)·(trunc(−p/(n−1)) + 1);
  p > n − 1: p −= (n−1)·trunc(p/(n−1)). So −0.25 samples 2.75; exactly −(n−1), −2(n−1), …
  and n − 1 give the *last* pixel, while 2(n−1), 3(n−1), … give the *first*. It is not
  scipy's `grid-wrap` (period n).
- `constant`: any coordinate < 0 or > n − 1, by however little (even −1e−12), makes the
  whole sample `cval`; there is **no** interpolation towards cval (that is
  `grid-constant`). Inside [0, n − 1] the sample is the ordinary bilinear one. So the
  boundary between image and cval is a hard step, and a coordinate computed with a
  different last bit right at 0 or n − 1 flips the sample (`fragile_samples`; non-zero
  in: {", ".join(fragile) if fragile else "none"}).

1-D row `{modes['row']}`, cval {modes['cval']:g}, order 1
(`map_coordinates(row, [positions], order=1, mode, cval=100)`; manifest `scipy_modes`
also has −1e−12 and 3.0000000001: constant gives {at('constant', -1e-12)} and {at('constant', 3.0000000001)},
wrap gives {v['wrap'][pos.index(-1e-12)]!r} and {v['wrap'][pos.index(3.0000000001)]!r}):

{mode_table_md(modes)}

Only `nearest`, `reflect`, `wrap`, `constant` are documented for `ImageDataGenerator`
(Keras 3's legacy class passes `fill_mode` to scipy unchecked); the last three rows are
for contrast.

## Cases

Single parameters (fill `nearest`): rotation ±20, tx 3.5 and −2, ty 2.25, shear 15, zoom
(0.8, 0.8), (1.2, 1.2), (0.7, 1.3), flips h / v / both, channel shift +30 / −40,
brightness 0.7 / 1.3, identity. Combinations: rotation+shift+zoom (nearest, constant 0);
"everything" (all ten parameters, nearest / constant 100 / reflect). Every fill mode
(nearest, reflect, wrap, constant cval 0 and 100) on `border` (theta 20, tx 1.5, zoom
1.25 x 1.15, which exposes borders); tx 3.5 wrap, ty 2.25 reflect, tx −2 constant 100,
zoom 1.2 constant 0 (and then channel shift +30: the clip range includes the cval 0);
rotation then brightness 0.7 and shear with constant 100 then brightness 1.3 (non-integer
values truncated before PIL). Probe: rot +90, tx +2, ty +2, zoom 0.5, all constant 0.

Compare a Swift implementation that follows the arithmetic above in Double and rounds
once to Float with the `.f32` files exactly (or within 1 float32 ulp); where it composes
the matrix differently, compare `matrix`/`offset` within ~1e-12 and the images within a
small tolerance, excluding `fragile_samples`.
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
    Image.fromarray(source_rgb(), "RGB").save(INPUTS / "source.png", optimize=True)
    Image.fromarray(probe_gray(), "L").save(INPUTS / "probe.png", optimize=True)
    # Read back what the tests read (load_img: PIL open + convert).
    images = {"inputs/source.png": Image.open(INPUTS / "source.png").convert("RGB"),
              "inputs/probe.png": Image.open(INPUTS / "probe.png").convert("L")}
    modes = scipy_mode_table()
    check_model_float64()
    keras_facts()
    make_cases(images)
    write_manifest(modes)
    write_readme(modes)
    files = [f for f in OUT.rglob("*") if f.is_file()]
    total = sum(f.stat().st_size for f in files)
    print(f"wrote {len(files)} files, {total} bytes, {len(cases)} cases")
    print(f"  checks: {checks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
