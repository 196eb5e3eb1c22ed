import Foundation
import SLAActions

/// What the scan needs to put action links in notices: the signer (the rules' `links` key, resolved by
/// the daemon), the public base URL and how long a link works. The daemon sets it on the store at start
/// and on each reload (`SQLiteTicketStore.setLinks`); without one, notices carry no links.
public struct LinkMinter: Sendable {
    public let signer: LinkSigner
    /// Without a trailing slash: links are `BASE/a/TOKEN`.
    public let baseURL: String
    public let expireSeconds: Int

    public init(signer: LinkSigner, baseURL: String, expireSeconds: Int) {
        self.signer = signer
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.expireSeconds = expireSeconds
    }

    public func url(_ token: LinkToken) -> String { "\(baseURL)/a/\(token.text)" }
}

/// One action link in an outbox row, as the delivery service hands it to a notifier.
public struct OutboxAction: Sendable, Hashable {
    public let person: String
    public let name: String?
    public let action: LinkAction
    public let label: String
    public let url: String

    public init(person: String, name: String?, action: LinkAction, label: String, url: String) {
        self.person = person
        self.name = name
        self.action = action
        self.label = label
        self.url = url
    }
}

/// A value shared between threads behind a lock: the store's link settings, swapped on reload while the
/// scan and the pages read them.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    var current: Value {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
