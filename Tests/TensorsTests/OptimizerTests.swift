import Foundation
import Tensors
import Testing

/// Two steps of each optimizer against its published update written out in float64.
/// Parameters are float32 of magnitude ≤ 2, so agreement within 1e-6 is a few ulps; a wrong
/// formula (ε placement, the order of decay and update, Nesterov's form) differs by ≥ 1e-5.
@Suite struct OptimizerTests {
    static let start: [Double] = [0.5, -1.25, 2, 0]
    static let gradients: [[Double]] = [[0.1, -3, 0.002, 1e-9], [-0.2, 1.5, 0.004, 0]]

    /// Runs `optimizer` for two steps and `reference` (θ, g, 1-based step) alongside it.
    func expectTwoSteps(_ optimizer: Optimizer, sourceLocation: SourceLocation = #_sourceLocation,
                        reference: (inout [Double], [Double], Int) -> Void) {
        let parameter = Variable(Tensor(shape: [4], scalars: Self.start.map(Float.init)), requiresGradient: true)
        var theta = Self.start
        for (index, g) in Self.gradients.enumerated() {
            parameter.gradient = Tensor(shape: [4], scalars: g.map(Float.init))
            optimizer.update([parameter])
            reference(&theta, g, index + 1)
            let error = zip(parameter.value.scalars, theta).map { abs(Double($0) - $1) }.max()!
            #expect(error <= 1e-6, "step \(index + 1): \(parameter.value.scalars) vs \(theta)",
                    sourceLocation: sourceLocation)
        }
        #expect(optimizer.iterations == 2, sourceLocation: sourceLocation)
    }

    @Test func sgdPlain() {
        let sgd = SGD()
        #expect(sgd.learningRate == 0.01 && sgd.momentum == 0 && sgd.slotNames.isEmpty)
        expectTwoSteps(sgd) { theta, g, _ in
            for i in 0..<4 { theta[i] -= 0.01 * g[i] }
        }
    }

    @Test(arguments: [false, true])
    func sgdMomentum(nesterov: Bool) {
        var v = [Double](repeating: 0, count: 4)
        expectTwoSteps(SGD(learningRate: 0.1, momentum: 0.9, nesterov: nesterov)) { theta, g, _ in
            for i in 0..<4 {
                v[i] = 0.9 * v[i] - 0.1 * g[i]
                theta[i] += nesterov ? 0.9 * v[i] - 0.1 * g[i] : v[i]
            }
        }
    }

    /// Keras's weight decay: θ ← θ − θ·λ·lr, then the update with the unchanged gradient.
    @Test func sgdDecoupledWeightDecay() {
        var v = [Double](repeating: 0, count: 4)
        expectTwoSteps(SGD(learningRate: 0.1, momentum: 0.5, weightDecay: .decoupled(0.2))) { theta, g, _ in
            for i in 0..<4 {
                theta[i] -= theta[i] * 0.2 * 0.1
                v[i] = 0.5 * v[i] - 0.1 * g[i]
                theta[i] += v[i]
            }
        }
    }

    /// PyTorch's coupled form: g ← g + λθ.
    @Test func sgdL2WeightDecay() {
        expectTwoSteps(SGD(learningRate: 0.1, weightDecay: .l2(0.2))) { theta, g, _ in
            for i in 0..<4 { theta[i] -= 0.1 * (g[i] + 0.2 * theta[i]) }
        }
    }

    @Test func rmspropKerasDefaults() {
        let rmsprop = RMSprop()
        #expect(rmsprop.learningRate == 1e-3 && rmsprop.rho == 0.9 && rmsprop.epsilon == 1e-7)
        #expect(rmsprop.momentum == 0 && !rmsprop.centered && rmsprop.slotNames == ["velocity"])
        var v = [Double](repeating: 0, count: 4)
        expectTwoSteps(rmsprop) { theta, g, _ in
            for i in 0..<4 {
                v[i] = 0.9 * v[i] + 0.1 * g[i] * g[i]
                theta[i] -= 1e-3 * g[i] / (v[i] + 1e-7).squareRoot()
            }
        }
    }

    @Test func rmspropCenteredWithMomentum() {
        var v = [Double](repeating: 0, count: 4), a = v, s = v
        expectTwoSteps(RMSprop(learningRate: 0.01, momentum: 0.5, centered: true)) { theta, g, _ in
            for i in 0..<4 {
                v[i] = 0.9 * v[i] + 0.1 * g[i] * g[i]
                a[i] = 0.9 * a[i] + 0.1 * g[i]
                s[i] = 0.5 * s[i] + 0.01 * g[i] / (v[i] - a[i] * a[i] + 1e-7).squareRoot()
                theta[i] -= s[i]
            }
        }
    }

    /// Keras AdamW: θ ← θ − θ·0.004·lr, then Keras's Adam.
    @Test func adamWKerasDefaults() {
        let adamW = AdamW()
        #expect(adamW.weightDecay == .decoupled(0.004) && adamW.epsilon == 1e-7 && adamW.learningRate == 1e-3)
        var m = [Double](repeating: 0, count: 4), v = m
        expectTwoSteps(adamW) { theta, g, t in
            let alpha = 1e-3 * (1 - pow(0.999, Double(t))).squareRoot() / (1 - pow(0.9, Double(t)))
            for i in 0..<4 {
                theta[i] -= theta[i] * 0.004 * 1e-3
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                theta[i] -= alpha * m[i] / (v[i].squareRoot() + 1e-7)
            }
        }
    }

    /// `torch.optim.Adam`: ε added to √v̂ after both bias corrections. ε = 1e-3 makes the
    /// placement visible: the Keras form would differ by ~1e-4 on the small gradients.
    @Test func adamPyTorchForm() {
        var m = [Double](repeating: 0, count: 4), v = m
        expectTwoSteps(Adam(learningRate: 0.01, epsilon: 1e-3, epsilonPlacement: .pytorch)) { theta, g, t in
            for i in 0..<4 {
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                let mHat = m[i] / (1 - pow(0.9, Double(t))), vHat = v[i] / (1 - pow(0.999, Double(t)))
                theta[i] -= 0.01 * mHat / (vHat.squareRoot() + 1e-3)
            }
        }
    }

    @Test func clippingByGlobalNormValueAndNorm() {
        func step(_ clipping: GradientClipping) -> [[Float]] {
            let a = Variable(Tensor(zeros: [2]), requiresGradient: true)
            let b = Variable(Tensor(zeros: [1]), requiresGradient: true)
            a.gradient = Tensor(shape: [2], scalars: [3, 4])
            b.gradient = Tensor(shape: [1], scalars: [-12])
            SGD(learningRate: 1, clipping: clipping).update([a, b])
            return [a.value.scalars, b.value.scalars]
        }
        // Joint norm 13: scaled by 6.5 / 13.
        #expect(step(.globalNorm(6.5)) == [[-1.5, -2], [6]])
        #expect(step(.globalNorm(20)) == [[-3, -4], [12]])
        #expect(step(.norm(1)) == [[-0.6, -0.8], [1]])
        #expect(step(.value(3.5)) == [[-3, -3.5], [3.5]])
    }
}

