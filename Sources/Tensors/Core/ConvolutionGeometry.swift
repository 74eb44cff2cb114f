/// How a convolution or pooling window treats the input's borders, with Keras's meaning.
public enum Padding: String, Sendable, CaseIterable {
    /// No padding: only windows that fit entirely inside the input
    /// (output = ⌊(input − window) / stride⌋ + 1).
    case valid
    /// Zero padding so that output = ⌈input / stride⌉. The total padding
    /// max((output − 1)·stride + window − input, 0) is split with the smaller half first
    /// (top/left), as TensorFlow does.
    case same
}

/// The sizes of one spatial dimension of a windowed op: output extent and padding.
public struct WindowExtent: Equatable, Sendable {
    public var output: Int
    public var paddingBefore: Int
    public var paddingAfter: Int

    public init(output: Int, paddingBefore: Int, paddingAfter: Int) {
        self.output = output
        self.paddingBefore = paddingBefore
        self.paddingAfter = paddingAfter
    }

    /// The extent Keras gives a window of size `window` moved by `stride` over `input`.
    public init(input: Int, window: Int, stride: Int, padding: Padding) {
        precondition(input > 0 && window > 0 && stride > 0,
                     "window sizes must be positive (input \(input), window \(window), stride \(stride))")
        switch padding {
        case .valid:
            precondition(window <= input, "a \(window)-wide window does not fit a \(input)-wide input without padding")
            output = (input - window) / stride + 1
            paddingBefore = 0
            paddingAfter = 0
        case .same:
            output = (input + stride - 1) / stride
            let total = max((output - 1) * stride + window - input, 0)
            paddingBefore = total / 2
            paddingAfter = total - total / 2
        }
    }
}

/// The shapes and padding of a 2-D convolution over NHWC input with an HWIO filter.
public struct Convolution2DGeometry: Equatable, Sendable {
    /// `[batch, height, width, inputChannels]`.
    public let inputShape: [Int]
    /// `[height, width, inputChannels, outputChannels]`.
    public let filterShape: [Int]
    public let strides: (height: Int, width: Int)
    public let padding: Padding
    public let rows: WindowExtent
    public let columns: WindowExtent

    public init(inputShape: [Int], filterShape: [Int], strides: (height: Int, width: Int) = (1, 1),
                padding: Padding) {
        precondition(inputShape.count == 4, "conv2d input must be NHWC (rank 4), got shape \(inputShape)")
        precondition(filterShape.count == 4, "conv2d filter must be HWIO (rank 4), got shape \(filterShape)")
        precondition(inputShape[3] == filterShape[2],
                     "conv2d input has \(inputShape[3]) channels, filter expects \(filterShape[2])")
        self.inputShape = inputShape
        self.filterShape = filterShape
        self.strides = strides
        self.padding = padding
        rows = WindowExtent(input: inputShape[1], window: filterShape[0], stride: strides.height, padding: padding)
        columns = WindowExtent(input: inputShape[2], window: filterShape[1], stride: strides.width, padding: padding)
    }

    /// `[batch, outputHeight, outputWidth, outputChannels]`.
    public var outputShape: [Int] {
        [inputShape[0], rows.output, columns.output, filterShape[3]]
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.inputShape == rhs.inputShape && lhs.filterShape == rhs.filterShape
            && lhs.strides == rhs.strides && lhs.padding == rhs.padding
    }
}
