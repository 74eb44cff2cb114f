/// A tensor in a differentiable computation: a parameter, an input, or an op's result.
///
/// A *leaf* variable (made with `init`) is a parameter when `requiresGradient` is true, and
/// `backward()` accumulates its gradient into `gradient`. Freezing a parameter is setting
/// `requiresGradient` to false before the forward pass: it then gets no gradient, and ops
/// whose inputs all need none record nothing and compute no backward at all.
///
/// An op's result remembers the op's pullback and its inputs; `backward()` replays those
/// records in reverse topological order (the tape). Results hold their inputs, never the
/// other way round, so a graph is freed as soon as its last result is.
public final class Variable {
    /// The current value. An optimizer writes new values here; ops already recorded keep
    /// the values they saw.
    public var value: Tensor

    /// The accumulated gradient of a leaf variable; nil until a backward pass reaches it.
    /// `backward()` adds to it: set it to nil between steps.
    public var gradient: Tensor?

    /// Whether gradients flow to this variable. For op results this is true when any
    /// input needs a gradient; for leaves it is the caller's choice and is read when ops run.
    public var requiresGradient: Bool

    /// The backend that runs the ops on this variable.
    public let backend: any Backend

    let record: Record?

    /// The op that produced a variable: its inputs and the map from the result's gradient
    /// to the inputs' gradients (nil for an input that needs none).
    struct Record {
        let inputs: [Variable]
        let pullback: (Tensor) -> [Tensor?]
    }

    /// A leaf variable.
    public init(_ value: Tensor, requiresGradient: Bool = false, backend: any Backend = CPUBackend.shared) {
        self.value = value
        self.requiresGradient = requiresGradient
        self.backend = backend
        record = nil
    }

    init(result value: Tensor, backend: any Backend, record: Record?) {
        self.value = value
        self.requiresGradient = record != nil
        self.backend = backend
        self.record = record
    }

    /// The shape of `value`.
    public var shape: [Int] { value.shape }

    /// Whether this variable was created directly rather than computed by an op.
    public var isLeaf: Bool { record == nil }

    /// The result of an op on `inputs`. The pullback is recorded only if an input needs
    /// a gradient and recording is on (`withoutGradientRecording`); it receives the result's gradient and returns one gradient (or nil) per input.
    static func result(_ value: Tensor, of inputs: [Variable], pullback: @escaping (Tensor) -> [Tensor?]) -> Variable {
        let backend = inputs[0].backend
        precondition(inputs.allSatisfy { $0.backend === backend }, "an op's inputs must share one backend")
        let recorded = GradientRecording.isEnabled && inputs.contains { $0.requiresGradient }
        return Variable(result: value, backend: backend,
                        record: recorded ? Record(inputs: inputs, pullback: pullback) : nil)
    }
}
