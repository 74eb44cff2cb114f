import Foundation
import Imaging

/// The JSON form of a pipeline: the spec string's steps as objects, with nesting
/// (`one-of`, `some-of`, `random-order`) that a spec string cannot write:
///
/// ```json
/// {"border": "reflect101", "fill": 0, "interpolation": "bilinear",
///  "steps": [{"transform": "hflip", "p": 0.5},
///            {"transform": "rotate", "value": "-20:20", "p": 1},
///            {"transform": "one-of", "p": 0.8, "steps": [{"transform": "blur", "value": "0.5:2"}, "sharpen"]},
///            {"transform": "some-of", "count": 2, "steps": ["invert", "equalize", "to-gray"]}]}
/// ```
///
/// `transform` and `value` are a spec token's name and value (same forms, same errors); `p`
/// overrides its probability; a step may also be written as a spec token string. The
/// geometric settings apply to every geometric step, as in a spec string, so a pipeline
/// built in code whose steps use different settings is written with the first one's.
public enum AugmentationJSON {
    /// Reads a pipeline from JSON; errors name the step and the accepted forms.
    public static func decode(_ data: Data) throws -> AugmentationPipeline {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw AugmentationSpecError(token: "JSON", reason: "not valid JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any] else {
            throw AugmentationSpecError(token: "JSON", reason: "expected an object with \"steps\": [...]")
        }
        var settings: [String] = []
        for key in ["border", "fill", "interpolation"] {
            if let value = root[key] { settings.append("\(key)=\(scalar(value))") }
        }
        let unknown = Set(root.keys).subtracting(["border", "fill", "interpolation", "steps", "format"])
        if let key = unknown.sorted().first {
            throw AugmentationSpecError(token: key, reason: "unknown key; a pipeline has steps, border, fill, interpolation")
        }
        guard let steps = root["steps"] as? [Any] else {
            throw AugmentationSpecError(token: "steps", reason: "expected \"steps\": [ ... ] (a list of steps)")
        }
        // The settings parse on their own first, so a bad one is reported as such.
        _ = try AugmentationSpec.parseSteps(settings)
        return AugmentationPipeline(try steps.map { try step($0, settings: settings) })
    }

    private static func scalar(_ value: Any) -> String {
        if let number = value as? NSNumber {
            let double = number.doubleValue
            return double == double.rounded() && abs(double) < 1e15 ? "\(Int(double))" : "\(double)"
        }
        return "\(value)"
    }

    private static func step(_ object: Any, settings: [String]) throws -> any Augmentation {
        if let token = object as? String {
            return try single(token, settings: settings)
        }
        guard let fields = object as? [String: Any], let name = fields["transform"] as? String else {
            throw AugmentationSpecError(token: "\(object)", reason: "a step is a spec token string or an object with \"transform\"")
        }
        let allowed: Set<String> = ["transform", "value", "p", "steps", "count"]
        if let key = Set(fields.keys).subtracting(allowed).sorted().first {
            throw AugmentationSpecError(token: name, reason: "unknown key '\(key)'; a step has transform, value, p (and steps, count)")
        }
        var probability: Double?
        if let p = fields["p"] {
            guard let number = p as? NSNumber, (0...1).contains(number.doubleValue) else {
                throw AugmentationSpecError(token: name, reason: "expected \"p\" a probability in 0…1")
            }
            probability = number.doubleValue
        }
        var result: any Augmentation
        switch name {
        case "one-of", "some-of", "random-order":
            guard let children = fields["steps"] as? [Any], !children.isEmpty else {
                throw AugmentationSpecError(token: name, reason: "expected \"steps\": [ ... ] with at least one step")
            }
            let steps = try children.map { try step($0, settings: settings) }
            switch name {
            case "one-of": result = OneOf(steps)
            case "random-order": result = RandomOrder(steps)
            default:
                guard let count = (fields["count"] as? NSNumber)?.intValue, (0...steps.count).contains(count) else {
                    throw AugmentationSpecError(token: name, reason: "expected \"count\": N with N in 0…\(steps.count)")
                }
                result = SomeOf(steps, count: count)
            }
        default:
            let value = fields["value"].map(scalar)
            result = try single(value.map { "\(name)=\($0)" } ?? name, settings: settings)
        }
        if let probability { result.probability = probability }
        return result
    }

