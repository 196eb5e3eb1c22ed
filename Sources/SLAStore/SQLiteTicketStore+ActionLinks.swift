import GRDB
import SLAActions
import SLAEngine
import SLARules

/// What stands behind an action link: looking it up for its page (never changing anything) and acting
/// on it once, in one transaction — verify, check it is unused and in date, append the event, mark it used.
extension SQLiteTicketStore {
    /// The page a GET shows. Throws only when the database cannot be read.
    public func lookLink(token: String, now: Int, engine: Engine) async throws -> ActionLookup {
        let signer = linkMinter?.signer
        return try await pool.read { db in
            guard let opened = try OpenedLink.open(db, token: token, signer: signer, engine: engine, now: now) else { return .invalid }
            switch opened.settled {
            case let .alreadyDone(by, at): return .alreadyDone(opened.subject.view, by: by, at: at)
            case .expired: return .expired(opened.subject.view)
            case nil:
                if case let .notApplicable(reason) = opened.subject.state { return .notApplicable(opened.subject.view, reason: reason) }
                return .ready(opened.subject.view)
            }
        }
    }

    /// The button's press: does what the link says, once. A second press (of this link, or after someone
    /// did the same another way) answers who did it and when. Throws only when the database fails.
    public func actOnLink(token: String, now: Int, engine: Engine) async throws -> ActionResult {
        let signer = linkMinter?.signer
        return try await pool.write { db in
            guard let opened = try OpenedLink.open(db, token: token, signer: signer, engine: engine, now: now) else { return .invalid }
            let (link, subject, words) = (opened.link, opened.subject, LinkWords(engine: engine))
            switch opened.settled {
            case let .alreadyDone(by, at): return .alreadyDone(subject.view, by: by, at: at)
            case .expired: return .expired(subject.view)
            case nil: break
            }
            if case let .notApplicable(reason) = subject.state { return .notApplicable(subject.view, reason: reason) }
            let claim = link.claim
            let at = Instant(seconds: now)
            let note: String
            do {
                switch claim.action {
                case .acknowledge, .resolve:
                    let kind: EventKind = claim.action == .acknowledge ? .acknowledged : .resolved
                    _ = try Self.append(db, TicketEventRecord(kind: kind, at: at, actor: claim.person, via: "link"), to: claim.subjectID,
                                        engine: engine, now: at)
                    note = claim.action == .acknowledge ? "已接单" : "已处理"
                case .notMine:
                    guard let supervisor = subject.supervisor else { return .notApplicable(subject.view, reason: "找不到可以改派的主管") }
                    let event = TicketEventRecord(kind: .assigned, at: at, actor: claim.person, note: "不是我的（经链接）",
                                                  changes: ["assignee": supervisor], via: "link")
                    _ = try Self.append(db, event, to: claim.subjectID, engine: engine, now: at)
                    note = "已改派给 \(words.name(supervisor))"
                case .confirm:
                    let event = IncidentEvent(kind: .confirmed, at: at, actor: claim.person, step: claim.step, via: "link")
                    _ = try Self.append(db, event, toIncident: claim.subjectID, engine: engine, now: at)
                    note = "已确认：\(subject.view.stepTitle ?? claim.step)"
                }
            } catch let StoreError.refused(reason) {
                return .notApplicable(subject.view, reason: reason)
            }
            _ = try StoredLink.markUsed(db, id: link.id, person: claim.person, result: note, now: now)
            return .done(subject.view, note: note)
        }
    }
}

/// A link a token leads to, with its subject, and the answer when nothing is left to do: used already
/// (by this link, or the same was done another way) or past its expiry.
struct OpenedLink {
    enum Settled { case alreadyDone(by: String, at: String), expired }

    let link: StoredLink
    let subject: LinkSubject
    let settled: Settled?

    /// Nil for a token that is not valid (malformed, unknown, not signed by a key held, subject gone).
    static func open(_ db: Database, token: String, signer: LinkSigner?, engine: Engine, now: Int) throws -> OpenedLink? {
        guard let found = try StoredLink.find(db, token: token, signer: signer, now: now),
              let subject = try LinkSubject.load(db, link: found.link, engine: engine, now: now) else { return nil }
        let words = LinkWords(engine: engine)
        let settled: Settled?
        if let usedAt = found.link.usedAt {
            settled = .alreadyDone(by: words.name(found.link.usedBy), at: words.time(usedAt))
        } else if found.verdict == .expired {
            settled = .expired
        } else if case let .done(by, at) = subject.state {
            settled = .alreadyDone(by: words.name(by), at: words.time(at))
        } else {
            settled = nil
        }
        return OpenedLink(link: found.link, subject: subject, settled: settled)
    }
}
