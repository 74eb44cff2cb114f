import Foundation
import Learning
import Tensors
import Testing

/// Functional (graph) models: skip connections, merges, summaries, configurations, training.
@Suite struct FunctionalModelTests {
    /// input → conv → (conv → conv) + shortcut → pool → flatten → dense softmax.
    func residualModel(seed: UInt64 = 3) throws -> Functional {
        let input = Input(shape: [8, 8, 1])
        let stem = Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .relu)(Rescaling(scale: 1 / 255)(input))
        let branch = Conv2D(filters: 4, kernelSize: (3, 3), padding: .same)(
            Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .relu)(stem))
        let merged = ActivationLayer(.relu)(Add()([branch, stem]))
        let output = Dense(units: 4, activation: .softmax)(Flatten()(Pooling2D(.max)(merged)))
        return try Functional(name: "residual", inputs: input, outputs: output, seed: seed)
    }

    @Test func layersAreInTopologicalOrderWithTheirConnections() throws {
        let model = try residualModel()
        #expect(model.layers.map(\.name) == ["input_1", "rescaling", "conv2d", "conv2d_1", "conv2d_2", "add",
                                             "activation", "max_pooling2d", "flatten", "dense"])
        #expect(model.connections![5] == ["conv2d_2", "conv2d"])
        #expect(model.outputShape == [4])
        // Three 3×3 convolutions of 4 filters (1 then 4 input channels) and a dense 64 → 4.
        #expect(model.parameterCounts.trainable == (9 * 1 * 4 + 4) + 2 * (9 * 4 * 4 + 4) + (64 * 4 + 4))
    }

    /// Keras orders layers by depth (longest path to the output), deepest first, ties in the
    /// order a walk from the output reaches them: for concat(a(x), b(c(x))) that is x, c, a, b.
    @Test func layersFollowKerasDepthOrder() throws {
        let input = Input(shape: [4], name: "x")
        let joined = Concatenate(name: "concat")([Dense(units: 2, name: "a")(input),
                                                   Dense(units: 2, name: "b")(Dense(units: 3, name: "c")(input))])
        let model = try Functional(inputs: input, outputs: joined)
        #expect(model.layers.map(\.name) == ["x", "c", "a", "b", "concat"])
        #expect(model.connections! == [[], ["x"], ["x"], ["c"], ["a", "b"]])
    }

    /// The merge really adds the shortcut: the model equals its layers run by hand.
    @Test func forwardPassFollowsTheGraph() throws {
        let model = try residualModel()
        let images = quadrantImages(count: 4, seed: 7).images
        var context = ForwardContext(training: false)
        func run(_ name: String, _ x: Variable) -> Variable { model.layer(named: name)!(x, context: &context) }
        let stem = run("conv2d", run("rescaling", Variable(images)))
        let branch = run("conv2d_2", run("conv2d_1", stem))
        let merged = relu(branch + stem)
        let expected = run("dense", run("flatten", run("max_pooling2d", merged))).value
        #expect(model(images) == expected)
    }

    @Test func trainsWithFit() throws {
        let model = try residualModel()
        model.compile(optimizer: Adam(learningRate: 0.01))
        let data = quadrantImages(count: 32, seed: 8)
        let history = try model.fit(TensorBatches(images: data.images, labels: data.labels, batchSize: 8), epochs: 6,
                                    verbose: .silent)
        let losses = history["loss"]!
        #expect(losses.last! < losses.first! * 0.5, "\(losses)")
    }

    /// Keras 2's functional configuration (inbound_nodes) round-trips, and so do the weights.
    @Test func configurationRoundTrips() throws {
        let model = try residualModel()
        let text = try ModelConfiguration.json(of: model)
        #expect(text.contains("\"inbound_nodes\""))
        let rebuilt = try ModelConfiguration.anyModel(fromJSON: text, seed: 99)
        #expect(rebuilt is Functional)
        #expect(try ModelConfiguration.json(of: rebuilt) == text)
        try rebuilt.load(model.weightTensors)
        let images = quadrantImages(count: 2, seed: 9).images
        #expect(rebuilt(images) == model(images))
    }

    /// `save` and `loadModel` work for graphs as for `Sequential`.
    @Test func savedAndLoadedBack() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let model = try residualModel()
        try model.save(to: folder.url("residual"))
        let loaded = try loadModel(from: folder.url("residual"))
        #expect(loaded is Functional && loaded.weightTensors == model.weightTensors)
        let images = quadrantImages(count: 2, seed: 10).images
        #expect(loaded(images) == model(images))
    }

    @Test func summaryHasAConnectedToColumnForBranches() throws {
        let lines = try residualModel().summary.split(separator: "\n").map(String.init)
        #expect(lines[2] == "Layer (type)                    Output Shape         Param #     Connected to                     ")
        #expect(lines[4] == "input_1 (InputLayer)            [(None, 8, 8, 1)]    0                                            ")
        #expect(lines.contains("add (Add)                       (None, 8, 8, 4)      0           conv2d_2[0][0]                   "))
        #expect(lines.contains("                                                                 conv2d[0][0]                     "))
        #expect(lines.allSatisfy { $0.count <= 98 })
    }

    /// A plain chain prints like a `Sequential` (Keras's "sequential-like" test).
    @Test func chainSummaryUsesTheSequentialLayout() throws {
        let input = Input(shape: [4])
        let model = try Functional(inputs: input, outputs: Dense(units: 2)(input))
        #expect(model.summary.split(separator: "\n")[2] == "Layer (type)                 Output Shape              Param #   ")
    }

    @Test func nestsInsideASequential() throws {
        let base = try residualModel()
        let model = try Sequential(inputShape: [8, 8, 1], layers: [base, Dense(units: 2, activation: .softmax)])
        #expect(model.namedWeights.first?.path == "residual.conv2d.kernel")
        #expect(model(quadrantImages(count: 3, seed: 1).images).shape == [3, 2])
    }

    @Test func badGraphsAreRefusedWithTheLayerNamed() throws {
        let input = Input(shape: [4])
        let shared = Dense(units: 4, name: "shared")
        let twice = shared(shared(input))
        #expect(throws: FunctionalModelError.sharedLayer("shared")) { try Functional(inputs: input, outputs: twice) }

        let other = Input(shape: [4], name: "other")
        let crossed = Add()([Dense(units: 4)(input), Dense(units: 4, name: "from_other")(other)])
        #expect(throws: FunctionalModelError.disconnected("other")) { try Functional(inputs: input, outputs: crossed) }

        let mismatched = Add()([Dense(units: 3)(input), Dense(units: 4)(input)])
        #expect(throws: ModelConfigurationError.self) { try Functional(inputs: input, outputs: mismatched) }
    }

    @Test func concatenateJoinsChannels() throws {
        let input = Input(shape: [6, 6, 2])
        let joined = Concatenate()([Conv2D(filters: 3, kernelSize: (1, 1))(input), Conv2D(filters: 5, kernelSize: (1, 1))(input)])
        let model = try Functional(inputs: input, outputs: joined)
        #expect(model.outputShape == [6, 6, 8])
        let text = try ModelConfiguration.json(of: model)
        #expect(try ModelConfiguration.json(of: ModelConfiguration.anyModel(fromJSON: text)) == text)
    }
}
