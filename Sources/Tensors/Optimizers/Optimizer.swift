/// What every optimizer shares, in the order Keras's `BaseOptimizer.apply` runs it: the
/// learning rate for this step (a schedule is evaluated at `iterations`, the number of steps
/// already taken), gradient clipping, weight decay, the optimizer's own update, and the
/// step count.
///
/// Per-parameter state ("slots", Keras's optimizer variables) is created on a parameter's
/// first update, with zeros. `state(naming:)` and `restore(_:naming:)` export and import it
/// under the parameters' names, so a training run resumes exactly.
open class Optimizer {
    /// The learning rate used when `schedule` is nil.
    public var learningRate: Float
    /// When set, the learning rate of each step is `schedule.learningRate(atStep: iterations)`.
    public var schedule: (any LearningRateSchedule)?
    public var weightDecay: WeightDecay?
    public var clipping: GradientClipping?

    /// The number of updates applied so far (Keras's `iterations`).
    public internal(set) var iterations = 0

    private var slots: [ObjectIdentifier: ParameterSlots] = [:]

    /// A parameter's state. It holds the parameter so that the identifier stays unique for
    /// the optimizer's lifetime.
    private struct ParameterSlots {
        let parameter: Variable
        var tensors: [String: Tensor]
        /// `iterations` when the slots were made. A parameter that starts training late (a
        /// base's block unfrozen for fine-tuning) counts its own steps from there, so Adam's
        /// bias correction starts afresh for it — as after Keras's recompile with a new
        /// optimizer — instead of treating its first moments as long averaged.
        var firstIteration = 0
    }

    /// The state key of a late parameter's `firstIteration` (absent when 0).
    static let firstIterationKey = "first_iteration"

