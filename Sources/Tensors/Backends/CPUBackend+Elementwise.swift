import Foundation

/// Activations, broadcasting arithmetic and reductions as Swift loops.
extension CPUBackend {
    public func activation(_ activation: Activation, _ x: Tensor) -> Tensor {
        switch activation {
        case .sigmoid: map(x) { 1 / (1 + expf(-$0)) }
        case .tanh: map(x) { tanhf($0) }
        case .leakyRelu(let slope): map(x) { $0 >= 0 ? $0 : slope * $0 }
        case .elu(let alpha): map(x) { $0 > 0 ? $0 : alpha * expm1f($0) }
        case .gelu(approximate: false): map(x) { 0.5 * $0 * (1 + erff($0 * Float(0.5).squareRoot())) }
        case .gelu(approximate: true): map(x) { 0.5 * $0 * (1 + tanhf(GELUTanh.inner($0))) }
        }
    }

    public func activationBackward(_ activation: Activation, _ outputGradient: Tensor, input: Tensor,
                                   output: Tensor) -> Tensor {
        switch activation {
        case .sigmoid: return elementwise(outputGradient, output) { $0 * $1 * (1 - $1) }
        case .tanh: return elementwise(outputGradient, output) { $0 * (1 - $1 * $1) }
        case .leakyRelu(let slope): return elementwise(outputGradient, input) { $1 >= 0 ? $0 : slope * $0 }
        // For x ≤ 0, f′ = αeˣ = f(x) + α.
        case .elu(let alpha): return elementwise(outputGradient, input) { $1 > 0 ? $0 : $0 * alpha * expf($1) }
        case .gelu(approximate: false):
            // Φ(x) + x φ(x).
            return elementwise(outputGradient, input) { dy, x in
                let cdf = 0.5 * (1 + erff(x * Float(0.5).squareRoot()))
                let pdf = expf(-0.5 * x * x) / Float(2 * Double.pi).squareRoot()
                return dy * (cdf + x * pdf)
            }
        case .gelu(approximate: true):
            return elementwise(outputGradient, input) { dy, x in
                let t = tanhf(GELUTanh.inner(x))
                return dy * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELUTanh.innerDerivative(x))
            }
        }
    }

    public func binary(_ operation: BinaryOperation, _ x: Tensor, _ y: Tensor) -> Tensor {
        switch operation {
        case .add: broadcasting(x, y, +)
        case .subtract: broadcasting(x, y, -)
        case .multiply: broadcasting(x, y, *)
        case .divide: broadcasting(x, y, /)
        }
    }

    public func broadcast(_ x: Tensor, to shape: [Int]) -> Tensor {
        if x.shape == shape { return x }
        let iterator = BroadcastIterator(shape: shape, operands: [x.shape])
        var result = Tensor.uninitialized(shape: shape)
        x.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { output in
                iterator.forEach { offset, inputs in
                    output[offset] = x[inputs[0]]
                }
            }
        }
        return result
    }

    public func sum(_ x: Tensor, reducedTo shape: [Int]) -> Tensor {
        if x.shape == shape { return x }
        let iterator = BroadcastIterator(shape: x.shape, operands: [shape])
        var result = Tensor(zeros: shape)
        x.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { output in
                iterator.forEach { offset, outputs in
                    output[outputs[0]] += x[offset]
                }
            }
        }
        return result
    }

    /// `combine` over the broadcast of `x` and `y`, with a single loop when the shapes agree.
    private func broadcasting(_ x: Tensor, _ y: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
        if x.shape == y.shape { return elementwise(x, y, combine) }
        guard let shape = broadcastShape(x.shape, y.shape) else {
            preconditionFailure("shapes \(x.shape) and \(y.shape) do not broadcast")
        }
        var result = Tensor.uninitialized(shape: shape)
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                result.withUnsafeMutableBufferPointer { output in
                    BroadcastIterator(shape: shape, operands: [x.shape, y.shape]).forEach { offset, inputs in
                        output[offset] = combine(xs[inputs[0]], ys[inputs[1]])
                    }
                }
            }
        }
        return result
    }
}

/// The pieces of GELU's tanh approximation: u(x) = √(2/π)(x + 0.044715x³) and u′(x).
private enum GELUTanh {
    static let scale = Float((2 / Double.pi).squareRoot())
    static func inner(_ x: Float) -> Float { scale * (x + 0.044715 * x * x * x) }
    static func innerDerivative(_ x: Float) -> Float { scale * (1 + 3 * 0.044715 * x * x) }
}
