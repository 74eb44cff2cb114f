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

// The 256-entry lookup of the level in byte 0 of each 32-bit lane; the lane's other bytes are 0
// after it. `table` is four 64-byte vectors, as in `look_up_vbmi`.
BLEND_TARGET static inline __m512i look_up_lanes(__m512i levels, const __m512i table[4]) {
    __m512i low = _mm512_permutex2var_epi8(table[0], levels, table[1]);
    __m512i high = _mm512_permutex2var_epi8(table[2], levels, table[3]);
    __m512i mapped = _mm512_mask_blend_epi8(_mm512_movepi8_mask(levels), low, high);
    return _mm512_and_si512(mapped, _mm512_set1_epi32(0xFF));
}

static inline int64_t load_qword(const uint8_t *address) {
    int64_t word;
    memcpy(&word, address, sizeof word);
    return word;
}

// Sixteen positions at a time, one pixel per 32-bit lane. Each pixel's top pair of neighbours
// (6 bytes) comes from one 8-byte gather, the bottom pair from another; per channel, one
// `vpermi2b` puts the pair's two levels in the 16-bit halves of the pixel's lane, so that one
// `vpmaddwd` with (left weight, right weight) blends the pair.
BLEND_TARGET static intptr_t blend_rgb_vbmi(const uint8_t *image, int32_t width, int32_t height, int32_t stride,
                                            const int64_t *xs, const int64_t *ys, intptr_t count, const uint8_t *levels,
                                            uint8_t *output, int32_t *outside) {
    // The image's bytes: its last row ends after its pixels, whatever the stride.
    const int32_t end = (height - 1) * stride + 3 * width;
    uint32_t high_words[16], low_words[16], lane_index[16];
    uint8_t picks[3][64], pack[64];
    for (int i = 0; i < 16; i++) {
        low_words[i] = 2 * i;
        high_words[i] = 2 * i + 1;
        lane_index[i] = i;
        for (int c = 0; c < 3; c++) {
            // Lane i of channel c: [level of the left neighbour, 0, level of the right one, 0].
            picks[c][4 * i] = (uint8_t)(8 * i + c);
            picks[c][4 * i + 2] = (uint8_t)(8 * i + 3 + c);
            picks[c][4 * i + 1] = picks[c][4 * i + 3] = 0;
        }
        // Output pixel i from byte 0 of lane i of red-green (red), byte 1 (green) and of blue.
        pack[3 * i] = (uint8_t)(4 * i);
        pack[3 * i + 1] = (uint8_t)(4 * i + 1);
        pack[3 * i + 2] = (uint8_t)(64 + 4 * i);
    }
    for (int i = 48; i < 64; i++) pack[i] = 0;
    const __m512i low_word = _mm512_loadu_si512(low_words), high_word = _mm512_loadu_si512(high_words);
    const __m512i lanes = _mm512_loadu_si512(lane_index), packing = _mm512_loadu_si512(pack);
    __m512i pick[3], tables[3][4];
    for (int c = 0; c < 3; c++) {
        pick[c] = _mm512_loadu_si512(picks[c]);
        for (int t = 0; t < 4 && levels; t++) tables[c][t] = _mm512_loadu_si512(levels + 256 * c + 64 * t);
    }
    const __mmask64 pair_bytes = 0x5555555555555555ULL;
    const __m512i fraction = _mm512_set1_epi32(0xFFF), unit = _mm512_set1_epi32(4096), half = _mm512_set1_epi32(2048);
    const __m512i last_column = _mm512_set1_epi32(width - 1), last_row = _mm512_set1_epi32(height - 1);
    const __m512i strides = _mm512_set1_epi32(stride), last_read = _mm512_set1_epi32(end - 8);
    intptr_t outside_count = 0;
    for (intptr_t i = 0; i < count; i += 16) {
        const intptr_t n = count - i < 16 ? count - i : 16;
        const __mmask16 valid = (__mmask16)(n == 16 ? 0xFFFF : (1u << n) - 1);
        __m512i xa = _mm512_maskz_loadu_epi64((__mmask8)valid, xs + i), xb = _mm512_maskz_loadu_epi64((__mmask8)(valid >> 8), xs + i + 8);
        __m512i ya = _mm512_maskz_loadu_epi64((__mmask8)valid, ys + i), yb = _mm512_maskz_loadu_epi64((__mmask8)(valid >> 8), ys + i + 8);
        // A fixed-point position's high word is its floor; the low word's top 12 bits its fraction.
        __m512i x0 = _mm512_permutex2var_epi32(xa, high_word, xb), y0 = _mm512_permutex2var_epi32(ya, high_word, yb);
        __m512i fx = _mm512_and_si512(_mm512_srli_epi32(_mm512_permutex2var_epi32(xa, low_word, xb), 20), fraction);
        __m512i fy = _mm512_and_si512(_mm512_srli_epi32(_mm512_permutex2var_epi32(ya, low_word, yb), 20), fraction);
        __mmask16 inside = _mm512_mask_cmplt_epu32_mask(valid, x0, last_column);
        inside = _mm512_mask_cmplt_epu32_mask(inside, y0, last_row);
        __m512i top = _mm512_add_epi32(_mm512_mullo_epi32(y0, strides), _mm512_add_epi32(x0, _mm512_add_epi32(x0, x0)));
        __m512i bottom = _mm512_add_epi32(top, strides);
        inside = _mm512_mask_cmple_epi32_mask(inside, bottom, last_read);
        // Scalar loads: on AMD's Zen 4, an 8-lane gather costs more than eight loads. Lanes not
        // inside read the image's first bytes (there are at least 8 when one lane is inside).
        int32_t offset[16];
        _mm512_storeu_si512(offset, _mm512_maskz_mov_epi32(inside, top));
        __m512i top_a = _mm512_setzero_si512(), top_b = top_a, bottom_a = top_a, bottom_b = top_a;
        if (inside) {
            const uint8_t *p = image;
#define ROW(k) load_qword(p + offset[k])
#define ROW_BELOW(k) load_qword(p + offset[k] + stride)
            top_a = _mm512_set_epi64(ROW(7), ROW(6), ROW(5), ROW(4), ROW(3), ROW(2), ROW(1), ROW(0));
            top_b = _mm512_set_epi64(ROW(15), ROW(14), ROW(13), ROW(12), ROW(11), ROW(10), ROW(9), ROW(8));
            bottom_a = _mm512_set_epi64(ROW_BELOW(7), ROW_BELOW(6), ROW_BELOW(5), ROW_BELOW(4), ROW_BELOW(3), ROW_BELOW(2),
                                        ROW_BELOW(1), ROW_BELOW(0));
            bottom_b = _mm512_set_epi64(ROW_BELOW(15), ROW_BELOW(14), ROW_BELOW(13), ROW_BELOW(12), ROW_BELOW(11),
                                        ROW_BELOW(10), ROW_BELOW(9), ROW_BELOW(8));
#undef ROW
#undef ROW_BELOW
        }
        // LaneBlend's weights: each row's pair sums to that row's weight.
        __m512i gy = _mm512_sub_epi32(unit, fy);
        __m512i w01 = _mm512_srli_epi32(_mm512_add_epi32(_mm512_mullo_epi32(fx, gy), half), 12);
        __m512i w11 = _mm512_srli_epi32(_mm512_add_epi32(_mm512_mullo_epi32(fx, fy), half), 12);
        __m512i top_weights = _mm512_or_si512(_mm512_sub_epi32(gy, w01), _mm512_slli_epi32(w01, 16));
        __m512i bottom_weights = _mm512_or_si512(_mm512_sub_epi32(fy, w11), _mm512_slli_epi32(w11, 16));
        __m512i channel[3];
        for (int c = 0; c < 3; c++) {
            __m512i upper = _mm512_maskz_permutex2var_epi8(pair_bytes, top_a, pick[c], top_b);
            __m512i lower = _mm512_maskz_permutex2var_epi8(pair_bytes, bottom_a, pick[c], bottom_b);
            __m512i sum = _mm512_add_epi32(_mm512_madd_epi16(upper, top_weights), _mm512_madd_epi16(lower, bottom_weights));
            channel[c] = _mm512_srli_epi32(_mm512_add_epi32(sum, half), 12);
            if (levels) channel[c] = look_up_lanes(channel[c], tables[c]);
        }
        __m512i red_green = _mm512_or_si512(channel[0], _mm512_slli_epi32(channel[1], 8));
        __m512i pixels = _mm512_permutex2var_epi8(red_green, packing, channel[2]);
        _mm512_mask_storeu_epi8(output + 3 * i, n == 16 ? (1ULL << 48) - 1 : (1ULL << (3 * n)) - 1, pixels);
        __mmask16 missed = valid & (__mmask16)~inside;
        if (missed) {
            __m512i indices = _mm512_add_epi32(lanes, _mm512_set1_epi32((int32_t)i));
            _mm512_storeu_si512(outside + outside_count, _mm512_maskz_compress_epi32(missed, indices));
            outside_count += __builtin_popcount(missed);
        }
    }
    return outside_count;
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
    return blend_rgb_vbmi(image, (int32_t)width, (int32_t)height, (int32_t)stride, xs, ys, count, levels, output, outside);
}

#else

bool invariant_reverse_rgb(const uint8_t *row, intptr_t count, uint8_t *output) { return false; }
bool invariant_look_up(const uint8_t *input, intptr_t count, const uint8_t *table, uint8_t *output) { return false; }
bool invariant_cpu_is_x86_64_v4(void) { return false; }
bool invariant_blend_rgb_available(void) { return false; }
intptr_t invariant_blend_rgb(const uint8_t *image, intptr_t width, intptr_t height, intptr_t stride,
                             const int64_t *xs, const int64_t *ys, intptr_t count, const uint8_t *levels,
                             uint8_t *output, int32_t *outside) { return -1; }

#endif
