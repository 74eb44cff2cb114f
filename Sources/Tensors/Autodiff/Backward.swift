extension Variable {
    /// Reverse-mode differentiation: propagates the gradient of this variable back through
    /// the ops that produced it and adds each leaf parameter's gradient to its `gradient`.
    ///
    /// - Parameter seed: the gradient of the final objective with respect to this variable;
    ///   by default 1, which requires a one-element variable (a scalar loss). Passing a seed
    ///   computes a vector–Jacobian product.
    public func backward(seed: Tensor? = nil) {
        let seed = seed ?? {
            precondition(value.scalarCount == 1,
                         "backward() without a seed needs a scalar, this variable has shape \(shape)")
            return Tensor(shape: shape, repeating: 1)
        }()
        precondition(seed.shape == shape, "seed shape \(seed.shape) differs from the variable's \(shape)")
        guard requiresGradient else { return }

        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        for variable in topologicalOrder().reversed() {
            guard let gradient = pending.removeValue(forKey: ObjectIdentifier(variable)) else { continue }
            guard let record = variable.record else {
                variable.gradient = variable.gradient.map { backend.add($0, gradient) } ?? gradient
                continue
            }
            let inputGradients = record.pullback(gradient)
            precondition(inputGradients.count == record.inputs.count, "a pullback returned the wrong gradient count")
            for (input, inputGradient) in zip(record.inputs, inputGradients) {
                guard input.requiresGradient, let inputGradient else { continue }
                precondition(inputGradient.shape == input.shape,
                             "gradient shape \(inputGradient.shape) differs from its input's \(input.shape)")
                let key = ObjectIdentifier(input)
                pending[key] = pending[key].map { backend.add($0, inputGradient) } ?? inputGradient
            }
        }
    }

    /// The variables that need a gradient and lead to this one, each after all of its inputs
    /// (iterative depth-first post-order, so deep graphs do not exhaust the stack).
    private func topologicalOrder() -> [Variable] {
        var order: [Variable] = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        var stack: [(variable: Variable, nextInput: Int)] = [(self, 0)]
        while let (variable, nextInput) = stack.last {
            let inputs = variable.record?.inputs ?? []
            if nextInput < inputs.count {
                stack[stack.count - 1].nextInput += 1
                let input = inputs[nextInput]
                if input.requiresGradient, visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                order.append(variable)
                stack.removeLast()
            }
        }
        return order
    }
}
