import Foundation // TimeZone only: the one fact about the world the checker needs.

/// The passes that run once every file is read. Each pass reads the collected model and adds
/// diagnostics; a new construct that needs checking adds one pass here.
struct Checker {
    var builder: RuleBuilder
    /// The date to judge the calendars' yearly data by; nil skips that pass.
    var today: DayDate?

    mutating func run() {
        checkReferences()
        checkBareTargets()
        checkConditionValues()
        checkTimeZones()
        resolveImplicitHours()
        checkHours()
        checkSteps()
        checkAddresses()
        checkTeamTargets()
        checkKPIs()
        checkWatch()
        checkShadowedPolicies()
        checkRoutes()
        checkUnused()
        checkCalendarData()
    }

    /// A calendar that working-time clocks count in must hold this year's notice (E122) and, from
    /// 1 December, next year's (W012): a deadline past its data counts holidays as working days.
    mutating func checkCalendarData() {
        guard let today else { return }
        for gap in rules.calendarDataGaps(today: today) {
            guard let calendar = rules.calendars[gap.calendar] else { continue }
            if gap.isCurrentYear {
                builder.diagnostics.error(.calendarDataMissing, at: calendar.location, gap.message, hint: gap.remedy)
            } else {
                builder.diagnostics.warning(.calendarDataEndsSoon, at: calendar.location, gap.message, hint: gap.remedy)
            }
        }
    }

    var rules: RuleSet { builder.rules }

    /// Every name used must be defined; a name defined as another kind gets a pointed hint. Marks the
    /// definitions referred to, for `checkUnused`.
    mutating func checkReferences() {
        for reference in builder.references where !builder.markUsed(reference.kind, reference.name) {
            let names = builder.definitions[reference.kind].map { Array($0.keys).sorted() } ?? []
            var hint = Suggestion.hint(for: reference.name, in: names)
            if let titled = definition(reference.kind, titled: reference.name) {
                // A title where the name belongs: `team 客服中心` for `team customer-service "客服中心"`.
                hint = "did you mean \(titled.display)?"
                builder.suggestedNames.insert("\(reference.kind.rawValue)/\(titled.name)")
            }
            if hint == nil, let other = DefinitionKind.allCases.first(where: { builder.definitions[$0]?[reference.name] != nil }) {
                hint = "'\(reference.name)' is a \(other.rawValue), not a \(reference.kind.rawValue)"
            }
            if let suggested = Suggestion.closest(to: reference.name, in: names) {
                builder.suggestedNames.insert("\(reference.kind.rawValue)/\(suggested)")
            }
            builder.diagnostics.error(.unknownReference, at: reference.range,
                                      "unknown \(reference.kind.rawValue) '\(reference.name)'",
                                      hint: hint ?? (names.isEmpty ? "no \(reference.kind.rawValue) is defined" : nil))
        }
    }

    mutating func checkTimeZones() {
        for (name, range) in builder.timeZones where TimeZone(identifier: name) == nil || !name.contains("/") && name != "UTC" {
            builder.diagnostics.error(.invalidTimeZone, at: range, "'\(name)' is not a time zone",
                                      hint: Suggestion.hint(for: name, in: ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Macau", "UTC"])
                                          ?? "use an IANA name such as Asia/Shanghai")
        }
    }

    /// `3 working days` without `using HOURS` is fine when exactly one set of business hours exists.
    mutating func resolveImplicitHours() {
        guard !builder.implicitHours.isEmpty else { return }
        guard rules.hours.count == 1, let only = rules.hours.keys.first else {
            let names = rules.hours.keys.sorted()
            for range in builder.implicitHours {
                builder.diagnostics.error(.workingTimeWithoutHours, at: range, "which business hours does this working time count in?",
                                          hint: names.isEmpty ? "define 'hours NAME { calendar …; 09:00-18:00 }' and add 'using NAME'"
                                              : "add 'using NAME' with one of \(Suggestion.list(names))")
            }
            return
        }
        builder.references.append(Reference(kind: .hours, name: only, range: builder.implicitHours[0]))
        _ = builder.markUsed(.hours, only)
        for index in builder.rules.policies.indices {
            for clockIndex in builder.rules.policies[index].clocks.indices {
                let clock = builder.rules.policies[index].clocks[clockIndex]
                let limit: Limit
                switch clock.limit {
                case let .workingDays(days, hours) where hours.isEmpty: limit = .workingDays(days, hours: only)
                case let .workingTime(duration, hours) where hours.isEmpty: limit = .workingTime(duration, hours: only)
                case let .endOfWorkingDay(hours) where hours.isEmpty: limit = .endOfWorkingDay(hours: only)
                default: continue
                }
                builder.rules.policies[index].clocks[clockIndex].limit = limit
            }
        }
    }

    /// Ranges within one set of business hours must not overlap.
    mutating func checkHours() {
        for hours in rules.hours.values.sorted(by: { $0.name < $1.name }) {
            for (earlier, later) in zip(hours.ranges, hours.ranges.dropFirst()) where later.start < earlier.end {
                builder.diagnostics.warning(.overlappingHours, at: later.location,
                                            "\(later) overlaps \(earlier) in business hours '\(hours.name)'",
                                            hint: "merge them into one range", related: earlier.location)
            }
        }
    }
}
