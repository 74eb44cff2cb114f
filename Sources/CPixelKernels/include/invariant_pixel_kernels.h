// Byte-shuffle kernels that Swift cannot express on baseline x86-64.
//
// Swift compiles every module for one CPU level (baseline x86-64: SSE2) and has no
// per-function target attribute, so byte shuffles (SSSE3 `pshufb`, AVX-512 VBMI `vpermi2b`)
// are out of its reach. Each function here checks the CPU once and runs its kernel only where
// the instructions exist: it returns false otherwise (and on other architectures), and the
// Swift caller runs its own portable loop, which stays the definition of the result.
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/// Writes the `count` RGB pixels of `row` to `output` in reverse order (a mirrored row).
/// `row` and `output` must not overlap. Needs SSSE3.
bool invariant_reverse_rgb(const uint8_t *row, intptr_t count, uint8_t *output);

/// `output[i] = table[input[i]]` for the `count` bytes of `input`; `table` has 256 entries.
/// `input` and `output` may be the same buffer. Needs AVX-512 VBMI.
bool invariant_look_up(const uint8_t *input, intptr_t count, const uint8_t *table, uint8_t *output);

/// Whether `invariant_blend_rgb` runs on this CPU (it needs AVX-512 VBMI).
bool invariant_blend_rgb_available(void);

/// The bilinear blend of an RGB image at `count` source positions (fixed point, 32 fractional
/// bits), with `LaneBlend`'s arithmetic (Warp.swift: 12-bit weights summing to 4096, rounded
/// half up), 3 bytes per position in `output`, each level then mapped through `levels` (three
/// 256-entry tables side by side) unless it is NULL. Only positions whose four neighbours lie
/// inside the image are blended (and not those whose 8-byte reads would pass the image's last
/// byte): the indices of the others go to `outside` (room for `count + 16`), their output bytes
/// are left undefined, and their number is returned. Returns -1, writing nothing, where
/// `invariant_blend_rgb_available` is false or the image spans 2 GiB or more.
intptr_t invariant_blend_rgb(const uint8_t *image, intptr_t width, intptr_t height, intptr_t stride,
                             const int64_t *xs, const int64_t *ys, intptr_t count, const uint8_t *levels,
                             uint8_t *output, int32_t *outside);

/// The positions `invariant_blend_rgb` left out (`indices`, `count` of them, into `xs` and
/// `ys`), blended the same way with each neighbour resolved through the border as
/// `BorderMode.resolve` does: `border` 0 constant (every level `fill`), 1 replicate, 2 reflect,
/// 3 reflect-101, 4 wrap. Neighbours that one fold of the border does not reach (more than an
/// image's length outside) are not blended: their indices are kept, from the start of
/// `indices`, and their number is returned — `count` itself (nothing blended) where the CPU
/// lacks AVX-512 VBMI, the image has fewer than 2 pixels or spans 2 GiB, or `border` is unknown.
intptr_t invariant_blend_rgb_border(const uint8_t *image, intptr_t width, intptr_t height, intptr_t stride,
                                    const int64_t *xs, const int64_t *ys, int32_t *indices, intptr_t count,
                                    int border, uint8_t fill, const uint8_t *levels, uint8_t *output);

/// Whether this CPU has every x86-64-v4 feature (AVX-512 F/BW/CD/DQ/VL on top of AVX2, FMA,
/// BMI1/2 …): the level `AugmentWideKernels` is compiled for. False on other architectures.
bool invariant_cpu_is_x86_64_v4(void);

/// The four bytes at `address` (any alignment) as one native-endian word. Swift's
/// `loadUnaligned(as: UInt32.self)` can stay an out-of-line, shared (weak) function, which the
/// x86-64-v4 kernel build must not define; a static inline C function is private to each module.
static inline uint32_t invariant_load_word(const void *address) {
    uint32_t word;
    memcpy(&word, address, sizeof word);
    return word;
}
