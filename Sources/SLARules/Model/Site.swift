/// A site (小区) the company serves (`site NAME "翠湖花园" { households 1200 }`): its display name and
/// number of households, for complaint rates per 100 households. Tickets name sites by `site`.
public struct Site: Sendable, Hashable {
    public let name: String
    public var title: String?
    public var households: Int?
    public let location: SourceRange

    public init(name: String, title: String? = nil, households: Int? = nil, location: SourceRange) {
        self.name = name
        self.title = title
        self.households = households
        self.location = location
    }
}

/// When a new ticket repeats an earlier one (`repeats { within 30d }`): same site, building, unit, kind
/// and category as a ticket closed at most `withinSeconds` before it was created. Without the block
/// repeats are not marked.
public struct RepeatSettings: Sendable, Hashable {
    public var withinSeconds: Int
    public let location: SourceRange

    public init(withinSeconds: Int, location: SourceRange) {
        self.withinSeconds = withinSeconds
        self.location = location
    }
}
