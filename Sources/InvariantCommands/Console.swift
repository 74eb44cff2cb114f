import Foundation

/// Where commands write: standard output and error by default, captured in tests.
public final class Console: @unchecked Sendable {
    private let writeOutput: (String) -> Void
    private let writeError: (String) -> Void

    /// Whether the output redraws lines in place (a terminal): progress bars use it.
    public let isTerminal: Bool

    public init(isTerminal: Bool = false, output: @escaping (String) -> Void, error: @escaping (String) -> Void) {
        self.isTerminal = isTerminal
        writeOutput = output
        writeError = error
    }

    public static let standard = Console(
        isTerminal: isatty(STDOUT_FILENO) != 0,
        output: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
        error: { text in FileHandle.standardError.write(Data(text.utf8)) })

    /// A console that keeps what is written, for tests.
    public static func capturing() -> (Console, Captured) {
        let captured = Captured()
        return (Console(output: { captured.append($0, toError: false) }, error: { captured.append($0, toError: true) }), captured)
    }

    public func print(_ line: String = "") { writeOutput(line + "\n") }
    /// Text without a line break (a progress bar redrawn with `\r`).
    public func write(_ text: String) { writeOutput(text) }
    public func printError(_ line: String) { writeError(line + "\n") }

    public final class Captured: @unchecked Sendable {
        private let lock = NSLock()
        public private(set) var output = ""
        public private(set) var error = ""

        func append(_ text: String, toError: Bool) {
            lock.lock()
            if toError { error += text } else { output += text }
            lock.unlock()
        }
    }
}
