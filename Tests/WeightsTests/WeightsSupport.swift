import Foundation
import InvariantCommands
import Learning
import Tensors
import Testing
@_exported import TestSupport

/// `Fixtures/weights/references.json` (Tools/make_weights_fixtures.py): Keras 3's and
/// PyTorch's outputs for the fixture files' weights.
struct References: Decodable {
    struct Outputs: Decodable {
        var block5Pool: [Float]
        var predictions: [Float]
        enum CodingKeys: String, CodingKey { case block5Pool = "block5_pool", predictions }
    }

    var height: Int
    var width: Int
    var filters: [Int]
    var denseUnits: Int
    var classes: Int
    var kerasLegacy: Outputs
    var kerasTFKeras: Outputs
    var keras3: Outputs
    var torch: Outputs
    var fullSize: Int
    var fullKeras: [Float]
    var fullTorch: [Float]

    enum CodingKeys: String, CodingKey {
        case height, width, filters, denseUnits = "dense_units", classes, kerasLegacy = "keras_legacy", kerasTFKeras = "keras_tfkeras"
        case keras3, torch, fullSize = "full_size", fullKeras = "full_keras", fullTorch = "full_torch"
    }

    static let fixtures = FixtureFolder("weights")
    static let shared = fixtures.decode(References.self, from: "references.json")

    var inputShape: [Int] { [height, width, 3] }

    /// VGG16's layers and names at the fixtures' widths, with its top.
    func flatModel() throws -> Sequential {
        try VGG16.make(includeTop: true, inputShape: inputShape, classes: classes, filters: filters, denseUnits: denseUnits)
    }

    /// The base alone (block1_conv1 … block5_pool).
    func base() throws -> Sequential {
        try VGG16.make(includeTop: false, inputShape: inputShape, filters: filters)
    }

    /// The lesson's structure: a `vgg16` base inside a classifier, the head named `names`.
    func nestedModel(headNames: [String] = ["fc1", "fc2", "predictions"]) throws -> Sequential {
        try Sequential(name: "classifier", inputShape: inputShape, layers: [
            try base(), Flatten(name: "flatten"),
            Dense(units: denseUnits, activation: .relu, name: headNames[0]),
            Dense(units: denseUnits, activation: .relu, name: headNames[1]),
            Dense(units: classes, activation: .softmax, name: headNames[2]),
        ])
    }
}

/// The fixture image: RGB values `(31y + 17x + 101c + (xy mod 53)) mod 256`, as the script's
/// `image(h, w)`.
func fixtureImage(height: Int, width: Int) -> Tensor {
    var values: [Float] = []
    values.reserveCapacity(height * width * 3)
    for y in 0..<height { for x in 0..<width { for c in 0..<3 { values.append(Float((y * 31 + x * 17 + c * 101 + (y * x) % 53) % 256)) } } }
    return Tensor(shape: [1, height, width, 3], scalars: values)
}

/// The fixture image after VGG16's `caffe` preprocessing.
func preprocessedFixtureImage(height: Int, width: Int) -> Tensor {
    preprocessInput(fixtureImage(height: height, width: width), mode: .caffe)
}

/// Expects `actual` within `relative × max(1, max |expected|)` of `expected`, element-wise.
/// Returns the largest difference seen.
@discardableResult
func expectClose(_ actual: [Float], _ expected: [Float], relative: Float, _ what: String,
                 sourceLocation: SourceLocation = #_sourceLocation) -> Float {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    let scale = max(1, expected.map(abs).max() ?? 0)
    let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= relative * scale, "\(what): largest difference \(worst) over \(relative * scale)", sourceLocation: sourceLocation)
    if ProcessInfo.processInfo.environment["INVARIANT_PRINT_DIFFERENCES"] != nil {
        print("\(what): largest difference \(worst), \(worst / scale) of the largest value \(scale)")
    }
    return worst
}

/// Full-size VGG16 weights from the fixture script's formula: weight `tensor` (0 kernel,
/// 1 bias) of convolution `layer` is a hash of its flat index, its top 24 bits centred, times
/// a power of two — the same float32 values numpy computes.
enum FormulaWeights {
    static func value(layer: Int, tensor: Int, index: Int, exponent: Int) -> Float {
        var x = UInt32(truncatingIfNeeded: index) &* 0x9E37_79B1 &+ UInt32(truncatingIfNeeded: layer * 2 + tensor + 1) &* 0x85EB_CA77
        x ^= x >> 15
        x = x &* 0x2C1B_3C6D
        x ^= x >> 12
        let centred = Int(x >> 8) - (1 << 23)
        return Float(centred) * Float(sign: .plus, exponent: -(23 + exponent), significand: 1)
    }

    /// The weights of a VGG16 base (`block1_conv1.kernel`…) with the given block widths.
    static func tensors(filters: [Int] = VGG16.blockFilters) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        var channels = 3
        var layer = 0
        for (block, count) in [2, 2, 3, 3, 3].enumerated() {
            for index in 1...count {
                let out = filters[block], fanIn = 9 * channels
                let exponent = (Int.bitWidth - fanIn.leadingZeroBitCount - 1) / 2 - 1
                let name = "block\(block + 1)_conv\(index)"
                let kernelCount = 9 * channels * out
                result["\(name).kernel"] = Tensor(shape: [3, 3, channels, out],
                                                  scalars: (0..<kernelCount).map { value(layer: layer, tensor: 0, index: $0, exponent: exponent) })
                result["\(name).bias"] = Tensor(shape: [out], scalars: (0..<out).map { value(layer: layer, tensor: 1, index: $0, exponent: 5) })
                channels = out
                layer += 1
            }
        }
        return result
    }
}

/// Runs `invariant ARGS` with a capturing console.
func invariant(_ arguments: [String]) -> (status: Int32, output: String, error: String) {
    let (console, captured) = Console.capturing()
    let status = InvariantTool.run(arguments, console: console)
    return (status, captured.output, captured.error)
}
