import SLARules

/// A problem in a rule test file, pinned to a line and column. Rendered the way `slad check` renders
/// problems in rules:
/// ```
/// rules/tests/complaints.slatest:7:5: error: unknown statement 'tickt'
///     7 |     tickt T1 kind=complaint grade=A at 2025-09-22 10:00
///       |     ^~~~~
///       = hint: did you mean 'ticket'?
/// ```
public struct RuleTestDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let position: TextPosition
    public let message: String
    public let hint: String?
    /// The source line, for the excerpt.
    public let lineText: String

    public init(file: String, position: TextPosition, message: String, hint: String? = nil, lineText: String) {
        self.file = file
        self.position = position
        self.message = message
        self.hint = hint
        self.lineText = lineText
    }

    /// `file:line:col: error: message`, the line with a caret under the problem, and the hint.
    public var rendered: String {
        let text = String(lineText.map { $0 == "\t" ? " " : $0 })
        let prefix = String(text.prefix(position.column - 1))
        let marked = String(text.dropFirst(position.column - 1).prefix(position.length))
        let lineNumber = String(position.line)
        let gutter = String(repeating: " ", count: max(0, 5 - lineNumber.count)) + lineNumber
        let caret = String(repeating: " ", count: DiagnosticRenderer.displayWidth(prefix)) + "^"
            + String(repeating: "~", count: max(0, DiagnosticRenderer.displayWidth(marked) - 1))
        var lines = ["\(file):\(position.line):\(position.column): error: \(message)", "\(gutter) | \(text)", "      | \(caret)"]
        if let hint { lines.append("      = hint: \(hint)") }
        return lines.joined(separator: "\n")
    }

    public var description: String { rendered }
}
