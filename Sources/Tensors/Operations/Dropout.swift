import InvariantCore

/// Dropout as Keras's `Dropout` layer: in training each scalar is kept with probability
/// 1 − `rate` and scaled by 1 / (1 − rate) ("inverted" dropout, so inference needs no
/// rescaling); in inference it is the identity.
///
/// The mask is a pure function of `key` (draw i decides scalar i), so a step is replayable;
/// derive the key from (seed, step, layer) with `RandomKey.derived`.
public func dropout(_ x: Variable, rate: Float, key: RandomKey, training: Bool) -> Variable {
    precondition((0..<1).contains(rate), "dropout rate must lie in [0, 1), got \(rate)")
    guard training, rate > 0 else { return x }
    let mask = dropoutMask(shape: x.shape, rate: rate, key: key)
    let backend = x.backend
    return Variable.result(backend.binary(.multiply, x.value, mask), of: [x]) { gradient in
        [backend.binary(.multiply, gradient, mask)]
    }
}

/// 1 / (1 − rate) where a uniform draw in [0, 1) is at least `rate`, else 0.
func dropoutMask(shape: [Int], rate: Float, key: RandomKey) -> Tensor {
    var generator = key.generator()
    let keep = 1 / (1 - rate)
    var mask = Tensor.uninitialized(shape: shape)
    mask.withUnsafeMutableBufferPointer { mask in
        for i in mask.indices { mask[i] = generator.nextUnit() >= Double(rate) ? keep : 0 }
    }
    return mask
}
