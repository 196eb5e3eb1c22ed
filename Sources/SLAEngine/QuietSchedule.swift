import SLARules

/// A quiet window compiled to local-time arithmetic. A class, so that policies share it without copies.
final class QuietSchedule: Sendable {
    let window: QuietWindow
    let policies: Set<String>
    let zone: ZoneTable
    /// Local seconds (since the local epoch), half-open.
    let dated: [(start: Int, end: Int)]
    /// Seconds after local midnight; `end <= start` crosses midnight.
    let daily: [(start: Int, end: Int)]

    init(_ window: QuietWindow, zone: ZoneTable) {
        self.window = window
        policies = Set(window.policies)
        self.zone = zone
        dated = window.dates.map { ($0.from.dayNumber * 86_400, ($0.through.dayNumber + 1) * 86_400) }
        daily = window.daily.map { ($0.start.minutes * 60, $0.end.minutes * 60) }
    }

    /// The local-time end of the piece containing `local`, or nil when no piece contains it.
    private func pieceEnd(containing local: Int) -> Int? {
        var end: Int?
        for span in dated where span.start <= local && local < span.end {
            end = max(end ?? span.end, span.end)
        }
        let day = LocalTime.floorDiv(local, 86_400)
        let second = local - day * 86_400
        for span in daily {
            var pieceEnd: Int?
            if span.start < span.end {
                if span.start <= second && second < span.end { pieceEnd = day * 86_400 + span.end }
            } else if second >= span.start {
                pieceEnd = (day + 1) * 86_400 + span.end
            } else if second < span.end {
                pieceEnd = day * 86_400 + span.end
            }
            if let pieceEnd { end = max(end ?? pieceEnd, pieceEnd) }
        }
        return end
    }

    /// When the window containing `instant` ends (pieces that touch are joined), or nil when outside it.
    func end(containing instant: Instant) -> Instant? {
        let offset = zone.offset(at: instant)
        guard var end = pieceEnd(containing: instant.seconds + offset) else { return nil }
        for _ in 0..<400 {
            guard let next = pieceEnd(containing: end) else { break }
            end = next
        }
        return zone.instant(fromLocal: end)
    }
}

extension Engine {
    /// When the quiet window holding `policy` at `now` ends, or nil when none holds it.
    func quietWindow(containing now: Instant, policy: String) -> Instant? {
        Self.quietEnd(quietWindows.filter { $0.policies.contains(policy) }, containing: now)
    }

    /// When the latest of these windows that holds `now` ends, or nil when none holds it.
    static func quietEnd(_ schedules: [QuietSchedule], containing now: Instant) -> Instant? {
        var latest: Instant?
        for schedule in schedules {
            if let end = schedule.end(containing: now) { latest = max(latest ?? end, end) }
        }
        return latest
    }

    static func compileQuiet(_ rules: RuleSet, zones: [String: ZoneTable]) -> [QuietSchedule] {
        rules.quietWindows.compactMap { window in
            guard let zone = zones[window.timeZone] ?? ZoneTable(identifier: window.timeZone) else { return nil }
            return QuietSchedule(window, zone: zone)
        }
    }
}
