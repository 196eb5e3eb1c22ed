import Foundation
import GRDB
import SLAEngine
import Testing
@testable import SLAStore

/// Retention (docs/adr/0027): tickets closed before the cutoff go to a gzip JSON Lines archive with all
/// their rows and out of the database; open ones, recently closed ones and closed ones with a notice still
/// pending stay; a dry run counts exactly what a prune then removes.
@Suite struct RetentionTests {
    /// T-OLD and T-PENDING are closed at t0 + 3 h with a fired ladder; T-NEW is closed 300 days later;
    /// T-OPEN stays open. T-PENDING keeps a notice pending.
    func makeStore() async throws -> (SQLiteTicketStore, String) {
        let folder = temporaryFolder()
        let store = try SQLiteTicketStore.open(folder: folder)
        let engine = try makeEngine()
        for id in ["T-OLD", "T-PENDING", "T-OPEN"] {
            _ = try await store.create(complaint(id), idempotencyKey: "key-\(id)", actor: "hotline", engine: engine, now: t0)
        }
        _ = try await store.scan(engine: engine, now: t0 + 7260, limit: 100)
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE outbox SET state = 'sent' WHERE ticket_id != 'T-PENDING'")
            try db.execute(sql: """
                INSERT INTO delivery_attempt (outbox_id, subject, ticket_id, channel, attempt, at, result) SELECT id, 'ticket', ticket_id, channel, 1, ?, 'sent' FROM outbox
                """, arguments: [(t0 + 7300).seconds])
        }
        for id in ["T-OLD", "T-PENDING"] {
            _ = try await store.append(TicketEventRecord(kind: .resolved, at: t0 + 10_000), to: id, engine: engine, now: t0 + 10_000)
            _ = try await store.append(TicketEventRecord(kind: .closed, at: t0 + 10_800), to: id, engine: engine, now: t0 + 10_800)
        }
        let later = t0 + 300 * 86_400
        _ = try await store.create(complaint("T-NEW", at: later), idempotencyKey: nil, actor: nil, engine: engine, now: later)
        _ = try await store.append(TicketEventRecord(kind: .closed, at: later + 60), to: "T-NEW", engine: engine, now: later + 60)
        return (store, folder)
    }

    @Test func closedTicketsBeforeTheCutoffAreArchivedWithTheirRowsAndRemoved() async throws {
        let (store, folder) = try await makeStore()
        let cutoff = t0 + 100 * 86_400
        let preview = try await store.prunePreview(closedBefore: cutoff)
        #expect(preview.tickets == 1)
        #expect(preview.firings == 2)
        #expect(preview.jobs == 4)
        #expect(preview.attempts == 4)
        let report = try await store.prune(closedBefore: cutoff, archiveFolder: folder + "/archive", batch: 1, now: t0 + 400 * 86_400)
        var expected = preview
        expected.batches = 1
        expected.archive = report.archive
        #expect(report == expected)
        #expect(try await store.ticket("T-OLD") == nil)
        #expect(try await store.firings(of: "T-OLD").isEmpty)
        for kept in ["T-PENDING", "T-OPEN", "T-NEW"] { #expect(try await store.ticket(kept) != nil, "\(kept)") }
        let left = try await store.pool.read { db in
            try ["outbox", "delivery_attempt", "idempotency", "ticket_event"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0) WHERE ticket_id = 'T-OLD'") ?? -1
            }
        }
        #expect(left == [0, 0, 0, 0])
        // The archive: one line for T-OLD with every row it had.
        let archive = try #require(report.archive)
        #expect(archive.hasPrefix(folder + "/archive/tickets-") && archive.hasSuffix(".jsonl.gz"))
        let lines = try Self.gunzip(archive).split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect((object["ticket"] as? [String: Any])?["id"] as? String == "T-OLD")
        #expect((object["firings"] as? [Any])?.count == 2)
        #expect((object["outbox"] as? [Any])?.count == 4)
        #expect((object["attempts"] as? [Any])?.count == 4)
        #expect((object["events"] as? [Any])?.count == 3)   // created, resolved, closed
        // A new ticket may take the pruned ticket's idempotency key; slad's invariants hold.
        let (_, created) = try await store.create(complaint("T-AGAIN"), idempotencyKey: "key-T-OLD", actor: nil, engine: try makeEngine(), now: t0 + 400 * 86_400)
        #expect(created)
        let check = try StoreCheck.run(folder: folder, engine: nil, rulesVersion: nil, now: t0 + 400 * 86_400)
        #expect(check.findings.isEmpty, "\(check.findings)")
        // Nothing left to prune: no archive is started.
        let nothing = try await store.prune(closedBefore: cutoff, archiveFolder: folder + "/archive", now: t0 + 401 * 86_400)
        #expect(nothing.tickets == 0 && nothing.archive == nil)
    }

    @Test func aPruneInManyBatchesArchivesEachTicketOnce() async throws {
        let folder = temporaryFolder()
        let store = try SQLiteTicketStore.open(folder: folder)
        let engine = try makeEngine()
        for index in 0..<25 {
            let id = String(format: "B%03d", index)
            _ = try await store.create(complaint(id), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
            _ = try await store.append(TicketEventRecord(kind: .closed, at: t0 + 60), to: id, engine: engine, now: t0 + 60)
        }
        let report = try await store.prune(closedBefore: t0 + 86_400, archiveFolder: folder + "/archive", batch: 4, now: t0 + 2 * 86_400,
                                           batchTime: .seconds(60))
        #expect(report.tickets == 25)
        #expect(report.batches == 7)
        let ids = try Self.gunzip(try #require(report.archive)).split(separator: "\n").map { line in
            ((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["ticket"] as? [String: Any])?["id"] as? String ?? ""
        }
        #expect(ids == (0..<25).map { String(format: "B%03d", $0) })
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket") } == 0)
    }

    /// Tickets closed at one instant, every third with a notice still pending, pruned two a transaction:
    /// the walk's cursor (closing time, rowid) steps past the kept ones, so each of the others is archived
    /// once and the prune ends.
    @Test func theWalkStepsPastTicketsKeptForAPendingNotice() async throws {
        let folder = temporaryFolder()
        let store = try SQLiteTicketStore.open(folder: folder)
        let engine = try makeEngine()
        let ids = (0..<12).map { String(format: "K%02d", $0) }
        for id in ids { _ = try await store.create(complaint(id), idempotencyKey: nil, actor: nil, engine: engine, now: t0) }
        _ = try await store.scan(engine: engine, now: t0 + 7260, limit: 100)
        let pending = ids.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE outbox SET state = 'sent'")
            try db.execute(sql: "UPDATE outbox SET state = 'pending' WHERE ticket_id IN (SELECT value FROM json_each(?))",
                           arguments: [StoreJSON.strings(pending)])
        }
        for id in ids { _ = try await store.append(TicketEventRecord(kind: .closed, at: t0 + 10_800), to: id, engine: engine, now: t0 + 10_800) }
        let report = try await store.prune(closedBefore: t0 + 86_400, archiveFolder: folder + "/archive", batch: 2, now: t0 + 2 * 86_400,
                                           batchTime: .seconds(60), pause: .zero)
        #expect(report.tickets == 8)
        let archived = try Self.gunzip(try #require(report.archive)).split(separator: "\n").map { line in
            ((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["ticket"] as? [String: Any])?["id"] as? String ?? ""
        }
        #expect(archived == ids.filter { !pending.contains($0) })
        let left = try await store.pool.read { db in try String.fetchAll(db, sql: "SELECT id FROM ticket ORDER BY id") }
        #expect(left == pending)
    }

    /// The walk reads v13's index in order: no pass over every closed ticket and no sort per batch (at
    /// 1,000,000 closed tickets a batch took seconds that way).
    @Test func theWalkUsesTheClosedIndexWithoutASort() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let plan = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteTicketStore.eligibleSQL, arguments: [0, 0, 0, 0, 10]).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("USING INDEX ticket_closed") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }

    /// An archived row is JSON whatever its text holds: quotes, line breaks, control characters, Chinese.
    @Test func anArchivedRowIsValidJSONWithEveryValueKept() throws {
        let text = "漏水 \"3栋\"\n\\ \u{01}"
        let row: Row = ["id": "T-1", "text": text, "count": 42, "ratio": 1.5, "none": nil]
        let line = SQLiteTicketStore.object(row)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "T-1")
        #expect(object["text"] as? String == text)
        #expect((object["count"] as? NSNumber)?.intValue == 42)
        #expect((object["ratio"] as? NSNumber)?.doubleValue == 1.5)
        #expect(object["none"] is NSNull)
        #expect(line.hasPrefix("{\"id\":\"T-1\",\"text\":"))   // the columns' order
    }

    /// The archive as `gzip -dc` reads it: a standard gzip file.
    static func gunzip(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw StoreError.refused("gzip -dc \(path) failed") }
        return String(decoding: data, as: UTF8.self)
    }
}
