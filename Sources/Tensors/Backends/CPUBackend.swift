import COpenBLAS
import CDNNL

/// The CPU backend: oneDNN for convolutions, OpenBLAS for matrix products, plain Swift
/// loops for the cheap elementwise ops (to be moved onto oneDNN primitives where that pays).
///
/// Safe to use from several threads: oneDNN executions are serialised on its stream, and the
/// other kernels share no state.
public final class CPUBackend: Backend {
    /// The process-wide CPU backend. oneDNN's engine is itself process-wide, so one instance
    /// is all a program needs.
    public static let shared = CPUBackend()

    let dnnl: DNNLContext
    let primitiveCache = PrimitiveCache<ConvolutionKey, ConvolutionPrimitives>()

    /// Convolutions whose input is at most this many bytes (and that suit it: 3×3, stride 1,
    /// ≥ 64 channels) may run as Winograd F(4×4, 3×3); 0 keeps every convolution direct.
    /// On VGG16's training step at 150×150, batch 16 (2 cores), 32 MiB — blocks 2 to 5 — took
    /// 3.3 → 2.4 s per step and the peak from 1.35 to 1.54 GB (oneDNN's tile buffers); set 0
    /// where memory matters more. Read when a convolution shape is first run.
    nonisolated(unsafe) public static var winogradInputLimit = 32 << 20

    public init() {
        dnnl = DNNLContext()
        CPUBackend.configureOpenBLAS
    }

    /// oneDNN's OpenMP threads own the cores; OpenBLAS's own pool spinning beside them slowed
    /// training steps (measured), and the dense layers' products are small. (Freed large
    /// tensors are kept for reuse by `BufferPool`.)
    private static let configureOpenBLAS: Void = {
        openblas_set_num_threads(1)
    }()

    // MARK: Linear algebra

    public func matmul(_ a: Tensor, transposed transposesA: Bool, _ b: Tensor, transposed transposesB: Bool,
                       bias: Tensor?) -> Tensor {
        let rows = transposesA ? a.shape[1] : a.shape[0]
        let inner = transposesA ? a.shape[0] : a.shape[1]
        let columns = transposesB ? b.shape[0] : b.shape[1]
        var result: Tensor
        if let bias {
            // Start from the bias in every row and let sgemm add the product (beta = 1).
            result = Tensor.uninitialized(shape: [rows, columns])
            result.withUnsafeMutableBufferPointer { output in
                bias.withUnsafeBufferPointer { bias in
                    for row in 0..<rows {
                        (output.baseAddress! + row * columns).initialize(from: bias.baseAddress!, count: columns)
                    }
                }
            }
        } else {
            result = Tensor(zeros: [rows, columns])
        }
        guard rows > 0, columns > 0, inner > 0 else { return result }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                result.withUnsafeMutableBufferPointer { c in
                    cblas_sgemm(CblasRowMajor,
                                transposesA ? CblasTrans : CblasNoTrans, transposesB ? CblasTrans : CblasNoTrans,
                                blasint(rows), blasint(columns), blasint(inner),
                                1, a.baseAddress, blasint(transposesA ? rows : inner),
                                b.baseAddress, blasint(transposesB ? inner : columns),
                                bias == nil ? 0 : 1, c.baseAddress, blasint(columns))
                }
            }
        }
        return result
    }

    public func sumRows(_ x: Tensor) -> Tensor {
        let rows = x.shape[0], columns = x.shape[1]
        var result = Tensor(zeros: [columns])
        x.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { sums in
                for row in 0..<rows {
                    for column in 0..<columns {
                        sums[column] += x[row * columns + column]
                    }
                }
            }
        }
        return result
    }

    public func add(_ x: Tensor, _ y: Tensor) -> Tensor {
        elementwise(x, y) { $0 + $1 }
    }

    public func scale(_ x: Tensor, by factor: Float) -> Tensor {
        map(x) { $0 * factor }
    }

    // MARK: Activations

    public func relu(_ x: Tensor) -> Tensor {
        map(x) { max($0, 0) }
    }

    /// The gradient passes where the input was positive (at 0 it is taken as 0, as in
    /// TensorFlow and PyTorch).
    public func reluBackward(_ outputGradient: Tensor, input: Tensor) -> Tensor {
        elementwise(outputGradient, input) { $1 > 0 ? $0 : 0 }
    }

    // MARK: Helpers

    func map(_ x: Tensor, _ transform: (Float) -> Float) -> Tensor {
        var result = Tensor.uninitialized(shape: x.shape)
        x.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { output in
                for i in 0..<x.count { output[i] = transform(x[i]) }
            }
        }
        return result
    }

    func elementwise(_ x: Tensor, _ y: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
        precondition(x.shape == y.shape, "elementwise shapes differ: \(x.shape) and \(y.shape)")
        var result = Tensor.uninitialized(shape: x.shape)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                result.withUnsafeMutableBufferPointer { output in
                    for i in 0..<x.count { output[i] = combine(x[i], y[i]) }
                }
            }
        }
        return result
    }
}
