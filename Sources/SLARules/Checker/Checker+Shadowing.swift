/// Finds policies that can never match because earlier policies already take every ticket they would.
///
/// Each `when` is turned into a disjunction of conjunctions (DNF) of per-field constraints. A later
/// policy is unreachable when every one of its conjunctions is contained in a conjunction of some
/// earlier policy. Earlier conjunctions are indexed by one constrained value, so a rule set of
/// thousands of policies is checked in roughly linear time.
extension Checker {
    mutating func checkShadowedPolicies() {
        var index = ConjunctionIndex()
        for (position, policy) in rules.policies.enumerated() where !builder.policiesWithBrokenParts.contains(policy.name) {
            guard let conjunctions = MatchDNF.conjunctions(of: policy.match) else { continue }
            let at = policy.matchLocation ?? policy.location
            if conjunctions.isEmpty {
                builder.diagnostics.warning(.unreachablePolicy, at: at, "policy '\(policy.name)' can never match: its condition contradicts itself",
                                            hint: "a field cannot equal two different values at once; did you mean 'or' or 'in [...]'?")
                continue
            }
            var coveringPolicy: Int?
            let covered = conjunctions.allSatisfy { conjunction in
                guard let owner = index.coveringPolicy(of: conjunction, splitting: 16) else { return false }
                coveringPolicy = coveringPolicy ?? owner
                return true
            }
            if covered, let owner = coveringPolicy {
                let earlier = rules.policies[owner]
                builder.diagnostics.warning(.unreachablePolicy, at: at,
                                            "policy '\(policy.name)' can never match: every ticket it covers is taken by '\(earlier.name)' first",
                                            hint: "a ticket takes the first policy that matches; move this policy above '\(earlier.name)' or narrow that one",
                                            related: earlier.matchLocation ?? earlier.location)
            }
            for conjunction in conjunctions { index.insert(conjunction, policy: position) }
        }
    }
}

/// The set of values a field may take within one conjunction.
enum FieldConstraint: Hashable {
    case only(Set<String>)
    case except(Set<String>)

    func intersect(_ other: FieldConstraint) -> FieldConstraint {
        switch (self, other) {
        case let (.only(a), .only(b)): .only(a.intersection(b))
        case let (.only(a), .except(b)), let (.except(b), .only(a)): .only(a.subtracting(b))
        case let (.except(a), .except(b)): .except(a.union(b))
        }
    }

    func isSubset(of other: FieldConstraint) -> Bool {
        // Most conditions compare a field with one value: answer those with a single lookup.
        if case let .only(a) = self, a.count == 1, let value = a.first {
            switch other {
            case let .only(b): return b.contains(value)
            case let .except(b): return !b.contains(value)
            }
        }
        switch (self, other) {
        case let (.only(a), .only(b)): return a.isSubset(of: b)
        case let (.only(a), .except(b)): return a.isDisjoint(with: b)
        case let (.except(a), .except(b)): return b.isSubset(of: a)
        case (.except, .only): return false
        }
    }

    var isEmpty: Bool { if case let .only(values) = self { values.isEmpty } else { false } }
}

typealias Conjunction = [String: FieldConstraint]

enum MatchDNF {
    /// Past this many conjunctions the analysis gives up (returns nil) rather than spend time.
    static let limit = 64

    /// The satisfiable conjunctions of an expression; nil when too large to analyse.
    static func conjunctions(of expression: MatchExpression) -> [Conjunction]? {
        dnf(expression, negated: false)
    }

    private static func dnf(_ expression: MatchExpression, negated: Bool) -> [Conjunction]? {
        switch expression {
        case .always:
            return negated ? [] : [[:]]
        case let .not(inner):
            return dnf(inner, negated: !negated)
        case let .and(left, right), let .or(left, right):
            let isAnd: Bool = if case .and = expression { true } else { false }
            guard let l = dnf(left, negated: negated), let r = dnf(right, negated: negated) else { return nil }
            if isAnd != negated { return product(l, r) }
            return l.count + r.count > limit ? nil : l + r
        case let .comparison(field, isNegated, values):
            return comparison(field, values: values, negated: isNegated != negated)
        }
    }

