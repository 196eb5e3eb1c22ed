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
    /// it, split where the kinds split it, are masked apart, so the offset moves with the masked text).
    static func masked(_ notice: Notice) -> Notice {
        let (before, after) = ActionLinks.split(notice.text, at: notice.actionsAt)
        let maskedBefore = PersonalData.mask(before)
        return Notice(idempotencyKey: notice.idempotencyKey, ticketID: notice.ticketID, channel: notice.channel, recipients: notice.recipients,
                      text: maskedBefore + PersonalData.mask(after), createdAt: notice.createdAt,
                      title: notice.heading.map(PersonalData.mask), actions: notice.actions,
                      actionsAt: notice.actionsAt.map { _ in maskedBefore.utf8.count })
    }
}
