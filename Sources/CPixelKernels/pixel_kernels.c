#include "invariant_pixel_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

// MARK: Mirrored RGB rows (SSSE3)

// Sixteen pixels (48 bytes) at a time: output byte `o` of a block takes source byte
// SOURCE(o) of the mirrored block. Output vector v is the OR of one shuffle of each source
// vector w, whose mask picks the bytes that lie in w (0x80 zeroes the others); the compiler
// folds the shuffles whose masks are all 0x80.
#define SOURCE(o) (45 - 3 * ((o) / 3) + (o) % 3)
#define PICK(v, w, i) ((char)(SOURCE(16 * (v) + (i)) / 16 == (w) ? SOURCE(16 * (v) + (i)) % 16 : 0x80))
#define MASK(v, w) _mm_setr_epi8(PICK(v, w, 0), PICK(v, w, 1), PICK(v, w, 2), PICK(v, w, 3), PICK(v, w, 4), \
    PICK(v, w, 5), PICK(v, w, 6), PICK(v, w, 7), PICK(v, w, 8), PICK(v, w, 9), PICK(v, w, 10), PICK(v, w, 11), \
    PICK(v, w, 12), PICK(v, w, 13), PICK(v, w, 14), PICK(v, w, 15))
#define OUTPUT(v) _mm_or_si128(_mm_or_si128(_mm_shuffle_epi8(a, MASK(v, 0)), _mm_shuffle_epi8(b, MASK(v, 1))), \
    _mm_shuffle_epi8(c, MASK(v, 2)))

