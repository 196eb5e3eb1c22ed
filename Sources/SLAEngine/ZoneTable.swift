import Foundation

/// UTC offsets of one IANA time zone as a sorted table of transitions, built once from the system's zone
/// data through Foundation and then looked up by binary search. Foundation's own per-call lookups cost
/// microseconds; the engine needs nanoseconds.
public struct ZoneTable: Sendable, Hashable {
    public let identifier: String
    /// Instants (seconds) at which the offset changes, ascending; `offsets[i]` holds from `transitions[i]`.
    let transitions: [Int]
    /// `offsets[0]` holds before the first transition.
    let offsets: [Int]
    /// Each offset once, for finding the earlier instant of a repeated wall time without building a set.
    let distinctOffsets: [Int]

    /// The span the table covers; outside it the nearest offset is used.
    static let firstYearSeconds = 631_152_000      // 1990-01-01T00:00:00Z
    static let lastYearSeconds = 7_258_118_400     // 2200-01-01T00:00:00Z

    /// Nil when the identifier names no known zone.
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        var transitions: [Int] = []
        var offsets = [zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(Self.firstYearSeconds)))]
        var cursor = Date(timeIntervalSince1970: Double(Self.firstYearSeconds))
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor),
              next.timeIntervalSince1970 < Double(Self.lastYearSeconds) {
            let offset = zone.secondsFromGMT(for: next)
            if offset != offsets.last {
                transitions.append(Int(next.timeIntervalSince1970))
                offsets.append(offset)
            }
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
        distinctOffsets = Array(Set(offsets)).sorted()
    }

    /// A zone with one fixed offset, for tests.
    public init(fixedOffset seconds: Int, identifier: String) {
        self.identifier = identifier
        transitions = []
        offsets = [seconds]
        distinctOffsets = [seconds]
    }

    /// The UTC offset in seconds at an instant.
    @inline(__always)
    public func offset(at instant: Instant) -> Int {
        if transitions.isEmpty { return offsets[0] }
        var low = 0, high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= instant.seconds { low = mid + 1 } else { high = mid }
        }
        return offsets[low]
    }

    /// The instant of a local wall time (seconds since the local epoch). In a gap (spring forward) the
    /// time moves forward by the gap; in an overlap (fall back) the earlier instant is taken.
    public func instant(fromLocal local: Int) -> Instant {
        let first = offset(at: Instant(seconds: local - offsets[0]))
        let guess = Instant(seconds: local - first)
        let actual = offset(at: guess)
        if actual == first { return earlierOfOverlap(local: local, candidate: guess) }
        return Instant(seconds: local - actual)
    }

    private func earlierOfOverlap(local: Int, candidate: Instant) -> Instant {
        // A larger offset before the transition means the same wall time happened earlier too.
        guard distinctOffsets.count > 1 else { return candidate }
        let current = self.offset(at: candidate)
        for offset in distinctOffsets where offset > current {
            let earlier = Instant(seconds: local - offset)
            if self.offset(at: earlier) == offset { return earlier }
        }
        return candidate
    }

    /// The local day number of an instant.
    @inline(__always)
    public func dayNumber(_ instant: Instant) -> Int {
        LocalTime.dayNumber(instant, offset: offset(at: instant))
    }

    public func format(_ instant: Instant) -> String { LocalTime.format(instant, offset: offset(at: instant)) }
    public func formatShort(_ instant: Instant) -> String { LocalTime.formatShort(instant, offset: offset(at: instant)) }
}
