import Foundation

/// A verb of the `invariant` command.
protocol Command {
    static var spec: CommandSpec { get }
    /// Runs the command; returns the exit status.
    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32
}

/// A registered verb (a struct rather than an existential metatype, which Swift 6.3's
/// SILGen crashes on here).
struct CommandEntry {
    let spec: CommandSpec
    let run: (ParsedArguments, Console) throws -> Int32

    init<C: Command>(_ command: C.Type) {
        spec = command.spec
        run = command.run
    }
}

/// The `invariant` command line: dispatches verbs, prints help, turns errors into messages
/// and exit statuses (0 success, 1 failure, 2 usage error).
public enum InvariantTool {
    static let commands: [CommandEntry] = [CommandEntry(ScanCommand.self), CommandEntry(ExportCommand.self), CommandEntry(AugmentCommand.self),
                                           CommandEntry(PreviewCommand.self),
                                           CommandEntry(BenchDecodeCommand.self), CommandEntry(BenchLoaderCommand.self),
                                           CommandEntry(BenchAugmentCommand.self), CommandEntry(BenchTrainStepCommand.self), CommandEntry(TrainCommand.self),
                                           CommandEntry(EvaluateCommand.self), CommandEntry(PredictCommand.self), CommandEntry(SummaryCommand.self),
                                           CommandEntry(FeaturesCommand.self)]

    public static func run(_ arguments: [String], console: Console = .standard) -> Int32 {
        guard let first = arguments.first, first != "--help", first != "-h", first != "help" else {
            console.print(overview)
            return arguments.isEmpty ? 2 : 0
        }
        let twoWords = arguments.count > 1 ? "\(first) \(arguments[1])" : first
        let family = commands.filter { $0.spec.name.hasPrefix(first + " ") }
        if !family.isEmpty && (arguments.count == 1 || ["--help", "-h"].contains(arguments[1])) {
            // `invariant bench` or `invariant bench --help`: list the subcommands.
            console.print("usage: invariant \(first) SUBCOMMAND …\n\nsubcommands:\n"
                + family.map { "  \($0.spec.name)    \($0.spec.summary)" }.joined(separator: "\n"))
            return arguments.count == 1 ? 2 : 0
        }
        let match = commands.first { $0.spec.name == twoWords } ?? commands.first { $0.spec.name == first }
        guard let command = match else {
            let names = commands.map(\.spec.name).joined(separator: ", ")
            console.printError("invariant: unknown command '\(twoWords.hasPrefix("bench") ? twoWords : first)'; commands: \(names)")
            return 2
        }
        let rest = Array(arguments.dropFirst(command.spec.name.split(separator: " ").count))
        do {
            let parsed = try ParsedArguments(rest, spec: command.spec)
            if parsed.wantsHelp {
                console.print(command.spec.help)
                return 0
            }
            return try command.run(parsed, console)
        } catch let error as UsageError {
            console.printError(error.message.hasPrefix("invariant") ? error.message : "invariant \(command.spec.name): \(error.message)")
            return 2
        } catch {
            console.printError("invariant \(command.spec.name): \(describe(error))")
            return 1
        }
    }

    static var overview: String {
        var lines = ["invariant — train image classifiers with data augmentation", "", "commands:"]
        let width = (commands.map(\.spec.name.count).max() ?? 0) + 4
        for command in commands {
            lines.append("  " + command.spec.name.padding(toLength: width, withPad: " ", startingAt: 0) + command.spec.summary)
        }
        lines.append("")
        lines.append("Run 'invariant COMMAND --help' for a command's options.")
        return lines.joined(separator: "\n")
    }

    /// An error as one readable sentence: Foundation's errors carry theirs in userInfo,
    /// Invariant's own errors describe themselves.
    static func describe(_ error: Error) -> String {
        if let error = error as? CocoaError {
            if let description = error.userInfo[NSLocalizedDescriptionKey] as? String { return description }
            if let path = error.userInfo[NSFilePathErrorKey] as? String { return "\(path): \(error.localizedDescription)" }
            return error.localizedDescription
        }
        return String(describing: error)
    }
}
