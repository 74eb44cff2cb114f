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

#else

bool invariant_reverse_rgb(const uint8_t *row, intptr_t count, uint8_t *output) { return false; }
bool invariant_look_up(const uint8_t *input, intptr_t count, const uint8_t *table, uint8_t *output) { return false; }
bool invariant_cpu_is_x86_64_v4(void) { return false; }

#endif
