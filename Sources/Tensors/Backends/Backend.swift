/// The kernels the op set runs on. Ops and the autodiff tape call only this protocol, so a
/// GPU backend (cuDNN/cuBLAS) can be added without touching layers or training code.
///
/// Every method is a pure function of its arguments: inputs are never modified, results are
/// new tensors (the `inout` parameters of `adamUpdate` excepted). Shapes are checked by
/// the ops before they call a backend; backends may assume them valid.
///
/// Tensors are host memory for now; a device backend will need device-resident storage,
/// which is a change to `Tensor`'s storage, not to this protocol's shape.
public protocol Backend: AnyObject, Sendable {
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

    // MARK: Pooling

    func maxPool2D(_ input: Tensor, geometry: Pooling2DGeometry) -> Tensor
    func maxPool2DBackward(_ outputGradient: Tensor, input: Tensor, geometry: Pooling2DGeometry) -> Tensor

    // MARK: Losses

    /// Mean over the batch of −log softmax(logits)[label], computed stably from `[batch, classes]`
    /// logits, and its gradient with respect to the logits, (softmax − onehot) / batch.
    func sparseSoftmaxCrossEntropy(logits: Tensor, labels: [Int]) -> (loss: Float, logitsGradient: Tensor)

    /// Elementwise `x · factor`.
    func scale(_ x: Tensor, by factor: Float) -> Tensor

    // MARK: Optimizers

    /// One Adam step in Keras's form: m ← m + (g − m)(1 − β1), v ← v + (g² − v)(1 − β2),
    /// θ ← θ − stepSize · m / (√v + ε), where the caller folds the bias corrections into
    /// `stepSize` = lr · √(1 − β2ᵗ) / (1 − β1ᵗ).
    func adamUpdate(parameter: inout Tensor, gradient: Tensor, firstMoment: inout Tensor,
                    secondMoment: inout Tensor, stepSize: Float, beta1: Float, beta2: Float, epsilon: Float)
}
