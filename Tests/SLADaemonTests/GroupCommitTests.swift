import Foundation
import GRDB
@testable import SLADaemon
import SLAEngine
import SLARules
import SLAStore
import Testing

/// Single creations from many callers at once share commits (issue 16): every caller gets its own
/// answer, as one `create` would give it, on a real SQLite file.
@Suite struct GroupCommitTests {
    static let rules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person duty "值班员" { phone "+8613800000009" }
    team desk { members duty; supervisor duty; manager duty }
    channel console log {}
    policy fast { when kind = complaint; team desk
      clock respond "响应" within 2h until acknowledged
      escalate { at respond notify supervisor via console } }
    """

    func setUp() throws -> (GroupCommit, SQLiteTicketStore, String) {
        let result = RuleLoader.check([SourceFile(path: "t.sla", text: Self.rules)])
        let engine = try Engine(rules: try #require(result.ruleSet))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-group-\(UUID().uuidString)").path
        let store = try SQLiteTicketStore.open(folder: folder)
        return (GroupCommit(store: store, rules: RulesHolder(engine: engine), clock: StillClock(instant: t0)), store, folder)
    }

    let t0 = Instant(seconds: 1_790_000_000)

    func ticket(_ id: String) -> Ticket {
        Ticket(id: id, fields: TicketFields(kind: "complaint"), createdAt: t0)
    }

    @Test func twoHundredCallersAtOnceShareCommitsAndEachGetsItsAnswer() async throws {
        let (intake, store, _) = try setUp()
        let created = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let (stored, created) = try await intake.create(NewTicket(ticket: ticket("G\(index)"), idempotencyKey: nil, actor: nil))
                    return (stored.ticket.id, created)
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(created.count == 200 && created.values.allSatisfy { $0 })
        #expect(Set(created.keys) == Set((0..<200).map { "G\($0)" }))
        let commits = await intake.commits
        #expect(await intake.tickets == 200)
        #expect(commits < 200, "callers waiting together share a commit")
        print("group commit: 200 creations in \(commits) commits")
        #expect(try await store.statistics().openByPolicy["fast"] == 200)
    }

    @Test func aKeyOrAnIdTwiceInOneCommitIsAnsweredAsOneAfterTheOther() async throws {
        let (intake, _, folder) = try setUp()
        let answers = await withTaskGroup(of: String.self) { group in
            for index in 0..<40 {
                group.addTask {
                    // Half with the same key (one ticket, the rest answered 200), half the same id without a key (one, the rest 409).
                    let item = index % 2 == 0
                        ? NewTicket(ticket: ticket("K\(index)"), idempotencyKey: "same-key", actor: nil, via: "token desk-\(index)")
                        : NewTicket(ticket: ticket("SAME"), idempotencyKey: nil, actor: nil, via: "token desk-\(index)")
                    do {
                        let (stored, created) = try await intake.create(item)
                        return "\(stored.ticket.id.hasPrefix("K") ? "K" : stored.ticket.id) \(created ? 201 : 200)"
                    } catch let error as StoreError {
                        return error == .duplicateTicket("SAME") ? "SAME 409" : "\(error)"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
        }
        #expect(answers == ["K 201": 1, "K 200": 19, "SAME 201": 1, "SAME 409": 19], "\(answers)")
        // Each ticket is audited with its own caller's token, though they shared commits.
        let audit = try await DatabaseQueue(path: folder + "/slad.sqlite").read { db in
            try Row.fetchAll(db, sql: "SELECT ticket_id, detail FROM audit WHERE action = 'ticket.create'")
                .map { ($0["ticket_id"] as String, $0["detail"] as String?) }
        }
        #expect(audit.count == 2)
        for (id, detail) in audit {
            let index = Int(detail?.split(separator: "-").last ?? "") ?? -1
            #expect(id == "SAME" ? index % 2 == 1 : id == "K\(index)", "\(id): \(detail ?? "nil")")
        }
    }
}
