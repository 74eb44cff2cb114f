import Foundation
import Imaging

/// Why a spec string could not be read: the bad token and the accepted forms.
public struct AugmentationSpecError: Error, Equatable, CustomStringConvertible {
    public var token: String
    public var reason: String

    public var description: String {
        "augmentation spec: '\(token)': \(reason)\naccepted tokens:\n" + AugmentationSpec.acceptedForms
    }
}

/// The compact command-line form of a pipeline, e.g.
/// `hflip,rotate=20,zoom=0.8:1.2,brightness=0.8:1.2,shift=0.1`.
///
/// Tokens run in the order written; geometric settings (`border`, `fill`, `interpolation`)
/// apply to every geometric step wherever they are written.
public enum AugmentationSpec {
    static let acceptedForms = """
          hflip[=P]           mirror left-right with probability P (default 0.5)
          vflip[=P]           mirror top-bottom with probability P (default 0.5)
          rotate=D | LO:HI    rotate by an angle in [-D, D] or [LO, HI] degrees (positive: counter-clockwise)
          zoom=Z | LO:HI      scale content by a factor in [1-Z, 1+Z] or [LO, HI] (above 1 enlarges)
          shift=F | LO:HI     move content by a fraction of the size in [-F, F] or [LO, HI], per axis
          shear=D | LO:HI     shear by angles in [-D, D] or [LO, HI] degrees, per axis (within ±89)
          brightness=F | LO:HI  multiply levels by a factor in [1-F, 1+F] or [LO, HI] (PIL's enhancer)
          brightness-shift=D | LO:HI  add an offset in [-D, D] or [LO, HI] levels (Keras 3 RandomBrightness)
          gamma=LO:HI         apply a gamma in [LO, HI]
          transpose[=P] | rotate90[=P] | invert[=P]   with probability P (default 0.5)
          solarize[=T]        invert levels ≥ T (default 128), probability 0.5
          posterize=LO:HI     keep LO…HI bits, probability 0.5
          rgb-shift=D         add a per-channel offset in [-D, D] levels, probability 0.5
          crop=WxH | center-crop=WxH | resize=WxH | random-resized-crop=WxH | pad=WxH
          to-gray[=P] | equalize[=P]   Pillow's luma / PIL's histogram equalisation (default P 0.5)
          dropout=LO:HI       erase one rectangle with sides LO…HI of the image's, probability 0.5
          noise=LO:HI         add Gaussian noise with σ in [LO, HI] levels, probability 0.5
          longest-max-size=N | smallest-max-size=N   resize keeping the aspect ratio so the longer (shorter) side is N
          perspective=S | LO:HI   corner offsets |N(0, σ)| with σ in [0, S] or [LO, HI] of the side (albumentations), probability 0.5
          elastic=ALPHA:SIGMA  elastic deformation: noise smoothed by σ SIGMA px, scaled by ALPHA px, probability 0.5
          grid-distortion=D | LO:HI   5×5 grid, cells stretched by 1 + [-D, D] or [LO, HI], probability 0.5
          hsv[=H:S:V]         shift OpenCV hue/saturation/value by up to ±H, ±S, ±V (default 20:30:20), probability 0.5
          color-jitter=B:C:S:H  torchvision factors 1±B, 1±C, 1±S and hue ±H (H ≤ 0.5) in a random order, probability 0.5
                              (or eight numbers: the brightness, contrast, saturation and hue LO:HI ranges)
          channel-shift=D | LO:HI   Keras: one offset for every channel, clipped to the image's range
          sharpen[=LO:HI]     sharpen with α in [LO, HI] (default 0.2:0.5), probability 0.5
          blur=S | LO:HI      Gaussian blur with σ in [0, S] or [LO, HI] pixels, probability 0.5
          motion-blur=K | LO:HI   motion blur with an odd kernel size in [3, K] or [LO, HI], probability 0.5
          jpeg=Q | LO:HI      JPEG round trip at quality Q or in [LO, HI] (1…100), probability 0.5
          rand-augment[=N:M]  torchvision's RandAugment: N operations (default 2) at magnitude bin M of 31 (default 9)
          trivial-augment     torchvision's TrivialAugmentWide
          auto-augment        torchvision's AutoAugment, ImageNet policy
          border=MODE         constant, replicate, reflect, reflect101 or wrap (default reflect101)
          fill=V              the constant border's level (default 0)
          interpolation=I     nearest, bilinear or bicubic (default bilinear)
        """

