/// A command-line option: `--name VALUE`, `--name=VALUE`, or a flag `--name`.
public struct OptionSpec: Sendable {
    public var name: String
    /// Placeholder for the value (e.g. "N"), or nil for a flag.
    public var valueName: String?
    public var help: String

    public init(_ name: String, value: String? = nil, help: String) {
        self.name = name
        valueName = value
        self.help = help
    }
}

/// A verb of the `invariant` command and what it accepts.
public struct CommandSpec: Sendable {
    public var name: String
    public var usage: String
    public var summary: String
    public var options: [OptionSpec]

    public var help: String {
        var lines = ["usage: invariant \(name) \(usage)", "", summary]
        if !options.isEmpty {
            lines.append("")
            lines.append("options:")
            let labels = options.map { "  --\($0.name)" + ($0.valueName.map { " \($0)" } ?? "") }
            let width = (labels.map(\.count).max() ?? 0) + 2
            for (label, option) in zip(labels, options) {
                lines.append(label.padding(toLength: width, withPad: " ", startingAt: 0) + option.help)
            }
            lines.append("  --help".padding(toLength: width, withPad: " ", startingAt: 0) + "show this help")
        }
        return lines.joined(separator: "\n")
    }
}

/// A usage mistake: exit status 2, with a message naming the argument and what it accepts.
public struct UsageError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A command that could not do its work (exit status 1); the message names what failed.
public struct CommandFailure: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Parsed arguments of one command.
public struct ParsedArguments {
    public var positionals: [String] = []
    public var values: [String: String] = [:]
    public var flags: Set<String> = []
    public var wantsHelp = false

    public init(_ arguments: [String], spec: CommandSpec) throws {
        let byName = Dictionary(uniqueKeysWithValues: spec.options.map { ($0.name, $0) })
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--help" || argument == "-h" {
                wantsHelp = true
                continue
            }
            if argument == "--" {
                positionals += arguments[index...]
                break
            }
            guard argument.hasPrefix("--") else {
                positionals.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = byName[name] else {
                let accepted = spec.options.map { "--\($0.name)" }.joined(separator: ", ")
                throw UsageError("invariant \(spec.name): unknown option --\(name)"
                    + (accepted.isEmpty ? " (it takes no options)" : "; accepted: \(accepted)"))
            }
            if let valueName = option.valueName {
                if let inlineValue {
                    values[name] = inlineValue
                } else if index < arguments.count {
                    values[name] = arguments[index]
                    index += 1
                } else {
                    throw UsageError("invariant \(spec.name): --\(name) needs a value (\(valueName))")
                }
            } else {
                if inlineValue != nil { throw UsageError("invariant \(spec.name): --\(name) is a flag and takes no value") }
                flags.insert(name)
            }
        }
    }

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    public func string(_ name: String) -> String? { values[name] }

    /// An integer option within `range`, or `defaultValue` when absent.
    public func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int> = 1...Int.max) throws -> Int {
        guard let text = values[name] else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            let bounds = range.upperBound == Int.max ? "an integer ≥ \(range.lowerBound)"
                : "an integer in \(range.lowerBound)…\(range.upperBound)"
            throw UsageError("--\(name): expected \(bounds), got '\(text)'")
        }
        return value
    }

    /// One of a fixed set of values.
    public func choice<T: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: T) throws -> T
    where T.RawValue == String {
        guard let text = values[name] else { return defaultValue }
        guard let value = T(rawValue: text) else {
            let accepted = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError("--\(name): '\(text)' is not one of \(accepted)")
        }
        return value
    }

    /// Exactly `count` positional arguments, named for the error message.
    public func requirePositionals(_ names: [String], command: String) throws -> [String] {
        if positionals.count < names.count {
            throw UsageError("invariant \(command): missing \(names[positionals.count...].joined(separator: " ")) "
                + "(see invariant \(command) --help)")
        }
        if positionals.count > names.count {
            throw UsageError("invariant \(command): unexpected argument '\(positionals[names.count])'")
        }
        return positionals
    }
}
