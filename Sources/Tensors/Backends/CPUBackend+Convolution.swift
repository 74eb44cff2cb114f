import CDNNL

/// 2-D convolution on oneDNN, forward and both backward passes.
///
/// The user tensors are handed to oneDNN as they are, described with the `nhwc` (activations)
/// and `hwio` (filters) format tags, so no reorders happen. Not yet done (see issue 3):
/// oneDNN's preferred blocked layouts kept between consecutive ops, primitives cached per
/// shape (each call creates and destroys its primitives), bias/ReLU post-ops, dilation, groups.
extension CPUBackend {
    public func conv2d(_ input: Tensor, filter: Tensor, bias: Tensor?, geometry: Convolution2DGeometry) -> Tensor {
        let layout = ConvolutionLayout(geometry, includesBias: bias != nil)
        let forward = layout.forwardPrimitive(context: dnnl)
        var output = Tensor.uninitialized(shape: geometry.outputShape)
        withExtendedLifetime((input, filter, bias)) {
            var arguments = [
                DNNLArgument(index: DNNL_ARG_SRC, descriptor: layout.source, pointer: input.rawPointer),
                DNNLArgument(index: DNNL_ARG_WEIGHTS, descriptor: layout.weights, pointer: filter.rawPointer),
                DNNLArgument(index: DNNL_ARG_DST, descriptor: layout.destination, pointer: output.mutableRawPointer()),
            ]
            if let bias {
                arguments.append(DNNLArgument(index: DNNL_ARG_BIAS, descriptor: layout.bias, pointer: bias.rawPointer))
            }
            dnnl.execute(forward, arguments, name: "convolution forward")
        }
        return output
    }

    public func conv2dBackwardInput(_ outputGradient: Tensor, filter: Tensor,
                                    geometry: Convolution2DGeometry) -> Tensor {
        let layout = ConvolutionLayout(geometry, includesBias: false)
        let forward = layout.forwardPrimitive(context: dnnl)
        var operation = dnnl_convolution_desc_t()
        var source = layout.source, weights = layout.weights, destination = layout.destination
        checkDNNL(dnnl_convolution_backward_data_desc_init(
            &operation, dnnl_convolution_direct, &source, &weights, &destination,
            layout.strides, layout.paddingBefore, layout.paddingAfter),
                  "dnnl_convolution_backward_data_desc_init(\(geometry.inputShape), \(geometry.filterShape))")
        let backward = DNNLPrimitive(operation: &operation, hint: forward, context: dnnl,
                                     name: "convolution backward data")
        var inputGradient = Tensor.uninitialized(shape: geometry.inputShape)
        withExtendedLifetime((outputGradient, filter)) {
            dnnl.execute(backward, [
                DNNLArgument(index: DNNL_ARG_DIFF_DST, descriptor: layout.destination, pointer: outputGradient.rawPointer),
                DNNLArgument(index: DNNL_ARG_WEIGHTS, descriptor: layout.weights, pointer: filter.rawPointer),
                DNNLArgument(index: DNNL_ARG_DIFF_SRC, descriptor: layout.source,
                             pointer: inputGradient.mutableRawPointer()),
            ], name: "convolution backward data")
        }
        return inputGradient
    }

