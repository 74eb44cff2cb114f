/// Max and average pooling over NHWC as Swift loops whose innermost loop runs along the
/// contiguous channels (so it vectorises), one output position at a time. Window positions
/// in the padding are left out: `same` padding behaves as −∞ for the maximum and is not
/// counted in the mean (TensorFlow's rule).
extension CPUBackend {
    public func maxPool2D(_ input: Tensor, geometry: Pooling2DGeometry) -> Tensor {
        var output = Tensor.uninitialized(shape: geometry.outputShape)
        let channels = geometry.inputShape[3]
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                forEachWindow(geometry) { outputOffset, window in
                    let out = destination.baseAddress! + outputOffset
                    out.update(repeating: -Float.infinity, count: channels)
                    for inputOffset in window {
                        let row = source.baseAddress! + inputOffset
                        // NaN propagates, as in TensorFlow (Swift's `max` would drop it).
                        for c in 0..<channels { out[c] = row[c] > out[c] || row[c] != row[c] ? row[c] : out[c] }
                    }
                }
            }
        }
        return output
    }

    /// Routes each output gradient to the first maximum of its window (as TensorFlow does),
    /// recomputing the maxima from the input instead of storing indices in the forward pass.
    public func maxPool2DBackward(_ outputGradient: Tensor, input: Tensor, geometry: Pooling2DGeometry) -> Tensor {
        var inputGradient = Tensor(zeros: geometry.inputShape)
        let channels = geometry.inputShape[3]
        let maximum = UnsafeMutablePointer<Float>.allocate(capacity: channels)
        let pending = UnsafeMutablePointer<Float>.allocate(capacity: channels)
        defer { maximum.deallocate(); pending.deallocate() }
        input.withUnsafeBufferPointer { source in
            outputGradient.withUnsafeBufferPointer { gradient in
                inputGradient.withUnsafeMutableBufferPointer { destination in
                    let (x, dy, dx) = (source.baseAddress!, gradient.baseAddress!, destination.baseAddress!)
                    forEachWindow(geometry) { outputOffset, window in
                        // The maxima, then the gradient to the first position that holds each
                        // (`pending` is 1 until a channel's maximum is found): branch-free
                        // loops along the channels, which vectorise.
                        maximum.update(repeating: -Float.infinity, count: channels)
                        pending.update(repeating: 1, count: channels)
                        for inputOffset in window {
                            let row = x + inputOffset
                            for c in 0..<channels { maximum[c] = row[c] > maximum[c] || row[c] != row[c] ? row[c] : maximum[c] }
                        }
                        let g = dy + outputOffset
                        for inputOffset in window {
                            let row = x + inputOffset, target = dx + inputOffset
                            for c in 0..<channels {
                                let hit: Float = row[c] == maximum[c] ? pending[c] : 0
                                target[c] += hit * g[c]
                                pending[c] -= hit
                            }
                        }
                    }
                }
            }
        }
        return inputGradient
    }

    public func averagePool2D(_ input: Tensor, geometry: Pooling2DGeometry) -> Tensor {
        var output = Tensor.uninitialized(shape: geometry.outputShape)
        let channels = geometry.inputShape[3]
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                forEachWindow(geometry) { outputOffset, window in
                    let out = destination.baseAddress! + outputOffset
                    out.update(repeating: 0, count: channels)
                    for inputOffset in window {
                        let row = source.baseAddress! + inputOffset
                        for c in 0..<channels { out[c] += row[c] }
                    }
                    let scale = 1 / Float(window.count)
                    for c in 0..<channels { out[c] *= scale }
                }
            }
        }
        return output
    }

    /// Spreads each output gradient evenly over the input positions of its window.
    public func averagePool2DBackward(_ outputGradient: Tensor, geometry: Pooling2DGeometry) -> Tensor {
        var inputGradient = Tensor(zeros: geometry.inputShape)
        let channels = geometry.inputShape[3]
        outputGradient.withUnsafeBufferPointer { gradient in
            inputGradient.withUnsafeMutableBufferPointer { destination in
                forEachWindow(geometry) { outputOffset, window in
                    let share = 1 / Float(window.count)
                    let dy = gradient.baseAddress! + outputOffset
                    for inputOffset in window {
                        let dx = destination.baseAddress! + inputOffset
                        for c in 0..<channels { dx[c] += dy[c] * share }
                    }
                }
            }
        }
        return inputGradient
    }

    /// Calls `body` for every output position (batch, row, column) with the offset of its
    /// first channel and the offsets of the first channel of each input position in its
    /// window, in row-major window order, padding positions left out.
    @inline(__always)
    private func forEachWindow(_ geometry: Pooling2DGeometry, _ body: (Int, ArraySlice<Int>) -> Void) {
        let input = geometry.inputShape, output = geometry.outputShape
        let (height, width, channels) = (input[1], input[2], input[3])
        var window: [Int] = []
        window.reserveCapacity(geometry.poolSize.height * geometry.poolSize.width)
        for batch in 0..<input[0] {
            for outputRow in 0..<output[1] {
                let firstRow = outputRow * geometry.strides.height - geometry.rows.paddingBefore
                for outputColumn in 0..<output[2] {
                    let firstColumn = outputColumn * geometry.strides.width - geometry.columns.paddingBefore
                    window.removeAll(keepingCapacity: true)
                    for row in clamped(firstRow, geometry.poolSize.height, height) {
                        for column in clamped(firstColumn, geometry.poolSize.width, width) {
                            window.append(((batch * height + row) * width + column) * channels)
                        }
                    }
                    body(((batch * output[1] + outputRow) * output[2] + outputColumn) * channels, window[...])
                }
            }
        }
    }

    /// The positions of a window of `size` starting at `first` that lie in `0..<extent`.
    private func clamped(_ first: Int, _ size: Int, _ extent: Int) -> Range<Int> {
        let lower = max(first, 0), upper = min(first + size, extent)
        return lower < upper ? lower..<upper : 0..<0
    }
}
