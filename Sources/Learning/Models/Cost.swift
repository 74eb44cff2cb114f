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

    /// Each weighted layer's forward cost and whether it trains, through nested models.
    var layerCosts: [(forward: Double, trainable: Bool)] {
        var costs: [(Double, Bool)] = []
        func visit(_ model: any Model, inputShape: [Int], trainable: Bool) {
            var shape = inputShape
            for (layer, output) in zip(model.layers, model.outputShapes) {
                let isTrainable = trainable && layer.trainable
                if let nested = layer as? any Model {
                    visit(nested, inputShape: shape, trainable: isTrainable)
                } else if let conv = layer as? Conv2D {
                    let perOutput = Double(conv.kernelSize.height * conv.kernelSize.width * shape[2])
                    costs.append((2 * perOutput * Double(output.reduce(1, *)), isTrainable))
                } else if let dense = layer as? Dense {
                    costs.append((2 * Double(shape[0]) * Double(dense.units), isTrainable))
                }
                shape = output
            }
        }
        visit(self, inputShape: inputShape, trainable: trainable)
        return costs
    }
}
