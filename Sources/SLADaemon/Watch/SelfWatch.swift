import SLAEngine
import SLARules

/// What the self-watch sees at one look (issue 15): gathered by `SelfWatchService`, judged by `SelfWatch`.
struct WatchObservation: Sendable {
    var now: Instant
    /// Scans failing, or the recording of deliveries failing: whichever began first.
    var storageFault: ScanFault?
    /// The channels stalled by the watch's `channel down for` (`ChannelHealth.stalled`: the rule /healthz uses).
    var channels: [StalledChannel] = []
    /// Pending outbox jobs and the oldest one's creation; nil when the store cannot say (then the outbox
    /// keeps the state it had: a failing store is the scans' trouble).
    var outbox: (pending: Int, oldest: Instant?)?
    var calendarGaps: [CalendarDataGap] = []
    /// The state folder's file system: free and total bytes; nil when unknown.
    var disk: (free: Int, total: Int)?
    /// Seconds the wall clock moved against the monotonic clock since the last look (signed); 0 for none.
    var clockJump = 0
    /// A refused reload, and the rules that still run.
    var refusal: (refusal: ReloadRefusal, running: String)?
}

/// A self-alert to send: a trouble raised, or its all-clear.
struct SelfAlert: Sendable, Hashable {
    enum Kind: String, Sendable { case raised, cleared }
    /// The trouble's one name, in its alert, its all-clear, `/healthz` and the log: `scans_failing`,
    /// `channel_down:NAME`, `outbox_backlog`, `calendar_running_out:NAME:YEAR`, `disk_low`, `clock_jump`,
    /// `rules_not_loaded`.
    let key: String
    let kind: Kind
    /// When the trouble began (stable for the trouble's life: part of the idempotency key).
    let since: Instant
    let title: String
    let text: String
    /// The channel that is itself the trouble: never asked to carry news of it.
    let avoid: String?

    var idempotencyKey: String { "slad-watch-\(key)-\(since.seconds)-\(kind.rawValue)" }
}

/// Decides which troubles slad is in, from one observation to the next: a trouble is raised once when
/// it crosses its line and cleared once when it is back (with a margin for disk and outbox, so a value
/// hovering on the line does not flap). Pure: it reads no clock and sends nothing, so tests step it
/// through virtual time.
struct SelfWatch: Sendable {
    let settings: WatchSettings
    /// The troubles raised and not yet cleared, by key, with when each began.
    private(set) var active: [String: Instant] = [:]
    /// When the clock last jumped, and by how much.
    private var lastJump: (at: Instant, seconds: Int)?
    /// A jump stays a trouble this long after the last one; then it is cleared.
    static let clockSettles = 600

    let text: SelfWatchText

    /// `active`: the troubles already raised under the rules before a reload, kept raised.
    init(settings: WatchSettings, zone: ZoneTable, active: [String: Instant] = [:]) {
        self.settings = settings
        self.active = active
        text = SelfWatchText(zone: zone)
    }

    mutating func look(_ seen: WatchObservation) -> [SelfAlert] {
        var current: [String: Trouble] = [:]
        var keep: Set<String> = []   // troubles the observation cannot judge this time
        func add(_ trouble: Trouble) { current[trouble.key] = trouble }
        let now = seen.now

        if let line = settings.scansFailingFor, let fault = seen.storageFault, now - fault.since >= line {
            add(text.scans(fault, now: now))
        }
        if settings.channelDownFor != nil {
            for channel in seen.channels { add(text.channel(channel, since: channel.since ?? now)) }
        }
        if settings.outboxJobs != nil || settings.outboxAge != nil {
            if let outbox = seen.outbox {
                let wasActive = active["outbox_backlog"] != nil
                let jobsLine = settings.outboxJobs.map { wasActive ? $0 * 9 / 10 : $0 }
                let age = outbox.oldest.map { now - $0 } ?? 0
                if jobsLine.map({ outbox.pending > $0 }) ?? false || settings.outboxAge.map({ age > $0 }) ?? false {
                    add(text.outbox(pending: outbox.pending, age: age, settings: settings, now: now))
                }
            } else {
                keep.insert("outbox_backlog")
            }
        }
        if settings.calendarRunningOut {
            for gap in seen.calendarGaps { add(text.calendar(gap, now: now)) }
        }
        if let line = settings.diskFree {
            if let disk = seen.disk {
                let margin: DiskFreeLine = active["disk_low"] == nil ? line : line.withMargin
                if margin.isCrossed(free: disk.free, total: disk.total) { add(text.disk(disk, line: line, now: now)) }
            } else {
                keep.insert("disk_low")
            }
        }
        if let line = settings.clockJump {
            if abs(seen.clockJump) >= line { lastJump = (now, seen.clockJump) }
            if let jump = lastJump, now - jump.at < Self.clockSettles { add(text.clock(jump.seconds, at: jump.at)) }
        }

        // The rules on disk are not what slad does: always a trouble, at once.
        if let refused = seen.refusal { add(text.rulesNotLoaded(refused.refusal, running: refused.running)) }

        var alerts: [SelfAlert] = []
        for key in current.keys.sorted() where active[key] == nil {
            let trouble = current[key]!
            active[key] = trouble.since
            alerts.append(SelfAlert(key: key, kind: .raised, since: trouble.since, title: trouble.title, text: trouble.text, avoid: trouble.avoid))
        }
        for key in active.keys.sorted() where current[key] == nil && !keep.contains(key) {
            let since = active.removeValue(forKey: key)!
            let clear = text.cleared(key: key, since: since, now: now)
            alerts.append(SelfAlert(key: key, kind: .cleared, since: since, title: clear.title, text: clear.text, avoid: nil))
        }
        return alerts
    }
}

/// One trouble as seen now: its key, since when, and what to say.
struct Trouble: Sendable {
    let key: String
    let since: Instant
    let title: String
    let text: String
    var avoid: String? = nil
}

extension DiskFreeLine {
    /// The line a raised disk trouble must get back over to clear: one point, or a tenth, more.
    var withMargin: DiskFreeLine {
        switch self {
        case let .percent(percent): .percent(percent + 1)
        case let .bytes(bytes): .bytes(bytes + bytes / 10)
        }
    }
}
