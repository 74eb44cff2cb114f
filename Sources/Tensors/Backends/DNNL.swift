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
    /// The pointers must stay valid until this returns; oneDNN does not write to the
    /// buffers of input arguments.
    func execute(_ primitive: DNNLPrimitive, _ arguments: [DNNLArgument], name: String) {
        var memories: [dnnl_memory_t] = []
        defer { memories.forEach { dnnl_memory_destroy($0) } }
        var execArguments: [dnnl_exec_arg_t] = []
        for argument in arguments {
            var memory: dnnl_memory_t?
            var descriptor = argument.descriptor
            checkDNNL(dnnl_memory_create(&memory, &descriptor, engine, argument.pointer),
                      "dnnl_memory_create (\(name), argument \(argument.index))")
            memories.append(memory!)
            execArguments.append(dnnl_exec_arg_t(arg: argument.index, memory: memory))
        }
        lock.lock()
        defer { lock.unlock() }
        checkDNNL(dnnl_primitive_execute(primitive.primitive, stream, Int32(execArguments.count), execArguments),
                  "dnnl_primitive_execute (\(name))")
        checkDNNL(dnnl_stream_wait(stream), "dnnl_stream_wait (\(name))")
    }
}

/// One argument of a primitive execution: a `DNNL_ARG_*` index, the memory descriptor and
/// the user buffer it describes.
struct DNNLArgument {
    let index: Int32
    let descriptor: dnnl_memory_desc_t
    let pointer: UnsafeMutableRawPointer
}

/// A primitive descriptor and the primitive made from it, destroyed together.
final class DNNLPrimitive {
    let descriptor: dnnl_primitive_desc_t
    let primitive: dnnl_primitive_t

    /// - Parameters:
    ///   - operation: a pointer to an initialised op descriptor (e.g. `dnnl_convolution_desc_t`).
    ///   - hint: for a backward primitive, the forward primitive it differentiates.
    init(operation: UnsafeRawPointer, hint: DNNLPrimitive? = nil, context: DNNLContext, name: String) {
        var descriptor: dnnl_primitive_desc_t?
        checkDNNL(dnnl_primitive_desc_create(&descriptor, operation, nil, context.engine, hint?.descriptor),
                  "dnnl_primitive_desc_create (\(name))")
        var primitive: dnnl_primitive_t?
        let status = dnnl_primitive_create(&primitive, descriptor)
        if status != dnnl_success { dnnl_primitive_desc_destroy(descriptor) }
        checkDNNL(status, "dnnl_primitive_create (\(name))")
        self.descriptor = descriptor!
        self.primitive = primitive!
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
