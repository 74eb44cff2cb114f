import Foundation

/// Recreates layers and models from their JSON configurations (Keras's `model.to_json()` /
/// `model_from_json` shape: `{"class_name": "Sequential", "config": {"layers": [...]}}`).
public enum ModelConfiguration {
    /// The layer classes a configuration may name.
    public static let layerClasses: [String: (String, LayerSettings) throws -> any Layer] = [
        "Dense": { try Dense(name: $0, settings: $1) },
        "Conv2D": { try Conv2D(name: $0, settings: $1) },
        "MaxPooling2D": { try Pooling2D(.max, name: $0, settings: $1) },
        "AveragePooling2D": { try Pooling2D(.average, name: $0, settings: $1) },
        "GlobalMaxPooling2D": { name, _ in GlobalPooling2D(.max, name: name) },
        "GlobalAveragePooling2D": { name, _ in GlobalPooling2D(.average, name: name) },
        "Flatten": { name, _ in Flatten(name: name) },
        "Dropout": { try Dropout(name: $0, settings: $1) },
        "Activation": { try ActivationLayer(name: $0, settings: $1) },
        "Rescaling": { try Rescaling(name: $0, settings: $1) },
        "Normalization": { try Normalization(name: $0, settings: $1) },
        "BatchNormalization": { try BatchNormalization(name: $0, settings: $1) },
        "Preprocessing": { try Preprocessing(name: $0, settings: $1) },
        "Sequential": { try sequential(name: $0, settings: $1, seed: 0) },
        "Functional": { try functional(name: $0, settings: $1, seed: 0) },
        "Model": { try functional(name: $0, settings: $1, seed: 0) },  // tf.keras before 2.4
        "InputLayer": { try InputLayer(name: $0, settings: $1) },
        "Add": { name, _ in Add(name: name) },
        "Concatenate": { try Concatenate(name: $0, settings: $1) },
    ]

    /// The model's configuration as JSON text (sorted keys, so equal models give equal text).
    public static func json(of model: any Layer) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(model.configuration), as: UTF8.self)
    }

    /// A layer (usually a model) from JSON text; the weights are freshly initialised from `seed`.
    public static func layer(fromJSON text: String, seed: UInt64 = 0) throws -> any Layer {
        let configuration: LayerConfiguration
        do {
            configuration = try JSONDecoder().decode(LayerConfiguration.self, from: Data(text.utf8))
        } catch let error as ModelConfigurationError {
            throw error
        } catch {
            throw ModelConfigurationError.invalidSetting(layer: "model", key: "class_name/config",
                                                         expected: "a JSON object {\"class_name\": …, \"config\": {…}} (\(error))")
        }
        return try layer(from: configuration, seed: seed)
    }

    /// A `Sequential` model from JSON text.
    public static func model(fromJSON text: String, seed: UInt64 = 0) throws -> Sequential {
        guard let model = try layer(fromJSON: text, seed: seed) as? Sequential else {
            throw ModelConfigurationError.invalidSetting(layer: "model", key: "class_name", expected: "\"Sequential\"")
        }
        return model
    }

    /// A model of any kind (`Sequential`, `Functional`) from JSON text.
    public static func anyModel(fromJSON text: String, seed: UInt64 = 0) throws -> any Model {
        guard let model = try layer(fromJSON: text, seed: seed) as? any Model else {
            throw ModelConfigurationError.invalidSetting(layer: "model", key: "class_name", expected: "\"Sequential\" or \"Functional\"")
        }
        return model
    }

    static func layer(from configuration: LayerConfiguration, seed: UInt64) throws -> any Layer {
        let settings = LayerSettings(layer: configuration.name, values: configuration.settings)
        let layer: any Layer
        if configuration.className == "Sequential" {
            layer = try sequential(name: configuration.name, settings: settings, seed: seed)
        } else if configuration.className == "Functional" || configuration.className == "Model" {
            layer = try functional(name: configuration.name, settings: settings, seed: seed)
        } else {
            guard let make = layerClasses[configuration.className] else {
                throw ModelConfigurationError.unknownLayer(configuration.className, known: layerClasses.keys.sorted())
            }
            layer = try make(configuration.name, settings)
        }
        layer.trainable = configuration.trainable
        return layer
    }

    static func sequential(name: String, settings: LayerSettings, seed: UInt64) throws -> Sequential {
        guard let inputShape = settings.values["input_shape"]?.arrayValue?.compactMap({ $0.doubleValue.flatMap { Int(exactly: $0) } }),
              !inputShape.isEmpty else {
            throw settings.invalid("input_shape", "a list of positive integers")
        }
        let layers = try layerList(settings, seed: seed)
        return try Sequential(name: name, inputShape: inputShape, layers: layers, seed: seed)
    }

    /// Keras 2's functional form: each layer entry has `inbound_nodes`
    /// (`[[["name", 0, 0, {}], …]]`, one node per layer), in a topological order.
    static func functional(name: String, settings: LayerSettings, seed: UInt64) throws -> Functional {
        let layers = try layerList(settings, seed: seed)
        let items = settings.values["layers"]!.arrayValue!
        var positions: [String: Int] = [:]
        var inbound: [[Int]] = []
        for (index, (layer, item)) in zip(layers, items).enumerated() {
            let nodes = item.objectValue?["inbound_nodes"]?.arrayValue ?? []
            let names = try (nodes.first?.arrayValue ?? []).map { entry -> String in
                guard let name = entry.arrayValue?.first?.stringValue else {
                    throw settings.invalid("layers[\(index)].inbound_nodes",
                                           "Keras 2's form [[[\"layer name\", 0, 0, {}], …]] (Keras 3's keras_history form is not read)")
                }
                return name
            }
            guard nodes.count <= 1 else { throw FunctionalModelError.sharedLayer(layer.name) }
            inbound.append(try names.map { name in
                guard let position = positions[name] else {
                    throw settings.invalid("layers[\(index)].inbound_nodes", "names of layers listed before '\(layer.name)' (not '\(name)')")
                }
                return position
            })
            positions[layer.name] = index
        }
        // One input first, one output last: what `Functional` builds and writes.
        for (key, expected) in [("input_layers", layers.first?.name), ("output_layers", layers.last?.name)] {
            let named = settings.values[key]?.arrayValue?.compactMap { $0.arrayValue?.first?.stringValue }
            guard let named, named == [expected].compactMap({ $0 }) else {
                throw settings.invalid(key, "[[\"\(expected ?? "layer")\", 0, 0]] (one input, the first layer; one output, the last)")
            }
        }
        return try Functional(name: name, layers: layers, inboundLayers: inbound, seed: seed)
    }

    /// The `layers` list of a model configuration, names checked to be unique.
    private static func layerList(_ settings: LayerSettings, seed: UInt64) throws -> [any Layer] {
        guard let items = settings.values["layers"]?.arrayValue else { throw settings.invalid("layers", "a list of layer configurations") }
        let layers = try items.enumerated().map { index, item -> any Layer in
            guard let object = item.objectValue, let className = object["class_name"]?.stringValue,
                  var config = object["config"]?.objectValue, let layerName = config.removeValue(forKey: "name")?.stringValue else {
                throw settings.invalid("layers[\(index)]", "{\"class_name\": …, \"config\": {\"name\": …}}")
            }
            let trainable = config.removeValue(forKey: "trainable")?.boolValue ?? true
            return try layer(from: LayerConfiguration(className: className, name: layerName, trainable: trainable, settings: config),
                             seed: seed)
        }
        let names = layers.map(\.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw ModelConfigurationError.duplicateName(duplicate)
        }
        return layers
    }
}
