/// The shapes and padding of a 2-D pooling window over NHWC input.
public struct Pooling2DGeometry: Equatable, Sendable {
    /// `[batch, height, width, channels]`.
    public let inputShape: [Int]
    public let poolSize: (height: Int, width: Int)
    public let strides: (height: Int, width: Int)
    public let padding: Padding
    public let rows: WindowExtent
    public let columns: WindowExtent

    /// Keras's `MaxPooling2D` defaults: strides equal to the pool size, `valid` padding
    /// (windows that do not fit are dropped: output = ⌊(input − pool) / stride⌋ + 1).
    public init(inputShape: [Int], poolSize: (height: Int, width: Int) = (2, 2),
                strides: (height: Int, width: Int)? = nil, padding: Padding = .valid) {
        precondition(inputShape.count == 4, "2-D pooling input must be NHWC (rank 4), got shape \(inputShape)")
        self.inputShape = inputShape
        self.poolSize = poolSize
        self.strides = strides ?? poolSize
        self.padding = padding
        rows = WindowExtent(input: inputShape[1], window: poolSize.height, stride: self.strides.height,
                            padding: padding)
        columns = WindowExtent(input: inputShape[2], window: poolSize.width, stride: self.strides.width,
                               padding: padding)
    }

    /// `[batch, outputHeight, outputWidth, channels]`.
    public var outputShape: [Int] {
        [inputShape[0], rows.output, columns.output, inputShape[3]]
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.inputShape == rhs.inputShape && lhs.poolSize == rhs.poolSize && lhs.strides == rhs.strides
            && lhs.padding == rhs.padding
    }
}