    public static func parse(_ text: String) throws -> AugmentationPipeline {
        let tokens = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if tokens.contains(where: \.isEmpty) {
            throw AugmentationSpecError(token: text, reason: "empty token (two commas, or a comma at an end)")
        }
        return AugmentationPipeline(try parseSteps(tokens))
    }

    /// A pipeline from a spec string, or from a file holding a spec string or the JSON form
    /// (`AugmentationJSON`); `text` names a file when one exists at that path.
    public static func load(_ text: String) throws -> AugmentationPipeline {
        guard FileManager.default.fileExists(atPath: text) else { return try parse(text) }
        guard let data = FileManager.default.contents(atPath: text) else {
            throw AugmentationSpecError(token: text, reason: "cannot read the file")
        }
        let content = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return content.hasPrefix("{") ? try AugmentationJSON.decode(data) : try parse(content)
    }

    /// The steps of already split tokens.
    static func parseSteps(_ tokens: [String]) throws -> [any Augmentation] {
        let text = tokens.joined(separator: ",")
        var geometry = GeometryOptions()
        var builders: [(GeometryOptions) -> any Augmentation] = []
        for token in tokens {
            guard !token.isEmpty else {
                throw AugmentationSpecError(token: text, reason: "empty token (two commas, or a comma at an end)")
            }
            let parts = token.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0], value = parts.count > 1 ? parts[1] : nil
            func range(symmetricAbout center: Double, positive: Bool = false, within limits: ClosedRange<Double>) throws
                -> ClosedRange<Double> {
                let range = try parseRange(value, token: token, symmetricAbout: center, positive: positive)
                guard limits.contains(range.lowerBound) && limits.contains(range.upperBound) else {
                    throw AugmentationSpecError(token: token, reason: "values must lie within \(limits.lowerBound)…\(limits.upperBound)")
                }
                return range
            }
            if let make = probabilitySteps[name] {
                let p = try probability(value, token: token)
                builders.append { _ in make(p) }
                continue
            }
            switch name {
            case "rotate":
                let degrees = try range(symmetricAbout: 0, within: -360...360)
                builders.append { Rotate(degrees: degrees, geometry: $0) }
            case "zoom":
                let factors = try range(symmetricAbout: 1, positive: true, within: 0.01...100)
                builders.append { Zoom(factors: factors, geometry: $0) }
            case "shift":
                let fractions = try range(symmetricAbout: 0, within: -4...4)
                builders.append { Shift(fractions: fractions, geometry: $0) }
            case "shear":
                let degrees = try range(symmetricAbout: 0, within: -89...89)
                builders.append { Shear(degrees: degrees, geometry: $0) }
            case "brightness":
                let factors = try range(symmetricAbout: 1, positive: true, within: 0.01...100)
                builders.append { _ in Brightness(factors: factors) }
            case "brightness-shift":
                let offsets = try range(symmetricAbout: 0, within: -255...255)
                builders.append { _ in BrightnessShift(offsets: offsets) }
            case "gamma":
                let gammas = try range(symmetricAbout: 1, positive: true, within: 0.01...100)
                builders.append { _ in Gamma(gammas: gammas) }
            case "dropout":
                let sides = try range(symmetricAbout: 0, within: 0.001...1)
                builders.append { _ in CoarseDropout(sides: sides) }
            case "noise":
                let sigmas = try range(symmetricAbout: 0, within: 0...255)
                builders.append { _ in GaussNoise(sigmas: sigmas) }
            case "solarize":
                let threshold = try value.map { text -> Int in
                    guard let t = Int(text), (0...256).contains(t) else {
                        throw AugmentationSpecError(token: token, reason: "expected solarize=T with T in 0…256")
                    }
                    return t
                } ?? 128
                builders.append { _ in Solarize(threshold: threshold) }
            case "posterize":
                let bits = try range(symmetricAbout: 8, within: 1...8)
                guard bits.lowerBound >= 1, bits.upperBound <= 8, bits.lowerBound == bits.lowerBound.rounded(),
                      bits.upperBound == bits.upperBound.rounded() else {
                    throw AugmentationSpecError(token: token, reason: "expected posterize=LO:HI with whole numbers of bits in 1…8")
                }
                builders.append { _ in Posterize(bits: Int(bits.lowerBound)...Int(bits.upperBound)) }
            case "rgb-shift":
                let offsets = try range(symmetricAbout: 0, within: -255...255)
                builders.append { _ in RGBShift(offsets: offsets) }
            case "crop", "center-crop", "resize", "random-resized-crop", "pad":
                let size = try imageSize(value, token: token)
                builders.append { geometry in
                    switch name {
                    case "crop": RandomCrop(size: size)
                    case "center-crop": CenterCrop(size: size)
                    case "resize": Resize(size: size, interpolation: geometry.interpolation)
                    case "random-resized-crop": RandomResizedCrop(size: size, interpolation: geometry.interpolation)
                    default: PadIfNeeded(size: size, border: geometry.border, fill: geometry.fill)
                    }
                }
            case "longest-max-size", "smallest-max-size":
                guard let side = value.flatMap(Int.init), (1...16384).contains(side) else {
                    throw AugmentationSpecError(token: token, reason: "expected \(name)=N with N a side in 1…16384 pixels")
                }
                builders.append { geometry -> any Augmentation in
                    name == "longest-max-size" ? LongestMaxSize(maxSize: side, interpolation: geometry.interpolation)
                        : SmallestMaxSize(maxSize: side, interpolation: geometry.interpolation)
                }
            case "perspective":
                let scales = try range(symmetricAbout: 0, within: -0.5...0.5)
                builders.append { Perspective(scales: max(0, scales.lowerBound)...scales.upperBound, geometry: $0) }
            case "elastic":
                let numbers = try numbers(value, count: 2, token: token, form: "elastic=ALPHA:SIGMA")
                guard (0...1000).contains(numbers[0]), numbers[1] > 0, numbers[1] <= 100 else {
                    throw AugmentationSpecError(token: token, reason: "expected elastic=ALPHA:SIGMA with ALPHA in 0…1000 and SIGMA in (0, 100] pixels")
                }
                builders.append { ElasticTransform(alpha: numbers[0], sigma: numbers[1], geometry: $0) }
            case "grid-distortion":
                let limits = try range(symmetricAbout: 0, within: -0.9...0.9)
                builders.append { GridDistortion(limits: limits, geometry: $0) }
            case "hsv":
                let limits = try value.map { _ in try numbers(value, count: 3, token: token, form: "hsv=H:S:V") } ?? [20, 30, 20]
                guard limits.allSatisfy({ $0 >= 0 }), limits[0] <= 180, limits[1] <= 255, limits[2] <= 255 else {
                    throw AugmentationSpecError(token: token, reason: "expected hsv=H:S:V with H in 0…180 and S, V in 0…255")
                }
                builders.append { _ in HueSaturationValue(hue: -limits[0]...limits[0], saturation: -limits[1]...limits[1],
                                                          value: -limits[2]...limits[2]) }
            case "color-jitter":
                // B:C:S:H (torchvision's single-number forms) or the four LO:HI ranges.
                let count = value?.split(separator: ":", omittingEmptySubsequences: false).count == 8 ? 8 : 4
                let jitter = try numbers(value, count: count, token: token, form: "color-jitter=B:C:S:H or BLO:BHI:CLO:CHI:SLO:SHI:HLO:HHI")
                let ranges: [ClosedRange<Double>]
                if count == 4 {
                    guard jitter[0...2].allSatisfy({ (0...10).contains($0) }), (0...0.5).contains(jitter[3]) else {
                        throw AugmentationSpecError(token: token, reason: "expected color-jitter=B:C:S:H with B, C, S in 0…10 and H in 0…0.5")
                    }
                    ranges = jitter[0...2].map { max(0, 1 - $0)...(1 + $0) } + [-jitter[3]...jitter[3]]
                } else {
                    let pairs = stride(from: 0, to: 8, by: 2).map { (jitter[$0], jitter[$0 + 1]) }
                    guard pairs.allSatisfy({ $0.0 <= $0.1 }), pairs[0...2].allSatisfy({ $0.0 >= 0 && $0.1 <= 11 }),
                          pairs[3].0 >= -0.5, pairs[3].1 <= 0.5 else {
                        throw AugmentationSpecError(token: token, reason: "expected LO ≤ HI, factors in 0…11 and hue within ±0.5")
                    }
                    ranges = pairs.map { $0.0...$0.1 }
                }
                builders.append { _ in ColorJitter(brightness: ranges[0], contrast: ranges[1], saturation: ranges[2], hue: ranges[3]) }
            case "channel-shift":
                let offsets = try range(symmetricAbout: 0, within: -255...255)
                builders.append { _ in ChannelShift(offsets: offsets) }
            case "sharpen":
                let alphas = value == nil ? 0.2...0.5 : try range(symmetricAbout: 0, within: 0...1)
                builders.append { _ in Sharpen(alphas: alphas) }
            case "blur":
                let sigmas = try range(symmetricAbout: 0, within: -50...50)
                guard sigmas.upperBound >= 0 else { throw AugmentationSpecError(token: token, reason: "values must lie within 0.0…50.0") }
                builders.append { _ in GaussianBlur(sigmas: max(0, sigmas.lowerBound)...sigmas.upperBound) }
            case "motion-blur":
                let sizes = try integers(value, token: token, single: { 3...$0 }, within: 3...63, form: "motion-blur=K or LO:HI")
                builders.append { _ in MotionBlur(sizes: sizes) }
            case "jpeg":
                let qualities = try integers(value, token: token, single: { $0...$0 }, within: 1...100, form: "jpeg=Q or LO:HI")
                builders.append { _ in ImageCompression(qualities: qualities) }
            case "rand-augment":
                let settings = try value.map { _ in try numbers(value, count: 2, token: token, form: "rand-augment=N:M") } ?? [2, 9]
                guard (0...16).contains(settings[0]), (0...30).contains(settings[1]), settings.allSatisfy({ $0 == $0.rounded() }) else {
                    throw AugmentationSpecError(token: token, reason: "expected rand-augment=N:M with whole numbers N in 0…16 and M in 0…30")
                }
                builders.append { _ in RandAugment(count: Int(settings[0]), magnitude: Int(settings[1])) }
            case "trivial-augment", "auto-augment":
                guard value == nil else { throw AugmentationSpecError(token: token, reason: "\(name) takes no value") }
                builders.append { _ -> any Augmentation in name == "auto-augment" ? AutoAugment() : TrivialAugmentWide() }
            case "border":
                guard let mode = value.flatMap(BorderMode.init(rawValue:)) else {
                    throw AugmentationSpecError(token: token, reason: "expected border=constant|replicate|reflect|reflect101|wrap")
                }
                geometry.border = mode
            case "fill":
                guard let level = value.flatMap(Double.init), (0...255).contains(level) else {
                    throw AugmentationSpecError(token: token, reason: "expected fill=V with V a level in 0…255")
                }
                geometry.fill = level
            case "interpolation":
                guard let interpolation = value.flatMap(Interpolation.init(rawValue:)) else {
                    throw AugmentationSpecError(token: token, reason: "expected interpolation=nearest|bilinear|bicubic")
                }
                geometry.interpolation = interpolation
            default:
                throw AugmentationSpecError(token: token, reason: "unknown transform '\(name)'")
            }
        }
        return builders.map { $0(geometry) }
    }

    /// Exactly `count` numbers separated by colons.
    private static func numbers(_ value: String?, count: Int, token: String, form: String) throws -> [Double] {
        let numbers = value?.split(separator: ":", omittingEmptySubsequences: false).compactMap { Double($0) } ?? []
        guard numbers.count == count, value?.split(separator: ":", omittingEmptySubsequences: false).count == count,
              numbers.allSatisfy(\.isFinite) else {
            throw AugmentationSpecError(token: token, reason: "expected \(form) (\(count) numbers separated by ':')")
        }
        return numbers
    }

    /// A whole number (widened by `single`) or `LO:HI` of whole numbers within `limits`.
    private static func integers(_ value: String?, token: String, single: (Int) -> ClosedRange<Int>, within limits: ClosedRange<Int>,
                                 form: String) throws -> ClosedRange<Int> {
        let parts = value?.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) } ?? []
        let range: ClosedRange<Int>?
        switch parts.count {
        case 1: range = parts[0].flatMap { $0 >= limits.lowerBound ? single($0) : nil }
        case 2: range = parts[0].flatMap { low in parts[1].flatMap { high in low <= high ? low...high : nil } }
        default: range = nil
        }
        guard let range, limits.contains(range.lowerBound), limits.contains(range.upperBound) else {
            throw AugmentationSpecError(token: token, reason: "expected \(form) with whole numbers in \(limits.lowerBound)…\(limits.upperBound)")
        }
        return range
    }

    /// `WxH`, e.g. `150x150`.
    private static func imageSize(_ value: String?, token: String) throws -> ImageSize {
        let parts = value?.lowercased().split(separator: "x").compactMap { Int($0) } ?? []
        guard parts.count == 2, parts[0] > 0, parts[1] > 0, parts[0] <= 16384, parts[1] <= 16384 else {
            throw AugmentationSpecError(token: token, reason: "expected a size WxH, e.g. \(token.split(separator: "=")[0])=150x150")
        }
        return ImageSize(width: parts[0], height: parts[1])
    }

    /// Tokens whose only value is an optional probability (`hflip`, `hflip=0.3`).
    private static let probabilitySteps: [String: @Sendable (Double) -> any Augmentation] = [
        "hflip": { HorizontalFlip(probability: $0) }, "vflip": { VerticalFlip(probability: $0) },
        "transpose": { Transpose(probability: $0) }, "rotate90": { RandomRotate90(probability: $0) },
        "to-gray": { ToGray(probability: $0) }, "equalize": { Equalize(probability: $0) },
        "invert": { Invert(probability: $0) },
    ]

    private static func probability(_ value: String?, token: String) throws -> Double {
        guard let value else { return 0.5 }
        guard let p = Double(value), (0...1).contains(p) else {
            throw AugmentationSpecError(token: token, reason: "expected a probability in 0…1")
        }
        return p
    }

    /// `X` means [center − X, center + X]; `LO:HI` is taken as is.
    private static func parseRange(_ value: String?, token: String, symmetricAbout center: Double,
                                   positive: Bool) throws -> ClosedRange<Double> {
        guard let value else { throw AugmentationSpecError(token: token, reason: "needs a value, e.g. \(token)=0.2 or \(token)=0.8:1.2") }
        let bounds = value.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
        let range: ClosedRange<Double>
        switch bounds.count {
        case 1:
            guard let spread = bounds[0], spread >= 0, spread.isFinite else {
                throw AugmentationSpecError(token: token, reason: "expected a non-negative number or LO:HI")
            }
            range = (center - spread)...(center + spread)
        case 2:
            guard let low = bounds[0], let high = bounds[1], low <= high, low.isFinite, high.isFinite else {
                throw AugmentationSpecError(token: token, reason: "expected LO:HI with numbers LO ≤ HI")
            }
            range = low...high
        default:
            throw AugmentationSpecError(token: token, reason: "expected a number or LO:HI")
        }
        if positive && range.lowerBound <= 0 {
            throw AugmentationSpecError(token: token, reason: "factors must stay above 0 (the range is \(range.lowerBound)…\(range.upperBound))")
        }
        return range
    }
}
