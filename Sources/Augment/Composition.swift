import Imaging
import InvariantCore

/// Applies exactly one of its steps, chosen with the steps' probabilities as weights (as
/// albumentations' `OneOf` does); the chosen step then always fires and draws from its own
/// stream, split off this one.
public struct OneOf: Augmentation {
    public var name: String { "one-of" }
    public var steps: [any Augmentation]
    public var probability: Double

    public init(_ steps: [any Augmentation], probability: Double = 1) {
        precondition(!steps.isEmpty, "OneOf needs at least one step")
        self.steps = steps
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let weights = steps.map { max(0, $0.probability) }
        let total = weights.reduce(0, +)
        var chosen = 0
        if total > 0 {
            var target = random.nextUnit() * total
            while chosen < steps.count - 1 && target >= weights[chosen] {
                target -= weights[chosen]
                chosen += 1
            }
        } else {
            chosen = random.nextInt(below: steps.count)
        }
        var child = RandomKey(seed: random.next()).generator()
        let applied = steps[chosen].draw(for: size, using: &child)
        var parameters = ["choice": Double(chosen)]
        for (key, value) in applied.parameters { parameters["\(chosen).\(key)"] = value }
        return AppliedAugmentation(name: "\(name):\(applied.name)", parameters: parameters, operations: applied.operations)
    }
}

/// Applies `count` of its steps chosen without replacement, in their listed order; each
/// chosen step still fires with its own probability.
public struct SomeOf: Augmentation {
    public var name: String { "some-of" }
    public var steps: [any Augmentation]
    public var count: Int
    public var probability: Double

    public init(_ steps: [any Augmentation], count: Int, probability: Double = 1) {
        precondition(count >= 0 && count <= steps.count, "SomeOf picks 0…\(steps.count) steps")
        self.steps = steps
        self.count = count
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        var order = Array(steps.indices)
        order.deterministicShuffle(using: &random)
        let chosen = order.prefix(count).sorted()
        var operations: [ImageOperation] = []
        var parameters: [String: Double] = [:]
        var current = size
        for index in chosen {
            var child = RandomKey(seed: random.next()).generator()
            guard child.nextUnit() < steps[index].probability else { continue }
            let applied = steps[index].draw(for: current, using: &child)
            for (key, value) in applied.parameters { parameters["\(index).\(key)"] = value }
            operations += applied.operations
            current = applied.operations.outputSize(from: current)
        }
        return AppliedAugmentation(name: name, parameters: parameters, operations: operations)
    }
}

/// Applies all of its steps, each with its own probability, in an order drawn per image
/// (albumentations' `RandomOrder` with every step kept, torchvision's `RandomOrder`).
public struct RandomOrder: Augmentation {
    public var name: String { "random-order" }
    public var steps: [any Augmentation]
    public var probability: Double

    public init(_ steps: [any Augmentation], probability: Double = 1) {
        self.steps = steps
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        var order = Array(steps.indices)
        order.deterministicShuffle(using: &random)
        // Each step's stream is tied to the step, not to its place in the drawn order.
        let seeds = steps.indices.map { _ in random.next() }
        var operations: [ImageOperation] = []
        var parameters: [String: Double] = [:]
        var current = size
        for (position, index) in order.enumerated() {
            parameters["order\(position)"] = Double(index)
            var child = RandomKey(seed: seeds[index]).generator()
            guard child.nextUnit() < steps[index].probability else { continue }
            let applied = steps[index].draw(for: current, using: &child)
            for (key, value) in applied.parameters { parameters["\(index).\(key)"] = value }
            operations += applied.operations
            current = applied.operations.outputSize(from: current)
        }
        return AppliedAugmentation(name: name, parameters: parameters, operations: operations)
    }
}

extension Array where Element == ImageOperation {
    /// The canvas size after these operations, from an input of `size`.
    func outputSize(from size: ImageSize) -> ImageSize {
        reduce(size) { current, operation in
            operation.geometry?.size ?? current
        }
    }
}
