import Tensors

/// Keras's functional `Model(inputs, outputs)`: layers joined as a directed acyclic graph, so
/// that branches can merge again (skip connections, Inception-style blocks).
///
/// One input and one output. The graph is read back from `outputs` to `inputs`, and its layers
/// are ordered as Keras orders them: by depth (the longest path to the output), deepest first,
/// ties in the order a depth-first walk from the output first reaches them. That order is
/// `layers`', the weights' seeds', the summary's and the configuration's. A layer may appear
/// once in a graph (no shared layers). The model is built
/// when it is made, like `Sequential`, and is itself a layer, so it nests.
public final class Functional: Model {
    public var className: String { "Functional" }
    public var name: String
    public var trainable = true
    /// Topological order, the input layer first.
    public let layers: [any Layer]
    /// For each layer, the positions in `layers` of the layers it is applied to.
    public let inboundLayers: [[Int]]
    public let inputShape: [Int]
    public let outputShapes: [[Int]]
    public var weights: [Weight] { [] }
    public var compilation: Compilation?

    public convenience init(name: String = "model", inputs: SymbolicTensor, outputs: SymbolicTensor, seed: UInt64 = 0) throws {
        guard let input = inputs.layer as? InputLayer else {
            throw FunctionalModelError.inputNotAnInput(inputs.layer.name)
        }
        // Keras's `_map_graph_network`: a depth-first walk from the output numbers the tensors
        // as it first reaches them and lists them finished-first (inputs before consumers).
        var discovered: [ObjectIdentifier: Int] = [:], finished: [SymbolicTensor] = []
        var seenLayers: Set<ObjectIdentifier> = []
        func visit(_ tensor: SymbolicTensor) throws {
            let id = ObjectIdentifier(tensor)
            if discovered[id] != nil { return }
            if tensor.inputs.isEmpty && tensor !== inputs { throw FunctionalModelError.disconnected(tensor.layer.name) }
            guard seenLayers.insert(ObjectIdentifier(tensor.layer)).inserted else {
                throw FunctionalModelError.sharedLayer(tensor.layer.name)
            }
            discovered[id] = discovered.count
            for inbound in tensor.inputs { try visit(inbound) }
            finished.append(tensor)
        }
        try visit(outputs)
        guard discovered[ObjectIdentifier(inputs)] != nil else { throw FunctionalModelError.disconnected(input.name) }
        // Depth: the longest path to the output, pushed from consumers (finished last) to inputs.
        var depth: [ObjectIdentifier: Int] = [:]
        for tensor in finished.reversed() {
            let own = depth[ObjectIdentifier(tensor), default: 0]
            for inbound in tensor.inputs { depth[ObjectIdentifier(inbound)] = max(depth[ObjectIdentifier(inbound), default: 0], own + 1) }
        }
        let order = finished.sorted {
            let (a, b) = (depth[ObjectIdentifier($0), default: 0], depth[ObjectIdentifier($1), default: 0])
            return a != b ? a > b : discovered[ObjectIdentifier($0)]! < discovered[ObjectIdentifier($1)]!
        }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { (ObjectIdentifier($1), $0) })
        try self.init(name: name, layers: order.map(\.layer),
                      inboundLayers: order.map { $0.inputs.map { position[ObjectIdentifier($0)]! } }, seed: seed)
    }

    /// The model from its layers in topological order (the first an `InputLayer`) and, for
    /// each, the positions of the layers it is applied to: what a configuration records.
    public init(name: String = "model", layers: [any Layer], inboundLayers: [[Int]], seed: UInt64 = 0) throws {
        guard let input = layers.first as? InputLayer, inboundLayers.count == layers.count,
              inboundLayers.first?.isEmpty == true else {
            throw FunctionalModelError.inputNotAnInput(layers.first?.name ?? "nothing")
        }
        for (index, inbound) in inboundLayers.enumerated().dropFirst() {
            guard !inbound.isEmpty, inbound.allSatisfy({ (0..<index).contains($0) }) else {
                throw FunctionalModelError.disconnected(layers[index].name)
            }
        }
        self.name = name
        self.layers = layers
        self.inboundLayers = inboundLayers
        inputShape = input.shape
        makeNamesUnique(layers)
        var initializer = WeightInitializer(seed: seed)
        var shapes: [[Int]] = []
        for (layer, inbound) in zip(layers, inboundLayers) {
            let inputShapes = inbound.map { shapes[$0] }
            if let merge = layer as? any MergeLayer {
                shapes.append(try merge.build(inputShapes: inputShapes, initializer: &initializer))
            } else if inbound.count > 1 {
                throw ModelConfigurationError.incompatibleInput(layer: layer.name, inputShape: inputShapes[1], expected: "one input")
            } else {
                shapes.append(try layer.build(inputShape: inputShapes.first ?? input.shape, initializer: &initializer))
            }
        }
        outputShapes = shapes
    }

    public var outputShape: [Int] { outputShapes.last! }

    /// For each layer, the names of the layers it is applied to (the summary's "Connected to").
    public var connections: [[String]]? { inboundLayers.map { $0.map { layers[$0].name } } }

    /// As a nested layer: already built, so it only checks that the input fits.
    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] {
        guard inputShape == self.inputShape else {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape, expected: "\(self.inputShape)")
        }
        return outputShape
    }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        var values: [Variable] = []
        values.reserveCapacity(layers.count)
        context.runLayers(layers) { index, layer, context in
            let inputs = inboundLayers[index].map { values[$0] }
            let value = if let merge = layer as? any MergeLayer {
                merge(inputs, context: &context)
            } else {
                layer(inputs.first ?? input, context: &context)
            }
            values.append(value)
        }
        return values.last!
    }

    /// Keras 2's functional configuration: each layer with its `inbound_nodes`
    /// (`[[["conv2d", 0, 0, {}], …]]`), and the input and output layers.
    public var settings: [String: JSONValue] {
        let entries = zip(layers, inboundLayers).map { layer, inbound -> JSONValue in
            var entry = layer.configuration.jsonObject
            entry["name"] = .string(layer.name)
            let nodes = inbound.map { JSONValue.array([.string(layers[$0].name), .number(0), .number(0), .object([:])]) }
            entry["inbound_nodes"] = .array(nodes.isEmpty ? [] : [.array(nodes)])
            return .object(entry)
        }
        func endpoint(_ layer: any Layer) -> JSONValue { .array([.array([.string(layer.name), .number(0), .number(0)])]) }
        return ["layers": .array(entries), "input_layers": endpoint(layers[0]), "output_layers": endpoint(layers.last!)]
    }
}

/// Why symbolic tensors do not make a functional model.
public enum FunctionalModelError: Error, CustomStringConvertible, Equatable {
    case inputNotAnInput(String)
    case disconnected(String)
    case sharedLayer(String)

    public var description: String {
        switch self {
        case .inputNotAnInput(let name): "a functional model's inputs must come from Input(shape:), got layer '\(name)'"
        case .disconnected(let name): "layer '\(name)' is not connected to the model's input"
        case .sharedLayer(let name): "layer '\(name)' is applied more than once; shared layers are not supported"
        }
    }
}
