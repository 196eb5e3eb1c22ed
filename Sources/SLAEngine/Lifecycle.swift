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