    public init(learningRate: Float, weightDecay: WeightDecay? = nil, clipping: GradientClipping? = nil,
                schedule: (any LearningRateSchedule)? = nil) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.clipping = clipping
        self.schedule = schedule
    }

    /// The learning rate the next update will use.
    public var currentLearningRate: Float {
        schedule?.learningRate(atStep: iterations) ?? learningRate
    }

    // MARK: For subclasses

    /// The names of the state tensors kept per parameter (Keras's names), each created as
    /// zeros of the parameter's shape.
    open var slotNames: [String] { [] }

    /// Applies the optimizer's rule to one parameter, after clipping and weight decay.
    /// - Parameter step: the 1-based number of this parameter's update (`iterations + 1`
    ///   for parameters trained from the start).
    open func apply(to parameter: inout Tensor, gradient: Tensor, slots: inout [String: Tensor],
                    learningRate: Float, step: Int, backend: any Backend) {
        preconditionFailure("\(type(of: self)) must override apply(to:gradient:slots:learningRate:step:backend:)")
    }

    // MARK: Updating

    /// Applies one step to every parameter that requires a gradient and has one; others are
    /// left as they are (their state too). Gradients are not cleared.
    public final func update(_ parameters: [Variable]) {
        let learningRate = currentLearningRate
        let active = parameters.filter { $0.requiresGradient && $0.gradient != nil }
        for parameter in active {
            precondition(parameter.isLeaf, "optimizers update leaf variables only")
            precondition(parameter.gradient!.shape == parameter.shape,
                         "gradient shape \(parameter.gradient!.shape) differs from the parameter's \(parameter.shape)")
        }
        let gradients = clipping.map { $0.clip(active.map { $0.gradient! }, backends: active.map(\.backend)) }
            ?? active.map { $0.gradient! }
        for (parameter, var gradient) in zip(active, gradients) {
            let backend = parameter.backend
            switch weightDecay {
            case .decoupled(let rate)?:
                // Keras: variable − variable · wd · lr, in that order of operations.
                let decay = backend.scale(backend.scale(parameter.value, by: rate), by: learningRate)
                parameter.value = backend.binary(.subtract, parameter.value, decay)
            case .l2(let rate)?:
                gradient = backend.binary(.add, gradient, backend.scale(parameter.value, by: rate))
            case nil:
                break
            }
            let key = ObjectIdentifier(parameter)
            var slot = slots.removeValue(forKey: key)
                ?? ParameterSlots(parameter: parameter, tensors: freshSlots(shape: parameter.shape), firstIteration: iterations)
            apply(to: &parameter.value, gradient: gradient, slots: &slot.tensors, learningRate: learningRate,
                  step: iterations + 1 - slot.firstIteration, backend: backend)
            slots[key] = slot
        }
        iterations += 1
    }

    private func freshSlots(shape: [Int]) -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: slotNames.map { ($0, Tensor(zeros: shape)) })
    }

    // MARK: State

    /// The step count and every slot of the named parameters, keyed `"<parameter>/<slot>"`.
    /// Parameters not updated yet have no slots and contribute nothing.
    public func state(naming parameters: [String: Variable]) -> OptimizerState {
        var tensors: [String: Tensor] = [:]
        for (name, parameter) in parameters {
            guard let slot = slots[ObjectIdentifier(parameter)] else { continue }
            for (slotName, tensor) in slot.tensors { tensors["\(name)/\(slotName)"] = tensor }
            if slot.firstIteration != 0 {
                tensors["\(name)/\(Self.firstIterationKey)"] = Tensor(shape: [1], scalars: [Float(slot.firstIteration)])
            }
        }
        return OptimizerState(iterations: iterations, slots: tensors)
    }

    /// Replaces the step count and the named parameters' slots with `state`'s. A parameter
    /// with no slots in `state` starts fresh. Nothing changes when `state` does not fit
    /// (a slot missing for a parameter that has others, a shape that differs, or a name that
    /// matches no parameter).
    public func restore(_ state: OptimizerState, naming parameters: [String: Variable]) throws {
        var restored: [ObjectIdentifier: ParameterSlots] = [:]
        var unused = Set(state.slots.keys)
        for (name, parameter) in parameters {
            let keys = slotNames.map { "\(name)/\($0)" }
            let present = keys.filter { state.slots[$0] != nil }
            if present.isEmpty { continue }
            if let missing = keys.first(where: { state.slots[$0] == nil }) {
                throw OptimizerStateError.missingSlot(missing)
            }
            var tensors: [String: Tensor] = [:]
            for (slotName, key) in zip(slotNames, keys) {
                let tensor = state.slots[key]!
                guard tensor.shape == parameter.shape else {
                    throw OptimizerStateError.shapeMismatch(key, expected: parameter.shape, found: tensor.shape)
                }
                tensors[slotName] = tensor
                unused.remove(key)
            }
            var slot = ParameterSlots(parameter: parameter, tensors: tensors)
            let firstIterationKey = "\(name)/\(Self.firstIterationKey)"
            if let first = state.slots[firstIterationKey], first.scalarCount == 1 {
                slot.firstIteration = Int(first.scalars[0])
                unused.remove(firstIterationKey)
            }
            restored[ObjectIdentifier(parameter)] = slot
        }
        if !unused.isEmpty { throw OptimizerStateError.unexpectedSlots(unused.sorted()) }
        slots = restored
        iterations = state.iterations
    }
}

/// An optimizer's exportable state: the step count and named tensors.
public struct OptimizerState: Equatable, Sendable {
    public var iterations: Int
    /// Keyed `"<parameter name>/<slot name>"`, e.g. `"dense.kernel/momentum"`.
    public var slots: [String: Tensor]

    public init(iterations: Int, slots: [String: Tensor]) {
        self.iterations = iterations
        self.slots = slots
    }
}

/// Why `Optimizer.restore(_:naming:)` refused a state.
public enum OptimizerStateError: Error, Equatable {
    case missingSlot(String)
    case shapeMismatch(String, expected: [Int], found: [Int])
    case unexpectedSlots([String])
}
