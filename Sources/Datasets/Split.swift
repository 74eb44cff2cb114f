import InvariantCore

/// How `validationSplit` chooses the validation images of each class.
public enum SplitMethod: String, Sendable, CaseIterable {
    /// A seeded random choice within each class, so every class keeps its proportion.
    case stratified
    /// Keras's rule: the first ⌊fraction × n⌋ files of each class in sorted order.
    case keras
}

extension ImageDataset {
    /// Splits off a validation subset per class: (training, validation). The validation part
    /// is the one never to augment.
    public func validationSplit(_ fraction: Double, method: SplitMethod = .stratified,
                                seed: UInt64 = 0) throws -> (training: ImageDataset, validation: ImageDataset) {
        guard fraction > 0 && fraction < 1 else {
            throw DatasetError.invalidSplit("fraction \(fraction) must be between 0 and 1 (exclusive)")
        }
        var byClass = [[Sample]](repeating: [], count: classNames.count)
        for sample in samples { byClass[sample.label].append(sample) }
        var training: [Sample] = [], validation: [Sample] = []
        for (label, members) in byClass.enumerated() {
            switch method {
            case .keras:
                let count = Int(fraction * Double(members.count))
                validation += members[..<count]
                training += members[count...]
            case .stratified:
                let count = Int((fraction * Double(members.count)).rounded())
                var order = Array(members.indices)
                var generator = RandomKey(seed: seed).derived(RandomDomain.split, label).generator()
                order.deterministicShuffle(using: &generator)
                let chosen = Set(order.prefix(count))
                // Each part keeps the dataset's file order.
                for (i, sample) in members.enumerated() {
                    if chosen.contains(i) { validation.append(sample) } else { training.append(sample) }
                }
            }
        }
        if training.isEmpty || validation.isEmpty {
            throw DatasetError.invalidSplit("fraction \(fraction) of \(samples.count) images leaves an empty "
                + (training.isEmpty ? "training" : "validation") + " subset")
        }
        return (subset(training), subset(validation))
    }
}
