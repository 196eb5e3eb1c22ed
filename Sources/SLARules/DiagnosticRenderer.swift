/// Prints diagnostics the way compilers do:
/// ```
/// rules/complaints.sla:12:36: error: unknown channel 'smss' [E102]
///    12 |     at respond notify assignee via smss
///       |                                    ^~~~
///       = hint: did you mean 'sms'?
/// ```
public enum DiagnosticRenderer {
    public static func text(_ diagnostic: Diagnostic, in result: CheckResult) -> String {
        let location = result.location(of: diagnostic.range)
        var lines = ["\(location.file):\(location.line):\(location.column): \(diagnostic.severity.rawValue): \(diagnostic.message) [\(diagnostic.code.rawValue)]"]
        lines += excerpt(diagnostic.range, in: result)
        if let hint = diagnostic.hint {
            lines.append("      = hint: \(hint)")
        }
        if let related = diagnostic.related {
            let at = result.location(of: related)
            lines.append("\(at.file):\(at.line):\(at.column): note: \(noteText(for: diagnostic.code))")
            lines += excerpt(related, in: result)
        }
        return lines.joined(separator: "\n")
    }

    private static func noteText(for code: DiagnosticCode) -> String {
        switch code {
        case .duplicateDefinition, .repeatedStatement: "first defined here"
        case .unreachablePolicy: "the earlier policy is here"
        case .noAddressForChannel: "the person is defined here"
        case .valueOutsideSet: "the set is declared here"
        default: "see also here"
        }
    }

    /// The source line with a caret under the range (clipped to the first line of a multi-line range).
    private static func excerpt(_ range: SourceRange, in result: CheckResult) -> [String] {
        let file = result.files[range.file]
        let start = result.location(of: range)
        let text = file.lineText(start.line).replacingTabs()
        let endOffset = min(range.end, file.lineStarts.count > start.line ? file.lineStarts[start.line] - 1 : file.bytes.count)
        let endColumn = max(start.column + 1, file.lineAndColumn(of: max(range.start, endOffset)).column)
        let prefix = String(text.prefix(start.column - 1))
        let marked = String(text.dropFirst(start.column - 1).prefix(endColumn - start.column))
        let lineNumber = String(start.line)
        let gutter = String(repeating: " ", count: max(0, 5 - lineNumber.count)) + lineNumber
        let caret = String(repeating: " ", count: displayWidth(prefix)) + "^"
            + String(repeating: "~", count: max(0, displayWidth(marked) - 1))
        return ["\(gutter) | \(text)", "      | \(caret)"]
    }

    /// Terminal columns: CJK and other wide characters take two.
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
            return width + (wide ? 2 : 1)
        }
    }

    /// The `--format json` array: `[{file, line, column, severity, code, message, hint}]`.
    public static func json(_ result: CheckResult) -> String {
        let items = result.diagnostics.map { diagnostic -> String in
            let location = result.location(of: diagnostic.range)
            var fields = [
                "\"file\":\(quote(location.file))", "\"line\":\(location.line)", "\"column\":\(location.column)",
                "\"severity\":\(quote(diagnostic.severity.rawValue))", "\"code\":\(quote(diagnostic.code.rawValue))",
                "\"message\":\(quote(diagnostic.message))",
                "\"hint\":\(diagnostic.hint.map(quote) ?? "null")",
            ]
            if let related = diagnostic.related {
                let at = result.location(of: related)
                fields.append("\"related\":{\"file\":\(quote(at.file)),\"line\":\(at.line),\"column\":\(at.column)}")
            }
            return "  {" + fields.joined(separator: ",") + "}"
        }
        return items.isEmpty ? "[]" : "[\n" + items.joined(separator: ",\n") + "\n]"
    }

    /// A JSON string literal (RFC 8259 escaping), written by hand so the pure module needs no Foundation encoder.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `2 errors, 1 warning` style summary, or a short success line.
    public static func summary(_ result: CheckResult, sourceCount: Int) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        let files = plural(sourceCount, "file")
        if result.errorCount == 0 && result.warningCount == 0, let rules = result.ruleSet {
            let policies = "\(rules.policies.count) polic\(rules.policies.count == 1 ? "y" : "ies")"
            return "ok: \(files), \(policies), \(plural(rules.plans.count, "plan")), no problems"
        }
        return "\(plural(result.errorCount, "error")), \(plural(result.warningCount, "warning")) in \(files)"
    }
}

extension String {
    fileprivate func replacingTabs() -> String {
        String(map { $0 == "\t" ? " " : $0 })
    }
}