/// Exporting and restoring optimizer state resumes training bit for bit.
@Suite struct OptimizerStateTests {
    static func makeOptimizers() -> [Optimizer] {
        let schedule = ExponentialDecay(initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5)
        return [
            Adam(schedule: schedule),
            AdamW(epsilonPlacement: .pytorch, clipping: .globalNorm(1)),
            SGD(momentum: 0.9, nesterov: true, weightDecay: .decoupled(0.1), schedule: schedule),
            RMSprop(momentum: 0.3, centered: true, clipping: .value(0.5)),
        ]
    }

    static func makeParameters() -> [String: Variable] {
        ["dense.kernel": Variable(Tensor.randomNormal(shape: [3, 2], seed: 1), requiresGradient: true),
         "dense.bias": Variable(Tensor.randomNormal(shape: [2], seed: 2), requiresGradient: true)]
    }

    /// Gradients that depend on the step and on the current values, like real ones.
    static func step(_ optimizer: Optimizer, _ parameters: [String: Variable], number: Int) {
        for (index, name) in parameters.keys.sorted().enumerated() {
            let parameter = parameters[name]!
            let noise = Tensor.randomNormal(shape: parameter.shape, seed: UInt64(number * 10 + index))
            parameter.gradient = CPUBackend.shared.add(parameter.value, noise)
        }
        optimizer.update(parameters.keys.sorted().map { parameters[$0]! })
    }

