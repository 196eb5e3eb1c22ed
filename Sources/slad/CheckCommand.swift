import ArgumentParser
import SLADaemon
import Foundation
import SLARules

/// `slad check [PATH…]`: validate rule files and report every problem with file, line and column.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check rule files and report every problem.",
        discussion: """
        Reads every *.sla file in the given folders (and any files named directly) as one rule set,
        and prints each problem as 'file:line:col: error|warning: message [CODE]' with the source line,
        a caret and a hint. Diagnostic codes are listed in docs/rules.md.

        Exit status: 0 when there are no errors (warnings allowed), 1 when there are errors,
        2 when a path cannot be read.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Rule files or folders to check. Default: ./rules")
    var paths: [String] = []

    @Option(help: "Output format: text for people, json for tools (an array of {file, line, column, severity, code, message, hint}).")
    var format: Format = .text

    @Flag(help: "Treat warnings as errors (exit 1 when there are any).")
    var strict = false

    func run() throws {
        let targets = paths.isEmpty ? ["rules"] : paths
        let result: CheckResult
        let sourceCount: Int
        do {
            (result, sourceCount) = try RuleFiles.check(targets)
        } catch {
            FileHandle.standardError.write(Data("slad: \(error)\n".utf8))
            throw ExitCode(2)
        }
        switch format {
        case .json:
            print(DiagnosticRenderer.json(result))
        case .text:
            for diagnostic in result.diagnostics {
                print(DiagnosticRenderer.text(diagnostic, in: result))
                print()
            }
            print(DiagnosticRenderer.summary(result, sourceCount: sourceCount))
        }
        if result.errorCount > 0 || (strict && result.warningCount > 0) {
            throw ExitCode(1)
        }
    }
}
