/// Routes that can never take a ticket (W020) and targets that can reach nobody (W021).
///
/// Shadowing works as for policies (Checker+Shadowing.swift), with one difference: an earlier route
/// covers a later one only when its target always reaches someone, since a route whose team is outside
/// its hours passes the ticket on. A `text contains` keyword is a yes/no field that implies every shorter
/// keyword inside it, so `电` in an earlier route covers `电梯困人` in a later one, keyword by keyword.
extension Checker {
    mutating func checkRoutes() {
        var index = ConjunctionIndex()
        var symbols = ShadowingSymbols()
        symbols.keywords = Array(Set(builder.routeKeywordPlaces.flatMap { $0.map(\.keyword) })).sorted()
        for (position, route) in rules.routes.enumerated() {
            if let target = route.target { checkReach(target, of: route) }
            guard !builder.routesWithBrokenParts.contains(route.name),
                  let conjunctions = MatchDNF.conjunctions(of: route.match, symbols: &symbols) else { continue }
            let at = route.matchLocation ?? route.location
            if conjunctions.isEmpty {
                builder.diagnostics.warning(.unreachableRoute, at: at, "route '\(route.name)' can never match: its condition contradicts itself",
                                            hint: "a field cannot equal two different values at once; did you mean 'or' or 'in [...]'?")
                continue
            }
            let owners = conjunctions.map { index.coveringPolicy(of: $0, splitting: 16, names: symbols) }
            if let first = owners.first, let owner = first, owners.allSatisfy({ $0 != nil }) {
                let earlier = rules.routes[owner]
                let why = earlier.match == .always ? "it has no 'when', so it takes every ticket" : "every ticket this one covers is taken there first"
                builder.diagnostics.warning(.unreachableRoute, at: at, "route '\(route.name)' can never match: '\(earlier.name)' comes first and \(why)",
                                            hint: "routes are tried top to bottom (files in path order), first match wins; move this route above '\(earlier.name)', or narrow that one",
                                            related: earlier.matchLocation ?? earlier.location)
            } else {
                reportDeadKeywords(route, position: position, conjunctions: conjunctions, owners: owners, symbols: symbols)
            }
            guard route.target.map(alwaysReaches) ?? false else { continue }
            for conjunction in conjunctions { index.insert(conjunction, policy: position) }
        }
    }

    /// A keyword whose every ticket an earlier route takes: the rest of the route still works, so the
    /// warning points at the keyword.
    private mutating func reportDeadKeywords(_ route: Route, position: Int, conjunctions: [Conjunction], owners: [Int?],
                                             symbols: ShadowingSymbols) {
        let places = builder.routeKeywordPlaces.indices.contains(position) ? builder.routeKeywordPlaces[position] : []
        var reported: Set<String> = []
        for (conjunction, owner) in zip(conjunctions, owners) {
            guard let owner else { continue }
            let keyword = conjunction.terms.compactMap { term -> String? in
                let name = symbols.fieldNames[term.field]
                return name.hasPrefix("text:") ? String(name.dropFirst(5)) : nil
            }.max { $0.unicodeScalars.count < $1.unicodeScalars.count }
            guard let keyword, reported.insert(keyword).inserted,
                  let place = places.first(where: { $0.keyword == keyword }) else { continue }
            let earlier = rules.routes[owner]
            builder.diagnostics.warning(.unreachableRoute, at: place.range,
                                        "keyword '\(keyword)' never decides route '\(route.name)': '\(earlier.name)' comes first and takes every such ticket",
                                        hint: "move '\(route.name)' above '\(earlier.name)' (the more specific route first), or drop the keyword",
                                        related: earlier.matchLocation ?? earlier.location)
        }
    }

    /// Whether a target reaches someone at every instant: then later routes it covers are dead.
    func alwaysReaches(_ target: RouteTarget) -> Bool {
        switch target {
        case let .person(name): rules.people[name] != nil
        case let .roster(name): rules.rosters[name].map { !$0.members.isEmpty } ?? false
        case let .team(name, _): rules.teams[name].map { !$0.members.isEmpty && $0.hours == nil } ?? false
        case let .model(model): alwaysReaches(model.fallback)
        }
    }

    private mutating func checkReach(_ target: RouteTarget, of route: Route) {
        let at = route.targetLocation ?? route.location
        switch target {
        case .person:
            return
        case let .roster(name):
            guard let roster = rules.rosters[name], roster.members.isEmpty, roster.overrides.isEmpty else { return }
            builder.diagnostics.warning(.routeReachesNobody, at: at, "route '\(route.name)' reaches nobody: roster '\(name)' has no members",
                                        hint: "add 'members NAME, NAME' to roster \(name); until then its tickets go to the next route", related: roster.location)
        case let .team(name, _):
            guard let team = rules.teams[name] else { return }
            // Business hours always open on some day (a calendar works at least one weekday), so a team's
            // hours alone never make it unreachable; only its members can.
            guard team.members.isEmpty else { return }
            builder.diagnostics.warning(.routeReachesNobody, at: at, "route '\(route.name)' reaches nobody: team '\(name)' has no members",
                                        hint: "add 'members NAME, NAME' to team \(name); until then its tickets go to the next route", related: team.location)
        case let .model(model):
            checkReach(model.fallback, of: route)
            guard let classifier = rules.models[model.path] else { return }
            let names = rules.routes.map(\.name) + rules.teams.keys.sorted()
            for label in classifier.labels where rules.labelTarget(label).route == nil && rules.labelTarget(label).team == nil {
                builder.diagnostics.warning(.routeReachesNobody, at: model.location,
                                            "model '\(model.path)' predicts '\(label)', which names no route and no team",
                                            hint: (Suggestion.hint(for: label, in: names).map { $0 + "; " } ?? "")
                                                + "such tickets go to the route's 'else'; train on labels that are route or team names (or their titles)")
            }
        }
    }
}
