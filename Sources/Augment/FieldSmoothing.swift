import AugmentWideKernels

extension DisplacementField {
    /// The elastic field's smoothing: a separable Gaussian of standard deviation `sigma` with
    /// OpenCV's float kernel size (round(8σ + 1) made odd, at most twice the larger side plus
    /// one) and reflected (101) borders, accumulated in Float.
    ///
    /// Each pass is a matrix product with the kernel folded onto the axis (`FoldedGaussian`):
    /// σ 50 on 150 px is a 301-tap kernel but 150 weights per output, and a narrow kernel
    /// keeps to its band. The folded weights are made a block of outputs at a time (32
    /// columns, or 4 rows), so memory stays proportional to the side, not its square.
    public static func gaussianSmoothed(_ values: [Double], width: Int, height: Int, sigma: Double) -> [Double] {
        precondition(values.count == width * height && width > 0 && height > 0 && sigma > 0, "a width × height field and σ > 0")
        let size = min(2 * max(width, height) + 1, max(1, Int((sigma * 8 + 1).rounded()) | 1))
        let kernel = ConvolutionKernel.gaussian(size: size, sigma: sigma)
        var across = FoldedGaussian(kernel, length: width), down = FoldedGaussian(kernel, length: height)
        // Rows padded to a multiple of 4, columns to 32 (a multiple of either build's block).
        let rows = (height + 3) / 4 * 4, block = 32, columns = (width + block - 1) / block * block
        var field = [Float](repeating: 0, count: rows * width)
        for i in values.indices { field[i] = Float(values[i]) }
        var alongRows = [Float](repeating: 0, count: rows * columns), smoothed = alongRows
        var weights = [Float](repeating: 0, count: max(width * block, 4 * height))
        var bands = [Int](repeating: 0, count: 2 * block)
        // Along rows: the field (rows × width) · a block of `across`'s outputs by sample (width × 32).
        for first in stride(from: 0, to: columns, by: block) {
            weights.withUnsafeMutableBufferPointer { weights in
                for output in first..<first + block {
                    (bands[2 * (output - first)], bands[2 * (output - first) + 1]) =
                        across.weights(of: output, into: weights.baseAddress! + (output - first), stride: block)
                }
            }
            product(field, rowBands: nil, weights, columnBands: bands, into: &alongRows, at: first,
                    m: rows, k: width, n: block, bStride: block, cStride: columns)
        }
        // Along columns: a block of `down`'s outputs (4 × height) · the first pass (height × columns).
        for first in stride(from: 0, to: rows, by: 4) {
            weights.withUnsafeMutableBufferPointer { weights in
                for output in first..<first + 4 {
                    (bands[2 * (output - first)], bands[2 * (output - first) + 1]) =
                        down.weights(of: output, into: weights.baseAddress! + (output - first) * height, stride: 1)
                }
            }
            product(weights, rowBands: bands, alongRows, columnBands: nil, into: &smoothed, at: first * columns,
                    m: 4, k: height, n: columns, bStride: columns, cStride: columns)
        }
        return (0..<width * height).map { Double(smoothed[$0 / width * columns + $0 % width]) }
    }
}

/// `bandedProduct` of arrays, written into `c` from `offset`: the x86-64-v4 build where the
/// CPU runs it, the portable one otherwise (the same float operations, the same result).
private func product(_ a: [Float], rowBands: [Int]?, _ b: [Float], columnBands: [Int]?, into c: inout [Float], at offset: Int,
                     m: Int, k: Int, n: Int, bStride: Int, cStride: Int) {
    precondition(m % 4 == 0 && n % 32 == 0 && a.count >= m * k && b.count >= (k - 1) * bStride + n
                 && c.count >= offset + (m - 1) * cStride + n, "matrices of their sizes, padded to the product's blocks")
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                withOptionalBuffer(rowBands) { rowBands in
                    withOptionalBuffer(columnBands) { columnBands in
                        if KernelBuild.runsWide {
                            wideBandedProduct(a.baseAddress!, rowBands: rowBands, b.baseAddress!, columnBands: columnBands,
                                              into: c.baseAddress! + offset, m: m, k: k, n: n, bStride: bStride, cStride: cStride)
                        } else {
                            bandedProduct(a.baseAddress!, rowBands: rowBands, b.baseAddress!, columnBands: columnBands,
                                          into: c.baseAddress! + offset, m: m, k: k, n: n, bStride: bStride, cStride: cStride)
                        }
                    }
                }
            }
        }
    }
}

/// A symmetric kernel folded onto an axis of `length` samples with reflect-101 borders:
/// output i reads sample j with the sum of the taps through which the border sends it to j.
struct FoldedGaussian {
    let kernel: [Double]
    let length: Int
    /// The sample that padded position p (output p − radius's first tap) stands for.
    private let sources: [Int]
    /// One output's sums (Double, then rounded once to Float), zero between calls.
    private var sums: [Double]

    init(_ kernel: [Double], length: Int) {
        let radius = kernel.count / 2
        self.kernel = kernel
        self.length = length
        sources = (-radius..<length + radius).map { BorderMode.reflect101.resolve($0, size: length)! }
        sums = [Double](repeating: 0, count: length)
    }

    /// Writes output `i`'s weight of every sample j to `target[j · stride]` (all zero for an
    /// output past `length`, which is padding) and returns the band of samples it reads,
    /// `first ..< end` (first = length, end = 0 for padding: a band that widens no union).
    mutating func weights(of i: Int, into target: UnsafeMutablePointer<Float>, stride: Int) -> (first: Int, end: Int) {
        for j in 0..<length { target[j &* stride] = 0 }
        guard i < length else { return (length, 0) }
        let length = self.length
        return kernel.withUnsafeBufferPointer { kernel in
            sources.withUnsafeBufferPointer { sources in
                sums.withUnsafeMutableBufferPointer { sums in
                    var first = length, end = 0
                    for tap in 0..<kernel.count {
                        let j = sources[i &+ tap]
                        first = min(first, j)
                        end = max(end, j &+ 1)
                        sums[j] += kernel[tap]
                    }
                    for j in first..<end {
                        target[j &* stride] = Float(sums[j])
                        sums[j] = 0
                    }
                    return (first, end)
                }
            }
        }
    }
}
