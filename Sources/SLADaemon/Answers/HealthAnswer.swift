import SLAEngine

/// `/healthz`'s answer (docs/openapi.yaml, its 200 and 503): the rules running, the last scan, calendars, links, the
/// self-watch's troubles, and — with status `failing` and 503 — what keeps the daemon from its work.
struct HealthAnswer: Encodable {
    var status = "ok"
    let rules: String
    let rulesLoadedAt: String?
    /// Only after a refused reload: the old rules still run.
    let reload: Reload?
    let channelsNotConfigured: [ChannelNotConfigured]?
    var lastScan: String?
    var open: Int?
    var overdue: Int?
    var calendars: [Calendar] = []
    var links: Links?
    var watch: [Trouble]?
    var problems: [Problem]?

    struct Reload: Encodable {
        let state = "refused"
        let refusedAt: String
        let errors: Int
        let message: String
    }

    struct ChannelNotConfigured: Encodable {
        let channel: String
        let reason: String
    }

    /// A calendar working-time clocks count in: the last day of its holiday data (null when it follows
    /// its week alone), and a warning when data is missing.
    struct Calendar: Encodable {
        let name: String
        let dataUntil: Nullable<String>
        let warning: Nullable<String>
    }

    /// Action links: configured with their base URL, or not configured and why.
    struct Links: Encodable {
        let configured: Bool
        let baseURL: String?
        let reason: String?
    }

    /// A trouble the self-watch raised, since when, and the channels that carried it.
    struct Trouble: Encodable {
        let trouble: String
        let since: String
        let told: [String]
    }

    /// What keeps the daemon from its work (`DaemonProblems`): `code`, `summary` and `message` always.
    struct Problem: Encodable {
        let code: String
        var channel: String?
        let message: String
        var since: String?
        var failures: Int?
        var summary: String
    }
}
