/// Floating-point operations of a model, counted as multiply–adds × 2 for convolutions and
/// dense layers (the rest is negligible): what benchmark GFLOP/s figures divide by.
extension Model {
    /// Forward operations per image.
    public var forwardOperationsPerImage: Double {
        layerCosts.reduce(0) { $0 + $1.forward }
    }

    /// Operations of one training step per image: the forward pass, the input gradient of
    /// every weighted layer after the first trainable one (a frozen prefix needs none), and
    /// the weight gradient of every trainable layer.
    public var trainingOperationsPerImage: Double {
        var total = 0.0
        var seenTrainable = false
        for cost in layerCosts {
            total += cost.forward
            if seenTrainable { total += cost.forward }  // input gradient
            if cost.trainable { total += cost.forward; seenTrainable = true }  // weight gradient
        }
        return total
    }

    /// Each weighted layer's forward cost and whether it trains, through nested models. A
    /// convolution costs its kernel's taps per input group (`kh·kw·channels/groups`) for each
    /// output value; a dense layer its kernel's size.
    var layerCosts: [(forward: Double, trainable: Bool)] {
        var costs: [(Double, Bool)] = []
        func visit(_ model: any Model, trainable: Bool) {
            for (layer, output) in zip(model.layers, model.outputShapes) {
                let isTrainable = trainable && layer.trainable
                if let nested = layer as? any Model {
                    visit(nested, trainable: isTrainable)
                } else if let conv = layer as? Conv2D, let kernel = conv.weights.first?.value.shape {
                    costs.append((2 * Double(kernel[0] * kernel[1] * kernel[2]) * Double(output.reduce(1, *)), isTrainable))
                } else if let dense = layer as? Dense, let kernel = dense.weights.first?.value {
                    costs.append((2 * Double(kernel.scalarCount), isTrainable))
                }
            }
        }
        visit(self, trainable: trainable)
        return costs
    }
}
