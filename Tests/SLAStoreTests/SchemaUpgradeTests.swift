import Foundation
import GRDB
import SLAEngine
import Testing
@testable import SLAStore

/// Databases written at every earlier schema version open with this build: each is made by the migrator
/// stopped at that version (`migrate(upTo:)`) and filled through that version's SQL, the way slad of the
/// day wrote it (a ticket with a step already fired and its notices sent and pending, a ticket not yet
/// due, delivery attempts from v3, a closed incident from v4). Opened with the current code and scanned
/// later, nothing that had fired fires again and the notice that was pending still is, once.
@Suite struct SchemaUpgradeTests {
    static let versions = Schema.migrator.migrations

    /// The version identifiers before the newest: a database at each must upgrade.
    static var earlier: [String] { Array(versions.dropLast()) }

    @Test(arguments: earlier)
    func aDatabaseAtAnEarlierVersionUpgradesWithNothingRepeatedOrLost(_ version: String) async throws {
        let engine = try makeEngine()
        let number = Int(version.dropFirst().prefix { $0.isNumber })!
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // The first step of T-FIRED fell due at t0 + 90 min and was fired then, by the old code.
        let firstDue = t0 + 5400
        let early = engine.evaluate(complaint("T-FIRED"), at: firstDue)
        let step = try #require(early.due.first)
        do {
            let queue = try DatabaseQueue(path: folder + "/slad.sqlite")
            try Schema.migrator.migrate(queue, upTo: version)
            try await queue.write { db in
                for id in ["T-FIRED", "T-LATER"] {
                    try db.execute(sql: """
                        INSERT INTO ticket (id, created_at, fields, kind, building, assignee, status, policy, next_due, updated_at)
                        VALUES (?, ?, ?, 'complaint', '3栋', 'zhang-wei', 'open', 'complaint', ?, ?)
                        """, arguments: [id, t0.seconds, StoreJSON.fields(complaint(id).fields),
                                         (id == "T-FIRED" ? early.nextDue! : firstDue).seconds, (id == "T-FIRED" ? firstDue : t0).seconds])
                    try db.execute(sql: "INSERT INTO ticket_event (ticket_id, seq, kind, at, actor, recorded_at) VALUES (?, 0, 'created', ?, 'hotline', ?)",
                                   arguments: [id, t0.seconds, t0.seconds])
                }
                try db.execute(sql: """
                    INSERT INTO firing (id, ticket_id, policy, step, cycle, repeat_index, due_at, fired_at, lateness, missed, people, unreached)
                    VALUES (7, 'T-FIRED', ?, ?, ?, ?, ?, ?, 0, 0, '["zhang-wei"]', '[]')
                    """, arguments: [step.firing.policy, step.firing.step, step.firing.cycle, step.firing.repeatIndex,
                                     step.dueAt.seconds, firstDue.seconds])
                for (id, channel, kind, state) in [(21, "console", "log", "sent"), (22, "sms", "sms-http", "pending")] {
                    try db.execute(sql: """
                        INSERT INTO outbox (id, firing_id, ticket_id, channel, channel_kind, recipients, message, state, attempts, next_attempt_at, created_at, updated_at)
                        VALUES (?, 7, 'T-FIRED', ?, ?, '[{"person":"zhang-wei","name":"张伟","address":"+8613800000001"}]', '请响应', ?, ?, ?, ?, ?)
                        """, arguments: [id, channel, kind, state, state == "sent" ? 1 : 2, firstDue.seconds + 600, firstDue.seconds, firstDue.seconds])
                }
                if number >= 3 {
                    try db.execute(sql: """
                        INSERT INTO delivery_attempt (outbox_id, ticket_id, channel, attempt, at, result, detail) VALUES
                          (21, 'T-FIRED', 'console', 1, ?, 'sent', NULL), (22, 'T-FIRED', 'sms', 1, ?, 'retry', 'HTTP 503'),
                          (22, 'T-FIRED', 'sms', 2, ?, 'retry', 'HTTP 503')
                        """, arguments: [firstDue.seconds, firstDue.seconds, firstDue.seconds + 60])
                }
                if number >= 4 {
                    try db.execute(sql: """
                        INSERT INTO incident (id, plan, level, status, opened_at, closed_at, updated_at) VALUES ('I-1', 'lift', 'II', 'closed', ?, ?, ?);
                        INSERT INTO incident_event (incident_id, seq, kind, at, recorded_at) VALUES ('I-1', 0, 'opened', ?, ?), ('I-1', 1, 'closed', ?, ?);
                        """, arguments: [t0.seconds, t0.seconds + 600, t0.seconds + 600, t0.seconds, t0.seconds, t0.seconds + 600, t0.seconds + 600])
                }
                if number >= 2 {
                    try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('rules_version', 'old')")
                }
            }
            try queue.close()
        }
        let store = try SQLiteTicketStore.open(folder: folder)
        let applied = try await store.pool.read { db in try Schema.migrator.appliedIdentifiers(db) }
        #expect(applied == Set(Self.versions))
        // Two hours and a minute after creation: the second step is due for both, the first for T-LATER.
        let later = t0 + 7260
        let report = try await store.scan(engine: engine, now: later, limit: 100)
        let again = try await store.scan(engine: engine, now: later, limit: 100)
        #expect(again.fired.isEmpty, "a second scan fired \(again.fired.map(\.firing))")
        let fired = try await store.firings(of: "T-FIRED")
        #expect(fired.filter { $0.firing == step.firing }.count == 1, "the step fired by the old code fired again: \(fired.map(\.firing))")
        #expect(fired.count == 2, "\(fired.map(\.firing))")
        #expect(!report.fired.contains { $0.ticketID == "T-FIRED" && $0.firing == step.firing })
        let laterFirings = try await store.firings(of: "T-LATER")
        #expect(Set(laterFirings.map(\.firing.step)).count == laterFirings.count)
        #expect(laterFirings.count == 2, "\(laterFirings.map(\.firing))")
        // The pending notice is still pending, once, with a key; the sent one stays sent.
        let pending = try await store.outbox(state: "pending", limit: 100).filter { $0.firingID == 7 }
        #expect(pending.map(\.id) == [22])
        #expect(pending.first?.noticeKey?.hasPrefix("slad-") == true)
        #expect(try await store.outbox(state: "sent", limit: 100).map(\.id) == [21])
        if number >= 3 {
            #expect(try await store.attempts(ticket: "T-FIRED").count == 3)
        }
        if number >= 4 {
            #expect(try await store.incident("I-1")?.status == "closed")
        }
        // What slad's own check says about the upgraded state: no orphan and no finding.
        let check = try StoreCheck.run(folder: folder, engine: nil, rulesVersion: nil, now: later)
        #expect(check.findings.isEmpty, "\(check.findings)")
    }

    @Test func aDatabaseFromANewerSladIsRefusedByStoreCheckToo() async throws {
        let folder = temporaryFolder()
        let store = try SQLiteTicketStore.open(folder: folder)
        try await store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
        }
        #expect(throws: StoreOpenFailure.self) { _ = try SQLiteTicketStore.open(folder: folder) }
        do {
            _ = try StoreCheck.run(folder: folder, engine: nil, rulesVersion: nil, now: t0)
            Issue.record("store check accepted a newer database")
        } catch {
            #expect(error.exitCode == 65)
            #expect(error.description.contains("v99: from the future"))
        }
    }
}
