/// The optimizer kernels as single fused loops over a parameter and its state.
extension CPUBackend {
    public func adamUpdate(parameter: inout Tensor, gradient: Tensor, firstMoment: inout Tensor,
                           secondMoment: inout Tensor, stepSize: Float, beta1: Float, beta2: Float,
                           epsilon: Float, secondMomentCorrection: Float) {
        gradient.withUnsafeBufferPointer { g in
            parameter.withUnsafeMutableBufferPointer { theta in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { v in
                        for i in 0..<g.count {
                            m[i] += (g[i] - m[i]) * (1 - beta1)
                            v[i] += (g[i] * g[i] - v[i]) * (1 - beta2)
                            theta[i] -= stepSize * m[i] / (v[i].squareRoot() / secondMomentCorrection + epsilon)
                        }
                    }
                }
            }
        }
    }

    public func sgdUpdate(parameter: inout Tensor, gradient: Tensor, velocity: inout Tensor?, learningRate: Float,
                          momentum: Float, nesterov: Bool) {
        gradient.withUnsafeBufferPointer { g in
            parameter.withUnsafeMutableBufferPointer { theta in
                guard var state = velocity else {
                    for i in 0..<g.count { theta[i] -= g[i] * learningRate }
                    return
                }
                velocity = nil  // keep the state uniquely referenced while it is written
                state.withUnsafeMutableBufferPointer { v in
                    for i in 0..<g.count {
                        v[i] = v[i] * momentum - g[i] * learningRate
                        theta[i] += nesterov ? v[i] * momentum - g[i] * learningRate : v[i]
                    }
                }
                velocity = state
            }
        }
    }

    public func rmspropUpdate(parameter: inout Tensor, gradient: Tensor, velocity: inout Tensor,
                              averageGradient: inout Tensor?, momentumState: inout Tensor?, learningRate: Float,
                              rho: Float, momentum: Float, epsilon: Float) {
        var average = averageGradient, accumulated = momentumState
        (averageGradient, momentumState) = (nil, nil)
        gradient.withUnsafeBufferPointer { g in
            parameter.withUnsafeMutableBufferPointer { theta in
                velocity.withUnsafeMutableBufferPointer { v in
                    withOptionalBuffer(&average) { a in
                        withOptionalBuffer(&accumulated) { mu in
                            for i in 0..<g.count {
                                v[i] = rho * v[i] + (1 - rho) * g[i] * g[i]
                                var denominator = v[i] + epsilon
                                if let a {
                                    a[i] = rho * a[i] + (1 - rho) * g[i]
                                    denominator = v[i] - a[i] * a[i] + epsilon
                                }
                                let increment = learningRate * g[i] / denominator.squareRoot()
                                if let mu {
                                    mu[i] = momentum * mu[i] + increment
                                    theta[i] -= mu[i]
                                } else {
                                    theta[i] -= increment
                                }
                            }
                        }
                    }
                }
            }
        }
        (averageGradient, momentumState) = (average, accumulated)
    }

    public func sumOfSquares(_ x: Tensor) -> Double {
        x.withUnsafeBufferPointer { x in x.reduce(0) { $0 + Double($1) * Double($1) } }
    }

    public func clip(_ x: Tensor, magnitude limit: Float) -> Tensor {
        map(x) { min(max($0, -limit), limit) }
    }

    /// Calls `body` with the writable scalars of `tensor`, or nil when there is none.
    private func withOptionalBuffer(_ tensor: inout Tensor?, _ body: (UnsafeMutableBufferPointer<Float>?) -> Void) {
        guard var value = tensor else { return body(nil) }
        tensor = nil
        value.withUnsafeMutableBufferPointer { body($0) }
        tensor = value
    }
}