    private static func comparison(_ field: TicketField, values: [String], negated: Bool) -> [Conjunction] {
        if field == .tags {
            // Each tag is its own yes/no field: "tags in [a, b]" means "has a or has b".
            if negated { return [Dictionary(uniqueKeysWithValues: Set(values).map { ("tag:\($0)", FieldConstraint.only(["no"])) })] }
            return Set(values).map { ["tag:\($0)": .only(["yes"])] }
        }
        // `grade != A` also holds for a ticket with no grade, so a negation stays an exclusion even for
        // fields with a closed set of values.
        let constraint: FieldConstraint = negated ? .except(Set(values)) : .only(Set(values))
        return constraint.isEmpty ? [] : [[field.rawValue: constraint]]
    }

    private static func product(_ left: [Conjunction], _ right: [Conjunction]) -> [Conjunction]? {
        guard left.count * right.count <= limit else { return nil }
        var result: [Conjunction] = []
        for l in left {
            for r in right {
                var merged = l
                var satisfiable = true
                for (field, constraint) in r {
                    let combined = merged[field].map { $0.intersect(constraint) } ?? constraint
                    if combined.isEmpty { satisfiable = false; break }
                    merged[field] = combined
                }
                if satisfiable { result.append(merged) }
            }
        }
        return result
    }
}

/// Earlier policies' conjunctions, looked up by one "anchor" value each.
struct ConjunctionIndex {
    private var anchored: [String: [String: [(Conjunction, Int)]]] = [:]
    private var unanchored: [(Conjunction, Int)] = []

    /// Anchors each conjunction on the constrained field whose bucket is smallest so far, so buckets stay
    /// small whatever fields the rules happen to use.
    mutating func insert(_ conjunction: Conjunction, policy: Int) {
        var best: (field: String, values: Set<String>, size: Int)?
        for (field, constraint) in conjunction {
            guard case let .only(values) = constraint else { continue }
            let size = values.reduce(0) { $0 + (anchored[field]?[$1]?.count ?? 0) }
            if best == nil || size < best!.size || (size == best!.size && field < best!.field) { best = (field, values, size) }
        }
        guard let (field, values, _) = best else {
            unanchored.append((conjunction, policy))
            return
        }
        for value in values { anchored[field, default: [:]][value, default: []].append((conjunction, policy)) }
    }

    /// An earlier policy that covers `conjunction`, possibly together with others: a field allowed several
    /// values (`grade in [A, B]`) is covered when each value is (`grade = A` and `grade = B` earlier).
    /// `splitting` bounds how many single-value cases are tried.
    func coveringPolicy(of conjunction: Conjunction, splitting budget: Int) -> Int? {
        if let direct = coveringPolicy(of: conjunction) { return direct }
        guard let (field, values) = conjunction.compactMap({ field, constraint -> (String, Set<String>)? in
            if case let .only(values) = constraint, values.count > 1 { return (field, values) }
            return nil
        }).min(by: { $0.0 < $1.0 }), values.count <= budget else { return nil }
        var first: Int?
        for value in values.sorted() {
            var single = conjunction
            single[field] = .only([value])
            guard let owner = coveringPolicy(of: single, splitting: budget / values.count) else { return nil }
            first = first ?? owner
        }
        return first
    }

    /// The earlier policy one of whose conjunctions contains `conjunction`, if any.
    func coveringPolicy(of conjunction: Conjunction) -> Int? {
        func covers(_ candidate: Conjunction) -> Bool {
            candidate.count <= conjunction.count && candidate.allSatisfy { field, constraint in conjunction[field]?.isSubset(of: constraint) ?? false }
        }
        for (candidate, policy) in unanchored where covers(candidate) { return policy }
        for (field, constraint) in conjunction {
            guard case let .only(values) = constraint, let probe = values.first,
                  let bucket = anchored[field]?[probe] else { continue }
            for (candidate, policy) in bucket where covers(candidate) { return policy }
        }
        return nil
    }
}
