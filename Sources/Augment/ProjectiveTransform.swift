import Foundation
import Imaging

/// A 2-D projective map (homography) in pixel coordinates: (x, y) ↦ ((m0·x + m1·y + m2) / w,
/// (m3·x + m4·y + m5) / w) with w = m6·x + m7·y + m8. Like `AffineTransform` it maps *input*
/// positions to *output* positions; resampling uses the inverse.
public struct ProjectiveTransform: Hashable, Sendable, Codable {
    /// Row-major 3×3 matrix.
    public var m: [Double]

    public init(_ m: [Double]) {
        precondition(m.count == 9, "a projective transform has 9 coefficients")
        self.m = m
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let m = try container.decode([Double].self, forKey: .m)
        guard m.count == 9 else {
            throw DecodingError.dataCorruptedError(forKey: .m, in: container, debugDescription: "a projective transform has 9 coefficients")
        }
        self.m = m
    }

    public init(_ affine: AffineTransform) {
        m = [affine.a, affine.b, affine.c, affine.d, affine.e, affine.f, 0, 0, 1]
    }


    public func apply(x: Double, y: Double) -> (x: Double, y: Double) {
        let w = m[6] * x + m[7] * y + m[8]
        return ((m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w)
    }

    /// This transform followed by `next` (next · self).
    public func followed(by next: ProjectiveTransform) -> ProjectiveTransform {
        var product = [Double](repeating: 0, count: 9)
        for row in 0..<3 {
            for column in 0..<3 {
                product[row * 3 + column] = (0..<3).reduce(0) { $0 + next.m[row * 3 + $1] * m[$1 * 3 + column] }
            }
        }
        return ProjectiveTransform(product).normalized
    }

    /// Scaled so that m8 is 1 where it can be (the same map).
    var normalized: ProjectiveTransform {
        guard m[8] != 0, m[8].isFinite, m[8] != 1 else { return self }
        return ProjectiveTransform(m.map { $0 / m[8] })
    }

    /// The affine map this is, when its last row is (0, 0, 1).
    public var affine: AffineTransform? {
        guard m[6] == 0, m[7] == 0, m[8] == 1 else { return nil }
        return AffineTransform(a: m[0], b: m[1], c: m[2], d: m[3], e: m[4], f: m[5])
    }

    /// The inverse map, or nil when the matrix is singular.
    public var inverse: ProjectiveTransform? {
        let (a, b, c, d, e, f, g, h, i) = (m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8])
        let cofactors = [e * i - f * h, c * h - b * i, b * f - c * e,
                         f * g - d * i, a * i - c * g, c * d - a * f,
                         d * h - e * g, b * g - a * h, a * e - b * d]
        let determinant = a * cofactors[0] + b * cofactors[3] + c * cofactors[6]
        guard abs(determinant) > 1e-12, determinant.isFinite else { return nil }
        return ProjectiveTransform(cofactors.map { $0 / determinant }).normalized
    }

    /// The map taking each of four `source` points to the matching `target` point (nil when
    /// three of them are collinear): the 8×8 linear system with m8 = 1, solved by Gaussian
    /// elimination with partial pivoting in Double.
    public static func mapping(_ source: [(x: Double, y: Double)], to target: [(x: Double, y: Double)]) -> ProjectiveTransform? {
        precondition(source.count == 4 && target.count == 4, "a homography needs four point pairs")
        var rows = [[Double]]()
        for k in 0..<4 {
            let (x, y) = source[k], (u, v) = target[k]
            rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y, u])
            rows.append([0, 0, 0, x, y, 1, -v * x, -v * y, v])
        }
        for column in 0..<8 {
            guard let pivot = (column..<8).max(by: { abs(rows[$0][column]) < abs(rows[$1][column]) }),
                  abs(rows[pivot][column]) > 1e-12 else { return nil }
            rows.swapAt(column, pivot)
            for row in 0..<8 where row != column {
                let factor = rows[row][column] / rows[column][column]
                if factor != 0 { for k in column..<9 { rows[row][k] -= factor * rows[column][k] } }
            }
        }
        return ProjectiveTransform((0..<8).map { rows[$0][8] / rows[$0][$0] } + [1])
    }
}

/// A geometric map being fused: affine while every step is affine (composed exactly as
/// `AffineTransform.followed(by:)`), projective once one step is.
enum GeometricMap {
    case affine(AffineTransform)
    case projective(ProjectiveTransform)

    func followed(by next: GeometricMap) -> GeometricMap {
        switch (self, next) {
        case (.affine(let first), .affine(let second)): return .affine(first.followed(by: second))
        default: return .projective(projective.followed(by: next.projective))
        }
    }

    var projective: ProjectiveTransform {
        switch self {
        case .affine(let map): ProjectiveTransform(map)
        case .projective(let map): map
        }
    }
}
