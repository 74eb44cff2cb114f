import Foundation

/// Straightforward float64 implementations of the ops, written independently of the engine
/// (Keras's padding rule included) to check its forward values and, through central
/// differences, its gradients. Arrays are row-major with the shapes given alongside.
enum Reference {
    static func matmul(_ a: [Double], _ b: [Double], bias: [Double]?, rows: Int, inner: Int, columns: Int) -> [Double] {
        var c = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns {
                var sum = bias?[j] ?? 0
                for k in 0..<inner { sum += a[i * inner + k] * b[k * columns + j] }
                c[i * columns + j] = sum
            }
        }
        return c
    }

    /// Keras's padding: (output extent, padding before) for one spatial dimension.
    static func window(input: Int, window: Int, stride: Int, same: Bool) -> (output: Int, before: Int) {
        if !same { return ((input - window) / stride + 1, 0) }
        let output = Int((Double(input) / Double(stride)).rounded(.up))
        let total = max((output - 1) * stride + window - input, 0)
        return (output, total / 2)
    }

    /// NHWC input `[n, h, w, c]`, HWIO filter `[kh, kw, c / groups, o]`; taps `dilation` apart.
    static func conv2d(_ x: [Double], _ filter: [Double], bias: [Double]?, input: [Int], filterShape: [Int],
                       stride: (Int, Int), same: Bool, dilation: (Int, Int) = (1, 1), groups: Int = 1) -> (values: [Double], shape: [Int]) {
        let (n, h, w, c) = (input[0], input[1], input[2], input[3])
        let (kh, kw, groupInputs, o) = (filterShape[0], filterShape[1], filterShape[2], filterShape[3])
        let rows = window(input: h, window: (kh - 1) * dilation.0 + 1, stride: stride.0, same: same)
        let columns = window(input: w, window: (kw - 1) * dilation.1 + 1, stride: stride.1, same: same)
        var y = [Double](repeating: 0, count: n * rows.output * columns.output * o)
        for b in 0..<n {
            for oy in 0..<rows.output {
                for ox in 0..<columns.output {
                    for oc in 0..<o {
                        let firstInput = oc / (o / groups) * groupInputs
                        var sum = bias?[oc] ?? 0
                        for ky in 0..<kh {
                            let iy = oy * stride.0 - rows.before + ky * dilation.0
                            guard iy >= 0 && iy < h else { continue }
                            for kx in 0..<kw {
                                let ix = ox * stride.1 - columns.before + kx * dilation.1
                                guard ix >= 0 && ix < w else { continue }
                                for ic in 0..<groupInputs {
                                    sum += x[((b * h + iy) * w + ix) * c + firstInput + ic]
                                        * filter[((ky * kw + kx) * groupInputs + ic) * o + oc]
                                }
                            }
                        }
                        y[((b * rows.output + oy) * columns.output + ox) * o + oc] = sum
                    }
                }
            }
        }
        return (y, [n, rows.output, columns.output, o])
    }

    static func maxPool2D(_ x: [Double], input: [Int], pool: (Int, Int), stride: (Int, Int), same: Bool) -> [Double] {
        pool2D(x, input: input, pool: pool, stride: stride, same: same) { $0.max()! }
    }

    /// TensorFlow's average pooling: the mean over the window's positions inside the input.
    static func averagePool2D(_ x: [Double], input: [Int], pool: (Int, Int), stride: (Int, Int), same: Bool) -> [Double] {
        pool2D(x, input: input, pool: pool, stride: stride, same: same) { $0.reduce(0, +) / Double($0.count) }
    }

    /// `combine` over each window's values inside the input, NHWC.
    static func pool2D(_ x: [Double], input: [Int], pool: (Int, Int), stride: (Int, Int), same: Bool,
                       combine: ([Double]) -> Double) -> [Double] {
        let (n, h, w, c) = (input[0], input[1], input[2], input[3])
        let rows = window(input: h, window: pool.0, stride: stride.0, same: same)
        let columns = window(input: w, window: pool.1, stride: stride.1, same: same)
        var y: [Double] = []
        for b in 0..<n {
            for oy in 0..<rows.output {
                for ox in 0..<columns.output {
                    for ch in 0..<c {
                        var values: [Double] = []
                        for py in 0..<pool.0 {
                            let iy = oy * stride.0 - rows.before + py
                            guard iy >= 0 && iy < h else { continue }
                            for px in 0..<pool.1 {
                                let ix = ox * stride.1 - columns.before + px
                                guard ix >= 0 && ix < w else { continue }
                                values.append(x[((b * h + iy) * w + ix) * c + ch])
                            }
                        }
                        y.append(combine(values))
                    }
                }
            }
        }
        return y
    }

    static func softmax(_ x: [Double], classes: Int) -> [Double] {
        stride(from: 0, to: x.count, by: classes).flatMap { start -> [Double] in
            let row = x[start..<(start + classes)]
            let largest = row.max()!
            let exps = row.map { exp($0 - largest) }
            let sum = exps.reduce(0, +)
            return exps.map { $0 / sum }
        }
    }

    /// Mean over rows of log Σ exp(z) − z[label].
    static func sparseCrossEntropy(_ logits: [Double], labels: [Int], classes: Int) -> Double {
        var total = 0.0
        for (row, label) in labels.enumerated() {
            let z = logits[(row * classes)..<((row + 1) * classes)]
            let largest = z.max()!
            total += largest + log(z.map { exp($0 - largest) }.reduce(0, +)) - z[row * classes + label]
        }
        return total / Double(labels.count)
    }
}
