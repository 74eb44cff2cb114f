// Lane conversions for the integer kernels (convolutions, the separable resize), written as explicit lane loops.
// The standard library's generic `SIMD8(truncatingIfNeeded:)` is often left as an
// out-of-line call inside a large caller (one call per 8 samples); these loops always
// inline and LLVM turns them into single instructions (punpcklbw, packuswb, pmulhuw…).

@inline(__always)
func widened(_ v: SIMD8<UInt8>) -> SIMD8<UInt16> {
    var result = SIMD8<UInt16>()
    for i in 0..<8 { result[i] = UInt16(v[i]) }
    return result
}

/// The low byte of each lane.
@inline(__always)
func lowBytes(_ v: SIMD8<UInt16>) -> SIMD8<UInt8> {
    var result = SIMD8<UInt8>()
    for i in 0..<8 { result[i] = UInt8(truncatingIfNeeded: v[i]) }
    return result
}

/// The low 16 bits of each lane, as a two's-complement Int16.
@inline(__always)
func lowHalves(_ v: SIMD8<UInt32>) -> SIMD8<Int16> {
    var result = SIMD8<Int16>()
    for i in 0..<8 { result[i] = Int16(truncatingIfNeeded: v[i]) }
    return result
}

@inline(__always)
func floats(_ v: SIMD4<UInt16>) -> SIMD4<Float> {
    var result = SIMD4<Float>()
    for i in 0..<4 { result[i] = Float(Int32(v[i])) }
    return result
}

/// The high half of each 16×16-bit product (`pmulhuw`).
@inline(__always)
func multiplyHigh(_ a: SIMD8<UInt16>, _ b: SIMD8<UInt16>) -> SIMD8<UInt16> {
    var result = SIMD8<UInt16>()
    for i in 0..<8 { result[i] = UInt16(truncatingIfNeeded: (UInt32(a[i]) &* UInt32(b[i])) &>> 16) }
    return result
}

/// ⌈(a + b) / 2⌉ without overflow (`pavgw`; LLVM recognises this form).
@inline(__always)
func average(_ a: SIMD8<UInt16>, _ b: SIMD8<UInt16>) -> SIMD8<UInt16> {
    (a | b) &- ((a ^ b) &>> 1)
}
