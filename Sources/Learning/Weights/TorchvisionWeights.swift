import Tensors

/// torchvision's VGG16 `state_dict` keys in a safetensors file: `features.<i>.weight` (OIHW)
/// and `.bias` for the convolutions, `classifier.<i>.weight` (`[out, in]`) and `.bias` for the
/// Linear layers. The model's convolutions take the `features` indices in increasing order,
/// its Dense layers the `classifier` ones.
///
/// Layouts change on the way in: convolution kernels OIHW → HWIO, Linear weights transposed,
/// and a Dense layer behind a Flatten gets its input rows permuted, because PyTorch flattens
/// `C×H×W` where Keras flattens `H×W×C`. (torchvision puts an adaptive 7×7 average pooling
/// before its classifier: the same network only for 224×224 inputs.)
enum TorchvisionWeights {
    static func isTorchvision(_ names: some Collection<String>) -> Bool {
        names.contains { $0.hasPrefix("features.") || $0.hasPrefix("classifier.") }
    }

    static func assignment(for model: any Model, tensors: [String: Tensor]) -> WeightAssignment {
        var assignment = WeightAssignment()
        var used: Set<String> = []
        let layers = model.weightedLayers
        for (prefix, className) in [("features", "Conv2D"), ("classifier", "Dense")] {
            let indices = Set(tensors.keys.compactMap { key -> Int? in
                let parts = key.split(separator: ".")
                return parts.count == 3 && parts[0] == prefix ? Int(parts[1]) : nil
            }).sorted()
            for (weighted, index) in zip(layers.filter { $0.layer.className == className }, indices) {
                for (weight, suffix) in zip(weighted.layer.weights, ["weight", "bias"]) {
                    let source = "\(prefix).\(index).\(suffix)"
                    guard let tensor = tensors[source] else { continue }
                    used.insert(source)
                    let converted = suffix == "bias" ? tensor
                        : className == "Conv2D" ? convolutionKernel(tensor) : denseKernel(tensor, flattenedShape: weighted.flattenedShape)
                    assignment.assign("\(weighted.path).\(weight.name)", from: source, converted)
                }
            }
        }
        assignment.unexpected = tensors.keys.filter { !used.contains($0) }
        return assignment
    }

    /// OIHW → HWIO (another rank is left alone, for the shape check to report).
    static func convolutionKernel(_ tensor: Tensor) -> Tensor {
        guard tensor.shape.count == 4 else { return tensor }
        let (o, i, h, w) = (tensor.shape[0], tensor.shape[1], tensor.shape[2], tensor.shape[3])
        let source = tensor.scalars
        var result = [Float](repeating: 0, count: source.count)
        for oo in 0..<o { for ii in 0..<i { for hh in 0..<h { for ww in 0..<w {
            result[((hh * w + ww) * i + ii) * o + oo] = source[((oo * i + ii) * h + hh) * w + ww]
        } } } }
        return Tensor(shape: [h, w, i, o], scalars: result)
    }

    /// `[out, in]` → `[in, out]`; behind a Flatten of `[H, W, C]`, input row `c·H·W + h·W + w`
    /// (PyTorch's order) becomes row `(h·W + w)·C + c` (Keras's).
    static func denseKernel(_ tensor: Tensor, flattenedShape: [Int]?) -> Tensor {
        guard tensor.shape.count == 2 else { return tensor }
        let (outputs, inputs) = (tensor.shape[0], tensor.shape[1])
        var row = Array(0..<inputs)
        if let shape = flattenedShape, shape.count == 3, shape.reduce(1, *) == inputs {
            let (h, w, c) = (shape[0], shape[1], shape[2])
            for cc in 0..<c { for hh in 0..<h { for ww in 0..<w { row[(cc * h + hh) * w + ww] = (hh * w + ww) * c + cc } } }
        }
        let source = tensor.scalars
        var result = [Float](repeating: 0, count: source.count)
        for out in 0..<outputs { for input in 0..<inputs { result[row[input] * outputs + out] = source[out * inputs + input] } }
        return Tensor(shape: [inputs, outputs], scalars: result)
    }
}
