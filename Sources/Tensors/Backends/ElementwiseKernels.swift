/// Elementwise, broadcasting and reduction kernels.
public protocol ElementwiseKernels {
    /// `activation` applied to every scalar.
    func activation(_ activation: Activation, _ x: Tensor) -> Tensor

    /// The input gradient of `activation`: dy ⊙ f′(x). `output` is f(x) (the kernels use
    /// whichever of the two is cheaper).
    func activationBackward(_ activation: Activation, _ outputGradient: Tensor, input: Tensor, output: Tensor)
        -> Tensor

    /// `x op y` with NumPy broadcasting; the result has `broadcastShape(x.shape, y.shape)`.
    func binary(_ operation: BinaryOperation, _ x: Tensor, _ y: Tensor) -> Tensor

    /// `x` repeated along its extent-1 (and missing leading) dimensions to `shape`.
    func broadcast(_ x: Tensor, to shape: [Int]) -> Tensor

    /// The sum of `x` over the dimensions along which `shape` broadcasts to `x.shape`: the
    /// adjoint of `broadcast(_:to:)`, and the reduction of `sum(_:alongAxes:)`.
    func sum(_ x: Tensor, reducedTo shape: [Int]) -> Tensor
}
