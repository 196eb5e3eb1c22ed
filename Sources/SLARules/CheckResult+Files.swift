extension CheckResult {
    /// The result with another file checked outside the language (an intake mapping, docs/intake.md):
    /// its problems, at 1-based line and column, become diagnostics with `code`, shown with the line and
    /// a caret like any other, and the rule set is withheld when one is an error.
    public func adding(_ file: SourceFile, problems: [(line: Int, column: Int, message: String)], code: DiagnosticCode) -> CheckResult {
        let index = files.count
        let added = problems.map { problem -> Diagnostic in
            let offset = file.offset(line: problem.line, column: problem.column)
            return Diagnostic(code, at: SourceRange(file: index, start: offset, end: offset + 1), problem.message)
        }
        let failed = code.severity == .error && !added.isEmpty
        return CheckResult(ruleSet: failed ? nil : ruleSet, diagnostics: diagnostics + added, files: files + [file])
    }
}

extension SourceFile {
    /// The byte offset of a 1-based line and column (in characters), clamped to the line.
    func offset(line: Int, column: Int) -> Int {
        guard line >= 1, line <= lineStarts.count else { return bytes.count }
        let text = lineText(line)
        let prefix = text.prefix(max(0, column - 1))
        return lineStarts[line - 1] + prefix.utf8.count
    }
}

extension CheckResult {
    /// A result holding only `rules` (no files, no problems), to add files to.
    public static func holding(_ rules: RuleSet) -> CheckResult {
        CheckResult(ruleSet: rules, diagnostics: [], files: [])
    }
}
