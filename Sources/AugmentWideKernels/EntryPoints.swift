// The entry points into this module's build of the files it shares with `Augment`
// (HSVKernel.swift, BandedProduct.swift), compiled for x86-64-v4 (AVX-512) on x86-64 hosts.
// Everything here may run AVX-512 instructions: callers check the CPU first
// (`invariant_cpu_is_x86_64_v4`). The arguments are plain numbers and pointers, never the
// shared files' types, which are distinct types in each module.

/// `PackedColourPass.run` on AVX-512: the colour kernels `first` and `second` given by their
/// `PixelKernel.code`.
public func wideColourPass(_ first: (kind: Float, Float, Float, Float), _ second: (kind: Float, Float, Float, Float)?,
                           from input: UnsafePointer<UInt8>, stride inputStride: Int, to output: UnsafeMutablePointer<UInt8>,
                           stride outputStride: Int, width: Int, height: Int, channels: Int, through tables: UnsafePointer<UInt8>?) {
    var secondKernel: PixelKernel?
    if let second { secondKernel = PixelKernel(code: second) }
    PackedColourPass.run(PixelKernel(code: first), secondKernel, from: input, stride: inputStride, to: output, stride: outputStride,
                         width: width, height: height, channels: channels, through: tables)
}

/// `PackedColourPass.greySum` on AVX-512.
public func wideGreySum(_ pixels: UnsafePointer<UInt8>, stride: Int, width: Int, height: Int, channels: Int) -> Int {
    PackedColourPass.greySum(pixels, stride: stride, width: width, height: height, channels: channels)
}

/// `bandedProduct` on AVX-512 registers.
public func wideBandedProduct(_ a: UnsafePointer<Float>, rowBands: UnsafePointer<Int>?, _ b: UnsafePointer<Float>,
                              columnBands: UnsafePointer<Int>?, into c: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int,
                              bStride: Int, cStride: Int) {
    bandedProduct(a, rowBands: rowBands, b, columnBands: columnBands, into: c, m: m, k: k, n: n, bStride: bStride, cStride: cStride)
}
