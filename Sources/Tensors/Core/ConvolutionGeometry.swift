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
///
/// With `dilations` (d_h, d_w) the filter taps are d apart, so a k-tap filter spans
/// (k − 1)·d + 1 input positions (Keras's `dilation_rate`; padding and output extents use that
/// span). With `groups` g the input channels split into g groups of `filterShape[2]` and the
/// output channels into g groups of `filterShape[3] / g`; group i's outputs see only group
/// i's inputs (Keras's `groups`: the kernel is `[kh, kw, inputChannels / g, outputChannels]`).
public struct Convolution2DGeometry: Equatable, Sendable {
    /// `[batch, height, width, inputChannels]`.
    public let inputShape: [Int]
    /// `[height, width, inputChannels / groups, outputChannels]`.
    public let filterShape: [Int]
    public let strides: (height: Int, width: Int)
    public let dilations: (height: Int, width: Int)
    public let groups: Int
    public let padding: Padding
    public let rows: WindowExtent
    public let columns: WindowExtent

    public init(inputShape: [Int], filterShape: [Int], strides: (height: Int, width: Int) = (1, 1),
                padding: Padding, dilations: (height: Int, width: Int) = (1, 1), groups: Int = 1) {
        precondition(inputShape.count == 4, "conv2d input must be NHWC (rank 4), got shape \(inputShape)")
        precondition(filterShape.count == 4, "conv2d filter must be HWIO (rank 4), got shape \(filterShape)")
        precondition(groups >= 1 && filterShape[3] % groups == 0,
                     "conv2d output channels (\(filterShape[3])) must split into \(groups) groups")
        precondition(inputShape[3] == filterShape[2] * groups,
                     "conv2d input has \(inputShape[3]) channels, filter expects \(filterShape[2]) × \(groups) groups")
        precondition(dilations.height >= 1 && dilations.width >= 1, "conv2d dilations must be positive, got \(dilations)")
        precondition(dilations == (1, 1) || strides == (1, 1),
                     "conv2d takes either strides or dilations above 1, not both (as Keras)")
        self.inputShape = inputShape
        self.filterShape = filterShape
        self.strides = strides
        self.dilations = dilations
        self.groups = groups
        self.padding = padding
        rows = WindowExtent(input: inputShape[1], window: (filterShape[0] - 1) * dilations.height + 1,
                            stride: strides.height, padding: padding)
        columns = WindowExtent(input: inputShape[2], window: (filterShape[1] - 1) * dilations.width + 1,
                               stride: strides.width, padding: padding)
    }

    /// `[batch, outputHeight, outputWidth, outputChannels]`.
    public var outputShape: [Int] {
        [inputShape[0], rows.output, columns.output, filterShape[3]]
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.inputShape == rhs.inputShape && lhs.filterShape == rhs.filterShape && lhs.strides == rhs.strides
            && lhs.dilations == rhs.dilations && lhs.groups == rhs.groups && lhs.padding == rhs.padding
    }
}
