import SLAEngine
import SLARules

/// `value 92.5%` in an `expect … kpi` line: the number in the KPI's unit, compared at the precision
/// written (92.5% holds for 92.45–92.55 %; 2h30m to the minute; 4.6 for 4.55–4.65).
public struct KPIExpectedValue: Sendable, Hashable {
    public let text: String
    public let value: Double
    public let tolerance: Double

    public func holds(for observed: Double) -> Bool { abs(observed - value) <= tolerance + 1e-9 }

    /// `observed` written the way the expectation is: the same unit and number of decimals.
    public func written(_ observed: Double, unit: KPIUnit) -> String {
        switch unit {
        case .share: KPIExpectedValue.decimal(observed * 100, decimals: Self.decimals(text)) + "%"
        case .seconds: Duration(seconds: Int((observed / 60).rounded()) * 60).description
        case .score, .rate, .count: KPIExpectedValue.decimal(observed, decimals: Self.decimals(text))
        }
    }

    /// Parses `text` for a KPI of `unit`; nil when it is not a value of that unit.
    public static func parse(_ text: String, unit: KPIUnit) -> KPIExpectedValue? {
        switch unit {
        case .share:
            guard text.hasSuffix("%"), let number = Double(text.dropLast()), text.first?.isNumber == true else { return nil }
            return KPIExpectedValue(text: text, value: number / 100, tolerance: half(decimals(text)) / 100)
        case .seconds:
            guard let duration = Duration(text) else { return nil }
            return KPIExpectedValue(text: text, value: Double(duration.seconds), tolerance: 30)
        case .score, .rate:
            guard let number = Double(text), text.first?.isNumber == true else { return nil }
            return KPIExpectedValue(text: text, value: number, tolerance: half(decimals(text)))
        case .count:
            guard let number = Int(text), number >= 0 else { return nil }
            return KPIExpectedValue(text: text, value: Double(number), tolerance: 0)
        }
    }

    static func decimals(_ text: String) -> Int {
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text[text.index(after: dot)...].prefix { $0.isNumber }.count
    }

    static func half(_ decimals: Int) -> Double {
        var unit = 1.0
        for _ in 0..<decimals { unit /= 10 }
        return unit / 2
    }

    /// Exactly `decimals` decimals, trailing zeros kept (`75.0`), as the expectation wrote them.
    static func decimal(_ value: Double, decimals: Int) -> String {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(value) * Double(scale)).rounded())
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(scaled) }
        let fraction = String(scaled % scale)
        return sign + "\(scaled / scale)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}

extension RuleTestCompiler.Compiling {
    /// The KPI a reference names, with its group checked; nil (and reported) when there is none.
    mutating func kpi(_ reference: KPIReference, in test: RuleTest) -> KPI? {
        let names = engine.rules.kpis.map(\.name)
        guard let kpi = engine.rules.kpis.first(where: { $0.name == reference.name.value }) else {
            report(reference.name.position, "unknown KPI '\(reference.name.value)'",
                   hint: Suggestion.hint(for: reference.name.value, in: names)
                       ?? (names.isEmpty ? "the rules define no kpi" : "KPIs: \(names.joined(separator: ", "))"))
            return nil
        }
        guard let group = reference.group else { return kpi }
        guard let grouping = kpi.grouping else {
            report(group.position, "KPI '\(kpi.name)' has no groups: it has no 'by'",
                   hint: "write 'kpi \(kpi.name)' for the whole company")
            return nil
        }
        let known: [String] = switch grouping {
        case .site: Array(Set(engine.rules.sites.keys).union(test.tickets.compactMap { $0.fields.site })).sorted()
        case .team: engine.rules.teams.keys.sorted()
        case .assignee: engine.rules.people.keys.sorted()
        }
        if !known.contains(group.value) {
            let noun = grouping == .assignee ? "person" : grouping.rawValue
            report(group.position, "KPI '\(kpi.name)' is grouped by \(grouping.rawValue), and '\(group.value)' is not a \(noun) of the rules or this test",
                   hint: Suggestion.hint(for: group.value, in: known) ?? "\(noun)s: \(known.prefix(12).joined(separator: ", "))")
        }
        return kpi
    }

    /// A notice the KPI can send: it has `notify`, and the line the notice is about.
    mutating func checkNotice(_ step: Located<String>, of kpi: KPI) {
        guard kpi.notice != nil else {
            report(step.position, "KPI '\(kpi.name)' has no 'notify', so it sends no notices",
                   hint: "to check how it stands, write: expect … kpi \(kpi.name) level warning")
            return
        }
        if step.value.hasSuffix("warning"), kpi.warn == nil {
            report(step.position, "KPI '\(kpi.name)' has no 'warn' line, so it never sends '\(step.value)'",
                   hint: kpi.target != nil ? "it has a target: its notices are breached, repeat-breached and cleared" : nil)
        } else if step.value.hasSuffix("breached"), kpi.target == nil {
            report(step.position, "KPI '\(kpi.name)' has no 'target', so it never sends '\(step.value)'",
                   hint: "it has only a warning line: its notices are warning, repeat-warning and cleared")
        } else if step.value.hasPrefix("repeat-"), kpi.notice?.repeatEvery == nil {
            report(step.position, "KPI '\(kpi.name)' sends each notice once: its 'notify' has no 'every'",
                   hint: "add 'every 1d' to its notify line to repeat while it stays across")
        }
    }

    /// The value written for a KPI, in its unit; nil (and reported) when it is not one.
    mutating func kpiValue(_ written: Located<String>, of kpi: KPI) -> KPIExpectedValue? {
        if let value = KPIExpectedValue.parse(written.value, unit: kpi.measure.unit) { return value }
        report(written.position, "'\(written.value)' is not a value of KPI '\(kpi.name)'",
               hint: "it measures in \(kpi.measure.unit.rawValue): write \(kpi.measure.unit.example)")
        return nil
    }
}
