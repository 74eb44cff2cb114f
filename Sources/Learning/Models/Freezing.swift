/// Freezing and unfreezing layers by name, at any depth of nested models — the transfer
/// learning moves: `base.trainable = False`, then, to fine-tune, the top block of the base
/// trainable again while the rest of it stays frozen.
///
/// A layer matches when its name starts with one of the prefixes (`block5` matches
/// `block5_conv1` … `block5_pool`).
extension LayerContainer {
    /// Freezes every layer whose name starts with one of `prefixes`; returns their names.
    @discardableResult
    public func freezeLayers(matching prefixes: [String]) -> [String] {
        var matched: [String] = []
        for layer in layers {
            if Self.matches(layer.name, prefixes) {
                layer.trainable = false
                matched.append(layer.name)
            } else if let container = layer as? any LayerContainer {
                matched += container.freezeLayers(matching: prefixes)
            }
        }
        return matched
    }

    /// Makes every layer whose name starts with one of `prefixes` train, even inside a frozen
    /// model: a frozen model on the way becomes trainable with its other layers frozen in its
    /// place, so that only the matches change. Returns their names.
    @discardableResult
    public func unfreezeLayers(matching prefixes: [String]) -> [String] {
        var matched: [String] = []
        for layer in layers {
            if Self.matches(layer.name, prefixes) {
                layer.trainable = true
                matched.append(layer.name)
            } else if let container = layer as? any LayerContainer, container.contains(prefixes) {
                if !container.trainable {
                    container.trainable = true
                    container.layers.forEach { $0.trainable = false }
                }
                matched += container.unfreezeLayers(matching: prefixes)
            }
        }
        return matched
    }

    /// Every layer's name, nested models' layers included (after their model's name).
    public var allLayerNames: [String] {
        layers.flatMap { [$0.name] + (($0 as? any LayerContainer)?.allLayerNames ?? []) }
    }

    private func contains(_ prefixes: [String]) -> Bool {
        layers.contains { Self.matches($0.name, prefixes) || ($0 as? any LayerContainer)?.contains(prefixes) == true }
    }

    private static func matches(_ name: String, _ prefixes: [String]) -> Bool {
        prefixes.contains { name.hasPrefix($0) }
    }
}
