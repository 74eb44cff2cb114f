import Foundation
import Tensors

/// Keras 3's `.weights.h5` (`model.save_weights`, and `model.weights.h5` inside a `.keras`
/// archive): a group per object, `layers/<name>/vars/0`, `…/vars/1`… in the layer's weight
/// order, where `<name>` is the snake-cased class with a counter per container (`conv2d`,
/// `conv2d_1`…; a nested model is `functional` or `sequential` with its own `layers`).
/// Keras 3.15 also stores the layer's own name as the `name` attribute of each `vars` group.
///
/// A container's layers match by that name when every one of them is found; otherwise by
/// order within their class (Keras's own rule: the k-th `Conv2D` takes `conv2d_k`). Nested
/// models match by name, else in order. Weights load into a model that is itself nested in
/// the file (the `vgg16` base of a saved classifier) by its name.
enum Keras3Weights {
    static func isKeras3(_ file: HDF5File) -> Bool {
        file.kind(of: "/layers") == .group || file.kind(of: "/vars") == .group
    }

    static func assignment(for model: any Model, file: HDF5File) throws -> WeightAssignment {
        var matcher = Matcher(file: file)
        var root = "/"
        if try !matcher.fits(model, group: root) {
            // The model may be a nested model of the file's (the base of a saved classifier):
            // the one of its name, or the only one.
            let containers = try matcher.members(of: root).filter(\.isContainer)
            if let nested = containers.first(where: { $0.name == model.name }) ?? (containers.count == 1 ? containers[0] : nil) {
                root = nested.group
            }
        }
        try matcher.match(model, path: "", group: root)
        var assignment = matcher.assignment
        assignment.unexpected = try matcher.datasets(under: "/").filter { !matcher.consumed.contains($0) }
        return assignment
    }

    /// One member of a container's `layers` group.
    struct Member {
        var key: String
        var group: String
        /// The layer's name (the `vars` group's `name` attribute), when stored.
        var name: String?
        var isContainer: Bool
    }

    struct Matcher {
        let file: HDF5File
        var assignment = WeightAssignment()
        var consumed: Set<String> = []

        init(file: HDF5File) { self.file = file }

        func members(of group: String) throws -> [Member] {
            let layers = HDF5File.join(group, "layers")
            guard file.kind(of: layers) == .group else { return [] }
            return try file.members(of: layers).map { key in
                let member = HDF5File.join(layers, key)
                let vars = HDF5File.join(member, "vars")
                let name = file.hasAttribute("name", of: vars) ? try file.strings(attribute: "name", of: vars).first : nil
                return Member(key: key, group: member, name: name, isContainer: file.kind(of: HDF5File.join(member, "layers")) == .group)
            }.sorted { naturalOrder($0.key) < naturalOrder($1.key) }
        }

        /// Whether `group` holds `model`'s layers: a group for one of its weighted layers, or a
        /// nested model for one of its own.
        func fits(_ model: any Model, group: String) throws -> Bool {
            let members = try members(of: group)
            return model.layers.contains { layer in
                layer is any Model ? members.contains(where: \.isContainer)
                    : !layer.weights.isEmpty && members.contains { $0.name == layer.name || $0.key == snakeCase(layer.className) }
            }
        }

        mutating func match(_ model: any Model, path: String, group: String) throws {
            let members = try members(of: group)
            let weighted = model.layers.filter { !($0 is any Model) && !$0.weights.isEmpty }
            let byName = Dictionary(members.compactMap { member in member.name.map { ($0, member) } }, uniquingKeysWith: { first, _ in first })
            let matchesByName = weighted.allSatisfy { byName[$0.name] != nil }
            var counters: [String: Int] = [:]
            var containers = members.filter(\.isContainer)
            for layer in model.layers {
                let layerPath = path.isEmpty ? layer.name : "\(path).\(layer.name)"
                if let nested = layer as? any Model {
                    let index = containers.firstIndex { $0.name == nested.name } ?? containers.indices.first
                    guard let index else { continue }
                    try match(nested, path: layerPath, group: containers.remove(at: index).group)
                    continue
                }
                guard !layer.weights.isEmpty else { continue }
                let member: Member?
                if matchesByName {
                    member = byName[layer.name]
                } else {
                    let kind = snakeCase(layer.className)
                    let count = counters[kind, default: 0]
                    counters[kind] = count + 1
                    member = members.first { $0.key == (count == 0 ? kind : "\(kind)_\(count)") }
                }
                guard let member else { continue }
                for (index, weight) in layer.weights.enumerated() {
                    let source = HDF5File.join(HDF5File.join(member.group, "vars"), String(index))
                    guard file.kind(of: source) == .dataset else { continue }
                    let dataset = try file.dataset(source)
                    assignment.assign("\(layerPath).\(weight.name)", from: source, Tensor(shape: dataset.shape, scalars: dataset.values))
                    consumed.insert(source)
                }
            }
        }

        /// Every dataset below `group`.
        func datasets(under group: String) throws -> [String] {
            try file.members(of: group).flatMap { name -> [String] in
                let path = HDF5File.join(group, name)
                switch file.kind(of: path) {
                case .group: return try datasets(under: path)
                case .dataset: return [path]
                default: return []
                }
            }
        }
    }

    /// `conv2d_10` after `conv2d_9`: the name without its counter, then the counter.
    static func naturalOrder(_ key: String) -> (String, Int) {
        if let underscore = key.lastIndex(of: "_"), let count = Int(key[key.index(after: underscore)...]) {
            return (String(key[..<underscore]), count)
        }
        return (key, 0)
    }

    /// Keras's `naming.to_snake_case`: `Conv2D` → `conv2d`, `BatchNormalization` →
    /// `batch_normalization`.
    static func snakeCase(_ name: String) -> String {
        var text = name.filter { $0.isLetter || $0.isNumber || $0 == "_" }
        text = text.replacingOccurrences(of: "(.)([A-Z][a-z]+)", with: "$1_$2", options: .regularExpression)
        text = text.replacingOccurrences(of: "([a-z])([A-Z])", with: "$1_$2", options: .regularExpression)
        return text.lowercased()
    }
}