    public func conv2dBackwardFilter(_ outputGradient: Tensor, input: Tensor, geometry: Convolution2DGeometry,
                                     includesBias: Bool) -> (filter: Tensor, bias: Tensor?) {
        let layout = ConvolutionLayout(geometry, includesBias: includesBias)
        let forward = layout.forwardPrimitive(context: dnnl)
        var operation = dnnl_convolution_desc_t()
        var source = layout.source, weights = layout.weights, bias = layout.bias, destination = layout.destination
        checkDNNL(dnnl_convolution_backward_weights_desc_init(
            &operation, dnnl_convolution_direct, &source, &weights, &bias, &destination,
            layout.strides, layout.paddingBefore, layout.paddingAfter),
                  "dnnl_convolution_backward_weights_desc_init(\(geometry.inputShape), \(geometry.filterShape))")
        let backward = DNNLPrimitive(operation: &operation, hint: forward, context: dnnl,
                                     name: "convolution backward weights")
        var filterGradient = Tensor.uninitialized(shape: geometry.filterShape)
        var biasGradient = includesBias ? Tensor.uninitialized(shape: [geometry.filterShape[3]]) : nil
        withExtendedLifetime((outputGradient, input)) {
            var arguments = [
                DNNLArgument(index: DNNL_ARG_SRC, descriptor: layout.source, pointer: input.rawPointer),
                DNNLArgument(index: DNNL_ARG_DIFF_DST, descriptor: layout.destination, pointer: outputGradient.rawPointer),
                DNNLArgument(index: DNNL_ARG_DIFF_WEIGHTS, descriptor: layout.weights,
                             pointer: filterGradient.mutableRawPointer()),
            ]
            if biasGradient != nil {
                arguments.append(DNNLArgument(index: DNNL_ARG_DIFF_BIAS, descriptor: layout.bias,
                                              pointer: biasGradient!.mutableRawPointer()))
            }
            dnnl.execute(backward, arguments, name: "convolution backward weights")
        }
        return (filterGradient, biasGradient)
    }
}

/// oneDNN's description of one convolution: memory descriptors in oneDNN's logical order
/// (NCHW activations, OIHW weights) over Invariant's physical NHWC / HWIO layouts.
struct ConvolutionLayout {
    let geometry: Convolution2DGeometry
    let source: dnnl_memory_desc_t
    let weights: dnnl_memory_desc_t
    /// A zero descriptor when there is no bias, which tells oneDNN to leave it out.
    let bias: dnnl_memory_desc_t
    let destination: dnnl_memory_desc_t
    let strides: [dnnl_dim_t]
    let paddingBefore: [dnnl_dim_t]
    let paddingAfter: [dnnl_dim_t]

    init(_ geometry: Convolution2DGeometry, includesBias: Bool) {
        self.geometry = geometry
        let input = geometry.inputShape, filter = geometry.filterShape, output = geometry.outputShape
        source = dnnlMemoryDescriptor([input[0], input[3], input[1], input[2]], dnnl_nhwc)
        weights = dnnlMemoryDescriptor([filter[3], filter[2], filter[0], filter[1]], dnnl_hwio)
        bias = includesBias ? dnnlMemoryDescriptor([filter[3]], dnnl_a) : dnnl_memory_desc_t()
        destination = dnnlMemoryDescriptor([output[0], output[3], output[1], output[2]], dnnl_nhwc)
        strides = [geometry.strides.height, geometry.strides.width].map { dnnl_dim_t($0) }
        paddingBefore = [geometry.rows.paddingBefore, geometry.columns.paddingBefore].map { dnnl_dim_t($0) }
        paddingAfter = [geometry.rows.paddingAfter, geometry.columns.paddingAfter].map { dnnl_dim_t($0) }
    }

    /// The forward primitive (training kind, so it can serve as the backward passes' hint).
    func forwardPrimitive(context: DNNLContext) -> DNNLPrimitive {
        var operation = dnnl_convolution_desc_t()
        var source = source, weights = weights, bias = bias, destination = destination
        checkDNNL(dnnl_convolution_forward_desc_init(
            &operation, dnnl_forward_training, dnnl_convolution_direct, &source, &weights, &bias, &destination,
            strides, paddingBefore, paddingAfter),
                  "dnnl_convolution_forward_desc_init(\(geometry.inputShape), \(geometry.filterShape))")
        return DNNLPrimitive(operation: &operation, context: context, name: "convolution forward")
    }
}

extension Tensor {
    /// The storage address for a read-only oneDNN argument. The caller keeps `self` alive.
    var rawPointer: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(storage.pointer)
    }

    /// The storage address for an output argument, after making the storage unique.
    mutating func mutableRawPointer() -> UnsafeMutableRawPointer {
        makeUnique()
        return UnsafeMutableRawPointer(storage.pointer)
    }
}
