import Foundation
import Tensors
import Testing

/// A small CNN's forward pass, loss, every gradient and one Adam step against PyTorch
/// (Fixtures/torch, written by `Tools/make_fixtures.sh torch`; the network is described there).
///
/// PyTorch computed in float64 from the same float32 inputs, so the fixture holds the exact
/// answer and the differences are Invariant's float32 rounding: sums of a few hundred
/// products, each rounded to 2⁻²⁴ relative, stay within 2·10⁻⁵ of the largest value of
/// each tensor. Batch normalisation divides by a batch standard deviation and amplifies that
/// rounding in the gradients before it, hence the looser 10⁻⁴ there.
@Suite struct PyTorchParityTests {
    struct Manifest: Decodable {
        struct Entry: Decodable {
            let file: String
            let shape: [Int]
        }
        struct AdamSettings: Decodable {
            let learning_rate: Float
            let beta_1: Float
            let beta_2: Float
            let epsilon: Float
        }
        let labels: [Int]
        let parameters: [String]
        let adam: AdamSettings
        let tensors: [String: Entry]
    }

    /// Fixtures/torch of this repository (the tensor tests do not link the image-based TestSupport).
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/torch")
    static let manifest = try! JSONDecoder().decode(Manifest.self,
                                                    from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))

    static func tensor(_ name: String) -> Tensor {
        guard let entry = manifest.tensors[name] else { fatalError("no tensor \(name) in Fixtures/torch") }
        let data = try! Data(contentsOf: folder.appendingPathComponent(entry.file))
        let scalars = data.withUnsafeBytes { raw in
            (0..<data.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        return Tensor(shape: entry.shape, scalars: scalars)
    }

    /// The fixture's network on `parameters` (by name) and its input.
    static func loss(_ parameters: [String: Variable], input: Variable) -> (logits: Variable, loss: Variable) {
        var h = conv2d(input, filter: parameters["conv1.kernel"]!, bias: parameters["conv1.bias"]!, padding: .same,
                       fusingReLU: true)
        h = conv2d(h, filter: parameters["conv2.kernel"]!, bias: parameters["conv2.bias"]!, strides: (2, 2),
                   fusingReLU: true)
        var movingMean = Tensor(zeros: [6]), movingVariance = Tensor(shape: [6], repeating: 1)
        h = batchNormalization(h, scale: parameters["bn.gamma"]!, offset: parameters["bn.beta"]!,
                               movingMean: &movingMean, movingVariance: &movingVariance, training: true)
        h = flatten(maxPool2D(h))
        h = gelu(matmul(h, parameters["dense1.kernel"]!, bias: parameters["dense1.bias"]!))
        let logits = matmul(h, parameters["dense2.kernel"]!, bias: parameters["dense2.bias"]!)
        return (logits, sparseCategoricalCrossentropy(logits: logits, labels: manifest.labels))
    }

    struct Run {
        let parameters: [String: Variable]
        let input: Variable
        let logits: Variable
        let loss: Variable
    }

    static func run() -> Run {
        let parameters = Dictionary(uniqueKeysWithValues: manifest.parameters.map {
            ($0, Variable(tensor($0), requiresGradient: true))
        })
        let input = Variable(tensor("input"), requiresGradient: true)
        let (logits, loss) = loss(parameters, input: input)
        loss.backward()
        return Run(parameters: parameters, input: input, logits: logits, loss: loss)
    }

    /// The largest difference relative to the largest magnitude of `expected`.
    static func relativeError(_ actual: Tensor, _ expected: Tensor) -> Float {
        #expect(actual.shape == expected.shape)
        let scale = max(expected.scalars.map(abs).max() ?? 0, 1e-12)
        return zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max()! / scale
    }

    @Test func forwardAndLossMatchPyTorch() {
        let run = Self.run()
        #expect(Self.relativeError(run.logits.value, Self.tensor("logits")) < 2e-5)
        #expect(abs(run.loss.value.scalar - Self.tensor("loss").scalar) < 2e-5)
    }

    @Test(arguments: ["input", "conv1.kernel", "conv1.bias", "conv2.kernel", "conv2.bias", "bn.gamma", "bn.beta",
                      "dense1.kernel", "dense1.bias", "dense2.kernel", "dense2.bias"])
    func gradientMatchesPyTorch(_ name: String) {
        let run = Self.run()
        let variable = name == "input" ? run.input : run.parameters[name]!
        let tolerance: Float = name.hasPrefix("dense") || name.hasPrefix("bn") ? 2e-5 : 1e-4
        let error = Self.relativeError(variable.gradient!, Self.tensor("gradient/\(name)"))
        #expect(error < tolerance, "\(name): relative error \(error)")
    }

    /// One `torch.optim.Adam` step (PyTorch's ε placement) from the gradients above.
    @Test func adamStepMatchesPyTorch() {
        let run = Self.run()
        let settings = Self.manifest.adam
        let adam = Adam(learningRate: settings.learning_rate, beta1: settings.beta_1, beta2: settings.beta_2,
                        epsilon: settings.epsilon, epsilonPlacement: .pytorch)
        adam.update(Self.manifest.parameters.map { run.parameters[$0]! })
        for name in Self.manifest.parameters {
            let expected = Self.tensor("adam/\(name)"), actual = run.parameters[name]!.value
            // The first step moves each parameter by ≈ lr · sign(g): compare the move itself.
            let original = Self.tensor(name)
            let maxError = zip(zip(actual.scalars, expected.scalars), original.scalars)
                .map { abs(($0.0 - $1) - ($0.1 - $1)) }.max()!
            #expect(maxError < 1e-4 * settings.learning_rate, "\(name): Adam step off by \(maxError)")
        }
    }
}
