import Foundation
import GRDB
import SLAActions
import SLAEngine
import SLARules
import SLAScan
import Testing
@testable import SLAStore

let linkKey = [UInt8](repeating: 7, count: 32)

func linkMinter(key: [UInt8] = linkKey, old: [[UInt8]] = []) throws -> LinkMinter {
    LinkMinter(signer: LinkSigner(keys: try LinkKeys(key: key, oldKeys: old)), baseURL: "https://wy.example.com/slad/", expireSeconds: 86_400)
}

/// The token of a minted link, from its URL.
func token(_ action: OutboxAction) -> String { String(action.url.split(separator: "/").last!) }

/// Action links in the store: minted in the scan's transaction, looked up without changing anything,
/// acted on once (issue 13).
@Suite struct ActionLinkStoreTests {
    /// A store with links, a complaint assigned to zhang-wei, and its first escalation (to him) fired.
    func fired() async throws -> (SQLiteTicketStore, Engine, [OutboxJob]) {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        store.setLinks(try linkMinter())
        let engine = try makeEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        _ = try await store.scan(engine: engine, now: t0 + 5400, limit: 100)
        return (store, engine, try await store.outbox(state: nil, limit: 10))
    }

    @Test func withoutLinksNotOneRowChanges() async throws {
        let store = try SQLiteTicketStore.open(folder: temporaryFolder())
        let engine = try makeEngine()
        _ = try await store.create(complaint("T1"), idempotencyKey: nil, actor: nil, engine: engine, now: t0)
        _ = try await store.scan(engine: engine, now: t0 + 5400, limit: 100)
        let jobs = try await store.outbox(state: nil, limit: 10)
        #expect(jobs.count == 2 && jobs.allSatisfy { $0.actions.isEmpty && $0.actionsAt == nil })
        #expect(try await store.pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM action_link") } == 0)
    }

