/// How pixels outside the image are invented when a warp samples there. The pattern shows
/// a row `abcd` extended on both sides.
public enum BorderMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// `kkkk|abcd|kkkk`: a constant fill value.
    case constant
    /// `aaaa|abcd|dddd`: the edge pixel repeated (Keras/scipy `nearest`, OpenCV `BORDER_REPLICATE`).
    case replicate
    /// `dcba|abcd|dcba`: mirrored including the edge (Keras/scipy `reflect`, OpenCV `BORDER_REFLECT`).
    case reflect
    /// `dcb|abcd|cba`: mirrored about the edge pixel (OpenCV `BORDER_REFLECT_101`, albumentations' default).
    case reflect101
    /// `abcd|abcd|abcd`: periodic (OpenCV `BORDER_WRAP`).
    case wrap

    /// The mode's number for C kernels (`invariant_blend_rgb_border`).
    var code: Int32 {
        switch self {
        case .constant: 0
        case .replicate: 1
        case .reflect: 2
        case .reflect101: 3
        case .wrap: 4
        }
    }

    /// The index inside `0..<size` that stands for `index`, or nil for the constant fill.
    @inline(__always)
    func resolve(_ index: Int, size: Int) -> Int? {
        if index >= 0 && index < size { return index }
        switch self {
        case .constant:
            return nil
        case .replicate:
            return index < 0 ? 0 : size - 1
        case .reflect:
            let period = 2 * size
            var i = index % period
            if i < 0 { i += period }
            return i < size ? i : period - 1 - i
        case .reflect101:
            guard size > 1 else { return 0 }
            let period = 2 * size - 2
            var i = index % period
            if i < 0 { i += period }
            return i < size ? i : period - i
        case .wrap:
            var i = index % size
            if i < 0 { i += size }
            return i
        }
    }
}

/// How a warp reads between pixels.
public enum Interpolation: String, Hashable, Sendable, Codable, CaseIterable {
    case nearest, bilinear, bicubic
}
