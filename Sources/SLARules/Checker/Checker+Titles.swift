extension Checker {
    /// Every definition of a kind with its title (a person's display name), for "did you mean
    /// customer-service (客服中心)?" when a title is written where a name belongs.
    func titledDefinitions(_ kind: DefinitionKind) -> [NamedCandidate] {
        func named<T>(_ items: some Sequence<T>, _ name: (T) -> String, _ title: (T) -> String?) -> [NamedCandidate] {
            items.map { NamedCandidate(name: name($0), title: title($0)) }.sorted { $0.name < $1.name }
        }
        switch kind {
        case .calendar: return named(rules.calendars.values, \.name, \.title)
        case .hours: return named(rules.hours.values, \.name, \.title)
        case .person: return named(rules.people.values, \.name, \.displayName)
        case .team: return named(rules.teams.values, \.name, \.title)
        case .roster: return named(rules.rosters.values, \.name, \.title)
        case .channel: return named(rules.channels.values, \.name, \.title)
        case .template: return named(rules.templates.values, \.name, \.title)
        case .policy: return named(rules.policies, \.name, \.title)
        case .plan: return named(rules.plans, \.name, \.title)
        case .quiet: return named(rules.quietWindows, \.name, \.title)
        case .kpi: return named(rules.kpis, \.name, \.title)
        case .route: return named(rules.routes, \.name, \.title)
        }
    }

    /// The definition of `kind` whose title is exactly `word`, if any.
    func definition(_ kind: DefinitionKind, titled word: String) -> NamedCandidate? {
        titledDefinitions(kind).first { $0.title == word }
    }
}

extension Checker {
    /// `notify li-na via sms`: a name needs the word saying what it names. The hint gives the fix for
    /// the kinds the name is defined as (or written as the title of), else the closest person, team or
    /// roster.
    mutating func checkBareTargets() {
        let kinds: [DefinitionKind] = [.person, .team, .roster]
        for reference in builder.bareTargets {
            var fixes: [String] = []
            for kind in kinds {
                if builder.definitions[kind]?[reference.name] != nil {
                    fixes.append("'\(kind.rawValue) \(reference.name)'")
                    _ = builder.markUsed(kind, reference.name)
                } else if let titled = definition(kind, titled: reference.name) {
                    fixes.append("'\(kind.rawValue) \(titled.name)' (\(reference.name))")
                    builder.suggestedNames.insert("\(kind.rawValue)/\(titled.name)")
                }
            }
            if fixes.isEmpty {
                for kind in kinds {
                    let names = builder.definitions[kind].map { Array($0.keys).sorted() } ?? []
                    if let close = Suggestion.closest(to: reference.name, in: names) {
                        fixes.append("'\(kind.rawValue) \(close)'")
                        builder.suggestedNames.insert("\(kind.rawValue)/\(close)")
                    }
                }
            }
            let hint = fixes.isEmpty
                ? "no person, team or roster is called '\(reference.name)'; write 'person NAME', 'team NAME' or 'roster NAME'"
                : "write \(fixes.joined(separator: " or "))"
            builder.diagnostics.error(.unexpectedToken, at: reference.range,
                                      "expected whom to notify: \(Suggestion.list(TargetReader.words)), found '\(reference.name)'",
                                      hint: hint)
        }
    }
}
