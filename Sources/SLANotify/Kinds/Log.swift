import Foundation
import SLARules

/// `log`: the daemon's own log (and standard output when escalations are echoed). Always available.
/// The daemon gives it a sink; by default it prints one line per notice, and the notice's action links
/// on lines of their own.
public struct LogNotifier: Notifier {
    public static let kind = "log"
    public typealias Sink = @Sendable (_ line: String, _ notice: Notice) -> Void
    let sink: Sink

    public init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) {
        sink = { line, _ in print(line) }
    }

    public init(sink: @escaping Sink) { self.sink = sink }

    /// `[channel] → 张伟、李娜：text`, with the action links as lines `接单 URL` at their place (the text's
    /// URLs then disarmed, `https：//`, so the only links are slad's). `links: false` leaves them out (and the
    /// text as it is): the line for a log that must not hold tokens.
    public static func line(for notice: Notice, links: Bool = true) -> String {
        let people = notice.recipients.map { $0.name ?? $0.person }.joined(separator: "、")
        let lines = links ? ActionLinks.plainLines(ActionLinks.groups(notice)) : []
        let text = ActionLinks.place(lines, in: notice.text, at: notice.actionsAt, escape: lines.isEmpty ? { $0 } : Escaping.plainText)
        return "[\(notice.channel)] → \(people.isEmpty ? "（无人）" : people)：\(text)"
    }

    public func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome {
        sink(Self.line(for: notice), notice)
        return .delivered
    }
}
