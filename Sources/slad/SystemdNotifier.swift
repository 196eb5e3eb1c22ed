import Foundation
import SLADaemon
import SystemdSupport

/// Speaks systemd's notify protocol (sd_notify(3)) through the daemon's hooks:
/// READY=1 once the listener is bound; STATUS= after every scan; WATCHDOG=1 only after completed scans
/// (a stuck loop stops the pings and systemd kills and restarts the service); RELOADING=1 with
/// MONOTONIC_USEC then READY=1 around a SIGHUP reload, a refused reload staying in STATUS; STOPPING=1
/// when shutdown begins; EXTEND_TIMEOUT_USEC before long start-up steps. Without NOTIFY_SOCKET it is silent.
actor SystemdNotifier {
    let watchdog: Duration?
    private var note: String?
    private var lastPing: ContinuousClock.Instant?
    private var lastSummary: String?

    init(watchdog: Duration? = Systemd.watchdogInterval()) {
        self.watchdog = watchdog
    }

    /// The hooks for `Server.run`, wrapping `base` (which is called first).
    nonisolated func hooks(wrapping base: Server.Hooks = Server.Hooks()) -> Server.Hooks {
        var hooks = base
        hooks.ready = { port in
            await base.ready(port)
            await self.ready(port: port)
        }
        hooks.scanned = { summary in
            await base.scanned(summary)
            await self.scanned(summary)
        }
        hooks.scanFailed = { fault in
            await base.scanFailed(fault)
            await self.scanFailed(fault)
        }
        hooks.reloading = {
            await base.reloading()
            await self.reloading()
        }
        hooks.reloaded = { failure in
            await base.reloaded(failure)
            await self.reloaded(failure: failure)
        }
        hooks.stopping = {
            await base.stopping()
            await self.stopping()
        }
        hooks.starting = { step in
            await base.starting(step)
            await self.starting(step)
        }
        return hooks
    }

    /// The loop's longest sleep under the watchdog: half the interval, so that scans (and pings) come at
    /// least twice per WatchdogSec.
    nonisolated var sleepCap: Double? {
        guard let watchdog else { return nil }
        let seconds = Double(watchdog.components.seconds) + Double(watchdog.components.attoseconds) / 1e18
        return seconds / 2
    }

    func starting(_ step: String) {
        // Each step may take a while on a large database: ask for 5 more minutes from now.
        Systemd.notify([.extendTimeout(.seconds(300)), .status(step)])
    }

    func ready(port: Int, host: String = "127.0.0.1") {
        // The first scan may come before the listener is bound: keep its summary in the status.
        let listening = "listening on \(host):\(port)"
        Systemd.notify([.ready, .status(with(lastSummary.map { listening + "; " + $0 } ?? listening))])
    }

    func scanned(_ summary: ScanSummary) {
        lastSummary = summary.statusLine
        Systemd.notify(withPing([.status(with(summary.statusLine))]))
    }

    /// A failed scan: STATUS= says what is wrong; the watchdog is pinged, since the loop is alive and
    /// backing off (a restart would not free the disk, and would lose the backoff).
    func scanFailed(_ fault: ScanFault) {
        let line = Systemd.Notification.oneLine("\(fault.code) since \(fault.since): \(fault.message) (\(fault.failures) attempts)")
        Systemd.notify(withPing([.status(with(line))]))
    }

    /// `assignments` with WATCHDOG=1 in front when a ping is due: at most four per interval however often
    /// the loop scans; at least two as the loop's sleep is capped to half the interval.
    private func withPing(_ assignments: [Systemd.Notification]) -> [Systemd.Notification] {
        guard let watchdog else { return assignments }
        let now = ContinuousClock.now
        guard lastPing.map({ now - $0 >= watchdog / 4 }) ?? true else { return assignments }
        lastPing = now
        return [.watchdog] + assignments
    }

    func reloading() {
        Systemd.notify([.reloading(monotonicMicroseconds: Systemd.monotonicMicroseconds()), .status("reloading rules")])
    }

    func reloaded(failure: String?) {
        if let failure {
            // The summary and the first diagnostic; the log has them all, with their source excerpts.
            let lines = failure.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
            note = Systemd.Notification.oneLine(lines.prefix(2).joined(separator: "\n"))
            Systemd.notify([.ready, .status(note!)])
        } else {
            note = nil
            Systemd.notify([.ready, .status("rules reloaded")])
        }
    }

    func stopping() {
        Systemd.notify([.stopping, .status("shutting down")])
    }

    /// A refused reload stays visible after the next scans, until a reload succeeds.
    private func with(_ status: String) -> String {
        guard let note else { return status }
        return status + "; " + note
    }
}
