// swift-tools-version:6.0
import PackageDescription

/// A system-library target over a Debian -dev package, found through pkg-config.
func systemLibrary(_ name: String, pkgConfig: String?, apt: String) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", pkgConfig: pkgConfig, providers: [.apt([apt])])
}

/// The build of the SIMD kernels that `AugmentWideKernels` shares with `Augment` (symbolic
/// links to the same files): x86-64-v4, where the shared files widen their vectors (WIDE_LANES).
/// Augment calls it only on CPUs that have that level; other hosts build a plain copy.
#if arch(x86_64)
let wideKernelSettings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v4"]), .define("WIDE_LANES")]
#else
let wideKernelSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "Invariant",
    products: [
        .library(name: "Invariant", targets: ["InvariantCore", "Imaging", "Augment", "Datasets", "Reports", "Tensors", "Learning"]),
        .executable(name: "invariant", targets: ["invariant"]),
    ],
    targets: [
        // Native libraries: module maps only, no logic.
        systemLibrary("CLibJPEG", pkgConfig: "libjpeg", apt: "libjpeg62-turbo-dev"),
        systemLibrary("CLibPNG", pkgConfig: "libpng", apt: "libpng-dev"),
        systemLibrary("CLibWebP", pkgConfig: "libwebp", apt: "libwebp-dev"),
        systemLibrary("CLibTIFF", pkgConfig: "libtiff-4", apt: "libtiff-dev"),
        systemLibrary("CLibGIF", pkgConfig: nil, apt: "libgif-dev"),
        systemLibrary("CZlib", pkgConfig: "zlib", apt: "zlib1g-dev"),
        systemLibrary("CCairo", pkgConfig: "cairo", apt: "libcairo2-dev"),
        // Debian's serial HDF5 (headers under /usr/include/hdf5/serial): Keras's .h5 weights.
        systemLibrary("CHDF5", pkgConfig: "hdf5", apt: "libhdf5-dev"),
        // C glue for the codecs whose error handling is setjmp/longjmp or callback based,
        // which Swift cannot call safely.
        .target(
            name: "CImageCodecs",
            dependencies: ["CLibJPEG", "CLibPNG", "CLibWebP", "CLibTIFF", "CLibGIF"],
            cSettings: [.unsafeFlags(["-O2"])],
            linkerSettings: [.linkedLibrary("gif")]  // giflib ships no pkg-config file
        ),
        // Byte-shuffle kernels (SSSE3, AVX-512 VBMI) chosen at run time by CPU; Swift keeps the
        // portable loops and the definition of every result.
        // No SLP vectorising: it turns the blend kernels' rows of scalar loads into gathers, which are
        // slower than the loads on AMD Zen 4.
        .target(name: "CPixelKernels", cSettings: [.unsafeFlags(["-O2", "-fno-slp-vectorize"])]),
        .target(name: "InvariantCore"),
        .target(name: "Imaging", dependencies: ["InvariantCore", "CImageCodecs", "CZlib"]),
        .target(name: "AugmentWideKernels", dependencies: ["CPixelKernels"], swiftSettings: wideKernelSettings),
        .target(name: "Augment", dependencies: ["InvariantCore", "Imaging", "CPixelKernels", "AugmentWideKernels"]),
        .target(name: "Datasets", dependencies: ["InvariantCore", "Imaging", "Augment", "CZlib"]),
        .target(name: "Reports", dependencies: ["Imaging", "CCairo", "Learning"]),
        .target(name: "InvariantCommands", dependencies: ["InvariantCore", "Imaging", "Augment", "Datasets", "Reports", "Tensors", "Learning"]),
        .executableTarget(name: "invariant", dependencies: ["InvariantCommands"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"]),
        // Helpers shared by the test targets (temporary folders, small images, fixture files).
        .target(name: "TestSupport", dependencies: ["Imaging"], path: "Tests/TestSupport"),
        .testTarget(name: "InvariantCoreTests", dependencies: ["InvariantCore"]),
        .testTarget(name: "AugmentTests", dependencies: ["Augment", "Imaging", "InvariantCore", "CPixelKernels", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Imaging", "Augment", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Imaging"]),
        .testTarget(name: "InvariantCommandsTests", dependencies: ["InvariantCommands", "Datasets", "Imaging", "Learning", "TestSupport"]),
        // MARK: tensor engine
        // oneDNN ships no pkg-config file: its module map links `dnnl` directly.
        systemLibrary("CDNNL", pkgConfig: nil, apt: "libdnnl-dev"),
        systemLibrary("COpenBLAS", pkgConfig: "openblas", apt: "libopenblas-dev"),
        .target(name: "Tensors", dependencies: ["InvariantCore", "CDNNL", "COpenBLAS"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "InvariantCore"]),
        // MARK: learning
        .target(name: "Learning", dependencies: ["InvariantCore", "Tensors", "Imaging", "Datasets", "CHDF5"]),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "Tensors", "Datasets", "TestSupport"]),
        // Weight dialects (Keras .h5, Keras 3, torchvision, safetensors) and `invariant features`.
        .testTarget(name: "WeightsTests", dependencies: ["Learning", "Tensors", "InvariantCommands", "TestSupport"]),
        // MARK: end tensor engine
    ],
    // Swift 5 mode: the loader shares buffers between worker threads under its own locks.
    swiftLanguageModes: [.v5]
)
