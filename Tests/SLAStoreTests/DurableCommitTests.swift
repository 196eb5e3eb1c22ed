import Foundation
import GRDB
import Testing
@testable import SLAStore

/// Every commit of the store is durable against a power cut, not only against a crash: the writer runs
/// with `synchronous = FULL` in WAL mode (GRDB turns WAL on with NORMAL).
@Suite struct DurableCommitTests {
    @Test func theWriterSyncsEveryCommit() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let (mode, synchronous) = try await store.pool.writeWithoutTransaction { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(mode == "wal")
        #expect(synchronous == 2, "2 is FULL; 1 would be NORMAL")
    }
}
