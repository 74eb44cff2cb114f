import Foundation
import Imaging

/// A 2-D affine map in pixel coordinates, (x, y) ↦ (a·x + b·y + c, d·x + e·y + f), where the
/// centre of pixel (i, j) sits at (i, j), x grows to the right and y downwards.
///
/// Transforms here map *input* positions to *output* positions ("where does content go");
/// resampling uses the inverse.
public struct AffineTransform: Hashable, Sendable, Codable {
    public var a, b, c, d, e, f: Double

    public init(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double) {
        (self.a, self.b, self.c, self.d, self.e, self.f) = (a, b, c, d, e, f)
    }

    public static let identity = AffineTransform(a: 1, b: 0, c: 0, d: 0, e: 1, f: 0)

    public func apply(x: Double, y: Double) -> (x: Double, y: Double) {
        (a * x + b * y + c, d * x + e * y + f)
    }

    /// This transform followed by `next`.
    public func followed(by next: AffineTransform) -> AffineTransform {
        AffineTransform(a: next.a * a + next.b * d, b: next.a * b + next.b * e, c: next.a * c + next.b * f + next.c,
                        d: next.d * a + next.e * d, e: next.d * b + next.e * e, f: next.d * c + next.e * f + next.f)
    }

    /// The inverse map, or nil when the transform collapses the plane.
    public var inverse: AffineTransform? {
        let determinant = a * e - b * d
        guard abs(determinant) > 1e-12 else { return nil }
        let ia = e / determinant, ib = -b / determinant, id = -d / determinant, ie = a / determinant
        return AffineTransform(a: ia, b: ib, c: -(ia * c + ib * f), d: id, e: ie, f: -(id * c + ie * f))
    }

    public static func translation(x: Double, y: Double) -> AffineTransform {
        AffineTransform(a: 1, b: 0, c: x, d: 0, e: 1, f: y)
    }

    /// A map about `center` given by its linear part.
    static func about(_ center: (x: Double, y: Double), a: Double, b: Double, d: Double, e: Double) -> AffineTransform {
        AffineTransform(a: a, b: b, c: center.x - a * center.x - b * center.y,
                        d: d, e: e, f: center.y - d * center.x - e * center.y)
    }

    /// Rotation by `degrees` about `center`; positive turns content counter-clockwise on screen.
    public static func rotation(degrees: Double, about center: (x: Double, y: Double)) -> AffineTransform {
        let radians = degrees * .pi / 180
        let cosine = cos(radians), sine = sin(radians)
        return about(center, a: cosine, b: sine, d: -sine, e: cosine)
    }

    /// Scaling about `center`; factors above 1 enlarge content.
    public static func scaling(x: Double, y: Double, about center: (x: Double, y: Double)) -> AffineTransform {
        about(center, a: x, b: 0, d: 0, e: y)
    }

    /// Shear about `center`: `x` degrees tilts vertical lines, then `y` degrees tilts
    /// horizontal ones. As a product of two shears its determinant is 1: it never collapses
    /// or mirrors the image, whatever the angles.
    public static func shear(x: Double, y: Double, about center: (x: Double, y: Double)) -> AffineTransform {
        let tx = tan(x * .pi / 180), ty = tan(y * .pi / 180)
        return about(center, a: 1 + tx * ty, b: tx, d: ty, e: 1)
    }

    /// Whether the map moves every pixel of a `width × height` canvas exactly onto a pixel of
    /// an output canvas of `output` size, covering it (a flip, transpose or quarter turn): then
    /// no pixel is interpolated and no border is ever read.
    public func permutesPixels(width: Int, height: Int, onto output: ImageSize) -> Bool {
        guard output.width * output.height == width * height else { return false }
        let unit: Set<Double> = [-1, 0, 1]
        guard unit.contains(a), unit.contains(b), unit.contains(d), unit.contains(e), abs(a * e - b * d) == 1,
              c == c.rounded(), f == f.rounded() else { return false }
        let corners = [(0.0, 0.0), (Double(width - 1), 0.0), (0.0, Double(height - 1)), (Double(width - 1), Double(height - 1))]
        return corners.allSatisfy { corner in
            let (x, y) = apply(x: corner.0, y: corner.1)
            return x >= 0 && y >= 0 && x <= Double(output.width - 1) && y <= Double(output.height - 1)
        }
    }

    /// The centre of an image of `size` in pixel coordinates.
    public static func center(of size: (width: Int, height: Int)) -> (x: Double, y: Double) {
        (Double(size.width - 1) / 2, Double(size.height - 1) / 2)
    }
}
