/// What checking a set of rule files produced: the rule set when there are no errors, and every diagnostic.
public struct CheckResult: Sendable {
    /// Nil when any diagnostic is an error.
    public let ruleSet: RuleSet?
    /// Sorted by file and position.
    public let diagnostics: [Diagnostic]
    /// Every file read, includes too; `SourceRange.file` indexes this.
    public let files: [SourceFile]

    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }

    public func location(of range: SourceRange) -> SourceLocation {
        let file = files[range.file]
        let (line, column) = file.lineAndColumn(of: range.start)
        return SourceLocation(file: file.path, line: line, column: column)
    }
}

/// Reads rule files into one checked `RuleSet`.
public enum RuleLoader {
    /// Reads an included calendar data file. `path` is as written in the rules, `includingFile` the path
    /// of the file that includes it; the caller resolves one against the other and returns the text, or nil.
    public typealias IncludeReader = (_ path: String, _ includingFile: String) -> SourceFile?

    /// Checks `files` as one rule set: definitions in any file may refer to each other; policies and
    /// plans keep the order of the files as given, then their order within each file.
    ///
    /// `today` is the date to judge the calendars' yearly data by (E122 for the current year, W012 for the
    /// next from 1 December); nil leaves that check out, since the language never reads the clock.
    public static func check(_ files: [SourceFile], today: DayDate? = nil, include: IncludeReader = { _, _ in nil }) -> CheckResult {
        var builder = RuleBuilder()
        var allFiles = files
        for (index, file) in files.enumerated() {
            let (tokens, lexical) = Lexer.tokenize(file, index: index)
            lexical.forEach { builder.diagnostics.add($0) }
            let (statements, structural) = StatementParser.parse(tokens, definitionKeywords: Constructs.startWords)
            structural.forEach { builder.diagnostics.add($0) }
            var previousWasStray = false
            for statement in statements {
                // After one statement that is not a definition, the following ones are usually the rest of a
                // block whose braces broke: report the first and stay quiet until a definition starts again.
                let isDefinition = statement.keyword.kind == .word && Constructs.startWords.contains(statement.keyword.text)
                if !isDefinition && previousWasStray { continue }
                previousWasStray = !isDefinition
                Constructs.read(statement, into: &builder)
            }
        }
        readIncludes(&builder, files: &allFiles, include: include)
        readModels(&builder, files: &allFiles, include: include)
        builder.rules.files = allFiles.map(\.path)
        var checker = Checker(builder: builder, today: today)
        checker.run()
        builder = checker.builder
        let diagnostics = builder.diagnostics.all.enumerated().sorted { a, b in
            (a.element.range.file, a.element.range.start, a.offset) < (b.element.range.file, b.element.range.start, b.offset)
        }.map(\.element)
        return CheckResult(ruleSet: builder.diagnostics.hasErrors ? nil : builder.rules, diagnostics: diagnostics, files: allFiles)
    }

    private static func readIncludes(_ builder: inout RuleBuilder, files: inout [SourceFile], include: IncludeReader) {
        var loaded: [String: Int] = [:]
        var included: [String: SourceRange] = [:]
        for pending in builder.includes {
            guard var calendar = builder.rules.calendars[pending.calendar] else { continue }
            let includingFile = files[pending.range.file].path
            let index: Int
            if let known = loaded["\(includingFile)\u{0}\(pending.path)"] {
                index = known
            } else if let file = include(pending.path, includingFile) {
                index = files.count
                files.append(file)
                loaded["\(includingFile)\u{0}\(pending.path)"] = index
            } else {
                builder.diagnostics.error(.includeNotFound, at: pending.range, "cannot read calendar data file '\(pending.path)'",
                                          hint: "the path is relative to the file that includes it (\(includingFile))")
                continue
            }
            if let first = included["\(pending.calendar)\u{0}\(index)"] {
                builder.diagnostics.error(.dayListedTwice, at: pending.range, "calendar '\(pending.calendar)' includes '\(pending.path)' twice",
                                          hint: "remove one of the two includes", related: first)
                continue
            }
            included["\(pending.calendar)\u{0}\(index)"] = pending.range
            if !DaysFile.read(files[index], index: index, into: &calendar, builder: &builder) {
                builder.diagnostics.warning(.daysFileWithoutYear, at: pending.range,
                                            "calendar data file '\(pending.path)' does not say which year it holds",
                                            hint: "add a line 'year YYYY' to it, or put the year in its name (cn-2027.days), so that slad can warn before the calendar's data runs out")
            }
            builder.rules.calendars[pending.calendar] = calendar
        }
    }
}
