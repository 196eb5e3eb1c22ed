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
    static func settings(_ key: SettingValue, old: [SettingValue] = []) -> LinkSettings {
        LinkSettings(baseURL: "https://wy.example.com/slad/", key: key, oldKeys: old, expireSeconds: 600, location: SourceRange(file: 0, start: 0, end: 0))
    }

    static func links(_ settings: LinkSettings?, environment: [String: String]) throws -> (LinkConfiguration, SQLiteTicketStore) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-links-\(UUID().uuidString)").path
        let store = try SQLiteTicketStore.open(folder: folder)
        let links = LinkConfiguration(store: store, secrets: SecretResolver(environment: environment, credentialsDirectory: "/nonexistent"),
                                logger: Logger(label: "test"), fallback: settings)
        return (links, store)
    }

    @Test func aGoodKeyGivesTheStoreAMinter() throws {
        let (links, store) = try Self.links(Self.settings(.environment("K"), old: [.environment("OLD")]),
                                            environment: ["K": String(repeating: "ab", count: 32), "OLD": String(repeating: "旧", count: 11)])
        #expect(links.configure(RuleSet()) == .on(baseURL: "https://wy.example.com/slad/"))
        #expect(store.linkMinter?.baseURL == "https://wy.example.com/slad" && store.linkMinter?.expireSeconds == 600)
        #expect(store.linkMinter?.signer.keys.old.count == 1)
    }

    @Test func aMissingOrShortKeyTurnsLinksOffAndSaysWhy() throws {
        let (missing, store) = try Self.links(Self.settings(.credential("action-key")), environment: [:])
        guard case let .broken(reason) = missing.configure(RuleSet()) else { Issue.record("broken"); return }
        #expect(reason.contains("'key'") && reason.contains("action-key") && !reason.contains("channel"), "\(reason)")
        #expect(store.linkMinter == nil)
        let (short, _) = try Self.links(Self.settings(.environment("K")), environment: ["K": "hunter2"])
        guard case let .broken(why) = short.configure(RuleSet()) else { Issue.record("short"); return }
        #expect(why.contains("at least 32 bytes") && !why.contains("hunter2"), "\(why)")
    }

    @Test func aReloadWithoutLinksRemovesTheMinter() throws {
        let (links, store) = try Self.links(Self.settings(.environment("K")), environment: ["K": String(repeating: "k", count: 32)])
        links.configure(RuleSet())
        #expect(store.linkMinter != nil)
        let (none, other) = try Self.links(nil, environment: [:])
        other.setLinks(store.linkMinter)
        #expect(none.configure(RuleSet()) == .off && other.linkMinter == nil)
    }
}
