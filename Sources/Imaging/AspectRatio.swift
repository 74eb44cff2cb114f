/// How an image is fitted to a target size whose aspect ratio differs from its own.
public enum AspectRatioMode: Hashable, Sendable {
    /// Scale each axis independently (Keras's default).
    case stretch
    /// Keep the aspect ratio by resizing the largest centred region with the target's ratio,
    /// computed in integers exactly as Keras's `keep_aspect_ratio=True` does.
    case centerCrop
    /// Keep the aspect ratio by fitting the whole image inside the target and padding the
    /// rest evenly with a constant (letterbox).
    case letterbox(fill: Double)
}

extension Image {
    /// Resizes to `size` following `aspect`; see `resized(to:filter:region:)` for the filter.
    public func resized(to size: ImageSize, filter: ResamplingFilter = .bilinear, aspect: AspectRatioMode) -> Image {
        switch aspect {
        case .stretch:
            return resized(to: size, filter: filter)
        case .centerCrop:
            return resized(to: size, filter: filter, region: SourceRegion(centerCropRect(for: size)))
        case .letterbox(let fill):
            let scale = min(Double(size.width) / Double(width), Double(size.height) / Double(height))
            let inner = ImageSize(width: max(1, min(size.width, Int((Double(width) * scale).rounded()))),
                                  height: max(1, min(size.height, Int((Double(height) * scale).rounded()))))
            let scaled = resized(to: inner, filter: filter)
            return scaled.padded(to: size, fill: Component(clamping: fill))
        }
    }

    /// Keras's centre crop for `keep_aspect_ratio`: the largest centred rectangle with the
    /// target's aspect ratio, in integer arithmetic.
    public func centerCropRect(for size: ImageSize) -> PixelRect {
        let cropHeight = min(height, width * size.height / size.width)
        let cropWidth = min(width, height * size.width / size.height)
        return PixelRect(x: (width - cropWidth) / 2, y: (height - cropHeight) / 2, width: cropWidth, height: cropHeight)
    }

    /// This image centred on a canvas of `size` filled with `fill`.
    public func padded(to size: ImageSize, fill: Component) -> Image {
        precondition(size.width >= width && size.height >= height, "cannot pad \(width)×\(height) to \(size)")
        var canvas = Image(width: size.width, height: size.height, channels: channels)
        let left = (size.width - width) / 2, top = (size.height - height) / 2
        let rowLength = width * channels
        canvas.withUnsafeMutableSamples { output, outputStride in
            if fill != .zero {
                for y in 0..<size.height { (output + y * outputStride).update(repeating: fill, count: size.width * channels) }
            }
            withUnsafeSamples { input, inputStride in
                for y in 0..<height {
                    (output + (top + y) * outputStride + left * channels).update(from: input + y * inputStride, count: rowLength)
                }
            }
        }
        return canvas
    }
}
