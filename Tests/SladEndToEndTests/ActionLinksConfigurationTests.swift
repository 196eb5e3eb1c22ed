import Foundation
import Logging
import SLAActions
import SLADaemon
import SLANotify
import SLARules
import SLAStore
import Testing

/// What the daemon does with the rules' `links` at start and on each reload: a good key gives the store
/// a minter; a missing or short one leaves notices without links and says why; none turns links off.
@Suite struct ActionLinksConfigurationTests {
    /// Rules whose only block is `links` with these key lines (nil: no links block at all).
    static func rules(_ keys: String?) throws -> RuleSet {
        let text = keys.map { "links {\n  base-url \"https://wy.example.com/slad/\"\n  \($0)\n  expire 10m\n}\n" } ?? "channel console log {}\n"
        return try #require(RuleLoader.check([SourceFile(path: "links.sla", text: text)]).ruleSet)
    }

    static func links(environment: [String: String]) throws -> (LinkConfiguration, SQLiteTicketStore) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-links-\(UUID().uuidString)").path
        let store = try SQLiteTicketStore.open(folder: folder)
        let links = LinkConfiguration(store: store, secrets: SecretResolver(environment: environment, credentialsDirectory: "/nonexistent"),
                                      logger: Logger(label: "test"))
        return (links, store)
    }

    @Test func aGoodKeyGivesTheStoreAMinter() throws {
        let (links, store) = try Self.links(environment: ["K": String(repeating: "ab", count: 32), "OLD": String(repeating: "旧", count: 11)])
        #expect(links.configure(try Self.rules("key env K\n  old-key env OLD")) == .on(baseURL: "https://wy.example.com/slad"))
        #expect(store.linkMinter?.baseURL == "https://wy.example.com/slad" && store.linkMinter?.expireSeconds == 600)
        #expect(store.linkMinter?.signer.keys.old.count == 1)
    }

    @Test func aMissingOrShortKeyTurnsLinksOffAndSaysWhy() throws {
        let (missing, store) = try Self.links(environment: [:])
        guard case let .broken(reason) = missing.configure(try Self.rules("key credential action-key")) else { Issue.record("broken"); return }
        #expect(reason.contains("'key'") && reason.contains("action-key") && !reason.contains("channel"), "\(reason)")
        #expect(store.linkMinter == nil)
        let (short, _) = try Self.links(environment: ["K": "hunter2"])
        guard case let .broken(why) = short.configure(try Self.rules("key env K")) else { Issue.record("short"); return }
        #expect(why.contains("at least 32 bytes") && !why.contains("hunter2"), "\(why)")
    }

    @Test func aReloadWithoutLinksRemovesTheMinter() throws {
        let (links, store) = try Self.links(environment: ["K": String(repeating: "k", count: 32)])
        links.configure(try Self.rules("key env K"))
        #expect(store.linkMinter != nil)
        #expect(links.configure(try Self.rules(nil)) == .off && store.linkMinter == nil)
    }
}
