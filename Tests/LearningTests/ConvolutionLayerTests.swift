import Learning
import Tensors
import Testing

/// `Conv2D`'s dilation rate and groups: shapes, configuration and the forward pass.
@Suite struct ConvolutionLayerTests {
    @Test func dilatedAndGroupedKernelsHaveKerasShapes() throws {
        let model = try Sequential(inputShape: [9, 9, 4], layers: [
            Conv2D(filters: 6, kernelSize: (3, 3), dilationRate: (2, 2), name: "dilated"),  // span 5: 9 → 5
            Conv2D(filters: 8, kernelSize: (3, 3), padding: .same, groups: 2, name: "grouped"),
        ])
        #expect(model.outputShapes == [[5, 5, 6], [5, 5, 8]])
        #expect(model.layer(named: "grouped")!.weights[0].value.shape == [3, 3, 3, 8])
        #expect(model.parameterCounts.trainable == (9 * 4 * 6 + 6) + (9 * 3 * 8 + 8))
        let text = try ModelConfiguration.json(of: model)
        #expect(text.contains("\"dilation_rate\"") && text.contains("\"groups\""))
        #expect(try ModelConfiguration.json(of: ModelConfiguration.model(fromJSON: text)) == text)
    }

    /// The layer runs the tensor op with its settings (which the op's own tests check
    /// against a float64 reference).
    @Test func forwardPassUsesDilationAndGroups() throws {
        let layer = Conv2D(filters: 4, kernelSize: (2, 2), padding: .same, dilationRate: (2, 1), groups: 2)
        let model = try Sequential(inputShape: [5, 5, 2], layers: [layer])
        let images = Tensor.randomNormal(shape: [2, 5, 5, 2], seed: 4)
        let expected = conv2d(Variable(images), filter: layer.weights[0].variable, bias: layer.weights[1].variable,
                              padding: .same, dilations: (2, 1), groups: 2).value
        #expect(model(images) == expected)
    }

    @Test func channelsThatDoNotSplitIntoGroupsAreRefused() {
        #expect(throws: ModelConfigurationError.self) {
            try Sequential(inputShape: [5, 5, 3], layers: [Conv2D(filters: 4, kernelSize: (3, 3), groups: 2)])
        }
        #expect(throws: ModelConfigurationError.self) {
            try Sequential(inputShape: [9, 9, 1], layers: [Conv2D(filters: 1, kernelSize: (3, 3), strides: (2, 2), dilationRate: (2, 2))])
        }
    }
}
