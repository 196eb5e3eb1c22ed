import Foundation
import SLAActions

/// An in-memory `ActionDesk` for the pages' tests: a test double of the store side (the real desk is
/// tested by the store's own suite and, after merging, end to end). Counts every call, so a test can
/// prove that a GET never acts.
final class MemoryDesk: ActionDesk, @unchecked Sendable {
    enum State {
        case ready
        case done(by: String, at: String)
        case expired
        case notApplicable(String)
    }

    private let lock = NSLock()
    private var links: [String: (view: ActionView, state: State)] = [:]
    private(set) var looks = 0
    private(set) var acts = 0
    /// Successful acts: what the store would have recorded.
    private(set) var recorded: [String] = []

    static func view(_ action: LinkAction = .acknowledge, drill: Bool = false, summary: String? = "3栋1102 厨房水管漏水，已关总阀",
                     step: String? = nil) -> ActionView {
        ActionView(action: action, subject: "工单 T-20261203-0001", isDrill: drill, place: "翠湖花园 3栋 1102", summary: summary,
                   stepTitle: step, deadline: "2026-12-03 14:30", timeLeft: "剩余 2 小时", sentTo: "王强",
                   expires: "2026-12-04 12:30")
    }

    func add(_ token: String, _ view: ActionView = MemoryDesk.view(), state: State = .ready) {
        lock.withLock { links[token] = (view, state) }
    }

    func look(token: String, now: Int) async -> ActionLookup {
        lock.withLock {
            looks += 1
            guard let link = links[token] else { return .invalid }
            switch link.state {
            case .ready: return .ready(link.view)
            case let .done(by, at): return .alreadyDone(link.view, by: by, at: at)
            case .expired: return .expired(link.view)
            case let .notApplicable(reason): return .notApplicable(link.view, reason: reason)
            }
        }
    }

    func act(token: String, now: Int) async -> ActionResult {
        lock.withLock {
            acts += 1
            guard let link = links[token] else { return .invalid }
            switch link.state {
            case .ready:
                links[token]?.state = .done(by: link.view.sentTo, at: "2026-12-03 12:31")
                recorded.append(token)
                return .done(link.view, note: "已接单，计时已停止")
            case let .done(by, at): return .alreadyDone(link.view, by: by, at: at)
            case .expired: return .expired(link.view)
            case let .notApplicable(reason): return .notApplicable(link.view, reason: reason)
            }
        }
    }

    /// Bound to the token, as the real desk's HMAC is; nil for a token it does not know.
    func formValue(token: String) -> String? {
        lock.withLock { links[token] == nil ? nil : "fv-" + String(token.reversed()) }
    }

    var counts: (looks: Int, acts: Int, recorded: Int) { lock.withLock { (looks, acts, recorded.count) } }
}
