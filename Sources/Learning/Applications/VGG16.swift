/// Keras's `VGG16` (Simonyan & Zisserman 2014) with Keras's layer names: five blocks of
/// `same`-padded 3×3 ReLU convolutions (64, 128, 256, 512, 512 filters; 2, 2, 3, 3, 3 per
/// block), each closed by a 2×2 max pooling with floor (150×150 → 4×4×512).
///
/// Without the top, 14,714,688 parameters; `pooling` adds a global average or max pooling.
/// With the top: Flatten, `fc1` and `fc2` (4096 ReLU) and `predictions` (`classes`, softmax).
///
/// `filters` (each block's width) and `denseUnits` (fc1 and fc2) default to VGG16's; smaller
/// values give the same layers and names at a fraction of the cost (the weights tests use one).
public enum VGG16 {
    public static let blockFilters = [64, 128, 256, 512, 512]

    public enum Pooling: String, Sendable, CaseIterable { case none, avg, max }

    public static func make(includeTop: Bool = false, inputShape: [Int] = [224, 224, 3], pooling: Pooling = .none,
                            classes: Int = 1000, seed: UInt64 = 0,
                            filters: [Int] = blockFilters, denseUnits: Int = 4096) throws -> Sequential {
        precondition(filters.count == 5, "VGG16 has five blocks")
        var layers: [any Layer] = []
        for (block, (filters, count)) in zip(filters, [2, 2, 3, 3, 3]).enumerated() {
            for index in 1...count {
                layers.append(Conv2D(filters: filters, kernelSize: (3, 3), padding: .same, activation: .relu,
                                     name: "block\(block + 1)_conv\(index)"))
            }
            layers.append(Pooling2D(.max, poolSize: (2, 2), name: "block\(block + 1)_pool"))
        }
        if includeTop {
            layers += [Flatten(name: "flatten"), Dense(units: denseUnits, activation: .relu, name: "fc1"),
                       Dense(units: denseUnits, activation: .relu, name: "fc2"),
                       Dense(units: classes, activation: .softmax, name: "predictions")]
        } else if pooling != .none {
            layers.append(GlobalPooling2D(pooling == .avg ? .average : .max,
                                          name: pooling == .avg ? "global_average_pooling2d" : "global_max_pooling2d"))
        }
        return try Sequential(name: "vgg16", inputShape: inputShape, layers: layers, seed: seed)
    }
}
