import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// A thin layer over libsystemd's sd-daemon API (sd_notify(3), sd_watchdog_enabled(3), sd_listen_fds(3)).
/// Outside systemd (no `NOTIFY_SOCKET`) every call is a harmless no-op.
public enum Systemd {
    /// Sends one notification datagram, e.g. `"READY=1\nSTATUS=serving"`. Returns true when it was sent,
    /// false when there is no `NOTIFY_SOCKET` or sending failed. Never unsets the environment
    /// (`unset_environment = 0`: `unsetenv` is not thread-safe).
    @discardableResult
    public static func notify(_ state: String) -> Bool {
        sd_notify(0, state) > 0
    }

    /// Sends several assignments in one datagram.
    @discardableResult
    public static func notify(_ assignments: [Notification]) -> Bool {
        notify(assignments.map(\.line).joined(separator: "\n"))
    }

    /// Whether a notification socket is configured (we are a Type=notify service, or a test harness listens).
    public static var isNotifySocketSet: Bool {
        guard let value = getenv("NOTIFY_SOCKET") else { return false }
        return value.pointee != 0
    }

    /// The watchdog interval the service manager expects pings within (`WatchdogSec=`), or nil when the
    /// watchdog is off or meant for another process (`WATCHDOG_PID`).
    public static func watchdogInterval() -> Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(clamping: usec))
    }

    /// How many sockets were passed for socket activation (`sd_listen_fds`); they start at `listenFDsStart`.
    /// slad does not use socket activation (docs/adr/0001-no-socket-activation.md); this serves the
    /// start-up check that refuses to silently ignore passed sockets.
    public static func listenFDs() -> Int {
        Int(max(0, sd_listen_fds(0)))
    }

    public static let listenFDsStart = Int(SD_LISTEN_FDS_START)

    /// CLOCK_MONOTONIC in microseconds, as `MONOTONIC_USEC=` wants it.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    /// True when standard error is connected to the journal (systemd sets `JOURNAL_STREAM` to the
    /// device and inode of that stream; systemd.exec(5)) and journald's socket exists.
    public static func stderrIsJournal(environment: [String: String]) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        guard UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode else { return false }
        return access("/run/systemd/journal/socket", F_OK) == 0
    }

    /// One assignment of the notify protocol (sd_notify(3)).
    public enum Notification: Sendable, Equatable {
        case ready
        case reloading(monotonicMicroseconds: UInt64)
        case stopping
        case status(String)
        case watchdog
        case extendTimeout(Duration)
        case errno(Int32)
        case mainPID(Int32)

        public var line: String {
            switch self {
            case .ready: "READY=1"
            // RELOADING=1 must carry MONOTONIC_USEC for Type=notify-reload (systemd ≥ 253).
            case let .reloading(usec): "RELOADING=1\nMONOTONIC_USEC=\(usec)"
            case .stopping: "STOPPING=1"
            case let .status(text): "STATUS=\(Self.oneLine(text))"
            case .watchdog: "WATCHDOG=1"
            case let .extendTimeout(duration):
                "EXTEND_TIMEOUT_USEC=\(duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000)"
            case let .errno(code): "ERRNO=\(code)"
            case let .mainPID(pid): "MAINPID=\(pid)"
            }
        }

        /// STATUS= is one line: newlines become " | ", and very long texts are cut.
        public static func oneLine(_ text: String) -> String {
            let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
                .joined(separator: " | ")
            return flat.count > 400 ? String(flat.prefix(399)) + "…" : flat
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String {
        var view = self[...]
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
