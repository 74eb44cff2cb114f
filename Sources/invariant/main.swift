import Foundation
import InvariantCommands

// oneDNN's OpenMP threads spin while they wait for work by default, taking a core from the
// loader's decoding threads and from the Swift kernels between oneDNN calls: on 2 cores a
// training epoch took 60–87 s spinning and 42 s sleeping (OMP_WAIT_POLICY=PASSIVE). libgomp
// reads the setting once, when it is loaded, so the process sets it and starts again; a value
// the user set is kept.
if getenv("OMP_WAIT_POLICY") == nil {
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)  // returns only if it failed: carry on spinning
}

exit(InvariantTool.run(Array(CommandLine.arguments.dropFirst())))
