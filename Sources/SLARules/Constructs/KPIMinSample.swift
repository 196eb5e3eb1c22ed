/// A kpi's `min sample N`: the fewest tickets, clocks or visits a value is judged over. Below it the
/// group's level is `no-data` (shown as 样本不足), so one return visit scored 4 does not breach
/// "satisfaction ≥ 4.8" and one unresolved ticket on the 1st of the month does not breach a monthly
/// resolution rate. Read with the block; checked against the measure once the block is read (the
/// measure may come after it).
enum KPIMinSample {
    /// The largest minimum: far beyond any property company's month, small enough to be a typo's limit.
    static let largest = 1_000_000

    /// What was written: the number, and where the line and the number are.
    struct Written {
        let value: Int
        let line: SourceRange
        let number: SourceRange
    }

    static let example = "min sample 20"

    /// Reads `sample N` after `min`; nil when the line repeats one already read (reported as E107).
    static func read(_ reader: inout StatementReader, seen: inout SourceRange?,
                     into builder: inout RuleBuilder) throws(ParseFailure) -> Written? {
        let min = reader.previous
        let sample = try reader.expectWord(["sample"], hint: "write '\(example)': the fewest tickets, clocks or visits to judge the kpi on")
        let keyword = Token(kind: .word, text: "min sample", range: min.range.through(sample.range))
        guard builder.once(&seen, keyword) else { return nil }
        guard let token = reader.peek else {
            throw reader.failure("the fewest tickets, clocks or visits to judge, such as 20", hint: "write '\(example)'")
        }
        _ = reader.advance()
        guard token.kind == .literal, let value = Int(token.text) else {
            let hint = token.text.hasSuffix("%") ? "a minimum sample is a number of tickets, clocks or visits, not a share: write '\(example)'"
                : "write the fewest tickets, clocks or visits as digits: '\(example)'"
            throw ParseFailure(diagnostic: Diagnostic(.invalidNumber, at: token.range, "'\(token.text)' is not a whole number", hint: hint))
        }
        guard (1...largest).contains(value) else {
            let hint = value < 1 ? "write 'min sample 1' or more (a value over fewer is not judged), or leave the line out to judge any sample"
                : "write a minimum up to \(largest)"
            throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: token.range,
                                                      "a kpi's minimum sample must be between 1 and \(largest), not \(value)", hint: hint))
        }
        try reader.expectEnd("'min sample' takes one number: '\(example)'")
        return Written(value: value, line: keyword.range, number: token.range)
    }

    /// The minimum for the kpi's measure, or nil with E133 when the measure has no sample to be small
    /// (`open`, `overdue`, `backlog`: the value is the count itself; `per-100-households`: the sample is
    /// the rate's numerator).
    static func resolve(_ written: Written?, for measure: KPIMeasure, into builder: inout RuleBuilder) -> Int? {
        guard let written else { return nil }
        guard measure.hasSample else {
            let why = measure == .per100Households
                ? "its sample is the tickets it counts, so few of them is a good rate, not an unreliable one"
                : "its value is the number of tickets itself, not a share or an average over a sample"
            let hint = measure == .per100Households
                ? "remove 'min sample': the rate is judged against the households, whatever the number of tickets"
                : "remove 'min sample'; to let small counts pass, move the line ('warn above …')"
            builder.diagnostics.error(.minSampleWithoutSample, at: written.line,
                                      "'min sample' does not apply to '\(measure.syntax)': \(why)", hint: hint)
            return nil
        }
        return written.value
    }
}
