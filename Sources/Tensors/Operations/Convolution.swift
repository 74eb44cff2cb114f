/// 2-D convolution (strictly, cross-correlation, as in Keras) of NHWC `input` with an HWIO
/// `filter`, plus an optional per-output-channel `bias`.
///
/// A frozen filter gets no filter gradient computed, and an input that needs no gradient
/// (the network's images, or a frozen prefix's output) gets no input gradient computed.
///
/// With `fusingReLU` the result is relu(conv) computed in one oneDNN pass (a post-op); the
/// backward pass masks the gradient with the output's sign, which equals the input's.
///
/// `dilations` and `groups` are Keras's `dilation_rate` and `groups` (see
/// `Convolution2DGeometry`).
public func conv2d(_ input: Variable, filter: Variable, bias: Variable? = nil,
                   strides: (height: Int, width: Int) = (1, 1), padding: Padding = .valid,
                   dilations: (height: Int, width: Int) = (1, 1), groups: Int = 1,
                   fusingReLU: Bool = false) -> Variable {
    let geometry = Convolution2DGeometry(inputShape: input.shape, filterShape: filter.shape, strides: strides,
                                         padding: padding, dilations: dilations, groups: groups)
    if let bias {
        precondition(bias.shape == [filter.shape[3]], "conv2d bias must have shape [\(filter.shape[3])], got \(bias.shape)")
    }
    let backend = input.backend
    let (inputValue, filterValue) = (input.value, filter.value)
    let value = fusingReLU ? backend.conv2dReLU(inputValue, filter: filterValue, bias: bias?.value, geometry: geometry)
        : backend.conv2d(inputValue, filter: filterValue, bias: bias?.value, geometry: geometry)
    let needsInput = input.requiresGradient
    let needsFilter = filter.requiresGradient, needsBias = bias?.requiresGradient ?? false
    let hasBias = bias != nil
    return Variable.result(value, of: [input, filter] + (bias.map { [$0] } ?? [])) { outputGradient in
        let gradient = fusingReLU ? backend.reluBackward(outputGradient, input: value) : outputGradient
        let inputGradient = needsInput
            ? backend.conv2dBackwardInput(gradient, filter: filterValue, geometry: geometry) : nil
        var filterGradient: Tensor?, biasGradient: Tensor?
        if needsFilter || needsBias {
            // oneDNN computes both in one pass; a frozen filter with a trainable bias is rare
            // enough not to deserve its own kernel.
            (filterGradient, biasGradient) = backend.conv2dBackwardFilter(
                gradient, input: inputValue, geometry: geometry, includesBias: needsBias)
        }
        return [inputGradient, needsFilter ? filterGradient : nil] + (hasBias ? [biasGradient] : [])
    }
}
