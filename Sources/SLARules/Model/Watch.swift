/// Self-alerts (`watch { … }`, issue 15): who is told, and through which channels, when slad itself is in
/// trouble. One block in the whole rule set; without it slad tells nobody (it still logs, answers 503 on
/// `/healthz` and holds its heartbeat). Each trouble has a default line; a line changes it; `off` drops it.
///
///     watch {
///       notify person duty, roster on-call via pager, console   # targets as in a step; channels in order
///       team desk                                # whose supervisor/manager `notify` means, if it names them
///       scans failing for 5m                     # scans (or recording deliveries) fail this long
///       channel down for 10m                     # a channel's attempts fail this long, none delivered, or it dead-letters
///       outbox above 1000 jobs or older than 30m # pending notices pile up, or the oldest waits this long
///       calendar running out                     # next year's holiday data not loaded by 1 December (or this year's missing)
///       disk free below 5%                       # or `below 500MB`: the state folder's file system
///       clock jump above 5m                      # the wall clock moved this much against the monotonic clock
///     }
///
/// Self-alerts do not go through the outbox (the store may be what is failing): they are sent directly,
/// once per trouble with an all-clear, and never through a channel that is itself the trouble.
public struct WatchSettings: Sendable, Hashable {
    public var targets: [NotifyTarget]
    /// Channel names, in the order written.
    public var channels: [String]
    /// Whose supervisor and manager `notify supervisor|manager` reach; nil when none is named.
    public var team: String?
    /// Seconds scans (or the recording of deliveries) must fail before it is a trouble; nil: not watched.
    public var scansFailingFor: Int? = WatchSettings.defaults.scansFailingFor
    /// Seconds a channel's attempts must fail, none delivered, before it is a trouble (a dead letter is one
    /// at once); nil: not watched.
    public var channelDownFor: Int? = WatchSettings.defaults.channelDownFor
    /// Pending outbox jobs above which it is a trouble; nil: not watched by count.
    public var outboxJobs: Int? = WatchSettings.defaults.outboxJobs
    /// Seconds the oldest due outbox job may wait before it is a trouble; nil: not watched by age.
    public var outboxAge: Int? = WatchSettings.defaults.outboxAge
    /// Whether a calendar's holiday data running out (`CalendarDataGap`) is a trouble.
    public var calendarRunningOut = true
    /// The state folder's free space below which it is a trouble; nil: not watched.
    public var diskFree: DiskFreeLine? = WatchSettings.defaults.diskFree
    /// Seconds the wall clock may jump (against the monotonic clock) before it is a trouble; nil: not watched.
    public var clockJump: Int? = WatchSettings.defaults.clockJump
    public let location: SourceRange

    public init(targets: [NotifyTarget], channels: [String], team: String? = nil, location: SourceRange) {
        self.targets = targets
        self.channels = channels
        self.team = team
        self.location = location
    }

    /// The lines a `watch` block has when it does not write them.
    public enum defaults {
        public static let scansFailingFor = 300
        public static let channelDownFor = 600
        public static let outboxJobs = 1000
        public static let outboxAge = 1800
        public static let diskFree = DiskFreeLine.percent(5)
        public static let clockJump = 300
    }
}

/// `disk free below 5%` or `disk free below 500MB`.
public enum DiskFreeLine: Sendable, Hashable, CustomStringConvertible {
    case percent(Int)
    case bytes(Int)

    /// Whether `free` bytes of `total` lie below the line.
    public func isCrossed(free: Int, total: Int) -> Bool {
        switch self {
        case let .percent(percent): total > 0 && free * 100 < total * percent
        case let .bytes(bytes): free < bytes
        }
    }

    public var description: String {
        switch self {
        case let .percent(percent): "\(percent)%"
        case let .bytes(bytes): bytes % (1 << 30) == 0 ? "\(bytes >> 30)GB" : "\(bytes >> 20)MB"
        }
    }
}
