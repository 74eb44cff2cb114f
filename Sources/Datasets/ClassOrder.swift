/// How class folder names are ordered into label indices.
public enum ClassOrder: Hashable, Sendable {
    /// By Unicode code points, like Python's `sorted()` — Keras's order.
    case codePoint
    /// Digit runs compare by value: `class2` before `class10`.
    case natural
    /// These classes, in this order; folders not listed are ignored and reported.
    case explicit([String])

    func sorted(_ names: [String]) -> [String] {
        switch self {
        case .codePoint: names.sorted(by: codePointLess)
        case .natural: names.sorted(by: naturalLess)
        case .explicit(let order): order
        }
    }
}

/// Compares by Unicode scalar values, not by Swift's canonical-equivalence ordering.
public func codePointLess(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
}

/// Natural order: runs of ASCII digits compare as numbers, everything else by code point.
public func naturalLess(_ a: String, _ b: String) -> Bool {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    var i = 0, j = 0
    func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
    while i < x.count && j < y.count {
        if isDigit(x[i]) && isDigit(y[j]) {
            let startI = i, startJ = j
            while i < x.count && isDigit(x[i]) { i += 1 }
            while j < y.count && isDigit(y[j]) { j += 1 }
            let digitsA = String(String.UnicodeScalarView(x[startI..<i])), digitsB = String(String.UnicodeScalarView(y[startJ..<j]))
            let trimmedA = digitsA.drop { $0 == "0" }, trimmedB = digitsB.drop { $0 == "0" }
            if trimmedA.count != trimmedB.count { return trimmedA.count < trimmedB.count }
            if trimmedA != trimmedB { return trimmedA < trimmedB }
            if digitsA.count != digitsB.count { return digitsA.count < digitsB.count }
        } else {
            if x[i] != y[j] { return x[i].value < y[j].value }
            i += 1
            j += 1
        }
    }
    return x.count - i < y.count - j
}
