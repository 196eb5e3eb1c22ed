import SLAClassify

/// The checked, resolved rules: what the engine and the daemon run on. Only built when `slad check`
/// would report no errors, so every reference in it names something defined.
public struct RuleSet: Sendable {
    /// The files it was loaded from, in load order; `SourceRange.file` indexes this.
    public internal(set) var files: [String] = []
    public internal(set) var calendars: [String: WorkCalendar] = [:]
    public internal(set) var hours: [String: BusinessHours] = [:]
    public internal(set) var people: [String: Person] = [:]
    public internal(set) var teams: [String: Team] = [:]
    public internal(set) var rosters: [String: Roster] = [:]
    public internal(set) var channels: [String: Channel] = [:]
    public internal(set) var templates: [String: MessageTemplate] = [:]
    /// In match order: a ticket takes the first policy whose `when` holds.
    public internal(set) var policies: [Policy] = []
    public internal(set) var plans: [Plan] = []
    public internal(set) var quietWindows: [QuietWindow] = []
    /// The declared value sets (`fields { … }`); a field without one accepts any value.
    public internal(set) var fieldSets: [TicketField: FieldSet] = [:]
    /// Action links in notices (`links { … }`); nil when the rules declare none.
    public internal(set) var links: LinkSettings?
    /// Service indicators (`kpi … { … }`), in file order.
    public internal(set) var kpis: [KPI] = []
    /// Declared sites (`site … { households N }`); tickets may name sites that are not declared.
    public internal(set) var sites: [String: Site] = [:]
    /// Repeat marking (`repeats { within 30d }`); nil: repeats are not marked.
    public internal(set) var repeats: RepeatSettings?
    /// Self-alerts (`watch { … }`); nil: slad tells nobody when it is in trouble (it still logs and says so on /healthz).
    public internal(set) var watch: WatchSettings?

    /// Dispatch rules (`route … { … }`), in file order: a ticket without an assignee takes the first that
    /// matches and reaches someone.
    public internal(set) var routes: [Route] = []
    /// The text classifiers `to model "PATH"` routes name, by `ModelTarget.path`, read when the rules were.
    public internal(set) var models: [String: TextClassifier] = [:]

    public init() {}

    /// What a model's label names: a route (by name, else by title), else a team (by name, else by title),
    /// so a history labelled with trade names (水电) works with routes titled the same.
    public func labelTarget(_ label: String) -> (route: Route?, team: String?) {
        if let route = routes.first(where: { $0.name == label }) ?? routes.first(where: { $0.title == label }) { return (route, nil) }
        if teams[label] != nil { return (nil, label) }
        return (nil, teams.values.filter { $0.title == label }.map(\.name).min())
    }

    /// The first policy that matches a ticket's fields.
    public func policy(for fields: [TicketField: [String]]) -> Policy? {
        policies.first { $0.match.matches(fields) }
    }
}
