/// `x op y` elementwise with NumPy broadcasting. Backward: each operand's gradient is
/// summed over the dimensions it was broadcast along, so it has the operand's shape.
public func elementwise(_ operation: BinaryOperation, _ x: Variable, _ y: Variable) -> Variable {
    guard let shape = broadcastShape(x.shape, y.shape) else {
        preconditionFailure("shapes \(x.shape) and \(y.shape) do not broadcast")
    }
    let backend = x.backend
    let (xValue, yValue) = (x.value, y.value)
    let output = backend.binary(operation, xValue, yValue)
    let needs = (x: x.requiresGradient, y: y.requiresGradient)
    return Variable.result(output, of: [x, y]) { gradient in
        let (dx, dy): (Tensor?, Tensor?)
        switch operation {
        case .add:
            (dx, dy) = (gradient, gradient)
        case .subtract:
            (dx, dy) = (gradient, needs.y ? backend.scale(gradient, by: -1) : nil)
        case .multiply:
            (dx, dy) = (needs.x ? backend.binary(.multiply, gradient, yValue) : nil,
                        needs.y ? backend.binary(.multiply, gradient, xValue) : nil)
        case .divide:
            // ∂x = g / y, ∂y = −g · (x / y) / y = −(g / y) · output.
            let quotient = backend.binary(.divide, gradient, yValue)
            (dx, dy) = (quotient, needs.y ? backend.scale(backend.binary(.multiply, quotient, output), by: -1) : nil)
        }
        assert(dx.map { $0.shape == shape } ?? true)
        return [needs.x ? dx.map { backend.sum($0, reducedTo: xValue.shape) } : nil,
                needs.y ? dy.map { backend.sum($0, reducedTo: yValue.shape) } : nil]
    }
}

public func + (x: Variable, y: Variable) -> Variable { elementwise(.add, x, y) }
public func - (x: Variable, y: Variable) -> Variable { elementwise(.subtract, x, y) }
public func * (x: Variable, y: Variable) -> Variable { elementwise(.multiply, x, y) }
public func / (x: Variable, y: Variable) -> Variable { elementwise(.divide, x, y) }
