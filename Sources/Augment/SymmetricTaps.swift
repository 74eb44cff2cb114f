// Compiled twice, like HSVKernel.swift: into `Augment` for every CPU and into
// `AugmentWideKernels` for x86-64-v4 CPUs, where the same SIMD8 arithmetic runs on AVX
// registers with three-operand instructions. Self-contained: no imports.

/// `out[i] = w[r]·t[r][i] + Σ_{k<r} w[k]·(t[k][i] + t[2r−k][i])` for the 2r + 1 rows `t` of a
/// symmetric kernel of radius r: 32 outputs at a time stay in registers across all taps (four
/// independent 8-lane sums, so the additions' latency overlaps), then one store.
func symmetricTaps(_ taps: UnsafePointer<UnsafePointer<Float>>, weights: UnsafePointer<Float>, radius: Int,
                   into out: UnsafeMutablePointer<Float>, count: Int) {
    @inline(__always) func load(_ row: UnsafePointer<Float>, _ i: Int) -> SIMD8<Float> {
        UnsafeRawPointer(row + i).loadUnaligned(as: SIMD8<Float>.self)
    }
    var i = 0
    while i + 32 <= count {
        let centre = taps[radius], w = weights[radius]
        var s0 = load(centre, i) * w, s1 = load(centre, i + 8) * w
        var s2 = load(centre, i + 16) * w, s3 = load(centre, i + 24) * w
        for k in 0..<radius {
            let a = taps[k], b = taps[2 * radius - k], w = weights[k]
            s0 += (load(a, i) + load(b, i)) * w
            s1 += (load(a, i + 8) + load(b, i + 8)) * w
            s2 += (load(a, i + 16) + load(b, i + 16)) * w
            s3 += (load(a, i + 24) + load(b, i + 24)) * w
        }
        let target = UnsafeMutableRawPointer(out + i)
        target.storeBytes(of: s0, as: SIMD8<Float>.self)
        target.storeBytes(of: s1, toByteOffset: 32, as: SIMD8<Float>.self)
        target.storeBytes(of: s2, toByteOffset: 64, as: SIMD8<Float>.self)
        target.storeBytes(of: s3, toByteOffset: 96, as: SIMD8<Float>.self)
        i += 32
    }
    while i < count {
        var sum = taps[radius][i] * weights[radius]
        for k in 0..<radius { sum += (taps[k][i] + taps[2 * radius - k][i]) * weights[k] }
        out[i] = sum
        i += 1
    }
}
