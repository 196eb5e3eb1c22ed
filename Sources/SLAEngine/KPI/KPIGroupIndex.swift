import SLARules

/// A ticket's site, team and assignee as small integers of one `KPIGroupIndex`, so that a KPI grouped
/// by 500 sites tallies into an array rather than hashing a name per ticket (docs/kpi.md, "Speed").
/// Facts made without an index are `unset`: the calculator reads their names, as before.
public struct KPIGroupKeys: Sendable, Hashable {
    /// The index the keys belong to; nil when not interned.
    let owner: KPIGroupIndex.Owner?
    let site: Int32
    let team: Int32
    let assignee: Int32

    /// Not interned: the calculator groups the ticket by its names.
    public static let unset = KPIGroupKeys(owner: nil, site: KPIGroupKeys.none, team: KPIGroupKeys.none, assignee: KPIGroupKeys.none)
    /// The ticket has no value for the grouping (no site, no team, unassigned).
    static let none: Int32 = -1

    @inline(__always)
    subscript(grouping: KPIGrouping) -> Int32 {
        switch grouping {
        case .site: site
        case .team: team
        case .assignee: assignee
        }
    }
}

/// Interns the names of the groups (sites, teams, assignees) of a set of facts, once when the facts are
/// made; the `KPICalculator` given the same index groups those facts by their keys. Names are never
/// forgotten: the daemon keeps one index as long as it keeps the facts (and starts both again when the
/// rules change).
public struct KPIGroupIndex: Sendable {
    /// The index's identity, which the keys carry: keys of another index are never read as this one's.
    final class Owner: Sendable, Hashable {
        static func == (a: Owner, b: Owner) -> Bool { a === b }
        func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
    }

    let owner = Owner()
    /// Per grouping (site, team, assignee): the names by key, and the keys by name.
    private var names: [[String]] = [[], [], []]
    private var keys: [[String: Int32]] = [[:], [:], [:]]

    public init() {}

    /// The facts with their group keys set in this index.
    public mutating func interned(_ facts: TicketFacts) -> TicketFacts {
        var facts = facts
        facts.groupKeys = KPIGroupKeys(owner: owner, site: key(facts.fields.site, .site), team: key(facts.team, .team),
                                       assignee: key(facts.fields.assignee, .assignee))
        return facts
    }

    /// How many names of the grouping the index holds (the keys are 0..<count).
    func count(_ grouping: KPIGrouping) -> Int { names[Self.slot(grouping)].count }

    func name(_ key: Int32, _ grouping: KPIGrouping) -> String { names[Self.slot(grouping)][Int(key)] }

    private mutating func key(_ name: String?, _ grouping: KPIGrouping) -> Int32 {
        guard let name else { return KPIGroupKeys.none }
        let slot = Self.slot(grouping)
        if let key = keys[slot][name] { return key }
        let key = Int32(names[slot].count)
        names[slot].append(name)
        keys[slot][name] = key
        return key
    }

    private static func slot(_ grouping: KPIGrouping) -> Int {
        switch grouping {
        case .site: 0
        case .team: 1
        case .assignee: 2
        }
    }
}
