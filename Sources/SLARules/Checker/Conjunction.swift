// The vocabulary of the unreachable-policy analysis (Checker+Shadowing.swift).
//
// Field and value names are interned as small integers before the analysis starts: the index then
// compares and looks up numbers instead of hashing strings, which is what made this pass slow on
// rule sets of thousands of policies.

/// Field and value names as small integers. Values are numbered per field, so each field's values
/// are dense (`0..<count`) and can index an array.
struct ShadowingSymbols {
    /// Every `text contains` keyword of the rules being analysed (routes): a text holding a keyword also
    /// holds each of these that is part of it, which is how `电` in an earlier route covers `电梯` in a later one.
    var keywords: [String] = []
    private var fieldIDs: [String: Int] = [:]
    private var valueIDs: [[String: Int]] = []
    private(set) var fieldNames: [String] = []
    private(set) var valueNames: [[String]] = []

    mutating func field(_ name: String) -> Int {
        if let id = fieldIDs[name] { return id }
        let id = fieldNames.count
        fieldIDs[name] = id
        fieldNames.append(name)
        valueIDs.append([:])
        valueNames.append([])
        return id
    }

    mutating func value(_ name: String, of field: Int) -> Int {
        if let id = valueIDs[field][name] { return id }
        let id = valueNames[field].count
        valueIDs[field][name] = id
        valueNames[field].append(name)
        return id
    }
}

/// A set of value numbers, kept sorted. Conditions name a handful of values, so merging short sorted
/// arrays is cheaper than hashing.
struct ValueSet: Equatable {
    private(set) var ids: [Int]

    init(_ values: some Sequence<Int>) {
        var ids: [Int] = []
        for id in values.sorted() where ids.last != id { ids.append(id) }
        self.ids = ids
    }

    init(_ id: Int) { ids = [id] }

    private init(sorted ids: [Int]) { self.ids = ids }

    var count: Int { ids.count }
    var isEmpty: Bool { ids.isEmpty }
    var first: Int? { ids.first }

    func contains(_ id: Int) -> Bool {
        for candidate in ids where candidate >= id { return candidate == id }
        return false
    }

    func intersection(_ other: ValueSet) -> ValueSet { merge(other) { inSelf, inOther in inSelf && inOther } }
    func subtracting(_ other: ValueSet) -> ValueSet { merge(other) { inSelf, inOther in inSelf && !inOther } }
    func union(_ other: ValueSet) -> ValueSet { merge(other) { inSelf, inOther in inSelf || inOther } }
    func isSubset(of other: ValueSet) -> Bool { ids.allSatisfy(other.contains) }
    func isDisjoint(with other: ValueSet) -> Bool { !ids.contains(where: other.contains) }

    /// Walks both sorted arrays once, keeping each value for which `keep(inSelf, inOther)` holds.
    private func merge(_ other: ValueSet, keep: (Bool, Bool) -> Bool) -> ValueSet {
        var result: [Int] = []
        var i = 0, j = 0
        while i < ids.count || j < other.ids.count {
            let a = i < ids.count ? ids[i] : Int.max
            let b = j < other.ids.count ? other.ids[j] : Int.max
            let value = min(a, b)
            if keep(a == value, b == value) { result.append(value) }
            if a == value { i += 1 }
            if b == value { j += 1 }
        }
        return ValueSet(sorted: result)
    }
}

/// The set of values a field may take within one conjunction.
enum FieldConstraint: Equatable {
    case only(ValueSet)
    case except(ValueSet)

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

/// One alternative of a condition: at most one constraint per field, kept sorted by field number so
/// two conjunctions are compared in one walk.
struct Conjunction {
    struct Term {
        let field: Int
        var constraint: FieldConstraint
    }

    private(set) var terms: [Term] = []

    init() {}

    init(field: Int, _ constraint: FieldConstraint) { terms = [Term(field: field, constraint: constraint)] }

    /// Sets the constraint on `field`, replacing any it had.
    mutating func set(_ field: Int, to constraint: FieldConstraint) {
        let at = terms.firstIndex { $0.field >= field } ?? terms.endIndex
        if at < terms.endIndex, terms[at].field == field {
            terms[at].constraint = constraint
        } else {
            terms.insert(Term(field: field, constraint: constraint), at: at)
        }
    }

    /// Both conjunctions at once: constraints on the same field intersect. Nil when that leaves a field
    /// no value (the two contradict each other). One walk over both sorted term lists.
    func merged(with other: Conjunction) -> Conjunction? {
        var result = Conjunction()
        result.terms.reserveCapacity(terms.count + other.terms.count)
        var i = 0, j = 0
        while i < terms.count || j < other.terms.count {
            if j == other.terms.count || (i < terms.count && terms[i].field < other.terms[j].field) {
                result.terms.append(terms[i])
                i += 1
            } else if i == terms.count || other.terms[j].field < terms[i].field {
                result.terms.append(other.terms[j])
                j += 1
            } else {
                let combined = terms[i].constraint.intersect(other.terms[j].constraint)
                if combined.isEmpty { return nil }
                result.terms.append(Term(field: terms[i].field, constraint: combined))
                i += 1
                j += 1
            }
        }
        return result
    }

    /// True when every ticket this conjunction admits is admitted by `other` too: each of `other`'s
    /// fields is constrained here at least as tightly.
    func isCovered(by other: Conjunction) -> Bool {
        guard other.terms.count <= terms.count else { return false }
        var i = 0
        for term in other.terms {
            while i < terms.count, terms[i].field < term.field { i += 1 }
            guard i < terms.count, terms[i].field == term.field, terms[i].constraint.isSubset(of: term.constraint) else { return false }
        }
        return true
    }
}
