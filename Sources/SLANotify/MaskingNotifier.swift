import Foundation
import SLARules

/// A channel that masks personal data (`mask on`): the message and title are masked before the kind
/// renders them; the action links (slad's own URLs) and the people reached are left as they are.
public struct MaskingNotifier: Notifier {
    public static var kind: String { "mask" }
    /// The channel's own notifier, which renders and sends the masked notice.
    public let inner: any Notifier

    public init(channel: Channel, secrets: SecretResolver, transport: any HTTPTransport) throws(NotifierSetupError) {
        throw NotifierSetupError("MaskingNotifier wraps another notifier")
    }

    init(wrapping inner: any Notifier) { self.inner = inner }

    public var defaultPerMinute: Int? { inner.defaultPerMinute }

    public func deliver(_ notice: Notice, now: Date) async -> DeliveryOutcome {
        await inner.deliver(Self.masked(notice), now: now)
    }

    /// The notice with its text and title masked; the links keep their place (the text before and after
    /// it are masked apart, so the offset moves with the masked text).
    static func masked(_ notice: Notice) -> Notice {
        var text = PersonalData.mask(notice.text)
        var offset = notice.actionsAt
        if let at = notice.actionsAt, at <= notice.text.utf8.count,
           let split = notice.text.utf8.index(notice.text.utf8.startIndex, offsetBy: at, limitedBy: notice.text.utf8.endIndex),
           notice.text.indices.contains(split) || split == notice.text.endIndex {
            let before = PersonalData.mask(String(notice.text[..<split]))
            text = before + PersonalData.mask(String(notice.text[split...]))
            offset = before.utf8.count
        }
        return Notice(idempotencyKey: notice.idempotencyKey, ticketID: notice.ticketID, channel: notice.channel, recipients: notice.recipients,
                      text: text, createdAt: notice.createdAt, title: notice.heading.map(PersonalData.mask),
                      actions: notice.actions, actionsAt: offset)
    }
}
