/// Earlier policies' conjunctions, looked up by one "anchor" value each.
///
/// A conjunction that allows field F only the values V is filed under F and each value of V. A later
/// conjunction can only be covered by it if it too allows F only values within V, so looking up the
/// later conjunction's first value of each such field finds every candidate.
struct ConjunctionIndex {
    struct Entry {
        let conjunction: Conjunction
        let policy: Int
    }

    /// `anchored[field][value]`: the conjunctions filed under that value, in policy order.
    private var anchored: [[[Entry]]] = []
    /// Conjunctions that constrain no field to a set of values (`grade != C`, or no condition at all).
    private var unanchored: [Entry] = []

    private func bucket(_ field: Int, _ value: Int) -> [Entry] {
        guard field < anchored.count, value < anchored[field].count else { return [] }
        return anchored[field][value]
    }

    /// Anchors each conjunction on the constrained field whose bucket is smallest so far, so buckets stay
    /// small whatever fields the rules happen to use. (Which field is chosen affects only speed: lookups
    /// find a covering conjunction whatever it was anchored on.)
    mutating func insert(_ conjunction: Conjunction, policy: Int) {
        var best: (field: Int, values: ValueSet, size: Int)?
        for term in conjunction.terms {
            guard case let .only(values) = term.constraint else { continue }
            let size = values.ids.reduce(0) { $0 + bucket(term.field, $1).count }
            if best == nil || size < best!.size { best = (term.field, values, size) }
        }
        let entry = Entry(conjunction: conjunction, policy: policy)
        guard let (field, values, _) = best else {
            unanchored.append(entry)
            return
        }
        if anchored.count <= field { anchored += Array(repeating: [], count: field + 1 - anchored.count) }
        for value in values.ids {
            if anchored[field].count <= value { anchored[field] += Array(repeating: [], count: value + 1 - anchored[field].count) }
            anchored[field][value].append(entry)
        }
    }

    /// An earlier policy that covers `conjunction`, possibly together with others: a field allowed several
    /// values (`grade in [A, B]`) is covered when each value is (`grade = A` and `grade = B` earlier).
    /// `splitting` bounds how many single-value cases are tried. Fields and values are split in name
    /// order, so the answer does not depend on the order in which names were numbered.
    func coveringPolicy(of conjunction: Conjunction, splitting budget: Int, names symbols: ShadowingSymbols) -> Int? {
        if let direct = coveringPolicy(of: conjunction) { return direct }
        let split = conjunction.terms.compactMap { term -> (field: Int, values: ValueSet)? in
            if case let .only(values) = term.constraint, values.count > 1 { return (term.field, values) }
            return nil
        }.min { symbols.fieldNames[$0.field] < symbols.fieldNames[$1.field] }
        guard let (field, values) = split, values.count <= budget else { return nil }
        let names = symbols.valueNames[field]
        var first: Int?
        for value in values.ids.sorted(by: { names[$0] < names[$1] }) {
            var single = conjunction
            single.set(field, to: .only(ValueSet(value)))
            guard let owner = coveringPolicy(of: single, splitting: budget / values.count, names: symbols) else { return nil }
            first = first ?? owner
        }
        return first
    }

    /// The earlier policy one of whose conjunctions contains `conjunction`, if any. Unanchored conjunctions
    /// are tried first; among anchored ones the earliest policy wins.
    func coveringPolicy(of conjunction: Conjunction) -> Int? {
        for entry in unanchored where conjunction.isCovered(by: entry.conjunction) { return entry.policy }
        var earliest: Int?
        for term in conjunction.terms {
            guard case let .only(values) = term.constraint, let probe = values.first else { continue }
            // Buckets fill in policy order: past the earliest found so far, nothing can beat it.
            for entry in bucket(term.field, probe) {
                if let earliest, entry.policy >= earliest { break }
                if conjunction.isCovered(by: entry.conjunction) {
                    earliest = entry.policy
                    break
                }
            }
        }
        return earliest
    }
}
