/// How bad a problem is: an error refuses the rule set, a warning only informs.
public enum Severity: String, Sendable, Codable, Comparable {
    case error
    case warning

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .error && rhs == .warning
    }
}

/// One problem found in the rules, pinned to a place in a file.
public struct Diagnostic: Sendable, Hashable {
    public let code: DiagnosticCode
    public let range: SourceRange
    public let message: String
    /// A suggestion: the expected tokens, `did you mean 'sms'?`, how to fix it.
    public let hint: String?
    /// A second place worth showing, such as the first definition of a duplicate.
    public let related: SourceRange?

    public var severity: Severity { code.severity }

    public init(_ code: DiagnosticCode, at range: SourceRange, _ message: String,
                hint: String? = nil, related: SourceRange? = nil) {
        self.code = code
        self.range = range
        self.message = message
        self.hint = hint
        self.related = related
    }
}

/// Collects diagnostics during a run; every phase appends and never stops at the first.
struct DiagnosticSink {
    private(set) var all: [Diagnostic] = []

    var hasErrors: Bool { all.contains { $0.severity == .error } }

    mutating func add(_ diagnostic: Diagnostic) {
        all.append(diagnostic)
    }

    mutating func error(_ code: DiagnosticCode, at range: SourceRange, _ message: String,
                        hint: String? = nil, related: SourceRange? = nil) {
        precondition(code.severity == .error, "\(code) is not an error code")
        add(Diagnostic(code, at: range, message, hint: hint, related: related))
    }

    mutating func warning(_ code: DiagnosticCode, at range: SourceRange, _ message: String,
                          hint: String? = nil, related: SourceRange? = nil) {
        precondition(code.severity == .warning, "\(code) is not a warning code")
        add(Diagnostic(code, at: range, message, hint: hint, related: related))
    }
}