    private static func single(_ token: String, settings: [String]) throws -> any Augmentation {
        guard !token.contains(",") else {
            throw AugmentationSpecError(token: token, reason: "one step per JSON entry (no commas)")
        }
        let steps = try AugmentationSpec.parseSteps(settings + [token])
        guard steps.count == 1 else {
            throw AugmentationSpecError(token: token, reason: "a step, not a setting: write border, fill and interpolation at the top")
        }
        return steps[0]
    }

    /// Writes `pipeline` as JSON (sorted keys, one step per line at the top level).
    public static func encode(_ pipeline: AugmentationPipeline) throws -> Data {
        let steps = flattened(pipeline.steps)
        let border = steps.lazy.compactMap(borderSettings).first ?? (GeometryOptions().border, GeometryOptions().fill)
        let interpolation = steps.lazy.compactMap(interpolationSetting).first ?? GeometryOptions().interpolation
        var root: [String: Any] = ["border": border.0.rawValue, "fill": border.1, "interpolation": interpolation.rawValue]
        root["steps"] = try pipeline.steps.map(object)
        return try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .prettyPrinted])
    }

    /// The steps with compositions opened, in order.
    private static func flattened(_ steps: [any Augmentation]) -> [any Augmentation] {
        steps.flatMap { step -> [any Augmentation] in
            switch step {
            case let s as OneOf: flattened(s.steps)
            case let s as SomeOf: flattened(s.steps)
            case let s as RandomOrder: flattened(s.steps)
            default: [step]
            }
        }
    }

    /// The border mode and fill a step was built with, if it has them.
    private static func borderSettings(_ step: any Augmentation) -> (BorderMode, Double)? {
        let geometry: GeometryOptions? = switch step {
        case let s as Rotate: s.geometry
        case let s as Zoom: s.geometry
        case let s as Shift: s.geometry
        case let s as Shear: s.geometry
        case let s as Perspective: s.geometry
        case let s as ElasticTransform: s.geometry
        case let s as GridDistortion: s.geometry
        default: nil
        }
        if let geometry { return (geometry.border, geometry.fill) }
        if let pad = step as? PadIfNeeded { return (pad.border, pad.fill) }
        return nil
    }

    /// The interpolation a step was built with, if it has one.
    private static func interpolationSetting(_ step: any Augmentation) -> Interpolation? {
        switch step {
        case let s as Rotate: s.geometry.interpolation
        case let s as Zoom: s.geometry.interpolation
        case let s as Shift: s.geometry.interpolation
        case let s as Shear: s.geometry.interpolation
        case let s as Perspective: s.geometry.interpolation
        case let s as ElasticTransform: s.geometry.interpolation
        case let s as GridDistortion: s.geometry.interpolation
        case let s as Resize: s.interpolation
        case let s as RandomResizedCrop: s.interpolation
        case let s as LongestMaxSize: s.interpolation
        case let s as SmallestMaxSize: s.interpolation
        default: nil
        }
    }

    private static func object(_ step: any Augmentation) throws -> [String: Any] {
        var fields: [String: Any] = ["p": step.probability]
        switch step {
        case let s as OneOf:
            fields["transform"] = "one-of"
            fields["steps"] = try s.steps.map(object)
        case let s as SomeOf:
            fields["transform"] = "some-of"
            fields["count"] = s.count
            fields["steps"] = try s.steps.map(object)
        case let s as RandomOrder:
            fields["transform"] = "random-order"
            fields["steps"] = try s.steps.map(object)
        default:
            let (name, value) = try token(step)
            fields["transform"] = name
            if let value { fields["value"] = value }
        }
        return fields
    }

    private static func range(_ r: ClosedRange<Double>) -> String { "\(r.lowerBound):\(r.upperBound)" }
    private static func range(_ r: ClosedRange<Int>) -> String { "\(r.lowerBound):\(r.upperBound)" }
    private static func size(_ s: ImageSize) -> String { "\(s.width)x\(s.height)" }

    /// The spec token (name, value) that rebuilds `step`; steps with settings that no token
    /// can write are refused, naming the step.
    private static func token(_ step: any Augmentation) throws -> (String, String?) {
        func refuse(_ why: String) -> AugmentationSpecError {
            AugmentationSpecError(token: step.name, reason: "cannot be written as JSON: \(why)")
        }
        switch step {
        case is HorizontalFlip, is VerticalFlip, is Transpose, is RandomRotate90, is ToGray, is Equalize, is Invert,
             is TrivialAugmentWide where (step as? TrivialAugmentWide)?.bins == 31, is AutoAugment:
            return (step.name, nil)
        case let s as Rotate: return ("rotate", range(s.degrees))
        case let s as Zoom:
            guard s.keepsAspectRatio else { throw refuse("independent x and y zoom has no token") }
            return ("zoom", range(s.factors))
        case let s as Shift: return ("shift", range(s.fractions))
        case let s as Shear: return ("shear", range(s.degrees))
        case let s as Brightness: return ("brightness", range(s.factors))
        case let s as BrightnessShift: return ("brightness-shift", range(s.offsets))
        case let s as Gamma: return ("gamma", range(s.gammas))
        case let s as CoarseDropout:
            guard s.holes == 1...1, s.fill == 0 else { throw refuse("only one hole filled with 0 has a token") }
            return ("dropout", range(s.sides))
        case let s as GaussNoise: return ("noise", range(s.sigmas))
        case let s as Solarize: return ("solarize", "\(s.threshold)")
        case let s as Posterize: return ("posterize", range(s.bits))
        case let s as RGBShift:
            guard s.channels == 3 else { throw refuse("only three channels have a token") }
            return ("rgb-shift", range(s.offsets))
        case let s as RandomCrop: return ("crop", size(s.size))
        case let s as CenterCrop: return ("center-crop", size(s.size))
        case let s as Resize: return ("resize", size(s.size))
        case let s as RandomResizedCrop:
            guard s.scale == 0.08...1, s.ratio == (3.0 / 4)...(4.0 / 3) else { throw refuse("only the default scale and ratio have a token") }
            return ("random-resized-crop", size(s.size))
        case let s as PadIfNeeded: return ("pad", size(s.size))
        case let s as LongestMaxSize: return ("longest-max-size", "\(s.maxSize)")
        case let s as SmallestMaxSize: return ("smallest-max-size", "\(s.maxSize)")
        case let s as Perspective: return ("perspective", range(s.scales))
        case let s as ElasticTransform: return ("elastic", "\(s.alpha):\(s.sigma)")
        case let s as GridDistortion:
            guard s.steps == 5 else { throw refuse("only a 5×5 grid has a token") }
            return ("grid-distortion", range(s.limits))
        case let s as HueSaturationValue:
            guard [s.hue, s.saturation, s.value].allSatisfy({ $0.lowerBound == -$0.upperBound }) else {
                throw refuse("only shifts symmetric about 0 have a token")
            }
            return ("hsv", "\(s.hue.upperBound):\(s.saturation.upperBound):\(s.value.upperBound)")
        case let s as ColorJitter:
            return ("color-jitter", [s.brightness, s.contrast, s.saturation, s.hue].map(range).joined(separator: ":"))
        case let s as ChannelShift: return ("channel-shift", range(s.offsets))
        case let s as Sharpen:
            guard s.lightness == 0.5...1 else { throw refuse("only the default lightness has a token") }
            return ("sharpen", range(s.alphas))
        case let s as GaussianBlur: return ("blur", range(s.sigmas))
        case let s as MotionBlur:
            guard s.angles == 0...360, s.directions == -1...1 else { throw refuse("only the default angles and directions have a token") }
            return ("motion-blur", range(s.sizes))
        case let s as ImageCompression: return ("jpeg", range(s.qualities))
        case let s as RandAugment:
            guard s.bins == 31 else { throw refuse("only 31 magnitude bins have a token") }
            return ("rand-augment", "\(s.count):\(s.magnitude)")
        default:
            throw refuse("no spec token for this step")
        }
    }
}
