import Foundation
import Learning
import Tensors
@_exported import TestSupport

/// A small separable problem: class k images are bright in quadrant k, so a small network
/// learns it in a few epochs.
func quadrantImages(count: Int, seed: UInt64, size: Int = 8) -> (images: Tensor, labels: [Int]) {
    let noise = Tensor.randomUniform(shape: [count, size, size, 1], in: 0...40, seed: seed).scalars
    var pixels = noise
    var labels: [Int] = []
    for index in 0..<count {
        let label = index % 4
        labels.append(label)
        let (top, left) = ((label / 2) * size / 2, (label % 2) * size / 2)
        for y in top..<(top + size / 2) {
            for x in left..<(left + size / 2) { pixels[(index * size + y) * size + x] += 200 }
        }
    }
    return (Tensor(shape: [count, size, size, 1], scalars: pixels), labels)
}

func smallModel(seed: UInt64 = 1) throws -> Sequential {
    try Sequential(name: "tiny", inputShape: [8, 8, 1], layers: [
        Rescaling(scale: 1 / 255),
        Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .relu),
        BatchNormalization(),
        Pooling2D(.max),
        Flatten(),
        Dropout(rate: 0.1),
        Dense(units: 4, activation: .softmax),
    ], seed: seed)
}

/// Records every line `fit` prints.
final class CapturedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""

    var output: TrainingOutput {
        TrainingOutput(isTerminal: false) { [self] piece in
            lock.lock()
            text += piece
            lock.unlock()
        }
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

/// A callback that replaces a log value per epoch with a scripted one (to drive the
/// monitoring callbacks placed after it).
final class ScriptedLogs: Callback {
    let key: String
    let values: [Double]

    init(_ key: String, _ values: [Double]) {
        self.key = key
        self.values = values
    }

    func epochEnd(_ epoch: Int, logs: inout Logs, _ fit: FitState) {
        logs[key] = values[min(epoch, values.count - 1)]
    }
}
