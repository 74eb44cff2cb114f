import InvariantCore
import Tensors

/// One named tensor of a layer: a trainable parameter (a kernel, a bias) or state that
/// training updates without gradients (batch normalisation's moving statistics).
public final class Weight {
    /// The name inside its layer, Keras's: `kernel`, `bias`, `gamma`, `moving_mean`…
    public let name: String
    public let variable: Variable
    /// False for state that no optimizer touches (moving statistics), whatever the layer's
    /// `trainable` flag; such weights count as non-trainable parameters in the summary.
    public let isTrainableKind: Bool

    public init(name: String, value: Tensor, isTrainableKind: Bool = true) {
        self.name = name
        self.variable = Variable(value, requiresGradient: isTrainableKind)
        self.isTrainableKind = isTrainableKind
    }

    public var value: Tensor {
        get { variable.value }
        set { variable.value = newValue }
    }
}

/// What a forward pass knows besides its input.
public struct ForwardContext {
    /// Training mode: dropout drops, batch normalisation uses (and updates) batch statistics.
    public var training: Bool
    /// The random stream of this step.
    public var randomKey: RandomKey
    /// The running layer's stream: the step's, derived by the layer's position in its model
    /// (and the enclosing models' positions). Dropout masks come from it.
    public internal(set) var layerKey: RandomKey
    /// The pre-softmax values of the last softmax applied, so that a loss on the model's
    /// softmax output can be computed from its logits (Keras's TensorFlow backend does the same).
    var softmax: (input: Variable, output: Variable)?
    /// Whether the running layer and every layer enclosing it are trainable; set by the model
    /// before each layer runs (batch normalisation runs in inference mode when it is not).
    public internal(set) var layerIsTrainable = true

    public init(training: Bool, randomKey: RandomKey = RandomKey(seed: 0)) {
        self.training = training
        self.randomKey = randomKey
        layerKey = randomKey
    }
}

/// A building block of a model: named weights, a shape rule and a forward pass.
///
/// Layers are classes: a model holds them, an optimizer updates their weights in place, and
/// `trainable` can be flipped between fits (the fit loop reads it at every step: there is no
/// "recompile" to forget).
public protocol Layer: AnyObject {
    /// Keras's class name (`Conv2D`), the `class_name` of the JSON configuration.
    var className: String { get }
    /// Unique inside its model; the prefix of its weights' paths (`block1_conv1.kernel`).
    var name: String { get set }
    /// When false the layer's weights get no gradients (and batch normalisation runs in
    /// inference mode, as in Keras).
    var trainable: Bool { get set }
    /// The weights, in Keras's order (kernel before bias); empty before `build`.
    var weights: [Weight] { get }
    /// Creates the weights for inputs of `inputShape` (without the batch dimension) and
    /// returns the output shape. Throws when the input does not fit the layer.
    func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int]
    /// The forward pass on a batch (`[batch] + inputShape`).
    func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable
    /// The settings that recreate the layer (weights excluded), Keras's `get_config()`.
    var settings: [String: JSONValue] { get }
}

/// A layer made of layers (a nested model): its weights are its sublayers', prefixed with
/// their names.
public protocol LayerContainer: Layer {
    var layers: [any Layer] { get }
}

extension Layer {
    /// The layer's configuration in Keras's JSON form.
    public var configuration: LayerConfiguration {
        LayerConfiguration(className: className, name: name, trainable: trainable, settings: settings)
    }

    /// Trainable parameter count and the rest (Keras's summary columns).
    public var parameterCounts: (trainable: Int, nonTrainable: Int) {
        var counts = (trainable: 0, nonTrainable: 0)
        for (_, weight, trainable) in namedWeights(prefix: "", ancestorsTrainable: true) {
            if trainable { counts.trainable += weight.value.scalarCount } else { counts.nonTrainable += weight.value.scalarCount }
        }
        return counts
    }

    /// Every weight with its dotted path and whether it trains now (its kind, its layer's
    /// flag and every enclosing layer's flag).
    func namedWeights(prefix: String, ancestorsTrainable: Bool) -> [(path: String, weight: Weight, trainable: Bool)] {
        let trainable = ancestorsTrainable && self.trainable
        let path = prefix.isEmpty ? name : "\(prefix).\(name)"
        if let container = self as? any LayerContainer {
            return container.layers.flatMap { $0.namedWeights(prefix: path, ancestorsTrainable: trainable) }
        }
        return weights.map { ("\(path).\($0.name)", $0, trainable && $0.isTrainableKind) }
    }
}

/// Seeded initial values: the weight with index i in a model of seed s is a pure function of
/// (s, i), so a seed gives the same model everywhere.
public struct WeightInitializer {
    public let seed: UInt64
    private var nextIndex = 0

    public init(seed: UInt64) { self.seed = seed }

    private mutating func nextSeed() -> UInt64 {
        defer { nextIndex += 1 }
        return RandomKey(seed: seed).derived(RandomDomain.initialization, nextIndex).value
    }

    /// Keras's default `glorot_uniform`: U(−l, l) with l = √(6 / (fanIn + fanOut)).
    public mutating func glorotUniform(shape: [Int], fanIn: Int, fanOut: Int) -> Tensor {
        let limit = Float((6 / Double(fanIn + fanOut)).squareRoot())
        return Tensor.randomUniform(shape: shape, in: -limit...limit, seed: nextSeed())
    }

    /// He normal (`he_normal`, truncation aside): N(0, 2 / fanIn).
    public mutating func heNormal(shape: [Int], fanIn: Int) -> Tensor {
        Tensor.randomNormal(shape: shape, standardDeviation: Float((2 / Double(fanIn)).squareRoot()), seed: nextSeed())
    }
}
