import Tensors
import Testing

/// A 3×3, stride-1 convolution of 128 channels on a batch of 16 9×9 inputs (VGG16's last block
/// in miniature) runs as Winograd F(4×4, 3×3) forward and backward-data
/// (`CPUBackend.winogradInputLimit`; oneDNN reports `jit_wino_4x3` under ONEDNN_VERBOSE=1; with
/// fewer channels or a smaller batch it keeps its direct kernels). Its output and both gradients must match
/// float64 direct convolution. Winograd's transforms add a few float32 roundings per output:
/// within 10⁻⁴ of the largest value (direct float32 stays within 10⁻⁵).
@Suite struct WinogradConvolutionTests {
    @Test func matchesDirectConvolutionInFloat64() {
        let inputShape = [16, 9, 9, 128], filterShape = [3, 3, 128, 128]
        let x = Tensor.randomNormal(shape: inputShape, seed: 70), w = Tensor.randomNormal(shape: filterShape, standardDeviation: 0.1, seed: 71)
        let input = Variable(x, requiresGradient: true), filter = Variable(w, requiresGradient: true)
        let output = conv2d(input, filter: filter, padding: .same)
        let seed = Tensor.randomNormal(shape: output.shape, seed: 72)
        output.backward(seed: seed)

        let (xs, ws, rs) = (x.scalars.map(Double.init), w.scalars.map(Double.init), seed.scalars.map(Double.init))
        let (n, h, wd, c, o) = (16, 9, 9, 128, 128)
        var y = [Double](repeating: 0, count: n * h * wd * o)
        var dx = [Double](repeating: 0, count: xs.count), dw = [Double](repeating: 0, count: ws.count)
        for b in 0..<n {
            for oy in 0..<h {
                for ox in 0..<wd {
                    for ky in 0..<3 {
                        let iy = oy + ky - 1
                        guard iy >= 0 && iy < h else { continue }
                        for kx in 0..<3 {
                            let ix = ox + kx - 1
                            guard ix >= 0 && ix < wd else { continue }
                            let inBase = ((b * h + iy) * wd + ix) * c, outBase = ((b * h + oy) * wd + ox) * o
                            for ic in 0..<c {
                                let wBase = ((ky * 3 + kx) * c + ic) * o
                                for oc in 0..<o {
                                    y[outBase + oc] += xs[inBase + ic] * ws[wBase + oc]
                                    dx[inBase + ic] += rs[outBase + oc] * ws[wBase + oc]
                                    dw[wBase + oc] += rs[outBase + oc] * xs[inBase + ic]
                                }
                            }
                        }
                    }
                }
            }
        }
        func relativeError(_ actual: Tensor, _ expected: [Double]) -> Double {
            let scale = expected.map(abs).max()!
            return zip(actual.scalars, expected).map { abs(Double($0) - $1) }.max()! / scale
        }
        #expect(relativeError(output.value, y) < 1e-4)
        #expect(relativeError(input.gradient!, dx) < 1e-4)
        #expect(relativeError(filter.gradient!, dw) < 1e-4)
    }
}
