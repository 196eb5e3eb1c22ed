import SLANotify
import SLARules

/// The reason a job of a channel that cannot deliver carries (its `lastError`), naming the setting to fix
/// and never a secret's value (the setup errors name variables and credentials, not their contents).
enum UnconfiguredChannel {
    static func reason(_ channel: Channel, _ error: any Error) -> String {
        "\(problem(channel, error)); the job waits until that is fixed and slad is restarted (or reloaded with SIGHUP for a credential file)"
    }

    /// What is wrong, without what happens to jobs meanwhile (self-alerts have no jobs).
    static func problem(_ channel: Channel, _ error: any Error) -> String {
        var detail = String(describing: error)
        let prefix = "channel '\(channel.name)': "
        if detail.hasPrefix(prefix) { detail.removeFirst(prefix.count) }
        return "channel \(channel.name) is not configured: \(detail)"
    }

    static func removed(_ channel: String) -> String {
        "channel \(channel) is no longer in the rules; the job waits until the channel is back (reload), or drop it with slad outbox drop"
    }
}
