/// A layer as JSON: Keras's `{"class_name": …, "config": {…}}` with the name and the
/// trainable flag inside the config, as Keras writes them.
public struct LayerConfiguration: Equatable, Sendable, Codable {
    public var className: String
    public var name: String
    public var trainable: Bool
    /// Everything else `get_config()` holds (units, kernel_size, activation…).
    public var settings: [String: JSONValue]

    public init(className: String, name: String, trainable: Bool, settings: [String: JSONValue]) {
        self.className = className
        self.name = name
        self.trainable = trainable
        self.settings = settings
    }

    enum CodingKeys: String, CodingKey {
        case className = "class_name", config
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        className = try container.decode(String.self, forKey: .className)
        var settings = try container.decode([String: JSONValue].self, forKey: .config)
        guard let name = settings.removeValue(forKey: "name")?.stringValue else {
            throw ModelConfigurationError.invalidSetting(layer: className, key: "name", expected: "a string")
        }
        self.name = name
        trainable = settings.removeValue(forKey: "trainable")?.boolValue ?? true
        self.settings = settings
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(className, forKey: .className)
        var config = settings
        config["name"] = .string(name)
        config["trainable"] = .bool(trainable)
        try container.encode(config, forKey: .config)
    }
}

/// Why a model configuration could not be turned into a model.
public enum ModelConfigurationError: Error, CustomStringConvertible, Equatable {
    case unknownLayer(String, known: [String])
    case invalidSetting(layer: String, key: String, expected: String)
    case incompatibleInput(layer: String, inputShape: [Int], expected: String)
    case duplicateName(String)

    public var description: String {
        switch self {
        case .unknownLayer(let name, let known):
            "unknown layer class '\(name)'; known: \(known.joined(separator: ", "))"
        case .invalidSetting(let layer, let key, let expected):
            "layer \(layer): setting '\(key)' must be \(expected)"
        case .incompatibleInput(let layer, let shape, let expected):
            "layer \(layer): input shape \(shape) does not fit, expected \(expected)"
        case .duplicateName(let name):
            "two layers are named '\(name)'; layer names must be unique in a model"
        }
    }
}

/// Typed access to a configuration's settings; a missing or mistyped value throws an error
/// that names the layer, the key and what was expected.
public struct LayerSettings {
    public let layer: String
    public let values: [String: JSONValue]

    public init(layer: String, values: [String: JSONValue]) {
        self.layer = layer
        self.values = values
    }

    func invalid(_ key: String, _ expected: String) -> ModelConfigurationError {
        .invalidSetting(layer: layer, key: key, expected: expected)
    }

    public func integer(_ key: String, default defaultValue: Int? = nil, in range: ClosedRange<Int> = 1...Int.max) throws -> Int {
        guard let value = values[key] else {
            if let defaultValue { return defaultValue }
            throw invalid(key, "an integer")
        }
        guard let number = value.doubleValue, number == number.rounded(), let integer = Int(exactly: number),
              range.contains(integer) else {
            throw invalid(key, range.upperBound == Int.max ? "an integer ≥ \(range.lowerBound)" : "an integer in \(range)")
        }
        return integer
    }

    public func number(_ key: String, default defaultValue: Double? = nil) throws -> Double {
        guard let value = values[key] else {
            if let defaultValue { return defaultValue }
            throw invalid(key, "a number")
        }
        guard let number = value.doubleValue, number.isFinite else { throw invalid(key, "a finite number") }
        return number
    }

    public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let value = values[key] else { return defaultValue }
        guard let bool = value.boolValue else { throw invalid(key, "true or false") }
        return bool
    }

    public func string(_ key: String, default defaultValue: String) throws -> String {
        guard let value = values[key] else { return defaultValue }
        guard let string = value.stringValue else { throw invalid(key, "a string") }
        return string
    }

    /// A pair such as a kernel size: `[3, 3]` or a single integer meaning both.
    public func pair(_ key: String, default defaultValue: (Int, Int)? = nil) throws -> (Int, Int) {
        guard let value = values[key] else {
            if let defaultValue { return defaultValue }
            throw invalid(key, "an integer or a pair of integers")
        }
        if let number = value.doubleValue, let integer = Int(exactly: number), integer > 0 { return (integer, integer) }
        if let items = value.arrayValue, items.count == 2,
           let first = items[0].doubleValue.flatMap({ Int(exactly: $0) }), let second = items[1].doubleValue.flatMap({ Int(exactly: $0) }),
           first > 0, second > 0 {
            return (first, second)
        }
        throw invalid(key, "a positive integer or a pair of positive integers")
    }

    /// One of an enumeration's raw values.
    public func choice<T: RawRepresentable & CaseIterable>(_ key: String, default defaultValue: T) throws -> T
    where T.RawValue == String {
        guard let value = values[key] else { return defaultValue }
        guard let text = value.stringValue, let choice = T(rawValue: text) else {
            throw invalid(key, "one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return choice
    }

    /// A list of numbers.
    public func numbers(_ key: String, default defaultValue: [Double]) throws -> [Double] {
        guard let value = values[key] else { return defaultValue }
        guard let items = value.arrayValue, let numbers = Optional(items.compactMap(\.doubleValue)),
              numbers.count == items.count else { throw invalid(key, "a list of numbers") }
        return numbers
    }
}
