import Foundation
import Logging
import SLAActions
import SLANotify
import SLARules
import SLAStore

/// The daemon's side of action links (issue 13): at start and on each reload it reads the rules' `links`,
/// resolves `key` and `old-key` like a channel's secrets (`env NAME`, `credential NAME`), and gives the
/// store the minter its scan uses. A key that is missing or too short never stops the daemon: it is
/// logged, notices go out without links, and /healthz says why (`links.configured: false`).
public final class LinkConfiguration: @unchecked Sendable {   // `current` is behind `lock`
    public enum Status: Sendable, Equatable {
        /// The rules declare no links: notices carry none, /healthz says nothing.
        case off
        case on(baseURL: String)
        /// Declared, but the key cannot be used: notices go out without links.
        case broken(reason: String)
    }

    let store: SQLiteTicketStore
    let secrets: SecretResolver
    let logger: Logger
    /// Replaces the rules' `base-url` (`PublicListenerConfiguration.linkBaseURL`, the demo); nil: theirs.
    let baseURL: String?
    private let lock = NSLock()
    private var current = Status.off

    public init(store: SQLiteTicketStore, secrets: SecretResolver = SecretResolver(), logger: Logger, baseURL: String? = nil) {
        self.store = store
        self.secrets = secrets
        self.logger = logger
        self.baseURL = baseURL
    }

    public var status: Status { lock.withLock { current } }

    /// Builds the minter from the rules (or removes it) and records the outcome.
    @discardableResult
    public func configure(_ rules: RuleSet) -> Status {
        let status: Status
        if var settings = rules.links {
            if let baseURL { settings.baseURL = baseURL }
            do {
                store.setLinks(try Self.minter(settings, secrets: secrets))
                status = .on(baseURL: settings.baseURL)
                logger.info("action links in notices", metadata: ["base_url": "\(settings.baseURL)", "expire_s": "\(settings.expireSeconds)"])
            } catch {
                store.setLinks(nil)
                status = .broken(reason: "\(error)")
                logger.error("action links are off: notices go out without links until the key is fixed and the rules reloaded",
                             metadata: ["reason": "\(error)"])
            }
        } else {
            store.setLinks(nil)
            status = .off
        }
        lock.withLock { current = status }
        return status
    }

    /// The minter for `settings`, or why the key cannot sign (never the key itself).
    public static func minter(_ settings: LinkSettings, secrets: SecretResolver) throws(LinkKeyError) -> LinkMinter {
        func text(_ value: SettingValue, _ setting: String) throws(LinkKeyError) -> String {
            do {
                return try secrets.resolve(value, setting: setting, channel: "links")
            } catch {
                let reason = "\(error)".replacingOccurrences(of: "channel 'links': ", with: "")
                throw LinkKeyError(setting: setting, reason: reason)
            }
        }
        var old: [String] = []
        for value in settings.oldKeys { old.append(try text(value, "old-key")) }
        let keys = try LinkKeys(keyText: try text(settings.key, "key"), oldKeyTexts: old)
        return LinkMinter(signer: LinkSigner(keys: keys), baseURL: settings.baseURL, expireSeconds: settings.expireSeconds)
    }

    /// `links` in /healthz: nil when the rules declare none.
    var health: HealthAnswer.Links? {
        switch status {
        case .off: nil
        case let .on(baseURL): HealthAnswer.Links(configured: true, baseURL: baseURL, reason: nil)
        case let .broken(reason): HealthAnswer.Links(configured: false, baseURL: nil, reason: reason)
        }
    }
}
