import Foundation
import Imaging
import InvariantCommands
@_exported import TestSupport

/// Runs `invariant ARGS` with a capturing console.
func invariant(_ arguments: String...) -> (status: Int32, output: String, error: String) {
    invariant(arguments)
}

func invariant(_ arguments: [String]) -> (status: Int32, output: String, error: String) {
    let (console, captured) = Console.capturing()
    let status = InvariantTool.run(arguments, console: console)
    return (status, captured.output, captured.error)
}
