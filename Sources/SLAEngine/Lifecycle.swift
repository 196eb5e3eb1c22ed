/// Which events a ticket accepts in each status: resolving a closed ticket or resuming one that is not
/// paused is refused with a reason, and the history stays unchanged.
public enum TicketLifecycle {
    /// Nil when `event` may happen to a ticket in `status`, else why not.
    public static func refusal(of event: EventKind, status: String) -> String? {
        let paused = TicketStatus.pauseStatuses.contains(status)
        switch event {
        case .created:
            return "a ticket is created once"
        case .comment:
            return nil
        case .reopened:
            return status == "resolved" || status == "closed" ? nil : "only a resolved or closed ticket can be reopened (it is \(status))"
        case .revisited:
            return status == "resolved" || status == "closed" ? nil : "a return visit follows the resolution (the ticket is \(status))"
        case .closed:
            return status == "closed" ? "the ticket is already closed" : nil
        case .resumed:
            return paused ? nil : "only a paused ticket can be resumed (it is \(status))"
        case .paused:
            if status == "closed" || status == "resolved" { return "a \(status) ticket cannot be paused" }
            return paused ? "the ticket is already paused" : nil
        case .resolved:
            if status == "closed" { return "a closed ticket cannot be resolved; reopen it first" }
            return status == "resolved" ? "the ticket is already resolved" : nil
        case .assigned, .acknowledged, .assessed, .regraded:
            return status == "closed" ? "a closed ticket cannot be \(event.rawValue); reopen it first" : nil
        }
    }
}

/// The order of the closed loop 接单 → 分派 → 跟进 → 验收 → 回访 as the ticket's events mark it:
/// assigned < acknowledged < assessed < resolved < revisited. A clock or a repeat that waits `until X`
/// is met by X or by any later state: a complaint resolved without an explicit acknowledgement has been
/// answered, so its first-response clock stops and its manager is no longer told "首次响应超时".
/// `closed` is not in the order: it stops every clock but the return visit's (`ClockRun.handle`), and it
/// meets only a clock that waits for `closed` itself.
public enum LifecycleOrder {
    /// The states in order, lowest first.
    public static let states: [EventKind] = [.assigned, .acknowledged, .assessed, .resolved, .revisited]

    /// The position of `kind` in the order; nil for events outside it (created, closed, paused, …).
    @inline(__always)
    public static func rank(_ kind: EventKind) -> Int? {
        switch kind {
        case .assigned: 1
        case .acknowledged: 2
        case .assessed: 3
        case .resolved: 4
        case .revisited: 5
        case .created, .paused, .resumed, .closed, .reopened, .regraded, .comment: nil
        }
    }

    /// Whether `event` meets a clock or repeat that waits until `target`: the same event, or a later state.
    @inline(__always)
    public static func meets(_ event: EventKind, _ target: EventKind) -> Bool {
        if event == target { return true }
        guard let reached = rank(event), let wanted = rank(target) else { return false }
        return reached > wanted
    }

    /// The states that meet a wait for `target` besides `target` itself ("assessed, resolved, revisited").
    public static func later(than target: EventKind) -> [EventKind] {
        guard let wanted = rank(target) else { return [] }
        return states.filter { rank($0)! > wanted }
    }
}
