/// The kernels the op set runs on. Ops and the autodiff tape call only this protocol, so a
/// GPU backend (cuDNN/cuBLAS) can be added without touching layers or training code.
///
/// Every method is a pure function of its arguments: inputs are never modified, results are
/// new tensors (the `inout` parameters of the optimizer kernels excepted). Shapes are checked by
/// the ops before they call a backend; backends may assume them valid.
///
/// Tensors are host memory for now; a device backend will need device-resident storage,
/// which is a change to `Tensor`'s storage, not to this protocol's shape.
public protocol Backend: AnyObject, Sendable, ElementwiseKernels, NormalizationKernels, OptimizerKernels {
    // MARK: Linear algebra

    /// `op(a) · op(b)` (+ `bias` added to every row), where `op` transposes when asked.
    /// `a` and `b` are rank 2; `bias` has one scalar per output column.
    func matmul(_ a: Tensor, transposed transposesA: Bool, _ b: Tensor, transposed transposesB: Bool,
                bias: Tensor?) -> Tensor

    /// The sum over rows of a rank-2 tensor: `[rows, columns]` → `[columns]`.
    func sumRows(_ x: Tensor) -> Tensor

    /// Elementwise `x + y` of equal shapes (gradient accumulation).
    func add(_ x: Tensor, _ y: Tensor) -> Tensor

    // MARK: Convolution (NHWC input, HWIO filter)

    func conv2d(_ input: Tensor, filter: Tensor, bias: Tensor?, geometry: Convolution2DGeometry) -> Tensor

    /// The convolution followed by max(·, 0) in the same pass.
    func conv2dReLU(_ input: Tensor, filter: Tensor, bias: Tensor?, geometry: Convolution2DGeometry) -> Tensor

    /// The gradient with respect to the convolution's input.
    func conv2dBackwardInput(_ outputGradient: Tensor, filter: Tensor, geometry: Convolution2DGeometry) -> Tensor

    /// The gradients with respect to the filter and, when `includesBias`, the bias.
    func conv2dBackwardFilter(_ outputGradient: Tensor, input: Tensor, geometry: Convolution2DGeometry,
                              includesBias: Bool) -> (filter: Tensor, bias: Tensor?)

    // MARK: Activations

    func relu(_ x: Tensor) -> Tensor
    func reluBackward(_ outputGradient: Tensor, input: Tensor) -> Tensor

    /// Softmax over the last dimension.
    func softmax(_ logits: Tensor) -> Tensor
    func softmaxBackward(_ outputGradient: Tensor, output: Tensor) -> Tensor

    /// log softmax over the last dimension: x − max − log Σ exp(x − max).
    func logSoftmax(_ logits: Tensor) -> Tensor
    /// dx = dy − softmax · Σ dy, row by row, from the forward output log softmax.
    func logSoftmaxBackward(_ outputGradient: Tensor, output: Tensor) -> Tensor

    // MARK: Pooling

    func maxPool2D(_ input: Tensor, geometry: Pooling2DGeometry) -> Tensor
    func maxPool2DBackward(_ outputGradient: Tensor, input: Tensor, geometry: Pooling2DGeometry) -> Tensor

    /// The mean of each window over its positions inside the input (padding is not counted,
    /// as in TensorFlow's `same` average pooling).
    func averagePool2D(_ input: Tensor, geometry: Pooling2DGeometry) -> Tensor
    func averagePool2DBackward(_ outputGradient: Tensor, geometry: Pooling2DGeometry) -> Tensor

    // MARK: Shaping

    /// The tensors joined along `axis`; all other extents are equal.
    func concatenate(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor

    /// The part of `x` whose index along `axis` lies in `range`.
    func slice(_ x: Tensor, alongAxis axis: Int, range: Range<Int>) -> Tensor

    /// `x` with its axes reordered: result axis i is `x`'s axis `permutation[i]`.
    func transpose(_ x: Tensor, permutation: [Int]) -> Tensor

    // MARK: Losses

    /// Mean over the batch of −log softmax(logits)[label], computed stably from `[batch, classes]`
    /// logits, and its gradient with respect to the logits, (softmax − onehot) / batch.
    func sparseSoftmaxCrossEntropy(logits: Tensor, labels: [Int]) -> (loss: Float, logitsGradient: Tensor)

    /// Keras's cross-entropy from `[batch, classes]` probabilities: each row is divided by its
    /// sum, clipped to [ε, 1 − ε], and the loss is the batch mean of −Σ target · log(clipped).
    /// Returns the loss and its gradient with respect to the probabilities (zero where clipped).
    func categoricalCrossentropy(probabilities: Tensor, targets: Tensor, epsilon: Float)
        -> (loss: Float, probabilitiesGradient: Tensor)

    /// Elementwise `x · factor`.
    func scale(_ x: Tensor, by factor: Float) -> Tensor
}
