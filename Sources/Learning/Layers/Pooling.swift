import Tensors

/// Keras's `MaxPooling2D` and `AveragePooling2D`: a window (default 2×2), strides (default the
/// window), `valid` (floor) or `same` padding.
public final class Pooling2D: Layer {
    public enum Kind: Sendable { case max, average }

    public var name: String
    public var trainable = true
    public let kind: Kind
    public let poolSize: (height: Int, width: Int)
    public let strides: (height: Int, width: Int)
    public let padding: Padding
    public var weights: [Weight] { [] }

    public init(_ kind: Kind, poolSize: (height: Int, width: Int) = (2, 2), strides: (height: Int, width: Int)? = nil,
                padding: Padding = .valid, name: String? = nil) {
        precondition(poolSize.height > 0 && poolSize.width > 0, "pool size must be positive")
        self.kind = kind
        self.poolSize = poolSize
        self.strides = strides ?? poolSize
        self.padding = padding
        self.name = name ?? (kind == .max ? "max_pooling2d" : "average_pooling2d")
    }

    public init(_ kind: Kind, name: String, settings: LayerSettings) throws {
        let size = try settings.pair("pool_size", default: (2, 2))
        let strides = try settings.values["strides"].map { _ in try settings.pair("strides") } ?? size
        self.kind = kind
        poolSize = (size.0, size.1)
        self.strides = (strides.0, strides.1)
        padding = try settings.choice("padding", default: .valid)
        self.name = name
    }

    public var className: String { kind == .max ? "MaxPooling2D" : "AveragePooling2D" }

    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape, expected: "[height, width, channels]")
        }
        if padding == .valid && (poolSize.height > inputShape[0] || poolSize.width > inputShape[1]) {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape,
                                                            expected: "at least \(poolSize.height)×\(poolSize.width) pixels")
        }
        let rows = WindowExtent(input: inputShape[0], window: poolSize.height, stride: strides.height, padding: padding)
        let columns = WindowExtent(input: inputShape[1], window: poolSize.width, stride: strides.width, padding: padding)
        return [rows.output, columns.output, inputShape[2]]
    }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        switch kind {
        case .max: maxPool2D(input, poolSize: poolSize, strides: strides, padding: padding)
        case .average: averagePool2D(input, poolSize: poolSize, strides: strides, padding: padding)
        }
    }

    public var settings: [String: JSONValue] {
        ["pool_size": JSONValue([poolSize.height, poolSize.width]), "strides": JSONValue([strides.height, strides.width]),
         "padding": .string(padding.rawValue)]
    }
}

/// Keras's `GlobalAveragePooling2D` and `GlobalMaxPooling2D`: `[h, w, c]` → `[c]`.
public final class GlobalPooling2D: Layer {
    public var name: String
    public var trainable = true
    public let kind: Pooling2D.Kind
    public var weights: [Weight] { [] }

    public init(_ kind: Pooling2D.Kind, name: String? = nil) {
        self.kind = kind
        self.name = name ?? (kind == .max ? "global_max_pooling2d" : "global_average_pooling2d")
    }

    public var className: String { kind == .max ? "GlobalMaxPooling2D" : "GlobalAveragePooling2D" }

    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape, expected: "[height, width, channels]")
        }
        return [inputShape[2]]
    }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        kind == .max ? globalMaxPool2D(input) : globalAveragePool2D(input)
    }

    public var settings: [String: JSONValue] { [:] }
}
