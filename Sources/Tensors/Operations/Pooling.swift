/// Max pooling over NHWC input. Keras's `MaxPooling2D` defaults: a 2×2 window, strides equal
/// to the window, `valid` padding (trailing rows/columns that do not fill a window are dropped).
public func maxPool2D(_ x: Variable, poolSize: (height: Int, width: Int) = (2, 2),
                      strides: (height: Int, width: Int)? = nil, padding: Padding = .valid) -> Variable {
    let geometry = Pooling2DGeometry(inputShape: x.shape, poolSize: poolSize, strides: strides, padding: padding)
    let backend = x.backend, input = x.value
    return Variable.result(backend.maxPool2D(input, geometry: geometry), of: [x]) { gradient in
        [backend.maxPool2DBackward(gradient, input: input, geometry: geometry)]
    }
}

/// Average pooling over NHWC input, Keras's `AveragePooling2D` defaults (as `maxPool2D`). With
/// `same` padding each window averages only its positions inside the input, as TensorFlow does.
public func averagePool2D(_ x: Variable, poolSize: (height: Int, width: Int) = (2, 2),
                          strides: (height: Int, width: Int)? = nil, padding: Padding = .valid) -> Variable {
    let geometry = Pooling2DGeometry(inputShape: x.shape, poolSize: poolSize, strides: strides, padding: padding)
    let backend = x.backend
    return Variable.result(backend.averagePool2D(x.value, geometry: geometry), of: [x]) { gradient in
        [backend.averagePool2DBackward(gradient, geometry: geometry)]
    }
}

/// `[batch, height, width, channels]` → `[batch, channels]`, the mean over all positions
/// (Keras's `GlobalAveragePooling2D`): one window covering the whole image.
public func globalAveragePool2D(_ x: Variable) -> Variable {
    precondition(x.shape.count == 4, "global pooling needs NHWC input, got shape \(x.shape)")
    return flatten(averagePool2D(x, poolSize: (x.shape[1], x.shape[2])))
}

/// `[batch, height, width, channels]` → `[batch, channels]`, the maximum over all positions
/// (Keras's `GlobalMaxPooling2D`); the gradient goes to the first maximum.
public func globalMaxPool2D(_ x: Variable) -> Variable {
    precondition(x.shape.count == 4, "global pooling needs NHWC input, got shape \(x.shape)")
    return flatten(maxPool2D(x, poolSize: (x.shape[1], x.shape[2])))
}
