import Foundation
import InvariantCommands

// oneDNN's OpenMP threads spin while they wait for work by default, taking a core from the
// loader's decoding threads and from the Swift kernels between oneDNN calls: on 2 cores a
// training epoch took 60–87 s spinning and 42 s sleeping (OMP_WAIT_POLICY=PASSIVE). libgomp
// reads the setting once, when it is loaded, so the verbs that compute set it and start the
// process again; a value the user set is kept. (Measured on 2 cores only: with many cores,
// waking the threads for each oneDNN call may cost more than it saves — set
// OMP_WAIT_POLICY=ACTIVE to compare.)
let computeVerbs: Set = ["train", "evaluate", "predict", "features", "bench"]
if CommandLine.arguments.count > 1, computeVerbs.contains(CommandLine.arguments[1]), getenv("OMP_WAIT_POLICY") == nil {
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)  // returns only if it failed: carry on spinning
}

exit(InvariantTool.run(Array(CommandLine.arguments.dropFirst())))
