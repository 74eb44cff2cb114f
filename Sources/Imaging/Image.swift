import Foundation

/// A height × width × channels image with samples of type `Component`, stored row-major
/// with interleaved channels (HWC).
///
/// Images have value semantics: copies share storage until one of them is mutated.
/// `cropped(to:)` is a view — O(1), sharing the parent's storage.
public struct Image<Component: PixelComponent>: @unchecked Sendable {
    public let width: Int
    public let height: Int
    public let channels: Int
    /// Samples between the starts of two consecutive rows (≥ width × channels).
    public private(set) var rowStride: Int
    @usableFromInline var storage: PixelStorage<Component>
    @usableFromInline var offset: Int

    /// A zero-filled image.
    public init(width: Int, height: Int, channels: Int) {
        self.init(width: width, height: height, channels: channels, zeroed: true)
    }

    /// An image whose samples `initializer` writes — every one of them (contiguous rows,
    /// `rowStride` = width × channels): no zero-filling first, which for the one-pass image
    /// kernels was a fifth of their time. Samples it leaves unwritten hold arbitrary values.
    @inlinable
    public init(width: Int, height: Int, channels: Int,
                initializingSamplesWith initializer: (UnsafeMutablePointer<Component>, _ rowStride: Int) throws -> Void) rethrows {
        self.init(width: width, height: height, channels: channels, zeroed: false)
        try initializer(storage.pointer, rowStride)
    }

    @usableFromInline
    init(width: Int, height: Int, channels: Int, zeroed: Bool) {
        precondition(width >= 0 && height >= 0 && channels > 0, "invalid image shape \(width)×\(height)×\(channels)")
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        precondition(!overflow && !pixels.multipliedReportingOverflow(by: channels).overflow,
                     "image shape \(width)×\(height)×\(channels) overflows")
        self.width = width
        self.height = height
        self.channels = channels
        rowStride = width * channels
        storage = PixelStorage(count: width * height * channels, zeroed: zeroed)
        offset = 0
    }

    /// An image over the given samples (row-major HWC; count must be width × height × channels).
    public init(width: Int, height: Int, channels: Int, pixels: [Component]) {
        precondition(pixels.count == width * height * channels,
                     "\(pixels.count) samples do not fill \(width)×\(height)×\(channels)")
        self.init(width: width, height: height, channels: channels, zeroed: false)
        pixels.withUnsafeBufferPointer { source in
            storage.pointer.update(from: source.baseAddress!, count: source.count)
        }
    }

    /// Samples in the image (width × height × channels).
    public var sampleCount: Int { width * height * channels }

    /// Whether the rows follow each other without gaps.
    public var isContiguous: Bool { rowStride == width * channels }

    public subscript(x: Int, y: Int, channel: Int) -> Component {
        get {
            precondition(x >= 0 && x < width && y >= 0 && y < height && channel >= 0 && channel < channels)
            return storage.pointer[offset + y * rowStride + x * channels + channel]
        }
        set {
            precondition(x >= 0 && x < width && y >= 0 && y < height && channel >= 0 && channel < channels)
            makeUnique()
            storage.pointer[offset + y * rowStride + x * channels + channel] = newValue
        }
    }

    /// A view of a rectangle of this image, sharing its storage.
    public func cropped(to rect: PixelRect) -> Image {
        precondition(rect.x >= 0 && rect.y >= 0 && rect.width >= 0 && rect.height >= 0 &&
                     rect.x + rect.width <= width && rect.y + rect.height <= height,
                     "crop \(rect) outside \(width)×\(height)")
        var view = self
        view.offset = offset + rect.y * rowStride + rect.x * channels
        view = Image(viewOf: view, width: rect.width, height: rect.height)
        return view
    }

    private init(viewOf parent: Image, width: Int, height: Int) {
        self.width = width
        self.height = height
        channels = parent.channels
        rowStride = parent.rowStride
        storage = parent.storage
        offset = parent.offset
    }

    /// The samples as one contiguous array (row-major HWC).
    public var pixels: [Component] {
        var result = [Component]()
        result.reserveCapacity(sampleCount)
        for y in 0..<height {
            let row = UnsafeBufferPointer(start: storage.pointer + offset + y * rowStride, count: width * channels)
            result.append(contentsOf: row)
        }
        return result
    }

    /// Calls `body` with row `y`'s samples (width × channels of them).
    @inlinable
    public func withRow<R>(_ y: Int, _ body: (UnsafeBufferPointer<Component>) throws -> R) rethrows -> R {
        precondition(y >= 0 && y < height)
        return try body(UnsafeBufferPointer(start: storage.pointer + offset + y * rowStride, count: width * channels))
    }

    /// Calls `body` with a pointer to the first sample and the row stride, for kernels that
    /// walk the rows themselves. The pointer must not escape.
    @inlinable
    public func withUnsafeSamples<R>(_ body: (UnsafePointer<Component>, _ rowStride: Int) throws -> R) rethrows -> R {
        try body(UnsafePointer(storage.pointer + offset), rowStride)
    }