// Reads the row forwards and writes the output backwards.
__attribute__((target("ssse3")))
static void reverse_rgb_ssse3(const uint8_t *row, intptr_t count, uint8_t *output) {
    const uint8_t *source = row, *blocks_end = row + 48 * (count / 16);
    uint8_t *target = output + 3 * count;
    while (source < blocks_end) {
        target -= 48;
        __m128i a = _mm_loadu_si128((const __m128i *)source);
        __m128i b = _mm_loadu_si128((const __m128i *)(source + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(source + 32));
        _mm_storeu_si128((__m128i *)target, OUTPUT(0));
        _mm_storeu_si128((__m128i *)(target + 16), OUTPUT(1));
        _mm_storeu_si128((__m128i *)(target + 32), OUTPUT(2));
        source += 48;
    }
    while (target > output) {
        target -= 3;
        target[0] = source[0];
        target[1] = source[1];
        target[2] = source[2];
        source += 3;
    }
}

// MARK: Table lookups (AVX-512 VBMI)

// A 256-entry table is four 64-byte vectors. `vpermi2b` looks up 128 entries with the low
// seven bits of each index; the index's top bit picks between the two halves.
__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static void look_up_vbmi(const uint8_t *input, intptr_t count, const uint8_t *table, uint8_t *output) {
    const __m512i t0 = _mm512_loadu_si512(table), t1 = _mm512_loadu_si512(table + 64);
    const __m512i t2 = _mm512_loadu_si512(table + 128), t3 = _mm512_loadu_si512(table + 192);
    intptr_t i = 0;
    for (; i + 64 <= count; i += 64) {
        __m512i index = _mm512_loadu_si512(input + i);
        __m512i low = _mm512_permutex2var_epi8(t0, index, t1), high = _mm512_permutex2var_epi8(t2, index, t3);
        _mm512_storeu_si512(output + i, _mm512_mask_blend_epi8(_mm512_movepi8_mask(index), low, high));
    }
    if (i < count) {
        __mmask64 tail = (1ULL << (count - i)) - 1;  // count - i < 64
        __m512i index = _mm512_maskz_loadu_epi8(tail, input + i);
        __m512i low = _mm512_permutex2var_epi8(t0, index, t1), high = _mm512_permutex2var_epi8(t2, index, t3);
        _mm512_mask_storeu_epi8(output + i, tail, _mm512_mask_blend_epi8(_mm512_movepi8_mask(index), low, high));
    }
}

// MARK: Bilinear blend of RGB pixels (AVX-512 VBMI)

#define BLEND_TARGET __attribute__((target("avx512f,avx512bw,avx512vbmi")))

static inline int64_t load_qword(const uint8_t *address) {
    int64_t word;
    memcpy(&word, address, sizeof word);
    return word;
}

static inline uint32_t load_dword(const uint8_t *address) {
    uint32_t word;
    memcpy(&word, address, sizeof word);
    return word;
}

// The blend kernels' index vectors, the same for every call: filled once when the library loads.
static struct {
    uint32_t low_words[16], high_words[16], lanes[16];
    uint8_t pairs[3][64], singles[3][64], pack[64];
} blend_indices;

static void fill_blend_indices(void) {
    for (int i = 0; i < 16; i++) {
        blend_indices.low_words[i] = 2 * i;
        blend_indices.high_words[i] = 2 * i + 1;
        blend_indices.lanes[i] = i;
        for (int c = 0; c < 3; c++) {
            blend_indices.pairs[c][4 * i] = (uint8_t)(8 * i + c);
            blend_indices.pairs[c][4 * i + 2] = (uint8_t)(8 * i + 3 + c);
            blend_indices.singles[c][4 * i] = (uint8_t)(4 * i + c);
            blend_indices.singles[c][4 * i + 2] = (uint8_t)(64 + 4 * i + c);
        }
        // Output pixel i from byte 0 of lane i of red-green (red), byte 1 (green) and of blue.
        blend_indices.pack[3 * i] = (uint8_t)(4 * i);
        blend_indices.pack[3 * i + 1] = (uint8_t)(4 * i + 1);
        blend_indices.pack[3 * i + 2] = (uint8_t)(64 + 4 * i);
    }
}

// What both blend kernels share, loaded once per call. Sixteen pixels go at a time, one per
// 32-bit lane. Per channel, one `vpermi2b` puts the levels of a pair of neighbours (left and
// right) in the 16-bit halves of the pixel's lane, so that one `vpmaddwd` with (left weight,
// right weight) blends the pair.
struct blend_setup {
    __m512i low_word, high_word, lane_index, packing;
    __m512i pair_picks[3];   // pairs from 8-byte words: left at byte 8i + c, right at 8i + 3 + c
    __m512i single_picks[3]; // pairs from two 4-byte words: left at 4i + c, right at 64 + 4i + c
    __m512i tables[3][4];
    const uint8_t *levels;
};

BLEND_TARGET static void blend_setup_init(struct blend_setup *setup, const uint8_t *levels) {
    setup->low_word = _mm512_loadu_si512(blend_indices.low_words);
    setup->high_word = _mm512_loadu_si512(blend_indices.high_words);
    setup->lane_index = _mm512_loadu_si512(blend_indices.lanes);
    setup->packing = _mm512_loadu_si512(blend_indices.pack);
    setup->levels = levels;
    for (int c = 0; c < 3; c++) {
        setup->pair_picks[c] = _mm512_loadu_si512(blend_indices.pairs[c]);
        setup->single_picks[c] = _mm512_loadu_si512(blend_indices.singles[c]);
        for (int t = 0; t < 4; t++) {
            setup->tables[c][t] = levels ? _mm512_loadu_si512(levels + 256 * c + 64 * t) : _mm512_setzero_si512();
        }
    }
}

// Sixteen fixed-point positions (32 fractional bits): a position's high word is its floor,
// the top 12 bits of its low word its fraction. Tail lanes beyond `valid` read as 0.
BLEND_TARGET static inline void blend_positions(const struct blend_setup *setup, const int64_t *xs, const int64_t *ys,
                                                __mmask16 valid, __m512i *x0, __m512i *y0, __m512i *fx, __m512i *fy) {
    __m512i xa = _mm512_maskz_loadu_epi64((__mmask8)valid, xs), xb = _mm512_maskz_loadu_epi64((__mmask8)(valid >> 8), xs + 8);
    __m512i ya = _mm512_maskz_loadu_epi64((__mmask8)valid, ys), yb = _mm512_maskz_loadu_epi64((__mmask8)(valid >> 8), ys + 8);
    const __m512i fraction = _mm512_set1_epi32(0xFFF);
    *x0 = _mm512_permutex2var_epi32(xa, setup->high_word, xb);
    *y0 = _mm512_permutex2var_epi32(ya, setup->high_word, yb);
    *fx = _mm512_and_si512(_mm512_srli_epi32(_mm512_permutex2var_epi32(xa, setup->low_word, xb), 20), fraction);
    *fy = _mm512_and_si512(_mm512_srli_epi32(_mm512_permutex2var_epi32(ya, setup->low_word, yb), 20), fraction);
}

// The 256-entry lookup of the level in byte 0 of each 32-bit lane; the lane's other bytes are 0
// after it. `table` is four 64-byte vectors, as in `look_up_vbmi`.
BLEND_TARGET static inline __m512i look_up_lanes(__m512i levels, const __m512i table[4]) {
    __m512i low = _mm512_permutex2var_epi8(table[0], levels, table[1]);
    __m512i high = _mm512_permutex2var_epi8(table[2], levels, table[3]);
    __m512i mapped = _mm512_mask_blend_epi8(_mm512_movepi8_mask(levels), low, high);
    return _mm512_and_si512(mapped, _mm512_set1_epi32(0xFF));
}

// `LaneBlend`'s arithmetic on sixteen pixels whose neighbour pairs `picks` takes from
// (top_a, top_b) and (bottom_a, bottom_b): 48 bytes of RGB in the returned vector's low bytes.
BLEND_TARGET static inline __m512i blend_pixels(const struct blend_setup *setup, const __m512i picks[3], __m512i fx, __m512i fy,
                                                __m512i top_a, __m512i top_b, __m512i bottom_a, __m512i bottom_b) {
    const __mmask64 pair_bytes = 0x5555555555555555ULL;
    const __m512i unit = _mm512_set1_epi32(4096), half = _mm512_set1_epi32(2048);
    // Each row's pair of weights sums to that row's weight, so all four sum to 4096.
    __m512i gy = _mm512_sub_epi32(unit, fy);
    __m512i w01 = _mm512_srli_epi32(_mm512_add_epi32(_mm512_mullo_epi32(fx, gy), half), 12);
    __m512i w11 = _mm512_srli_epi32(_mm512_add_epi32(_mm512_mullo_epi32(fx, fy), half), 12);
    __m512i top_weights = _mm512_or_si512(_mm512_sub_epi32(gy, w01), _mm512_slli_epi32(w01, 16));
    __m512i bottom_weights = _mm512_or_si512(_mm512_sub_epi32(fy, w11), _mm512_slli_epi32(w11, 16));
    __m512i channel[3];
    for (int c = 0; c < 3; c++) {
        __m512i upper = _mm512_maskz_permutex2var_epi8(pair_bytes, top_a, picks[c], top_b);
        __m512i lower = _mm512_maskz_permutex2var_epi8(pair_bytes, bottom_a, picks[c], bottom_b);
        __m512i sum = _mm512_add_epi32(_mm512_madd_epi16(upper, top_weights), _mm512_madd_epi16(lower, bottom_weights));
        channel[c] = _mm512_srli_epi32(_mm512_add_epi32(sum, half), 12);
        if (setup->levels) channel[c] = look_up_lanes(channel[c], setup->tables[c]);
    }
    __m512i red_green = _mm512_or_si512(channel[0], _mm512_slli_epi32(channel[1], 8));
    return _mm512_permutex2var_epi8(red_green, setup->packing, channel[2]);
}

// Positions whose four neighbours are inside. A pixel's left and right neighbours are the 6
// bytes at its offset: one 8-byte load per row. Scalar loads, not gathers: on AMD's Zen 4 an
// 8-lane gather costs more than eight loads. Lanes not inside read the image's first 8 bytes
// and the 8 a stride later (there are stride + 8 when one lane is inside).
BLEND_TARGET static intptr_t blend_rgb_inside(const uint8_t *image, int32_t width, int32_t height, int32_t stride,
                                              const int64_t *xs, const int64_t *ys, intptr_t count, const uint8_t *levels,
                                              uint8_t *output, int32_t *outside) {
    struct blend_setup setup;
    blend_setup_init(&setup, levels);
    // The image's bytes: its last row ends after its pixels, whatever the stride.
    const int32_t end = (height - 1) * stride + 3 * width;
    const __m512i last_column = _mm512_set1_epi32(width - 1), last_row = _mm512_set1_epi32(height - 1);
    const __m512i strides = _mm512_set1_epi32(stride), last_read = _mm512_set1_epi32(end - 8);
    intptr_t outside_count = 0;
    for (intptr_t i = 0; i < count; i += 16) {
        const intptr_t n = count - i < 16 ? count - i : 16;
        const __mmask16 valid = (__mmask16)(n == 16 ? 0xFFFF : (1u << n) - 1);
        __m512i x0, y0, fx, fy;
        blend_positions(&setup, xs + i, ys + i, valid, &x0, &y0, &fx, &fy);
        __mmask16 inside = _mm512_mask_cmplt_epu32_mask(valid, x0, last_column);
        inside = _mm512_mask_cmplt_epu32_mask(inside, y0, last_row);
        __m512i top = _mm512_add_epi32(_mm512_mullo_epi32(y0, strides), _mm512_add_epi32(x0, _mm512_add_epi32(x0, x0)));
        inside = _mm512_mask_cmple_epi32_mask(inside, _mm512_add_epi32(top, strides), last_read);
        if (inside) {
            int32_t offset[16];
            _mm512_storeu_si512(offset, _mm512_maskz_mov_epi32(inside, top));
            const uint8_t *p = image;
#define ROW(k) load_qword(p + offset[k])
#define BELOW(k) load_qword(p + offset[k] + stride)
            __m512i top_a = _mm512_set_epi64(ROW(7), ROW(6), ROW(5), ROW(4), ROW(3), ROW(2), ROW(1), ROW(0));
            __m512i top_b = _mm512_set_epi64(ROW(15), ROW(14), ROW(13), ROW(12), ROW(11), ROW(10), ROW(9), ROW(8));
            __m512i bottom_a = _mm512_set_epi64(BELOW(7), BELOW(6), BELOW(5), BELOW(4), BELOW(3), BELOW(2), BELOW(1), BELOW(0));
            __m512i bottom_b = _mm512_set_epi64(BELOW(15), BELOW(14), BELOW(13), BELOW(12), BELOW(11), BELOW(10), BELOW(9), BELOW(8));
#undef ROW
#undef BELOW
            __m512i pixels = blend_pixels(&setup, setup.pair_picks, fx, fy, top_a, top_b, bottom_a, bottom_b);
            _mm512_mask_storeu_epi8(output + 3 * i, n == 16 ? (1ULL << 48) - 1 : (1ULL << (3 * n)) - 1, pixels);
        }
        __mmask16 missed = valid & (__mmask16)~inside;
        if (missed) {
            __m512i indices = _mm512_add_epi32(setup.lane_index, _mm512_set1_epi32((int32_t)i));
            _mm512_storeu_si512(outside + outside_count, _mm512_maskz_compress_epi32(missed, indices));
            outside_count += __builtin_popcount(missed);
        }
    }
    return outside_count;
}

// Sample indices `v` on an axis of `size` through the border, where one fold resolves them:
// `BorderMode.resolve` for `border` (0 constant, 1 replicate, 2 reflect, 3 reflect-101, 4 wrap).
// `*resolved` keeps the lanes that were resolved; `*filled` (constant only) marks lanes that
// read the fill, whose index is 0.
BLEND_TARGET static inline __m512i resolve_border(__m512i v, int32_t size, int border, __mmask16 *resolved, __mmask16 *filled) {
    const __m512i zero = _mm512_setzero_si512(), n = _mm512_set1_epi32(size);
    const __mmask16 below = _mm512_cmplt_epi32_mask(v, zero), above = _mm512_cmpge_epi32_mask(v, n);
    *filled = 0;
    switch (border) {
    case 0:
        *filled = below | above;
        return _mm512_maskz_mov_epi32((__mmask16)~(below | above), v);
    case 1:
        return _mm512_min_epi32(_mm512_max_epi32(v, zero), _mm512_set1_epi32(size - 1));
    case 2:  // dcba|abcd|dcba: −1 → 0, size → size − 1
        *resolved &= _mm512_cmpge_epi32_mask(v, _mm512_set1_epi32(-size)) & _mm512_cmplt_epi32_mask(v, _mm512_set1_epi32(2 * size));
        v = _mm512_mask_sub_epi32(v, below, _mm512_set1_epi32(-1), v);
        return _mm512_mask_sub_epi32(v, above, _mm512_set1_epi32(2 * size - 1), v);
    case 3:  // dcb|abcd|cba: −1 → 1, size → size − 2
        if (size == 1) return zero;
        *resolved &= _mm512_cmpgt_epi32_mask(v, _mm512_set1_epi32(-size)) & _mm512_cmplt_epi32_mask(v, _mm512_set1_epi32(2 * size - 1));
        v = _mm512_mask_sub_epi32(v, below, zero, v);
        return _mm512_mask_sub_epi32(v, above, _mm512_set1_epi32(2 * size - 2), v);
    default:  // abcd|abcd|abcd
        *resolved &= _mm512_cmpge_epi32_mask(v, _mm512_set1_epi32(-size)) & _mm512_cmplt_epi32_mask(v, _mm512_set1_epi32(2 * size));
        v = _mm512_mask_add_epi32(v, below, v, n);
        return _mm512_mask_sub_epi32(v, above, v, n);
    }
}

// The pixels at `indices` (those `blend_rgb_inside` left out), each neighbour resolved through
// the border and read as a 4-byte word (the image's last pixel from one byte earlier). Indices
// one fold cannot resolve are kept, from the start of `indices`. Its loops of loads stay
// scalar (no loop or SLP vectorising, see Package.swift): gathers are slower here.
BLEND_TARGET static intptr_t blend_rgb_border(const uint8_t *image, int32_t width, int32_t height, int32_t stride,
                                              const int64_t *xs, const int64_t *ys, int32_t *indices, intptr_t count,
                                              int border, uint8_t fill, const uint8_t *levels, uint8_t *output) {
    struct blend_setup setup;
    blend_setup_init(&setup, levels);
    const int32_t last_word = (height - 1) * stride + 3 * width - 4;  // the last 4-byte load that stays inside
    const __m512i strides = _mm512_set1_epi32(stride), one = _mm512_set1_epi32(1);
    const __m512i filled_word = _mm512_set1_epi32((int32_t)(fill * 0x010101u));
    intptr_t kept = 0;
    for (intptr_t i = 0; i < count; i += 16) {
        const intptr_t n = count - i < 16 ? count - i : 16;
        const __mmask16 valid = (__mmask16)(n == 16 ? 0xFFFF : (1u << n) - 1);
        int64_t block_x[16] = {0}, block_y[16] = {0};
        int32_t block_index[16] = {0};
#pragma clang loop vectorize(disable)
        for (intptr_t k = 0; k < n; k++) {
            block_index[k] = indices[i + k];
            block_x[k] = xs[block_index[k]];
            block_y[k] = ys[block_index[k]];
        }
        __m512i x0, y0, fx, fy;
        blend_positions(&setup, block_x, block_y, valid, &x0, &y0, &fx, &fy);
        __mmask16 resolved = valid, left_fill, right_fill, top_fill, bottom_fill;
        // The next column and row, except at INT32_MAX, which stays (far outside either way,
        // where replicate clamps both to the last sample, as Swift's 64-bit `x0 + 1` does).
        const __m512i largest = _mm512_set1_epi32(INT32_MAX);
        __m512i x1 = _mm512_mask_add_epi32(x0, _mm512_cmpneq_epi32_mask(x0, largest), x0, one);
        __m512i y1 = _mm512_mask_add_epi32(y0, _mm512_cmpneq_epi32_mask(y0, largest), y0, one);
        __m512i left = resolve_border(x0, width, border, &resolved, &left_fill);
        __m512i right = resolve_border(x1, width, border, &resolved, &right_fill);
        __m512i top = resolve_border(y0, height, border, &resolved, &top_fill);
        __m512i bottom = resolve_border(y1, height, border, &resolved, &bottom_fill);
        __m512i top_row = _mm512_mullo_epi32(top, strides), bottom_row = _mm512_mullo_epi32(bottom, strides);
        __m512i three = _mm512_set1_epi32(3);
        __m512i left_column = _mm512_mullo_epi32(left, three), right_column = _mm512_mullo_epi32(right, three);
        int32_t offsets[4][16];
        _mm512_storeu_si512(offsets[0], _mm512_maskz_add_epi32(resolved, top_row, left_column));
        _mm512_storeu_si512(offsets[1], _mm512_maskz_add_epi32(resolved, top_row, right_column));
        _mm512_storeu_si512(offsets[2], _mm512_maskz_add_epi32(resolved, bottom_row, left_column));
        _mm512_storeu_si512(offsets[3], _mm512_maskz_add_epi32(resolved, bottom_row, right_column));
        uint32_t words[4][16];
        for (int corner = 0; corner < 4; corner++) {
#pragma clang loop vectorize(disable)
            for (int k = 0; k < 16; k++) {
                int32_t offset = offsets[corner][k];
                int32_t past = offset > last_word;  // the last pixel: its word starts a byte early
                words[corner][k] = load_dword(image + offset - past) >> (8 * past);
            }
        }
        __m512i top_left = _mm512_mask_mov_epi32(_mm512_loadu_si512(words[0]), left_fill | top_fill, filled_word);
        __m512i top_right = _mm512_mask_mov_epi32(_mm512_loadu_si512(words[1]), right_fill | top_fill, filled_word);
        __m512i bottom_left = _mm512_mask_mov_epi32(_mm512_loadu_si512(words[2]), left_fill | bottom_fill, filled_word);
        __m512i bottom_right = _mm512_mask_mov_epi32(_mm512_loadu_si512(words[3]), right_fill | bottom_fill, filled_word);
        uint8_t pixels[64];
        _mm512_storeu_si512(pixels, blend_pixels(&setup, setup.single_picks, fx, fy, top_left, top_right, bottom_left, bottom_right));
        for (intptr_t k = 0; k < n; k++) {
            if (resolved >> k & 1) {
                memcpy(output + 3 * (intptr_t)block_index[k], pixels + 3 * k, 3);
            } else {
                indices[kept++] = block_index[k];
            }
        }
    }
    return kept;
}

// MARK: Dispatch

// What this CPU has, read once when the library loads (before any worker thread runs).
static bool has_ssse3, has_avx512_vbmi, is_x86_64_v4;

__attribute__((constructor))
static void read_cpu_features(void) {
    __builtin_cpu_init();
    has_ssse3 = __builtin_cpu_supports("ssse3");
    has_avx512_vbmi = __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512bw");
    is_x86_64_v4 = __builtin_cpu_supports("x86-64-v4");
    fill_blend_indices();
}

bool invariant_cpu_is_x86_64_v4(void) { return is_x86_64_v4; }

bool invariant_reverse_rgb(const uint8_t *row, intptr_t count, uint8_t *output) {
    if (!has_ssse3) return false;
    reverse_rgb_ssse3(row, count, output);
    return true;
}

bool invariant_look_up(const uint8_t *input, intptr_t count, const uint8_t *table, uint8_t *output) {
    if (!has_avx512_vbmi) return false;
    look_up_vbmi(input, count, table, output);
    return true;
}

bool invariant_blend_rgb_available(void) { return has_avx512_vbmi; }

intptr_t invariant_blend_rgb(const uint8_t *image, intptr_t width, intptr_t height, intptr_t stride,
                             const int64_t *xs, const int64_t *ys, intptr_t count, const uint8_t *levels,
                             uint8_t *output, int32_t *outside) {
    if (!has_avx512_vbmi || width < 1 || height < 1 || height * stride + 3 * width >= INT32_MAX) return -1;
    return blend_rgb_inside(image, (int32_t)width, (int32_t)height, (int32_t)stride, xs, ys, count, levels, output, outside);
}

intptr_t invariant_blend_rgb_border(const uint8_t *image, intptr_t width, intptr_t height, intptr_t stride,
                                    const int64_t *xs, const int64_t *ys, int32_t *indices, intptr_t count,
                                    int border, uint8_t fill, const uint8_t *levels, uint8_t *output) {
    // A single pixel has no 4-byte word inside it.
    if (!has_avx512_vbmi || width * height < 2 || height * stride + 3 * width >= INT32_MAX || border < 0 || border > 4) {
        return count;
    }
    return blend_rgb_border(image, (int32_t)width, (int32_t)height, (int32_t)stride, xs, ys, indices, count, border, fill,
                            levels, output);
}

#else

bool invariant_reverse_rgb(const uint8_t *row, intptr_t count, uint8_t *output) { return false; }
bool invariant_look_up(const uint8_t *input, intptr_t count, const uint8_t *table, uint8_t *output) { return false; }
bool invariant_cpu_is_x86_64_v4(void) { return false; }
bool invariant_blend_rgb_available(void) { return false; }
intptr_t invariant_blend_rgb(const uint8_t *image, intptr_t width, intptr_t height, intptr_t stride,
                             const int64_t *xs, const int64_t *ys, intptr_t count, const uint8_t *levels,
                             uint8_t *output, int32_t *outside) { return -1; }
intptr_t invariant_blend_rgb_border(const uint8_t *image, intptr_t width, intptr_t height, intptr_t stride,
                                    const int64_t *xs, const int64_t *ys, int32_t *indices, intptr_t count,
                                    int border, uint8_t fill, const uint8_t *levels, uint8_t *output) { return count; }

#endif
