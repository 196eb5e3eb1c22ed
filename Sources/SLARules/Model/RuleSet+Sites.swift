extension RuleSet {
    /// The declared site a ticket's `site` field names: by the site's name, else by its title (the first
    /// site with that title; W018 warns about a title that names two). Nil for a site not declared.
    public func site(named value: String) -> Site? {
        if let site = sites[value] { return site }
        return sites.values.filter { $0.title == value }.min { ($0.location.file, $0.location.start) < ($1.location.file, $1.location.start) }
    }

    /// The households of every declared site that gives them: what an overall per-100-households rate
    /// divides by. Nil when no site declares households.
    public var totalHouseholds: Int? {
        let counts = sites.values.compactMap(\.households)
        return counts.isEmpty ? nil : counts.reduce(0, +)
    }
}
