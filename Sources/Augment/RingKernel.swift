import Imaging

/// The fast path for 3×3 kernels whose eight outer weights are equal — albumentations'
/// `Sharpen`. Such a kernel is (centre − ring)·x + ring·(3×3 box sum), so the nine taps
/// become integer sums (the box, in UInt16: a vertical sum of three rows, then three
/// horizontal reads of it) and two multiplies in Float, rounded as the general path rounds
/// (to nearest, ties to even, clamped to 0…255). The value is the same sum formed in another
/// order, so a result within a rounding error of a half level may differ from the general
/// path's by one.
struct RingKernel {
    let centre: Float
    let ring: Float

    init?(_ kernel: ConvolutionKernel) {
        let weights = kernel.weights
        guard kernel.width == 3, kernel.height == 3, (0..<9).allSatisfy({ $0 == 4 || weights[$0] == weights[0] }) else { return nil }
        centre = Float(weights[4] - weights[0])
        ring = Float(weights[0])
        // Sums are clamped as Int16: every possible sum must lie well inside its range.
        guard (abs(centre) + 9 * abs(ring)) * 255 < 30_000 else { return nil }
    }

    func apply(to image: Image<UInt8>) -> Image<UInt8> {
        let width = image.width, height = image.height, channels = image.channels
        let rowLength = width * channels
        // The columns the reflect-101 border reads: left of column 0, right of the last.
        let left = BorderMode.reflect101.resolve(-1, size: width)! * channels
        let right = BorderMode.reflect101.resolve(width, size: width)! * channels
        return withUnsafeTemporaryAllocation(of: UInt16.self, capacity: rowLength + 2 * channels) { buffer in
            // Column sums of the three rows, with one reflected column either side.
            let sums = buffer.baseAddress!, inside = sums + channels
            return image.withUnsafeSamples { input, inputStride in
                Image<UInt8>(width: width, height: height, channels: channels) { output, outputStride in
                    for y in 0..<height {
                        let above = input + BorderMode.reflect101.resolve(y - 1, size: height)! * inputStride
                        let row = input + y * inputStride
                        let below = input + BorderMode.reflect101.resolve(y + 1, size: height)! * inputStride
                        sumColumns(above, row, below, into: inside, count: rowLength)
                        for c in 0..<channels {
                            sums[c] = inside[left + c]
                            inside[rowLength + c] = inside[right + c]
                        }
                        combine(row, sums, step: channels, into: output + y * outputStride, count: rowLength)
                    }
                }
            }
        }
    }

    /// out = centre·x + ring·box, where box = Σ of the column sums at −step, 0, +step.
    /// (Per-row functions are not inlined: in a large caller the SIMD conversions stay calls.)
    @inline(never)
    private func combine(_ row: UnsafePointer<UInt8>, _ sums: UnsafePointer<UInt16>, step: Int,
                         into output: UnsafeMutablePointer<UInt8>, count: Int) {
        @inline(__always) func levels(at i: Int) -> SIMD16<UInt8> {
            let x = UnsafeRawPointer(row + i).loadUnaligned(as: SIMD16<UInt8>.self)
            let box = { (offset: Int) in
                load(sums + offset) &+ load(sums + offset + step) &+ load(sums + offset + 2 * step)
            }
            return SIMD16(lowHalf: weighted(widened(x.lowHalf), box(i)), highHalf: weighted(widened(x.highHalf), box(i + 8)))
        }
        var i = 0
        while i + 16 <= count {
            UnsafeMutableRawPointer(output + i).storeBytes(of: levels(at: i), as: SIMD16<UInt8>.self)
            i += 16
        }
        if i < count && count >= 16 {
            // The last partial block, recomputed overlapping the one before.
            UnsafeMutableRawPointer(output + count - 16).storeBytes(of: levels(at: count - 16), as: SIMD16<UInt8>.self)
            return
        }
        while i < count {
            let box = Float(sums[i]) + Float(sums[i + step]) + Float(sums[i + 2 * step])
            let value = min(max(centre * Float(row[i]) + ring * box, 0), 255) + 12_582_912
            output[i] = UInt8(truncatingIfNeeded: value.bitPattern)
            i += 1
        }
    }

    /// Eight levels: the two products in Float, rounded by adding 1.5·2²³ (the integer lands in
    /// the low mantissa bits, whose low 16 bits are its two's complement), clamped in Int16.
    @inline(__always)
    private func weighted(_ x: SIMD8<UInt16>, _ box: SIMD8<UInt16>) -> SIMD8<UInt8> {
        let magic = SIMD4<Float>(repeating: 12_582_912)
        let low = centre * floats(x.lowHalf) + ring * floats(box.lowHalf) + magic
        let high = centre * floats(x.highHalf) + ring * floats(box.highHalf) + magic
        let value = lowHalves(SIMD8(lowHalf: unsafeBitCast(low, to: SIMD4<UInt32>.self), highHalf: unsafeBitCast(high, to: SIMD4<UInt32>.self)))
        let nonNegative = value & ~(value &>> 15)
        return lowBytes(unsafeBitCast(nonNegative | ((255 &- nonNegative) &>> 15), to: SIMD8<UInt16>.self))  // above 255: all ones
    }
}

/// above + row + below, sample by sample, in UInt16.
@inline(never)
private func sumColumns(_ above: UnsafePointer<UInt8>, _ row: UnsafePointer<UInt8>, _ below: UnsafePointer<UInt8>,
                        into sums: UnsafeMutablePointer<UInt16>, count: Int) {
    var i = 0
    while i + 16 <= count {
        let a = UnsafeRawPointer(above + i).loadUnaligned(as: SIMD16<UInt8>.self)
        let b = UnsafeRawPointer(row + i).loadUnaligned(as: SIMD16<UInt8>.self)
        let c = UnsafeRawPointer(below + i).loadUnaligned(as: SIMD16<UInt8>.self)
        let low = widened(a.lowHalf) &+ widened(b.lowHalf) &+ widened(c.lowHalf)
        let high = widened(a.highHalf) &+ widened(b.highHalf) &+ widened(c.highHalf)
        UnsafeMutableRawPointer(sums + i).storeBytes(of: low, as: SIMD8<UInt16>.self)
        UnsafeMutableRawPointer(sums + i + 8).storeBytes(of: high, as: SIMD8<UInt16>.self)
        i += 16
    }
    while i < count {
        sums[i] = UInt16(above[i]) + UInt16(row[i]) + UInt16(below[i])
        i += 1
    }
}

@inline(__always)
private func load(_ pointer: UnsafePointer<UInt16>) -> SIMD8<UInt16> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<UInt16>.self)
}
