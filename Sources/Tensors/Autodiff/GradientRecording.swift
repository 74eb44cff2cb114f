/// Inference mode: inside `withoutGradientRecording` no op records a tape entry, whatever its
/// inputs' `requiresGradient` (PyTorch's `torch.no_grad()`), so nothing is kept alive for a
/// backward pass that will not come. The setting is per task (and per thread outside tasks),
/// so a loader thread or a concurrent task is unaffected.
public enum GradientRecording {
    @TaskLocal static var isDisabled = false

    /// Whether ops record their backward passes here and now.
    public static var isEnabled: Bool { !isDisabled }
}

/// Runs `body` with gradient recording off (see `GradientRecording`).
public func withoutGradientRecording<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientRecording.$isDisabled.withValue(true, operation: body)
}
