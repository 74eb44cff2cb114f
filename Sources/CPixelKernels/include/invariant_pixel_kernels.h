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

/// Writes the `count` RGB pixels of `row` to `output` in reverse order (a mirrored row).
/// `row` and `output` must not overlap. Needs SSSE3.
bool invariant_reverse_rgb(const uint8_t *row, intptr_t count, uint8_t *output);

/// `output[i] = table[input[i]]` for the `count` bytes of `input`; `table` has 256 entries.
/// `input` and `output` may be the same buffer. Needs AVX-512 VBMI.
bool invariant_look_up(const uint8_t *input, intptr_t count, const uint8_t *table, uint8_t *output);
