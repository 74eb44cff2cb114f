import Foundation
import InvariantCommands

exit(InvariantTool.run(Array(CommandLine.arguments.dropFirst())))