    @Test(arguments: 0..<4)
    func resumesExactly(optimizerIndex: Int) throws {
        let uninterrupted = Self.makeOptimizers()[optimizerIndex], reference = Self.makeParameters()
        for number in 0..<5 { Self.step(uninterrupted, reference, number: number) }

        let first = Self.makeOptimizers()[optimizerIndex], parameters = Self.makeParameters()
        for number in 0..<3 { Self.step(first, parameters, number: number) }
        let saved = first.state(naming: parameters)
        #expect(saved.iterations == 3 && saved.slots.count == 2 * first.slotNames.count)

        // A new process: fresh variables holding the saved values, a fresh optimizer.
        let resumed = parameters.mapValues { Variable($0.value, requiresGradient: true) }
        let second = Self.makeOptimizers()[optimizerIndex]
        try second.restore(saved, naming: resumed)
        for number in 3..<5 { Self.step(second, resumed, number: number) }

        for (name, parameter) in reference {
            #expect(resumed[name]!.value == parameter.value, "\(name)")
        }
        #expect(second.state(naming: resumed) == uninterrupted.state(naming: reference))
    }

    /// A parameter that starts training late (unfrozen for fine-tuning) gets Adam's first
    /// step — bias correction from its own step 1, as a fresh optimizer would — and keeps
    /// that count through a save and restore.
    @Test func lateParameterCountsItsOwnSteps() throws {
        let adam = Adam(learningRate: 0.1)
        let early = Variable(Tensor(shape: [2], scalars: [1, 1]), requiresGradient: true)
        let late = Variable(Tensor(shape: [2], scalars: [1, 1]), requiresGradient: true)
        for _ in 0..<10 {
            early.gradient = Tensor(shape: [2], scalars: [0.5, -0.25])
            adam.update([early])
        }
        late.gradient = Tensor(shape: [2], scalars: [0.5, -0.25])
        adam.update([late])
        let fresh = Variable(Tensor(shape: [2], scalars: [1, 1]), requiresGradient: true)
        fresh.gradient = late.gradient
        Adam(learningRate: 0.1).update([fresh])
        #expect(late.value == fresh.value)  // 1 ∓ 0.1 (·(1 − ε̂ terms)): a full first step, not a tenth of one

        let named = ["early": early, "late": late]
        let state = adam.state(naming: named)
        #expect(state.slots["late/first_iteration"]?.scalars == [10] && state.slots["early/first_iteration"] == nil)
        let restored = Adam(learningRate: 0.1)
        try restored.restore(state, naming: named)
        #expect(restored.state(naming: named) == state)
    }

    @Test func restoreRejectsStateThatDoesNotFit() {
        let adam = Adam(), parameters = Self.makeParameters()
        Self.step(adam, parameters, number: 0)
        var state = adam.state(naming: parameters)
        state.slots["dense.bias/velocity"] = nil
        #expect(throws: OptimizerStateError.missingSlot("dense.bias/velocity")) {
            try Adam().restore(state, naming: parameters)
        }
        state = adam.state(naming: parameters)
        state.slots["other/momentum"] = Tensor(zeros: [1])
        #expect(throws: OptimizerStateError.unexpectedSlots(["other/momentum"])) {
            try Adam().restore(state, naming: parameters)
        }
    }
}
