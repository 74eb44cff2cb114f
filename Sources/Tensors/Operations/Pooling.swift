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
