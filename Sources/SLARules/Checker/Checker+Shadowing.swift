/// Finds policies that can never match because earlier policies already take every ticket they would.
///
/// Each `when` is turned into a disjunction of conjunctions (DNF) of per-field constraints. A later
/// policy is unreachable when every one of its conjunctions is contained in a conjunction of some
/// earlier policy. Earlier conjunctions are indexed by one constrained value, so a rule set of
/// thousands of policies is checked in roughly linear time. Names are numbered first (see
/// Conjunction.swift) so the analysis works on integers.
extension Checker {
    mutating func checkShadowedPolicies() {
        var index = ConjunctionIndex()
        var symbols = ShadowingSymbols()
        for (position, policy) in rules.policies.enumerated() where !builder.policiesWithBrokenParts.contains(policy.name) {
            guard let conjunctions = MatchDNF.conjunctions(of: policy.match, symbols: &symbols) else { continue }
            let at = policy.matchLocation ?? policy.location
            if conjunctions.isEmpty {
                builder.diagnostics.warning(.unreachablePolicy, at: at, "policy '\(policy.name)' can never match: its condition contradicts itself",
                                            hint: "a field cannot equal two different values at once; did you mean 'or' or 'in [...]'?")
                continue
            }
            var coveringPolicy: Int?
            let covered = conjunctions.allSatisfy { conjunction in
                guard let owner = index.coveringPolicy(of: conjunction, splitting: 16, names: symbols) else { return false }
                coveringPolicy = coveringPolicy ?? owner
                return true
            }
            if covered, let owner = coveringPolicy {
                let earlier = rules.policies[owner]
                builder.diagnostics.warning(.unreachablePolicy, at: at,
                                            "policy '\(policy.name)' can never match: every ticket it covers is taken by '\(earlier.name)' first",
                                            hint: reorderHint(policy, after: earlier),
                                            related: earlier.matchLocation ?? earlier.location)
            }
            for conjunction in conjunctions { index.insert(conjunction, policy: position) }
        }
    }
}

extension Checker {
    /// How to put `policy` before `earlier`: policies are tried in file path order, then top to bottom.
    func reorderHint(_ policy: Policy, after earlier: Policy) -> String {
        let files = rules.files
        let file = policy.location.file, earlierFile = earlier.location.file
        guard file != earlierFile, files.indices.contains(file), files.indices.contains(earlierFile) else {
            return "policies are tried top to bottom (and files in path order); move this policy above '\(earlier.name)', or narrow that one"
        }
        let here = files[file].split(separator: "/").last.map(String.init) ?? files[file]
        let there = files[earlierFile].split(separator: "/").last.map(String.init) ?? files[earlierFile]
        return "policies are tried file by file in path order ('\(there)' before '\(here)'), then top to bottom; "
            + "move this policy into '\(there)' above '\(earlier.name)', rename the files so that '\(here)' sorts first "
            + "(a prefix such as '10-'), or narrow '\(earlier.name)'"
    }
}

enum MatchDNF {
    /// Past this many conjunctions the analysis gives up (returns nil) rather than spend time.
    static let limit = 64

    /// The satisfiable conjunctions of an expression; nil when too large to analyse.
    static func conjunctions(of expression: MatchExpression, symbols: inout ShadowingSymbols) -> [Conjunction]? {
        dnf(expression, negated: false, &symbols)
    }

    private static func dnf(_ expression: MatchExpression, negated: Bool, _ symbols: inout ShadowingSymbols) -> [Conjunction]? {
        switch expression {
        case .always:
            return negated ? [] : [Conjunction()]
        case let .not(inner):
            return dnf(inner, negated: !negated, &symbols)
        case let .and(left, right), let .or(left, right):
            let isAnd: Bool = if case .and = expression { true } else { false }
            guard let l = dnf(left, negated: negated, &symbols), let r = dnf(right, negated: negated, &symbols) else { return nil }
            if isAnd != negated { return product(l, r) }
            return l.count + r.count > limit ? nil : l + r
        case let .comparison(field, isNegated, values):
            return comparison(field, values: values, negated: isNegated != negated, &symbols)
        case let .textContains(keywords):
            return text(keywords, negated: negated, &symbols)
        }
    }

    private static func comparison(_ field: TicketField, values: [String], negated: Bool,
                                   _ symbols: inout ShadowingSymbols) -> [Conjunction] {
        if field == .tags {
            // Each tag is its own yes/no field: "tags in [a, b]" means "has a or has b".
            var tagFields: [Int] = []
            for value in values {
                let id = symbols.field("tag:\(value)")
                if !tagFields.contains(id) { tagFields.append(id) }
            }
            let answer = negated ? "no" : "yes"
            let constraints = tagFields.map { ($0, FieldConstraint.only(ValueSet(symbols.value(answer, of: $0)))) }
            if negated {
                var all = Conjunction()
                for (tag, constraint) in constraints { all.set(tag, to: constraint) }
                return [all]
            }
            return constraints.map { Conjunction(field: $0.0, $0.1) }
        }
        // `grade != A` also holds for a ticket with no grade, so a negation stays an exclusion even for
        // fields with a closed set of values.
        let id = symbols.field(field.rawValue)
        let set = values.count == 1 ? ValueSet(symbols.value(values[0], of: id)) : ValueSet(values.map { symbols.value($0, of: id) })
        let constraint: FieldConstraint = negated ? .except(set) : .only(set)
        return constraint.isEmpty ? [] : [Conjunction(field: id, constraint)]
    }

    /// Like tags, each keyword is a yes/no field ("the text holds it"); a conjunction for keyword K also
    /// says yes to every known keyword inside K, which is what it implies.
    private static func text(_ keywords: [String], negated: Bool, _ symbols: inout ShadowingSymbols) -> [Conjunction] {
        if negated {
            var all = Conjunction()
            for keyword in keywords {
                let id = symbols.field("text:\(keyword)")
                all.set(id, to: .only(ValueSet(symbols.value("no", of: id))))
            }
            return [all]
        }
        return keywords.map { keyword in
            var conjunction = Conjunction()
            for part in symbols.keywords where part == keyword || keyword.contains(part) {
                let id = symbols.field("text:\(part)")
                conjunction.set(id, to: .only(ValueSet(symbols.value("yes", of: id))))
            }
            let id = symbols.field("text:\(keyword)")
            conjunction.set(id, to: .only(ValueSet(symbols.value("yes", of: id))))
            return conjunction
        }
    }

    private static func product(_ left: [Conjunction], _ right: [Conjunction]) -> [Conjunction]? {
        guard left.count * right.count <= limit else { return nil }
        var result: [Conjunction] = []
        result.reserveCapacity(left.count * right.count)
        for l in left {
            for r in right {
                if let merged = l.merged(with: r) { result.append(merged) }
            }
        }
        return result
    }
}
