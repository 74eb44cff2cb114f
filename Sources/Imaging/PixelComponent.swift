/// The sample types an `Image` can hold.
public enum PixelType: String, Sendable, CaseIterable {
    case uint8, uint16, float32
}

/// A numeric type usable as one channel sample of an `Image`.
public protocol PixelComponent: Numeric, Comparable, Sendable {
    static var pixelType: PixelType { get }
    /// The sample as a Double (no scaling).
    var doubleValue: Double { get }
    /// The nearest representable sample, clamped to the type's range (no scaling).
    init(clamping value: Double)
}

extension UInt8: PixelComponent {
    public static var pixelType: PixelType { .uint8 }
    @inlinable public var doubleValue: Double { Double(self) }
    @inlinable public init(clamping value: Double) {
        self = value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value.rounded())
    }
}

extension UInt16: PixelComponent {
    public static var pixelType: PixelType { .uint16 }
    @inlinable public var doubleValue: Double { Double(self) }
    @inlinable public init(clamping value: Double) {
        self = value <= 0 ? 0 : value >= 65535 ? 65535 : UInt16(value.rounded())
    }
}

extension Float: PixelComponent {
    public static var pixelType: PixelType { .float32 }
    @inlinable public var doubleValue: Double { Double(self) }
    @inlinable public init(clamping value: Double) { self = Float(value) }
}
