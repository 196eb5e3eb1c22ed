/// A kpi's `target`, `warn` and `clear at`: their values in the measure's unit, and their order. With a
/// higher-is-better measure the lines read, from bad to good: target < warn ≤ clear; lower-is-better
/// mirrors it. Anything else could never warn before it breaches, or would clear while still across.
enum KPILines {
    typealias WrittenLine = KPIConstruct.WrittenLine

    static func resolve(_ reading: KPIConstruct.Reading, into kpi: inout KPI, builder: inout RuleBuilder) {
        func value(_ line: WrittenLine?) -> Double? {
            guard let line else { return nil }
            do throws(ParseFailure) {
                return try KPIValueReader.value(of: line.value, for: kpi.measure, setting: "\(line.keyword.text) \(line.direction)")
            } catch {
                builder.diagnostics.add(error.diagnostic)
                return nil
            }
        }
        let target = value(reading.target)
        let warn = value(reading.warn)
        let clear = value(reading.clear)
        if let target, let line = reading.target { kpi.target = KPILine(value: target, higherIsBetter: line.higherIsBetter) }
        if let warn, let line = reading.warn { kpi.warn = KPILine(value: warn, higherIsBetter: line.higherIsBetter) }
        kpi.clearAt = clear

        if let clearLine = reading.clear, reading.target == nil, reading.warn == nil {
            builder.diagnostics.error(.lineOnWrongSide, at: clearLine.keyword.range, "'clear at' without a 'target' or 'warn' line to clear from",
                                      hint: "add 'target …' or 'warn …', or remove 'clear at'")
            return
        }
        // The first line decides the direction (the target, else warn); it must be the measure's own.
        if let first = reading.target ?? reading.warn, first.higherIsBetter != kpi.measure.higherIsBetter {
            let better = kpi.measure.higherIsBetter ? "higher" : "lower"
            let word = first.keyword.text == "target" ? (kpi.measure.higherIsBetter ? "at-least" : "at-most") : (kpi.measure.higherIsBetter ? "below" : "above")
            builder.diagnostics.error(.lineAgainstMeasure, at: first.keyword.range.through(first.value.range),
                                      "'\(first.text)' points the wrong way: for '\(kpi.measure.syntax)' a \(better) value is better",
                                      hint: "write '\(first.keyword.text) \(word) \(first.value.text)'")
            return
        }
        if let targetLine = reading.target, let warnLine = reading.warn {
            guard checkDirections(targetLine, warnLine, into: &builder) else { return }
            if let target, let warn, !isSafer(warn, than: target, higherIsBetter: targetLine.higherIsBetter, orEqual: false) {
                builder.diagnostics.error(.lineOnWrongSide, at: warnLine.value.range,
                                          "'\(warnLine.text)' is not on the safe side of '\(targetLine.text)': the kpi would be breached before it warns",
                                          hint: "the early warning comes before the breach: write a warn line \(targetLine.higherIsBetter ? "above" : "below") \(targetLine.value.text)",
                                          related: targetLine.keyword.range)
                return
            }
        }
        // The all-clear is judged against the line nearest to the good side: warn, else target.
        guard let clearLine = reading.clear, let clear, let line = reading.warn ?? reading.target, let lineValue = warn ?? target else { return }
        if !isSafer(clear, than: lineValue, higherIsBetter: line.higherIsBetter, orEqual: true) {
            builder.diagnostics.error(.lineOnWrongSide, at: clearLine.value.range,
                                      "'clear at \(clearLine.value.text)' is on the bad side of '\(line.text)': the all-clear would come while the kpi is still across",
                                      hint: "the all-clear needs the value back past the line: write clear at \(line.value.text) or \(line.higherIsBetter ? "more" : "less")",
                                      related: line.keyword.range)
        }
    }

    /// `target at-least` goes with `warn below`, `target at-most` with `warn above`.
    private static func checkDirections(_ target: WrittenLine, _ warn: WrittenLine, into builder: inout RuleBuilder) -> Bool {
        guard target.higherIsBetter != warn.higherIsBetter else { return true }
        builder.diagnostics.error(.lineOnWrongSide, at: warn.keyword.range.through(warn.value.range),
                                  "'\(warn.text)' points the other way from '\(target.text)'",
                                  hint: "with '\(target.keyword.text) \(target.direction)' a \(target.higherIsBetter ? "higher" : "lower") value is better: "
                                      + "write 'warn \(target.higherIsBetter ? "below" : "above") \(warn.value.text)'",
                                  related: target.keyword.range)
        return false
    }

    private static func isSafer(_ value: Double, than line: Double, higherIsBetter: Bool, orEqual: Bool) -> Bool {
        if value == line { return orEqual }
        return higherIsBetter ? value > line : value < line
    }
}
