import Foundation
import InvariantCore
import Learning
import Tensors

/// `invariant bench train-step --model vgg16|vgg16-frozen|small-cnn`: seconds per training
/// step (forward, loss, backward, Adam) on random images and labels, one JSON line.
enum BenchTrainStepCommand: Command {
    enum BenchModel: String, CaseIterable {
        case vgg16, vgg16Frozen = "vgg16-frozen", smallCNN = "small-cnn"
    }

    enum ConvolutionKind: String, CaseIterable { case auto, direct }

    static let spec = CommandSpec(
        name: "bench train-step", usage: "--model vgg16|vgg16-frozen|small-cnn [--steps N] [--warmup N] [--threads N]",
        summary: "Time training steps (forward + backward + Adam) of a benchmark model on random data; prints one JSON line. "
            + "vgg16: VGG16 base + Flatten + Dense 512 relu + Dense 196 softmax, 150×150×3, batch 16 (vgg16-frozen: base frozen); "
            + "small-cnn: Conv 32, Conv 64, MaxPool, Dense 128, Dense 10 on 28×28×1, batch 64.",
        options: [
            OptionSpec("model", value: "NAME", help: "vgg16, vgg16-frozen or small-cnn"),
            OptionSpec("steps", value: "N", help: "timed steps (default 10; 30 for small-cnn)"),
            OptionSpec("warmup", value: "N", help: "untimed steps first (default 2)"),
            OptionSpec("threads", value: "N", help: "compute threads (default: one per core)"),
            OptionSpec("convolution", value: "KIND", help: "auto (default: Winograd for the deep 3×3 layers) or direct"),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        _ = try arguments.requirePositionals([], command: spec.name)
        guard arguments.string("model") != nil else { throw UsageError("invariant bench train-step: missing --model vgg16|vgg16-frozen|small-cnn") }
        let choice = try arguments.choice("model", default: BenchModel.smallCNN)
        let steps = try arguments.integer("steps", default: choice == .smallCNN ? 30 : 10)
        let warmup = try arguments.integer("warmup", default: 2, in: 0...1000)
        if arguments.string("threads") != nil { CPUBackend.threadCount = try arguments.integer("threads", default: 1, in: 1...256) }
        let convolution = try arguments.choice("convolution", default: ConvolutionKind.auto)
        if convolution == .direct { CPUBackend.winogradInputLimit = 0 }
        let (model, batchSize): (Sequential, Int)
        switch choice {
        case .smallCNN:
            model = try Architecture.smallCNN.make(inputShape: [28, 28, 1], classes: 10)
            batchSize = 64
        case .vgg16, .vgg16Frozen:
            model = try Architecture.vgg16.make(inputShape: [150, 150, 3], classes: 196)
            if choice == .vgg16Frozen { model.layer(named: "vgg16")?.trainable = false }
            batchSize = 16
        }
        model.compile(optimizer: Adam(), loss: .sparseCategoricalCrossentropy(), metrics: [.accuracy])
        let classes = model.outputShape[0]
        let images = Tensor.randomUniform(shape: [batchSize] + model.inputShape, in: 0...255, seed: 1)
        var generator = RandomKey(seed: 2).generator()
        let batch = LabeledBatch(images: images, labels: (0..<batchSize).map { _ in generator.nextInt(below: classes) })
        for _ in 0..<warmup { try model.trainOnBatch(batch) }
        var times: [Double] = []
        for _ in 0..<steps {
            let start = DispatchTime.now().uptimeNanoseconds
            try model.trainOnBatch(batch)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        let gflops = model.trainingOperationsPerImage * Double(batchSize) / median / 1e9
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)  // ru_maxrss: the process's peak resident set, in KiB
        console.print(benchLine(["bench": "train-step:\(choice.rawValue)" + (convolution == .direct ? "-direct" : ""),
                                 "library": "invariant",
                                 "img_per_s": Double(batchSize) / median, "images": batchSize,
                                 "sec_per_step": Fixed(median), "min": Fixed(times.first!), "max": Fixed(times.last!),
                                 "gflops": gflops, "sgemm_ceiling_fraction": Fixed(gflops / 175, digits: 2),
                                 "peak_rss_mb": Double(usage.ru_maxrss) / 1024,
                                 "threads": CPUBackend.threadCount, "steps": steps]))
        return 0
    }
}
