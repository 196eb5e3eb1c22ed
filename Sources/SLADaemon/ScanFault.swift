import SLAEngine
import SLAStore

/// Scans failing in a row: what the loop knows while it backs off, for the log (one line when it starts,
/// when its kind changes and when it ends), `/healthz` and systemd's STATUS=.
public struct ScanFault: Sendable, Hashable {
    /// `storage_full`, `storage_read_only`, … (`StorageFault`), or `scan_error` for anything else.
    public var code: String
    public var message: String
    public var since: Instant
    public var failures: Int

    /// Seconds to wait before the next attempt: doubling from 1 s to at most `cap`, with ±20 % jitter
    /// so that several instances sharing a disk do not retry in step.
    public func backoff(cap: Double = 60, jitter: Double = Double.random(in: 0.8...1.2)) -> Double {
        var seconds = 1.0
        for _ in 1..<max(1, min(failures, 16)) { seconds *= 2 }
        return min(cap, seconds) * jitter
    }

    /// The fault as one of `/healthz`'s problems (`summary` as a scan's; the caller renames it for others).
    func problem(zone: ZoneTable) -> HealthAnswer.Problem {
        HealthAnswer.Problem(code: code, message: message, since: zone.format(since), failures: failures,
                             summary: "scans_failing since \(zone.format(since))")
    }

    static func classify(_ error: any Error) -> (code: String, message: String) {
        if let fault = StorageFault.classify(error) { return (fault.rawValue, fault.message) }
        return ("scan_error", "\(error)")
    }
}

/// Failures in a row of one of the daemon's tasks (the scan, delivery, the KPI refresh): the fault, and
/// whether a failure is worth a log line (the first, or one of another kind).
struct FaultState: Sendable {
    private(set) var fault: ScanFault?

    /// One more failure. `changed`: the failing began, or its kind changed.
    mutating func failed(_ error: any Error, at now: Instant) -> (fault: ScanFault, changed: Bool) {
        let kind = ScanFault.classify(error)
        guard var current = fault, current.code == kind.code else {
            let started = ScanFault(code: kind.code, message: kind.message, since: fault?.since ?? now, failures: (fault?.failures ?? 0) + 1)
            fault = started
            return (started, true)
        }
        current.failures += 1
        fault = current
        return (current, false)
    }

    /// It worked: the fault that ended, if there was one.
    mutating func recovered() -> ScanFault? {
        defer { fault = nil }
        return fault
    }
}
