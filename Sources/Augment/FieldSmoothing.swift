import AugmentWideKernels
import Synchronization

extension DisplacementField {
    /// The elastic field's smoothing: a separable Gaussian of standard deviation `sigma` with
    /// OpenCV's float kernel size (round(8σ + 1) made odd, at most twice the larger side plus
    /// one) and reflected (101) borders, accumulated in Float.
    ///
    /// Each pass is a matrix product with the kernel folded onto the axis (`FoldedGaussian`):
    /// σ 50 on 150 px is a 301-tap kernel but 150 weights per output, and a narrow kernel
    /// keeps to its band.
    public static func gaussianSmoothed(_ values: [Double], width: Int, height: Int, sigma: Double) -> [Double] {
        precondition(values.count == width * height && width > 0 && height > 0 && sigma > 0, "a width × height field and σ > 0")
        let size = min(2 * max(width, height) + 1, max(1, Int((sigma * 8 + 1).rounded()) | 1))
        let across = FoldedGaussian.shared(sigma: sigma, size: size, length: width)
        let down = FoldedGaussian.shared(sigma: sigma, size: size, length: height)
        let rows = FoldedGaussian.paddedRows(height), columns = FoldedGaussian.paddedColumns(width)
        var field = [Float](repeating: 0, count: rows * width)
        for i in values.indices { field[i] = Float(values[i]) }
        var alongRows = [Float](repeating: 0, count: rows * columns), smoothed = alongRows
        // Along rows: the field (rows × width) · `across` by sample (width × columns).
        product(field, rowBands: nil, across.bySample, columnBands: across.bands, into: &alongRows, m: rows, k: width, n: columns)
        // Along columns: `down` by output (rows × height) · the first pass (height × columns).
        product(down.byOutput, rowBands: down.bands, alongRows, columnBands: nil, into: &smoothed, m: rows, k: height, n: columns)
        return (0..<width * height).map { Double(smoothed[$0 / width * columns + $0 % width]) }
    }
}

/// `bandedProduct` of arrays: the x86-64-v4 build where the CPU runs it, the portable one
/// otherwise (the same float operations, the same result).
private func product(_ a: [Float], rowBands: [Int]?, _ b: [Float], columnBands: [Int]?, into c: inout [Float], m: Int, k: Int, n: Int) {
    precondition(a.count >= m * k && b.count >= k * n && c.count >= m * n && n % bandedProductColumns == 0 && m % 4 == 0,
                 "matrices of their sizes, padded to the product's blocks")
    a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
            c.withUnsafeMutableBufferPointer { c in
                withOptionalBuffer(rowBands) { rowBands in
                    withOptionalBuffer(columnBands) { columnBands in
                        if KernelBuild.runsWide {
                            wideBandedProduct(a.baseAddress!, rowBands: rowBands, b.baseAddress!, columnBands: columnBands,
                                              into: c.baseAddress!, m: m, k: k, n: n)
                        } else {
                            bandedProduct(a.baseAddress!, rowBands: rowBands, b.baseAddress!, columnBands: columnBands,
                                          into: c.baseAddress!, m: m, k: k, n: n)
                        }
                    }
                }
            }
        }
    }
}

/// A Gaussian folded onto an axis of `length` samples with reflect-101 borders: output i
/// reads sample j with the sum of the taps through which the border sends it to j. The
/// length × length weights come in the two layouts `bandedProduct` takes, padded with zeros.
struct FoldedGaussian: Sendable {
    /// Output-major, `paddedRows(length)` × length: the left operand of a pass along columns.
    let byOutput: [Float]
    /// Sample-major, length × `paddedColumns(length)`: the right operand of a pass along rows.
    let bySample: [Float]
    /// For each output i (`paddedColumns(length)` of them), the samples with a nonzero weight:
    /// `bands[2i] ..< bands[2i + 1]`; empty for padding.
    let bands: [Int]

    /// Padding to `bandedProduct`'s blocks: rows to 4; columns to 32, a multiple of either
    /// build's `bandedProductColumns` (8 or 32).
    static func paddedRows(_ count: Int) -> Int { (count + 3) / 4 * 4 }
    static func paddedColumns(_ count: Int) -> Int { (count + 31) / 32 * 32 }

    init(sigma: Double, size: Int, length: Int) {
        let kernel = ConvolutionKernel.gaussian(size: size, sigma: sigma), radius = size / 2
        var sums = [Double](repeating: 0, count: length * length)
        for i in 0..<length {
            for (tap, weight) in kernel.enumerated() {
                sums[i * length + BorderMode.reflect101.resolve(i + tap - radius, size: length)!] += weight
            }
        }
        let columns = Self.paddedColumns(length)
        var byOutput = [Float](repeating: 0, count: Self.paddedRows(length) * length)
        var bySample = [Float](repeating: 0, count: length * columns)
        var bands = (0..<2 * columns).map { $0 % 2 == 0 ? length : 0 }
        for i in 0..<length {
            var first = length, end = 0
            for j in 0..<length {
                let weight = Float(sums[i * length + j])
                byOutput[i * length + j] = weight
                bySample[j * columns + i] = weight
                if weight != 0 {
                    first = min(first, j)
                    end = j + 1
                }
            }
            (bands[2 * i], bands[2 * i + 1]) = (first, end)
        }
        (self.byOutput, self.bySample, self.bands) = (byOutput, bySample, bands)
    }

    private struct Key: Hashable {
        let sigma: Double, size: Int, length: Int
    }

    /// Those made lately, by their parameters: an elastic step smooths every image of a size
    /// with the same kernel. At most four are kept; a fifth starts the set again.
    private static let made = Mutex<[Key: FoldedGaussian]>([:])

    /// The folded kernel for these parameters, made only when it is not kept.
    static func shared(sigma: Double, size: Int, length: Int) -> FoldedGaussian {
        let key = Key(sigma: sigma, size: size, length: length)
        if let known = made.withLock({ $0[key] }) { return known }
        let folded = FoldedGaussian(sigma: sigma, size: size, length: length)
        made.withLock { kept in
            if kept.count >= 4 { kept.removeAll() }
            kept[key] = folded
        }
        return folded
    }
}
