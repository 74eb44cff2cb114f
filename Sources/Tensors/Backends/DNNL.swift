import CDNNL
import Foundation

/// Stops the program with the call's name and oneDNN's status when a oneDNN call fails.
///
/// Ops validate shapes before they reach oneDNN, so a failure here is a bug or an
/// unsupported configuration (or memory exhaustion), never bad user input.
func checkDNNL(_ status: dnnl_status_t, _ call: @autoclosure () -> String) {
    if status != dnnl_success {
        preconditionFailure("oneDNN \(call()) failed: \(String(cString: dnnl_status2str(status)))")
    }
}

/// A oneDNN CPU engine and one execution stream.
///
/// Executions are serialised by a lock: oneDNN parallelises each primitive internally
/// (OpenMP), and one stream must not be used from two threads at once.
final class DNNLContext: @unchecked Sendable {
    // @unchecked: `engine` and `stream` are immutable handles; executions go through `lock`.
    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    private let lock = NSLock()

    init() {
        var engine: dnnl_engine_t?
        checkDNNL(dnnl_engine_create(&engine, dnnl_cpu, 0), "dnnl_engine_create(cpu)")
        var stream: dnnl_stream_t?
        checkDNNL(dnnl_stream_create(&stream, engine, UInt32(dnnl_stream_default_flags.rawValue)),
                  "dnnl_stream_create")
        self.engine = engine!
        self.stream = stream!
    }

    deinit {
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
    }

    /// Runs `primitive` on the stream with the given arguments and waits for it.
    ///
    /// An argument whose layout differs from the one the primitive chose (primitives made
    /// with `dnnl_format_tag_any` pick blocked layouts) goes through a scratch buffer:
    /// inputs are reordered into it before, outputs out of it after. The pointers must stay
    /// valid until this returns; oneDNN does not write to the buffers of input arguments.
    func execute(_ primitive: DNNLPrimitive, _ arguments: [DNNLArgument], name: String) {
        var memories: [dnnl_memory_t] = []
        var scratch: [(buffer: UnsafeMutableRawPointer, byteCount: Int)] = []
        var before: [(DNNLPrimitive, dnnl_memory_t, dnnl_memory_t)] = []
        var after: [(DNNLPrimitive, dnnl_memory_t, dnnl_memory_t)] = []
        defer {
            memories.forEach { dnnl_memory_destroy($0) }
            scratch.forEach { BufferPool.shared.release($0.buffer, byteCount: $0.byteCount) }
        }
        func memory(_ descriptor: dnnl_memory_desc_t, _ pointer: UnsafeMutableRawPointer, _ index: Int32) -> dnnl_memory_t {
            var memory: dnnl_memory_t?
            var descriptor = descriptor
            checkDNNL(dnnl_memory_create(&memory, &descriptor, engine, pointer),
                      "dnnl_memory_create (\(name), argument \(index))")
            memories.append(memory!)
            return memory!
        }
        var execArguments: [dnnl_exec_arg_t] = []
        for argument in arguments {
            let user = memory(argument.descriptor, argument.pointer, argument.index)
            guard let reorder = primitive.reorder(for: argument, context: self) else {
                execArguments.append(dnnl_exec_arg_t(arg: argument.index, memory: user))
                continue
            }
            let buffer = BufferPool.shared.allocate(byteCount: reorder.byteCount)
            scratch.append((buffer, reorder.byteCount))
            let chosen = memory(reorder.chosen, buffer, argument.index)
            execArguments.append(dnnl_exec_arg_t(arg: argument.index, memory: chosen))
            if DNNLArgument.isOutput(argument.index) {
                after.append((reorder.primitive, chosen, user))
            } else {
                before.append((reorder.primitive, user, chosen))
            }
        }
        lock.lock()
        defer { lock.unlock() }
        for (reorder, source, destination) in before { run(reorder, source, destination, name: name) }
        checkDNNL(dnnl_primitive_execute(primitive.primitive, stream, Int32(execArguments.count), execArguments),
                  "dnnl_primitive_execute (\(name))")
        for (reorder, source, destination) in after { run(reorder, source, destination, name: name) }
        checkDNNL(dnnl_stream_wait(stream), "dnnl_stream_wait (\(name))")
    }

    private func run(_ reorder: DNNLPrimitive, _ source: dnnl_memory_t, _ destination: dnnl_memory_t, name: String) {
        let arguments = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: source), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: destination)]
        checkDNNL(dnnl_primitive_execute(reorder.primitive, stream, 2, arguments), "dnnl_primitive_execute (reorder for \(name))")
    }
}

/// One argument of a primitive execution: a `DNNL_ARG_*` index, the memory descriptor and
/// the user buffer it describes.
struct DNNLArgument {
    let index: Int32
    let descriptor: dnnl_memory_desc_t
    let pointer: UnsafeMutableRawPointer

    /// Whether the primitive writes the argument (results and gradients).
    static func isOutput(_ index: Int32) -> Bool {
        [DNNL_ARG_DST, DNNL_ARG_DIFF_SRC, DNNL_ARG_DIFF_WEIGHTS, DNNL_ARG_DIFF_BIAS].contains(index)
    }
}

/// A reorder between a user layout and the layout a primitive chose for one argument.
struct DNNLReorder {
    let primitive: DNNLPrimitive
    let chosen: dnnl_memory_desc_t
    let byteCount: Int
}

