import Foundation
import SLAEngine

/// A reload that was refused: the old rules keep running until a reload succeeds.
public struct ReloadRefusal: Sendable {
    public let at: Instant
    /// How many errors the refused rules had (1 when they could not be read or compiled).
    public let errors: Int
    /// The first lines of the refusal, for people.
    public let reason: String

    init(at: Instant, failure: RulesHolder.LoadFailure) {
        self.at = at
        switch failure {
        case let .invalid(errors, rendered):
            self.errors = errors
            reason = rendered.split(separator: "\n").first.map(String.init) ?? "the rules have errors"
        case let .unreadable(text), let .engine(text):
            errors = 1
            reason = text
        }
    }
}

/// The `/healthz` answer, built from what the daemon knows. Outside systemd nobody sees STATUS=, so a
/// refused reload must show here: which rules still run, since when, and why the new ones were refused.
struct HealthReport {
    let version: String
    let loadedAt: Instant?
    let refusal: ReloadRefusal?
    /// Channels whose notifications cannot go out, with the reason.
    var unconfigured: [String: String] = [:]
    let zone: ZoneTable

    func answer() -> HealthAnswer {
        var reload: HealthAnswer.Reload?
        if let refusal {
            let since = loadedAt.map { " since \(zone.format($0))" } ?? ""
            reload = HealthAnswer.Reload(
                refusedAt: zone.format(refusal.at), errors: refusal.errors,
                message: "the reload at \(zone.format(refusal.at)) was refused (\(refusal.errors) error\(refusal.errors == 1 ? "" : "s"): "
                    + "\(refusal.reason)); the old rules \(version) still run\(since). Fix the rules (slad check) and send SIGHUP again.")
        }
        return HealthAnswer(rules: version, rulesLoadedAt: loadedAt.map { zone.format($0) }, reload: reload,
                            channelsNotConfigured: unconfigured.isEmpty ? nil
                                : unconfigured.sorted { $0.key < $1.key }.map { HealthAnswer.ChannelNotConfigured(channel: $0.key, reason: $0.value) })
    }
}
