/// `model.summary()` in tf.keras 2's layout: 65 columns, fields cut at columns 29 and 55,
/// underscores between rows, totals with thousands separators. A graph whose layers do not
/// simply follow one another gets Keras's 98-column layout with a "Connected to" column
/// (`layer[0][0]`, one row per inbound layer).
extension Model {
    public var summary: String {
        let chained = connections.map { inbound in
            inbound.enumerated().allSatisfy { index, names in names == (index == 0 ? [] : [layers[index - 1].name]) }
        } ?? true
        let (width, positions) = chained ? (65, [29, 55, 65]) : (98, [32, 53, 65, 98])
        let header = ["Layer (type)", "Output Shape", "Param #"] + (chained ? [] : ["Connected to"])
        var lines = ["Model: \"\(name)\"", String(repeating: "_", count: width),
                     row(header, positions), String(repeating: "=", count: width)]
        for (index, (layer, shape)) in zip(layers, outputShapes).enumerated() {
            let counts = layer.parameterCounts
            var outputShape = "(None, \(shape.map(String.init).joined(separator: ", ")))"
            if layer is InputLayer { outputShape = "[\(outputShape)]" }
            var fields = ["\(layer.name) (\(layer.className))", outputShape, "\(counts.trainable + counts.nonTrainable)"]
            let inbound = chained ? [] : connections![index].map { "\($0)[0][0]" }
            if !chained { fields.append(inbound.first ?? "") }
            lines.append(row(fields, positions))
            for more in inbound.dropFirst() { lines.append(row(["", "", "", more], positions)) }
            lines.append(String(repeating: index == layers.count - 1 ? "=" : "_", count: width))
        }
        if layers.isEmpty { lines.append(String(repeating: "=", count: width)) }
        let counts = parameterCounts
        lines.append("Total params: \(grouped(counts.trainable + counts.nonTrainable))")
        lines.append("Trainable params: \(grouped(counts.trainable))")
        lines.append("Non-trainable params: \(grouped(counts.nonTrainable))")
        lines.append(String(repeating: "_", count: width))
        return lines.joined(separator: "\n")
    }

    /// Keras's `print_row`: each field starts where the previous one was cut (one space kept
    /// before it) and is cut or padded to its column.
    private func row(_ fields: [String], _ positions: [Int]) -> String {
        var line = ""
        for (index, field) in fields.enumerated() {
            if index > 0 { line = String(line.dropLast()) + " " }
            line += field
            line = String(line.prefix(positions[index]))
            line += String(repeating: " ", count: positions[index] - line.count)
        }
        return line
    }
}

/// `14714688` → `14,714,688` (Python's `{:,}`).
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
        result.append(digit)
    }
    return (value < 0 ? "-" : "") + result
}
