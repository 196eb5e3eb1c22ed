extension Checker {
    /// Each kpi's clock must belong to a policy (E128) that can hold together with the kpi's `when`
    /// (W016); `month`, `week` and working time need a calendar and hours to count in (E131), filled in
    /// when the rules have only one; a notice needs a line to cross (W017) and someone to reach (W008).
    mutating func checkKPIs() {
        guard !rules.kpis.isEmpty else { return }
        var policiesByClock: [String: [Policy]] = [:]
        for policy in rules.policies {
            for clock in policy.clocks { policiesByClock[clock.name, default: []].append(policy) }
        }
        for index in rules.kpis.indices {
            let places = builder.kpiPlaces[index]
            checkKPIClock(rules.kpis[index], places, policiesByClock)
            resolveKPICalendar(index, places)
            checkKPINotice(rules.kpis[index], places)
        }
    }

    private mutating func checkKPIClock(_ kpi: KPI, _ places: KPIPlaces, _ policiesByClock: [String: [Policy]]) {
        guard let clock = kpi.measure.clock, let range = places.clock else { return }
        guard let policies = policiesByClock[clock] else {
            // A policy whose clock could not be read is already reported; its clock may be the one meant.
            guard builder.policiesWithBrokenClocks.isEmpty else { return }
            let names = policiesByClock.keys.sorted()
            builder.diagnostics.error(.unknownKPIClock, at: range, "no policy has a clock '\(clock)'",
                                      hint: Suggestion.hint(for: clock, in: names)
                                          ?? (names.isEmpty ? "define a policy with 'clock \(clock) within …'" : "the policies' clocks are \(Suggestion.list(names))"))
            return
        }
        guard kpi.match != .always else { return }
        var symbols = ShadowingSymbols()
        let overlaps = policies.contains { policy in
            // Too large to analyse (nil) counts as overlapping: warn only when sure.
            MatchDNF.conjunctions(of: .and(policy.match, kpi.match), symbols: &symbols).map { !$0.isEmpty } ?? true
        }
        if !overlaps {
            let names = policies.map(\.name)
            builder.diagnostics.warning(.kpiClockNeverMatches, at: range,
                                        "no ticket of kpi '\(kpi.name)' can have clock '\(clock)': its 'when' never holds together with that of \(Suggestion.list(names))",
                                        hint: "the kpi never has data; widen its 'when', or measure a clock of the policies it selects",
                                        related: places.match)
        }
    }

    /// The calendar (and, for working time, the business hours) a kpi counts in: the one named, else
    /// the only one there is.
    private mutating func resolveKPICalendar(_ index: Int, _ places: KPIPlaces) {
        let kpi = rules.kpis[index]
        var needs: String?
        if kpi.window == .month || kpi.window == .week { needs = "'over \(kpi.window == .month ? "month" : "week")'" }
        if kpi.measure.isWorkingTime {
            needs = "'\(kpi.measure.syntax)'"
            // Unknown hours named with `using` are already reported (E102).
            if let named = kpi.hours, rules.hours[named] == nil { return }
            if kpi.hours == nil {
                let candidates = rules.hours.values.filter { kpi.calendar == nil || $0.calendar == kpi.calendar }.map(\.name).sorted()
                guard candidates.count == 1 else {
                    builder.diagnostics.error(.kpiWithoutCalendar, at: places.clock ?? places.name,
                                              "which business hours does '\(kpi.measure.syntax)' count working time in?",
                                              hint: candidates.isEmpty ? "define 'hours NAME { calendar …; 09:00-18:00 }' and write 'using NAME' after the clock"
                                                  : "write 'using NAME' after the clock, with one of \(Suggestion.list(candidates))")
                    return
                }
                _ = builder.markUsed(.hours, candidates[0])
                builder.rules.kpis[index].hours = candidates[0]
            }
            if kpi.calendar == nil, let hours = builder.rules.kpis[index].hours.flatMap({ rules.hours[$0] }) {
                _ = builder.markUsed(.calendar, hours.calendar)
                builder.rules.kpis[index].calendar = hours.calendar
            }
        }
        guard builder.rules.kpis[index].calendar == nil else { return }
        if rules.calendars.count == 1, let only = rules.calendars.keys.first {
            if needs != nil { _ = builder.markUsed(.calendar, only) }
            builder.rules.kpis[index].calendar = only
        } else if let needs {
            let names = rules.calendars.keys.sorted()
            builder.diagnostics.error(.kpiWithoutCalendar, at: places.window ?? places.clock ?? places.name,
                                      "which calendar does \(needs) in kpi '\(kpi.name)' count in?",
                                      hint: names.isEmpty ? "define 'calendar NAME { timezone Asia/Shanghai }' and add 'calendar NAME' to the kpi"
                                          : "add 'calendar NAME' to the kpi, with one of \(Suggestion.list(names))")
        }
    }

    private mutating func checkKPINotice(_ kpi: KPI, _ places: KPIPlaces) {
        guard let notice = kpi.notice, let range = places.notice else { return }
        if kpi.target == nil, kpi.warn == nil {
            builder.diagnostics.warning(.kpiNoticeNeverSent, at: range, "kpi '\(kpi.name)' has no 'target' or 'warn' line, so this notice is never sent",
                                        hint: "add 'target at-least …' / 'at-most …' or 'warn below …' / 'above …', or remove 'notify'")
        }
        for target in notice.targets {
            switch target {
            case .supervisor, .manager:
                if kpi.grouping == .team { continue }
                guard let teamName = kpi.team else {
                    builder.diagnostics.warning(.targetReachesNobody, at: range, "kpi '\(kpi.name)' has no team, so '\(target)' resolves to nobody",
                                                hint: "add 'team NAME' to the kpi (whose \(target) is meant), or group it 'by team'")
                    continue
                }
                guard let team = rules.teams[teamName] else { continue }
                if (target == .supervisor ? team.supervisor : team.manager) == nil {
                    builder.diagnostics.warning(.targetReachesNobody, at: range, "team '\(teamName)' has no \(target), so this notice reaches nobody through it",
                                                hint: "add '\(target) NAME' to team \(teamName)", related: team.location)
                }
            case .assignee where kpi.grouping != .assignee:
                builder.diagnostics.warning(.targetReachesNobody, at: range, "'assignee' in a kpi's notice means the person of a 'by assignee' group; kpi '\(kpi.name)' has none",
                                            hint: "group the kpi 'by assignee', or notify a team, a roster or a person")
            default:
                continue
            }
        }
    }
}