/// A primitive descriptor and the primitive made from it, destroyed together, with the
/// reorders its arguments need (made on first use, per argument).
final class DNNLPrimitive: @unchecked Sendable {
    // @unchecked: handles are immutable; `reorders` is guarded by `lock`.
    let descriptor: dnnl_primitive_desc_t
    let primitive: dnnl_primitive_t
    private let lock = NSLock()
    private var reorders: [Int32: DNNLReorder?] = [:]

    /// A reorder primitive from `source` to `destination` layout.
    init(reorderFrom source: dnnl_memory_desc_t, to destination: dnnl_memory_desc_t, context: DNNLContext) {
        var descriptor: dnnl_primitive_desc_t?
        var source = source, destination = destination
        checkDNNL(dnnl_reorder_primitive_desc_create(&descriptor, &source, context.engine, &destination, context.engine, nil),
                  "dnnl_reorder_primitive_desc_create")
        var primitive: dnnl_primitive_t?
        checkDNNL(dnnl_primitive_create(&primitive, descriptor), "dnnl_primitive_create (reorder)")
        self.descriptor = descriptor!
        self.primitive = primitive!
    }

    /// The reorder `argument` needs, or nil when the primitive takes its layout as it is.
    func reorder(for argument: DNNLArgument, context: DNNLContext) -> DNNLReorder? {
        lock.lock()
        defer { lock.unlock() }
        if let known = reorders[argument.index] { return known }
        var user = argument.descriptor
        var result: DNNLReorder?
        if let expected = dnnl_primitive_desc_query_md(descriptor, dnnl_query_exec_arg_md, argument.index),
           expected.pointee.ndims > 0, dnnl_memory_desc_equal(expected, &user) == 0 {
            let chosen = expected.pointee
            let primitive = DNNLArgument.isOutput(argument.index)
                ? DNNLPrimitive(reorderFrom: chosen, to: user, context: context)
                : DNNLPrimitive(reorderFrom: user, to: chosen, context: context)
            var copy = chosen
            result = DNNLReorder(primitive: primitive, chosen: chosen, byteCount: dnnl_memory_desc_get_size(&copy))
        }
        reorders[argument.index] = .some(result)
        return result
    }

    /// - Parameters:
    ///   - operation: a pointer to an initialised op descriptor (e.g. `dnnl_convolution_desc_t`).
    ///   - hint: for a backward primitive, the forward primitive it differentiates.
    ///   - fusedReLU: appends a ReLU post-op (the primitive writes max(result, 0)).
    init(operation: UnsafeRawPointer, hint: DNNLPrimitive? = nil, fusedReLU: Bool = false, context: DNNLContext, name: String) {
        var attributes: dnnl_primitive_attr_t?
        var postOps: dnnl_post_ops_t?
        if fusedReLU {
            checkDNNL(dnnl_primitive_attr_create(&attributes), "dnnl_primitive_attr_create")
            checkDNNL(dnnl_post_ops_create(&postOps), "dnnl_post_ops_create")
            checkDNNL(dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_relu, 0, 0), "dnnl_post_ops_append_eltwise")
            checkDNNL(dnnl_primitive_attr_set_post_ops(attributes, postOps), "dnnl_primitive_attr_set_post_ops")
        }
        defer {
            if let postOps { dnnl_post_ops_destroy(postOps) }
            if let attributes { dnnl_primitive_attr_destroy(attributes) }
        }
        var descriptor: dnnl_primitive_desc_t?
        checkDNNL(dnnl_primitive_desc_create(&descriptor, operation, attributes, context.engine, hint?.descriptor),
                  "dnnl_primitive_desc_create (\(name))")
        var primitive: dnnl_primitive_t?
        let status = dnnl_primitive_create(&primitive, descriptor)
        if status != dnnl_success { dnnl_primitive_desc_destroy(descriptor) }
        checkDNNL(status, "dnnl_primitive_create (\(name))")
        self.descriptor = descriptor!
        self.primitive = primitive!
    }

    /// oneDNN's name for the kernel it chose (`brgconv:avx512_core`, `gemm:jit`, `ref:any`).
    var implementation: String {
        var name: UnsafePointer<CChar>?
        guard dnnl_primitive_desc_query(descriptor, dnnl_query_impl_info_str, 0, &name) == dnnl_success, let name else { return "" }
        return String(cString: name)
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(descriptor)
    }
}

/// A float32 memory descriptor for `dimensions` (in oneDNN's logical order, e.g. NCHW
/// for activations, OIHW for weights) stored in the physical layout `tag`.
func dnnlMemoryDescriptor(_ dimensions: [Int], _ tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
    var descriptor = dnnl_memory_desc_t()
    let dims = dimensions.map { dnnl_dim_t($0) }
    checkDNNL(dnnl_memory_desc_init_by_tag(&descriptor, Int32(dims.count), dims, dnnl_f32, tag),
              "dnnl_memory_desc_init_by_tag(\(dimensions))")
    return descriptor
}

/// A descriptor with the dimensions of `descriptor` and the layout `tag`.
func dnnlMemoryDescriptor(_ descriptor: dnnl_memory_desc_t, _ tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
    let dimensions = withUnsafeBytes(of: descriptor.dims) { raw in
        Array(raw.bindMemory(to: dnnl_dim_t.self).prefix(Int(descriptor.ndims))).map { Int($0) }
    }
    return dnnlMemoryDescriptor(dimensions, tag)
}
