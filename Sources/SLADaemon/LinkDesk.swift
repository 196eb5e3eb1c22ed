import Logging
import SLAActions
import SLAStore

/// The real `ActionDesk`: what the public action pages call (issue 13). A look never changes anything;
/// a press acts once, in one store transaction (`SQLiteTicketStore.actOnLink`). The rules are read at
/// each call, so a reload applies at once; the keys are the store's (`LinkConfiguration.configure`).
/// Tokens are never logged.
public struct LinkDesk: ActionDesk {
    public let store: SQLiteTicketStore
    let rules: RulesHolder
    let logger: Logger

    public init(store: SQLiteTicketStore, rules: RulesHolder, logger: Logger = Logger(label: "slad.links")) {
        self.store = store
        self.rules = rules
        self.logger = logger
    }

    public func look(token: String, now: Int) async -> ActionLookup {
        do {
            return try await store.lookLink(token: token, now: now, engine: await rules.engine)
        } catch {
            logger.error("action link: reading the store failed", metadata: ["error": "\(error)"])
            return .invalid
        }
    }

    public func act(token: String, now: Int) async -> ActionResult {
        do {
            let result = try await store.actOnLink(token: token, now: now, engine: await rules.engine)
            if case let .done(view, note) = result {
                logger.notice("action link used", metadata: ["action": "\(view.action.rawValue)", "subject": "\(view.subject)",
                                                             "person": "\(view.sentTo)", "result": "\(note)"])
            }
            return result
        } catch {
            logger.error("action link: the store failed", metadata: ["error": "\(error)"])
            return .invalid
        }
    }

    public func formValue(token: String) -> String? {
        store.linkMinter?.signer.formValue(token: token)
    }
}