    /// Mutable access to the samples; copies first if the storage is shared.
    @inlinable
    public mutating func withUnsafeMutableSamples<R>(
        _ body: (UnsafeMutablePointer<Component>, _ rowStride: Int) throws -> R
    ) rethrows -> R {
        makeUnique()
        return try body(storage.pointer + offset, rowStride)
    }

    /// A contiguous copy when this image is a view (or shares storage); otherwise itself.
    public func compacted() -> Image {
        if isContiguous && offset == 0 && storage.count == sampleCount { return self }
        var copy = Image(width: width, height: height, channels: channels, zeroed: false)
        copyRows(into: &copy)
        return copy
    }

    @usableFromInline
    mutating func makeUnique() {
        if isKnownUniquelyReferenced(&storage) { return }
        var copy = Image(width: width, height: height, channels: channels, zeroed: false)
        copyRows(into: &copy)
        self = copy
    }

    private func copyRows(into destination: inout Image) {
        let rowLength = width * channels
        for y in 0..<height {
            (destination.storage.pointer + y * destination.rowStride)
                .update(from: storage.pointer + offset + y * rowStride, count: rowLength)
        }
    }
}

extension Image: Equatable {
    /// Images are equal when their shapes and samples are; storage layout does not matter.
    public static func == (lhs: Image, rhs: Image) -> Bool {
        guard lhs.width == rhs.width, lhs.height == rhs.height, lhs.channels == rhs.channels else { return false }
        for y in 0..<lhs.height {
            let equal = lhs.withRow(y) { a in rhs.withRow(y) { b in a.elementsEqual(b) } }
            if !equal { return false }
        }
        return true
    }
}

extension Image: CustomStringConvertible {
    public var description: String { "Image<\(Component.pixelType.rawValue)>(\(width)×\(height)×\(channels))" }
}

/// An integer rectangle in pixel coordinates.
public struct PixelRect: Hashable, Sendable, Codable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var description: String { "(\(x), \(y), \(width)×\(height))" }
}

/// Heap storage for samples, 64-byte aligned for SIMD kernels.
@usableFromInline
final class PixelStorage<Component>: @unchecked Sendable {
    @usableFromInline let pointer: UnsafeMutablePointer<Component>
    @usableFromInline let count: Int

    init(count: Int, zeroed: Bool) {
        self.count = count
        let bytes = max(1, count * MemoryLayout<Component>.stride)
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, 64, bytes) == 0, let raw else {
            fatalError("out of memory allocating \(bytes) bytes for an image")
        }
        if zeroed { memset(raw, 0, bytes) }
        pointer = raw.bindMemory(to: Component.self, capacity: max(1, count))
    }

    deinit { free(pointer) }
}

/// An image of any sample type, as decoders return it.
public enum AnyImage: Sendable, Equatable {
    case uint8(Image<UInt8>)
    case uint16(Image<UInt16>)
    case float32(Image<Float>)

    public var width: Int { map { $0.width } }
    public var height: Int { map { $0.height } }
    public var channels: Int { map { $0.channels } }
    public var pixelType: PixelType {
        switch self {
        case .uint8: .uint8
        case .uint16: .uint16
        case .float32: .float32
        }
    }

    private func map<R>(_ body: (any ImageShape) -> R) -> R {
        switch self {
        case .uint8(let image): body(image)
        case .uint16(let image): body(image)
        case .float32(let image): body(image)
        }
    }

    /// The image as 8-bit samples: 16-bit samples are scaled (v × 255 / 65535, rounded),
    /// float samples are rounded and clamped to 0…255.
    public var eightBit: Image<UInt8> {
        switch self {
        case .uint8(let image): image
        case .uint16(let image): image.scaledToEightBits()
        case .float32(let image): image.converted { UInt8(clamping: Double($0)) }
        }
    }
}

/// The shape of an image, whatever its sample type.
protocol ImageShape {
    var width: Int { get }
    var height: Int { get }
    var channels: Int { get }
}

extension Image: ImageShape {}

extension Image {
    /// An image of the same shape with every sample mapped by `transform`.
    public func converted<Target: PixelComponent>(_ transform: (Component) -> Target) -> Image<Target> {
        var result = Image<Target>(width: width, height: height, channels: channels)
        let rowLength = width * channels
        result.withUnsafeMutableSamples { destination, destinationStride in
            withUnsafeSamples { source, sourceStride in
                for y in 0..<height {
                    let input = source + y * sourceStride, output = destination + y * destinationStride
                    for i in 0..<rowLength { output[i] = transform(input[i]) }
                }
            }
        }
        return result
    }
}

extension Image where Component == UInt16 {
    /// Scales 16-bit samples to 8 bits by rounding v × 255 / 65535 (not by taking the high
    /// byte, and never by saturating).
    public func scaledToEightBits() -> Image<UInt8> {
        converted { UInt8((UInt32($0) * 255 + 32767) / 65535) }
    }
}
