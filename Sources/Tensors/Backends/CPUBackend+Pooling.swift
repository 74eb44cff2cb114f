/// Max and average pooling as Swift loops over NHWC (a oneDNN pooling primitive can replace them).
extension CPUBackend {
    public func maxPool2D(_ input: Tensor, geometry: Pooling2DGeometry) -> Tensor {
        var output = Tensor.uninitialized(shape: geometry.outputShape)
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                forEachWindow(geometry) { outputOffset, inputOffsets in
                    var best = -Float.infinity
                    for offset in inputOffsets { best = max(best, source[offset]) }
                    destination[outputOffset] = best
                }
            }
        }
        return output
    }

    /// Routes each output gradient to the first maximum of its window (as TensorFlow does),
    /// recomputing the maxima from the input instead of storing indices in the forward pass.
    public func maxPool2DBackward(_ outputGradient: Tensor, input: Tensor, geometry: Pooling2DGeometry) -> Tensor {
        var inputGradient = Tensor(zeros: geometry.inputShape)
        input.withUnsafeBufferPointer { source in
            outputGradient.withUnsafeBufferPointer { gradient in
                inputGradient.withUnsafeMutableBufferPointer { destination in
                    forEachWindow(geometry) { outputOffset, inputOffsets in
                        var best = -Float.infinity, bestOffset = -1
                        for offset in inputOffsets where source[offset] > best || bestOffset < 0 {
                            best = source[offset]
                            bestOffset = offset
                        }
                        destination[bestOffset] += gradient[outputOffset]
                    }
                }
            }
        }
        return inputGradient
    }

    public func averagePool2D(_ input: Tensor, geometry: Pooling2DGeometry) -> Tensor {
        var output = Tensor.uninitialized(shape: geometry.outputShape)
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                forEachWindow(geometry) { outputOffset, inputOffsets in
                    var sum: Float = 0
                    for offset in inputOffsets { sum += source[offset] }
                    destination[outputOffset] = sum / Float(inputOffsets.count)
                }
            }
        }
        return output
    }

    /// Spreads each output gradient evenly over the input positions of its window.
    public func averagePool2DBackward(_ outputGradient: Tensor, geometry: Pooling2DGeometry) -> Tensor {
        var inputGradient = Tensor(zeros: geometry.inputShape)
        outputGradient.withUnsafeBufferPointer { gradient in
            inputGradient.withUnsafeMutableBufferPointer { destination in
                forEachWindow(geometry) { outputOffset, inputOffsets in
                    let share = gradient[outputOffset] / Float(inputOffsets.count)
                    for offset in inputOffsets { destination[offset] += share }
                }
            }
        }
        return inputGradient
    }

    /// Calls `body` for every output element with the input offsets of its window, in
    /// row-major window order. Window positions in the padding are left out (so `same`
    /// padding behaves as padding with −∞ for the maximum and is not counted in the mean).
    private func forEachWindow(_ geometry: Pooling2DGeometry, _ body: (Int, [Int]) -> Void) {
        let input = geometry.inputShape, output = geometry.outputShape
        let (height, width, channels) = (input[1], input[2], input[3])
        var offsets: [Int] = []
        offsets.reserveCapacity(geometry.poolSize.height * geometry.poolSize.width)
        for batch in 0..<input[0] {
            for outputRow in 0..<output[1] {
                let firstRow = outputRow * geometry.strides.height - geometry.rows.paddingBefore
                for outputColumn in 0..<output[2] {
                    let firstColumn = outputColumn * geometry.strides.width - geometry.columns.paddingBefore
                    for channel in 0..<channels {
                        offsets.removeAll(keepingCapacity: true)
                        for row in firstRow..<(firstRow + geometry.poolSize.height) where row >= 0 && row < height {
                            for column in firstColumn..<(firstColumn + geometry.poolSize.width)
                            where column >= 0 && column < width {
                                offsets.append(((batch * height + row) * width + column) * channels + channel)
                            }
                        }
                        body(((batch * output[1] + outputRow) * output[2] + outputColumn) * channels + channel, offsets)
                    }
                }
            }
        }
    }
}
