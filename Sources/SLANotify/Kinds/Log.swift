import Foundation
import SLARules

/// `log`: the daemon's own log (and standard output when escalations are echoed). Always available.
/// The daemon gives it a sink; by default it prints one line per notice.
public struct LogNotifier: Notifier {
    public static let kind = "log"
    public typealias Sink = @Sendable (_ line: String, _ notice: Notice) -> Void
    let sink: Sink

    public init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) {
        sink = { line, _ in print(line) }
    }

    public init(sink: @escaping Sink) { self.sink = sink }

    public static func line(for notice: Notice) -> String {
        let people = notice.recipients.map { $0.name ?? $0.person }.joined(separator: "、")
        return "[\(notice.channel)] → \(people.isEmpty ? "（无人）" : people)：\(notice.text)"
    }

    public func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome {
        sink(Self.line(for: notice), notice)
        return .delivered
    }
}
