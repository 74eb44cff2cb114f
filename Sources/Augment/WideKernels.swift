import CPixelKernels
import Synchronization

/// Which build of Augment's SIMD kernels runs. The files HSVKernel.swift and BandedProduct.swift
/// are compiled twice: into Augment for every CPU, and into `AugmentWideKernels` for x86-64-v4
/// (AVX-512, 16-lane colour kernels). Both builds do the same float operations, so the choice
/// changes speed, never results. The warps' bilinear blend of RGB pixels has a wide path too,
/// in C (`invariant_blend_rgb`, AVX-512 VBMI), with the same integer arithmetic as the Swift one.
public enum KernelBuild {
    /// Whether this CPU can run the wide build.
    public static let cpuHasWideBuild = invariant_cpu_is_x86_64_v4()

    /// Whether to run the wide build and the wide blend where the CPU has them (the default).
    /// Turn it off to measure or test the portable code.
    public static var prefersWide: Bool {
        get { preference.load(ordering: .relaxed) }
        set { preference.store(newValue, ordering: .relaxed) }
    }

    private static let preference = Atomic<Bool>(true)

    /// Whether the wide build runs now.
    public static var runsWide: Bool { cpuHasWideBuild && prefersWide }

    /// Whether this CPU can run the wide blend.
    public static let cpuHasWideBlend = invariant_blend_rgb_available()

    /// Whether warps blend RGB pixels with the wide blend now.
    public static var blendsWide: Bool { cpuHasWideBlend && prefersWide }
}
