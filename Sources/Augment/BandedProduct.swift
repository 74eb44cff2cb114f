// Compiled twice, like HSVKernel.swift: into `Augment` for every CPU and into
// `AugmentWideKernels` for x86-64-v4 CPUs, where `PackedRows.Floats` is 16 lanes wide.

/// How many columns `bandedProduct` computes at a time in this build: two vectors.
let bandedProductColumns = 2 * PackedRows.Floats.scalarCount

/// `c = a · b` for row-major Float matrices that are zero outside a band: a is m × k, b is
/// k × n, c is m × n (row strides k, `bStride` and `cStride`); m a multiple of 4, n of
/// `bandedProductColumns`.
/// Row r of a is zero outside columns `rowBands[2r] ..< rowBands[2r + 1]`, column j of b outside
/// rows `columnBands[2j] ..< columnBands[2j + 1]` (nil: dense). Four rows by two vectors of c
/// stay in registers while p runs over the terms their band allows; each sum adds its products
/// in order of p, so both builds give the same floats.
func bandedProduct(_ a: UnsafePointer<Float>, rowBands: UnsafePointer<Int>?, _ b: UnsafePointer<Float>,
                   columnBands: UnsafePointer<Int>?, into c: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int,
                   bStride: Int, cStride: Int) {
    typealias Floats = PackedRows.Floats
    let lanes = Floats.scalarCount
    @inline(__always) func load(_ pointer: UnsafePointer<Float>) -> Floats {
        UnsafeRawPointer(pointer).loadUnaligned(as: Floats.self)
    }
    @inline(__always) func store(_ value: Floats, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Floats.self)
    }
    /// The terms that rows (or columns) `start ..< end` may need: the union of their bands.
    @inline(__always) func span(_ bands: UnsafePointer<Int>?, _ start: Int, _ end: Int) -> Range<Int> {
        guard let bands else { return 0..<k }
        var first = k, last = 0
        for index in start..<end {
            first = min(first, bands[2 &* index])
            last = max(last, bands[2 &* index &+ 1])
        }
        return first..<max(first, last)
    }
    var row = 0
    while row < m {
        let rowSpan = span(rowBands, row, row &+ 4)
        let a0 = a + row &* k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
        var column = 0
        while column < n {
            let terms = rowSpan.clamped(to: span(columnBands, column, column &+ 2 &* lanes))
            var s00 = Floats(), s01 = Floats(), s10 = Floats(), s11 = Floats()
            var s20 = Floats(), s21 = Floats(), s30 = Floats(), s31 = Floats()
            var bRow = b + (terms.lowerBound &* bStride &+ column)
            for p in terms {
                let b0 = load(bRow), b1 = load(bRow + lanes)
                let w0 = Floats(repeating: a0[p]), w1 = Floats(repeating: a1[p])
                let w2 = Floats(repeating: a2[p]), w3 = Floats(repeating: a3[p])
                s00 += w0 * b0
                s01 += w0 * b1
                s10 += w1 * b0
                s11 += w1 * b1
                s20 += w2 * b0
                s21 += w2 * b1
                s30 += w3 * b0
                s31 += w3 * b1
                bRow += bStride
            }
            let c0 = c + (row &* cStride &+ column), c1 = c0 + cStride, c2 = c1 + cStride, c3 = c2 + cStride
            store(s00, c0)
            store(s01, c0 + lanes)
            store(s10, c1)
            store(s11, c1 + lanes)
            store(s20, c2)
            store(s21, c2 + lanes)
            store(s30, c3)
            store(s31, c3 + lanes)
            column &+= 2 &* lanes
        }
        row &+= 4
    }
}
