import SLAEngine
import SLAScan

extension ScanReport {
    /// A planned firing that a store has just recorded under `id` (its key was new), with its jobs: every
    /// store counts the same way.
    mutating func record(_ firing: PlannedFiring, id: Int64, now: Instant) {
        if firing.isHeld {
            held += 1
            return
        }
        outboxRows += firing.jobs.count
        for reason in firing.unreached { unreached.append((firing.subjectID, firing.firing.step, reason)) }
        if firing.subject == .incident { incidentNotices += 1 }
        fired.append(FiringRecord(id: id, ticketID: firing.subjectID, firing: firing.firing, dueAt: firing.dueAt, firedAt: now,
                                  lateness: firing.lateness, missed: firing.missed, people: firing.people, unreached: firing.unreached,
                                  subject: firing.subject))
    }
}