    @Test func theScanMintsEachPersonsLinksWithTheFiring() async throws {
        let (store, _, jobs) = try await fired()
        #expect(jobs.count == 2)
        for job in jobs {
            // The assignee: 接单, 已处理, and 不是我的 (his team has a supervisor to send it back to).
            #expect(job.actions.map(\.action) == [.acknowledge, .resolve, .notMine])
            #expect(job.actions.allSatisfy { $0.person == "zhang-wei" && $0.name == "张伟" })
            #expect(job.actions.map(\.label) == ["接单", "已处理", "不是我的"])
            for action in job.actions {
                #expect(action.url.hasPrefix("https://wy.example.com/slad/a/"))
                #expect(token(action).count == 24)
            }
        }
        let rows = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT subject, subject_id, step, action, person, expires_at, outbox_id FROM action_link ORDER BY outbox_id, action")
        }
        #expect(rows.count == 6)
        #expect(rows.allSatisfy { $0[0] == "ticket" && $0[1] == "T1" && $0[2] == "respond - 30m" && $0[4] == "zhang-wei" })
        #expect(rows.allSatisfy { ($0[5] as Int) == (t0 + 5400 + 86_400).seconds })
        #expect(Set(rows.map { $0[6] as Int64 }) == Set(jobs.map(\.id)))
    }

    @Test func aPressAcknowledgesOnceAsThePersonViaLink() async throws {
        let (store, engine, jobs) = try await fired()
        let ack = token(jobs[0].actions[0])
        let now = (t0 + 5500).seconds
        let before = try await store.ticket("T1")?.status
        guard case let .ready(view) = try await store.lookLink(token: ack, now: now, engine: engine) else {
            Issue.record("not ready"); return
        }
        #expect(view.action == .acknowledge && view.sentTo == "张伟" && view.place == "3栋" && !view.isDrill)
        #expect(view.subject.hasPrefix("工单 T1") && view.deadline == "2025-09-22 12:00" && view.timeLeft == "剩余 28 分钟")
        #expect(try await store.ticket("T1")?.status == before, "looking changes nothing")
        #expect(try await store.ticket("T1")?.ticket.events.count == 1)
        let result = try await store.actOnLink(token: ack, now: now, engine: engine)
        #expect(result == .done(view, note: "已接单"))
        let events = try #require(try await store.ticket("T1")).ticket.events
        #expect(events.last == TicketEventRecord(kind: .acknowledged, at: Instant(seconds: now), actor: "zhang-wei", via: "link"))
        // The same link again, and the same action from the other channel's notice: done already, by whom and when.
        let again = try await store.actOnLink(token: ack, now: now + 5, engine: engine)
        guard case let .alreadyDone(after, by, at) = again else { Issue.record("\(again)"); return }
        #expect(by == "张伟" && at == "2025-09-22 11:31")
        #expect(after.deadline == nil && after.timeLeft == nil, "acknowledged: the clock stopped")
        if case let .alreadyDone(_, by, _) = try await store.actOnLink(token: token(jobs[1].actions[0]), now: now + 5, engine: engine) {
            #expect(by == "张伟")
        } else { Issue.record("the other notice's 接单 should say it is done") }
        #expect(try await store.ticket("T1")?.ticket.events.filter { $0.kind == .acknowledged }.count == 1)
        let audit = try await store.pool.read { try String.fetchAll($0, sql: "SELECT actor || ' ' || action || ' ' || detail FROM audit WHERE action = 'ticket.acknowledged'") }
        #expect(audit == ["zhang-wei ticket.acknowledged via link"])
        // 已处理 still applies.
        if case let .done(_, note) = try await store.actOnLink(token: token(jobs[0].actions[1]), now: now + 60, engine: engine) {
            #expect(note == "已处理")
        } else { Issue.record("resolve should act") }
    }

    @Test func aDoubleTapDoesOneThing() async throws {
        let (store, engine, jobs) = try await fired()
        let ack = token(jobs[0].actions[0])
        let results = await withTaskGroup(of: ActionResult?.self) { group in
            for _ in 0..<8 { group.addTask { try? await store.actOnLink(token: ack, now: (t0 + 5500).seconds, engine: engine) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let done = results.filter { if case .done = $0 { true } else { false } }
        let already = results.filter { if case .alreadyDone = $0 { true } else { false } }
        #expect(done.count == 1 && already.count == 7)
        #expect(try await store.ticket("T1")?.ticket.events.filter { $0.kind == .acknowledged }.count == 1)
    }

    @Test func forgedAlteredExpiredAndUnkeyedTokensChangeNothing() async throws {
        let (store, engine, jobs) = try await fired()
        let ack = token(jobs[0].actions[0])
        let now = (t0 + 5500).seconds
        var altered = Array(ack)
        altered[20] = altered[20] == "A" ? "B" : "A"
        for bad in [String(repeating: "A", count: 24), String(altered), "short", ack + "x", ""] {
            #expect(try await store.lookLink(token: bad, now: now, engine: engine) == .invalid)
            #expect(try await store.actOnLink(token: bad, now: now, engine: engine) == .invalid)
        }
        let later = now + 86_400 * 2
        guard case .expired = try await store.actOnLink(token: ack, now: later, engine: engine) else { Issue.record("expired"); return }
        // The key removed from the rules: no link verifies. Rotated: the old key still verifies.
        store.setLinks(nil)
        #expect(try await store.actOnLink(token: ack, now: now, engine: engine) == .invalid)
        store.setLinks(try linkMinter(key: [UInt8](repeating: 9, count: 32)))
        #expect(try await store.actOnLink(token: ack, now: now, engine: engine) == .invalid)
        #expect(try await store.ticket("T1")?.ticket.events.count == 1, "nothing changed")
        store.setLinks(try linkMinter(key: [UInt8](repeating: 9, count: 32), old: [linkKey]))
        guard case .done = try await store.actOnLink(token: ack, now: now, engine: engine) else { Issue.record("old key"); return }
    }

    @Test func notMineSendsTheTicketBackToTheSupervisor() async throws {
        let (store, engine, jobs) = try await fired()
        let notMine = token(jobs[0].actions[2])
        guard case let .done(_, note) = try await store.actOnLink(token: notMine, now: (t0 + 5500).seconds, engine: engine) else {
            Issue.record("not mine"); return
        }
        #expect(note == "已改派给 李娜")
        let ticket = try #require(try await store.ticket("T1"))
        #expect(ticket.ticket.events.last?.changes == ["assignee": "li-na"])
        #expect(ticket.ticket.events.last?.via == "link" && ticket.ticket.events.last?.actor == "zhang-wei")
        #expect(try await store.list(TicketFilter(assignee: "li-na")).map(\.ticket.id) == ["T1"])
    }

    @Test func aClosedTicketsLinkDoesNotApply() async throws {
        let (store, engine, jobs) = try await fired()
        _ = try await store.append(TicketEventRecord(kind: .closed, at: t0 + 5450, actor: "hotline"), to: "T1", engine: engine, now: t0 + 5450)
        guard case let .notApplicable(_, reason) = try await store.actOnLink(token: token(jobs[0].actions[0]), now: (t0 + 5500).seconds, engine: engine)
        else { Issue.record("closed"); return }
        #expect(reason == "工单已关闭")
        // Its page says so before anyone presses: no button that can only fail.
        guard case let .notApplicable(_, shown) = try await store.lookLink(token: token(jobs[0].actions[0]), now: (t0 + 5500).seconds,
                                                                           engine: engine)
        else { Issue.record("the closed ticket's page offers its button"); return }
        #expect(shown == "工单已关闭")
    }

    @Test func linksLaterInTheLadderOfferOnlyWhatIsLeft() async throws {
        let (store, engine, first) = try await fired()
        _ = try await store.append(TicketEventRecord(kind: .comment, at: t0 + 5500, actor: "hotline", note: "还没人接"),
                                   to: "T1", engine: engine, now: t0 + 5500)
        _ = try await store.scan(engine: engine, now: t0 + 7200, limit: 100)
        // The step at the deadline goes to the supervisor, li-na: not the assignee, so no 不是我的.
        let jobs = try await store.outbox(state: nil, limit: 10).filter { job in !first.contains { $0.id == job.id } }
        #expect(!jobs.isEmpty)
        for job in jobs { #expect(job.actions.map(\.action) == [.acknowledge, .resolve] && job.actions.allSatisfy { $0.person == "li-na" }) }
        // Once acknowledged (or later), a notice offers only what is left; once resolved, nothing but 不是我的.
        var ticket = complaint("T9").appending(TicketEventRecord(kind: .acknowledged, at: t0 + 60, actor: "zhang-wei"))
        #expect(ScanDecision.ticketActions(for: "zhang-wei", ticket: ticket, policy: "complaint", engine: engine, now: t0 + 120).map(\.action) == [.resolve, .notMine])
        ticket.append(TicketEventRecord(kind: .resolved, at: t0 + 180, actor: "zhang-wei"))
        #expect(ScanDecision.ticketActions(for: "li-na", ticket: ticket, policy: "complaint", engine: engine, now: t0 + 240).isEmpty)
        ticket.append(TicketEventRecord(kind: .reopened, at: t0 + 300, actor: "hotline"))
        #expect(ScanDecision.ticketActions(for: "li-na", ticket: ticket, policy: "complaint", engine: engine, now: t0 + 360).map(\.action) == [.acknowledge, .resolve], "reopened: the loop starts again")
    }

    @Test func aFallbackJobCarriesTheSameLinksAtTheSamePlace() async throws {
        let (store, _, jobs) = try await fired()
        let job = jobs[0]
        try await store.pool.write { try $0.execute(sql: "UPDATE outbox SET actions_at = 3 WHERE id = ?", arguments: [job.id]) }
        let original = try #require(try await store.outboxJob(job.id))
        let prefix = "【投递失败】通道 sms 未能送达："
        let id = try await store.enqueueFallback(for: original, channel: "console", kind: "log", message: prefix + original.message, now: t0 + 6000)
        let fallback = try #require(try await store.outboxJob(id))
        #expect(fallback.actions == original.actions)
        #expect(fallback.actionsAt == 3 + prefix.utf8.count)
    }
}
