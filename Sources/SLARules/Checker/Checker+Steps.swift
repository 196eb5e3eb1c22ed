extension Checker {
    /// Steps must name a clock of their policy, fire after it starts, and read top-down.
    mutating func checkSteps() {
        for policy in rules.policies {
            var lastFire: [String: (seconds: Int, step: EscalationStep)] = [:]
            for step in policy.steps {
                let clockName = step.at.clock
                guard let clock = policy.clock(named: clockName) else {
                    if builder.policiesWithBrokenClocks.contains(policy.name) { continue }
                    var hint = Suggestion.hint(for: clockName, in: policy.clocks.map(\.name))
                    if let dash = clockName.firstIndex(of: "-"), policy.clock(named: String(clockName[..<dash])) != nil {
                        let rest = clockName[clockName.index(after: dash)...]
                        hint = "put spaces around the '-': at \(clockName[..<dash]) - \(rest)"
                    }
                    builder.diagnostics.error(.unknownClock, at: step.clockLocation,
                                              "policy '\(policy.name)' has no clock '\(clockName)'",
                                              hint: hint ?? "its clocks are \(Suggestion.list(policy.clocks.map(\.name)))")
                    continue
                }
                // When the limit is wall time, the step's time after the clock starts is known.
                guard let limit = clock.limit.wallDuration?.seconds else { continue }
                let fire: Int
                switch step.at {
                case let .offset(_, seconds): fire = limit + seconds
                case let .share(_, percent): fire = limit * percent / 100
                }
                if fire < 0 {
                    builder.diagnostics.warning(.stepBeforeClockStarts, at: step.location,
                                                "this step would fire \(Duration(seconds: -fire)) before clock '\(clock.name)' even starts",
                                                hint: "the clock's limit is only \(Duration(seconds: limit)); move the step closer to the deadline")
                }
                if let previous = lastFire[clock.name], fire < previous.seconds {
                    builder.diagnostics.warning(.stepsOutOfOrder, at: step.location,
                                                "this step fires before the step above it on clock '\(clock.name)'",
                                                hint: "list steps in the order they fire, so the ladder reads top-down",
                                                related: previous.step.location)
                }
                lastFire[clock.name] = (fire, step)
            }
        }
    }

    /// A person notified through a channel that needs an address they lack is reached by nobody.
    mutating func checkAddresses() {
        var seen: Set<String> = []
        // Thousands of steps name the same few channels and teams: look up each channel's needed address
        // once, and each target's people without that address once per (address, target).
        let needs = rules.channels.compactMapValues { $0.kind.personalAddress }
        var unreachable: [Unreachable: [Person]] = [:]
        func check(_ targets: [NotifyTarget], _ channels: [String], at range: SourceRange, _ builder: inout RuleBuilder,
                   meanwhile: String = "meanwhile the step falls through to the next target") {
            for channelName in channels {
                guard let needed = needs[channelName] else { continue }
                for target in targets {
                    let key = Unreachable(address: needed, target: target)
                    if unreachable[key] == nil { unreachable[key] = Self.people(of: target, lacking: needed, in: builder.rules) }
                    for person in unreachable[key]! where seen.insert("\(person.name)/\(channelName)/\(range.file):\(range.start)").inserted {
                        builder.diagnostics.warning(.noAddressForChannel, at: range,
                                                    "\(person.name) has no \(needed.rawValue) address, so channel '\(channelName)' cannot reach them (\(target))",
                                                    hint: "add '\(needed.rawValue) \"…\"' to person \(person.name); \(meanwhile)",
                                                    related: person.location)
                    }
                }
            }
        }
        for policy in rules.policies {
            for step in policy.steps { check(step.targets, step.channels, at: step.location, &builder) }
        }
        for plan in rules.plans {
            for step in plan.steps { check([step.owner], step.channels, at: step.location, &builder) }
            for notification in plan.onOverdue { check(notification.targets, notification.channels, at: notification.location, &builder) }
        }
        for (kpi, places) in zip(rules.kpis, builder.kpiPlaces) {
            if let notice = kpi.notice { check(notice.targets, notice.channels, at: places.notice ?? kpi.location, &builder) }
        }
        if let watch = rules.watch {
            check(watch.targets, watch.channels, at: builder.watchPlaces?.notify ?? watch.location, &builder,
                  meanwhile: "until then self-alerts through this channel skip them")
        }
    }

    /// A target whose people lack an address kind.
    private struct Unreachable: Hashable {
        let address: ContactKind
        let target: NotifyTarget
    }

    /// The defined people a target names (in member order) who have no address of kind `needed`.
    private static func people(of target: NotifyTarget, lacking needed: ContactKind, in rules: RuleSet) -> [Person] {
        let names: [String]
        switch target {
        case let .person(name): names = [name]
        case let .team(name): names = rules.teams[name]?.members ?? []
        case let .roster(name): names = rules.rosters[name]?.members ?? []
        case .assignee, .supervisor, .manager: names = []
        }
        return names.compactMap { rules.people[$0] }.filter { $0.addresses[needed] == nil }
    }

    /// Channels, people, teams, rosters, templates, hours and calendars that nothing refers to
    /// (`checkReferences` marked the ones that are).
    mutating func checkUnused() {
        var unusedExamples: [(kind: DefinitionKind, name: String, range: SourceRange)] = []
        for kind in [DefinitionKind.calendar, .hours, .person, .team, .roster, .channel, .template] {
            let unused = (builder.definitions[kind] ?? [:]).filter { !builder.isUsed[$0.value.number] }
                .map { (name: $0.key, range: $0.value.range, isExample: builder.examples.contains($0.value.number)) }
            for (name, range, isExample) in unused.sorted(by: { ($0.range.file, $0.range.start) < ($1.range.file, $1.range.start) })
            where !builder.suggestedNames.contains("\(kind.rawValue)/\(name)") {
                if isExample {
                    unusedExamples.append((kind, name, range))
                    continue
                }
                builder.diagnostics.warning(.unusedDefinition, at: range, "\(kind.rawValue) '\(name)' is never used",
                                            hint: "remove it, or refer to it from a policy, plan, kpi, watch, team or roster")
            }
        }
        reportUnusedExamples(unusedExamples)
    }

    /// One warning per file for the sample definitions (`example …`) nothing uses.
    mutating func reportUnusedExamples(_ examples: [(kind: DefinitionKind, name: String, range: SourceRange)]) {
        let byFile = Dictionary(grouping: examples, by: \.range.file)
        for file in byFile.keys.sorted() {
            let items = byFile[file]!.sorted { $0.range.start < $1.range.start }
            let names = items.map { "\($0.kind.rawValue) \($0.name)" }
            let shown = names.count > 6 ? names.prefix(6).joined(separator: ", ") + ", …" : names.joined(separator: ", ")
            builder.diagnostics.warning(.unusedDefinition, at: items[0].range,
                                        items.count == 1 ? "example \(names[0]) is never used"
                                            : "\(items.count) example definitions in this file are never used: \(shown)",
                                        hint: "they are samples shipped with slad: replace them with your own, or delete them")
        }
    }
}
