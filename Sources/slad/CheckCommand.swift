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

        A calendar that working-time clocks count in must hold the current year's holiday notice (error
        E122) and, from 1 December, the next year's (warning W012); --today checks as of another date.
        'slad calendar import' loads a year's notice (docs/operations.md).

        Exit status: 0 when there are no errors (warnings allowed), 1 when there are errors,
        2 when a path cannot be read.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Rule files or folders to check (\(RulesLocation.help)).")
    var paths: [String] = []

    @Option(help: "Output format: text for people, json for tools (an array of {file, line, column, severity, code, message, hint}).")
    var format: Format = .text

    @Flag(help: "Treat warnings as errors (exit 1 when there are any).")
    var strict = false

    @Option(help: ArgumentHelp("Judge the calendars' yearly data as of this date instead of today.", valueName: "YYYY-MM-DD"))
    var today: String?

    /// The date named by `--today`, or today's date on this machine.
    static func date(_ option: String?) throws -> DayDate {
        guard let option else {
            let parts = Calendar(identifier: .gregorian).dateComponents(in: .current, from: Date())
            return DayDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? DayDate(year: 1970, month: 1, day: 1)!
        }
        guard let date = DayDate(option) else {
            throw ValidationError("--today '\(option)' is not a date; write YYYY-MM-DD, e.g. 2027-01-04")
        }
        return date
    }

    func run() throws {
        let targets = RulesLocation.resolve(paths)
        let date = try Self.date(today)
        let result: CheckResult
        let sourceCount: Int
        do {
            (result, sourceCount) = try RuleFiles.check(targets, today: date)
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
