import SLARules

/// Working time of one set of business hours on its calendar: how many working seconds lie before an
/// instant, and the reverse. Built once per rule set as prefix sums over every local day from 1990 to
/// 2199, so that adding "16 working hours" or "3 working days" across a week-long holiday is two binary
/// searches rather than a walk over days.
///
/// Assumption: a day's UTC offset does not change inside its business hours (daylight-saving changes
/// happen at night). Each day uses the offset in force at its local noon.
public struct WorkingTime: Sendable {
    public let name: String
    public let zone: ZoneTable
    /// Day number of index 0.
    let firstDay: Int
    /// Working seconds before each day: `before[i]` for day `firstDay + i`; one extra entry at the end.
    let before: [Int]
    /// Working days before each day, same indexing.
    let workingDaysBefore: [Int32]
    /// UTC offset of each day (its local noon).
    let dayOffsets: [Int32]
    /// The business ranges of a working day, in seconds after local midnight.
    let ranges: [(start: Int, end: Int)]
    let dayTotal: Int
    /// The calendar counted in, and the years it holds holiday data for (empty: it follows its week alone).
    public let calendarName: String
    let dataYears: Set<Int>
    /// The last day of the calendar's holiday data; nil when it holds none.
    public let dataUntil: DayDate?

    static let firstDayNumber = 7305    // 1990-01-01
    static let dayCount = 76_701        // through 2199-12-31

    public init(hours: BusinessHours, calendar: WorkCalendar, zone: ZoneTable) {
        name = hours.name
        self.zone = zone
        calendarName = calendar.name
        dataYears = calendar.dataYears
        dataUntil = calendar.dataUntil
        ranges = hours.ranges.map { ($0.start.minutes * 60, $0.end.minutes * 60) }.sorted { $0.0 < $1.0 }
        dayTotal = ranges.reduce(0) { $0 + ($1.end - $1.start) }
        firstDay = Self.firstDayNumber
        var before = [Int](repeating: 0, count: Self.dayCount + 1)
        var days = [Int32](repeating: 0, count: Self.dayCount + 1)
        var offsets = [Int32](repeating: 0, count: Self.dayCount)
        let weekly = (0..<7).map { calendar.workdays.contains(Weekday.allCases[$0]) }
        var exceptions: [Int: Bool] = [:]
        for (date, day) in calendar.days { exceptions[date.dayNumber] = day.isWorking }
        var sum = 0, count: Int32 = 0
        for index in 0..<Self.dayCount {
            let day = firstDay + index
            before[index] = sum
            days[index] = count
            offsets[index] = Int32(zone.offset(at: Instant(seconds: day * 86_400 + 43_200)))
            let working = exceptions[day] ?? weekly[((day % 7) + 7 + 3) % 7]
            if working {
                sum += dayTotal
                count += 1
            }
        }
        before[Self.dayCount] = sum
        days[Self.dayCount] = count
        self.before = before
        workingDaysBefore = days
        dayOffsets = offsets
    }

    @inline(__always)
    func index(of instant: Instant) -> Int {
        let guess = LocalTime.dayNumber(instant, offset: 28_800) - firstDay
        let clamped = min(max(guess, 0), Self.dayCount - 1)
        let day = LocalTime.dayNumber(instant, offset: Int(dayOffsets[clamped])) - firstDay
        return day
    }

    @inline(__always)
    func isWorking(index: Int) -> Bool { before[index + 1] != before[index] }

    /// Seconds of the instant after its local midnight, and the day index.
    @inline(__always)
    func localPosition(_ instant: Instant) -> (index: Int, second: Int)? {
        let index = index(of: instant)
        guard index >= 0, index < Self.dayCount else { return nil }
        let second = instant.seconds + Int(dayOffsets[index]) - (firstDay + index) * 86_400
        return (index, second)
    }

    /// Working seconds since the start of the table up to an instant; nondecreasing and continuous.
    public func elapsed(at instant: Instant) -> Int {
        guard let (index, second) = localPosition(instant) else {
            return instant.seconds < firstDay * 86_400 ? 0 : before[Self.dayCount]
        }
        var total = before[index]
        guard isWorking(index: index) else { return total }
        for range in ranges {
            if second <= range.start { break }
            total += min(second, range.end) - range.start
        }
        return total
    }

    /// The earliest instant at which `elapsed` reaches `target`.
    public func instant(reaching target: Int) -> Instant {
        instant(reaching: target, searchingFrom: 1)
    }

    /// The same, for a target known to be reached no earlier than the day of `hint`: the search gallops
    /// forward from that day (a few probes for a deadline days ahead) instead of bisecting 210 years.
    func instant(reaching target: Int, after hint: Instant) -> Instant {
        let day = index(of: hint)
        return instant(reaching: target, searchingFrom: min(max(day + 1, 1), Self.dayCount))
    }

    private func instant(reaching target: Int, searchingFrom start: Int) -> Instant {
        if target <= 0 { return Instant(seconds: firstDay * 86_400) }
        // First index j in 1...dayCount with before[j] >= target: the target is reached during day j-1.
        var low = 1, high = Self.dayCount
        guard before[high] >= target else { return Instant(seconds: (firstDay + Self.dayCount) * 86_400) }
        if start > 1, before[start - 1] < target {
            // Gallop: the answer lies after `start - 1`; double the step until it is passed.
            var step = 1
            low = start
            while low + step < high, before[low + step] < target {
                low += step
                step *= 2
            }
            high = min(low + step, high)
        }
        while low < high {
            let mid = (low + high) / 2
            if before[mid] >= target { high = mid } else { low = mid + 1 }
        }
        let index = low - 1
        var rest = target - before[index]
        let midnight = (firstDay + index) * 86_400 - Int(dayOffsets[index])
        for range in ranges {
            let length = range.end - range.start
            if rest <= length { return Instant(seconds: midnight + range.start + rest) }
            rest -= length
        }
        return Instant(seconds: midnight + (ranges.last?.end ?? 0))
    }

    /// The first instant at or after `instant` that lies inside business hours (or at the start of them).
    public func nextWorkingInstant(from instant: Instant) -> Instant {
        let reached = elapsed(at: instant)
        // The instant just after `reached` starts to grow is where the next working second begins.
        let next = self.instant(reaching: reached + 1, after: instant) - 1
        return max(next, instant)
    }

    /// The instant that `limit` after `start` lands on, for working limits.
    public func deadline(for limit: Limit, from start: Instant) -> Instant {
        switch limit {
        case let .wall(duration):
            return start + duration.seconds
        case let .workingTime(duration, _):
            guard duration.seconds > 0 else { return start }
            return instant(reaching: elapsed(at: start) + duration.seconds, after: start)
        case let .workingDays(days, _):
            // The same working time into the day, on the n-th following working day: "3 working days from
            // Friday 17:00" is Tuesday 17:00 when Monday and Tuesday are working days and the weekend is not.
            let begin = nextWorkingInstant(from: start)
            guard let (index, _) = localPosition(begin) else { return begin }
            let into = elapsed(at: begin) - before[index]
            let targetDay = workingDayIndex(after: index, count: days)
            let into2 = min(into, before[targetDay + 1] - before[targetDay])
            return instant(reaching: before[targetDay] + into2, searchingFrom: min(targetDay + 1, Self.dayCount))
        case .endOfWorkingDay:
            let begin = nextWorkingInstant(from: start)
            guard let (index, _) = localPosition(begin) else { return begin }
            return instant(reaching: before[index + 1], searchingFrom: min(index + 1, Self.dayCount))
        }
    }

    /// The working time from `start` to the deadline of a `workingDays` or `endOfWorkingDay` limit: the same as
    /// `elapsed(at: deadline(for: limit, from: start)) - elapsed(at: start)`, but with the searches done once.
    /// A clock's budget, worked out at its start in every evaluation; ReplayTests and WorkingTimeTests compare
    /// the two.
    func budget(workingDays days: Int?, from start: Instant) -> Int {
        // `nextWorkingInstant` written out: no working time passes between `start` and `begin`, so the working
        // time elapsed at both is `reached`.
        let reached = elapsed(at: start)
        let begin = max(instant(reaching: reached + 1, after: start) - 1, start)
        guard let (index, _) = localPosition(begin) else {
            return elapsed(at: begin) - reached
        }
        let target: Int
        if let days {
            let targetDay = workingDayIndex(after: index, count: days)
            let into = min(reached - before[index], before[targetDay + 1] - before[targetDay])
            target = before[targetDay] + into
        } else {
            target = before[index + 1]
        }
        // `elapsed(at: instant(reaching: target))` is `target` itself whenever the target lies inside the table.
        guard target >= 0, target <= before[Self.dayCount] else {
            return elapsed(at: instant(reaching: target)) - reached
        }
        return target - reached
    }

    /// The index of the working day `count` working days after the day at `index`.
    func workingDayIndex(after index: Int, count: Int) -> Int {
        let target = Int32(Int(workingDaysBefore[index]) + count + (isWorking(index: index) ? 0 : -1))
        // The day whose workingDaysBefore == target and which is working: first j with workingDaysBefore[j] > target, minus 1.
        // It lies `count` working days on, so gallop forward from `index` (a few probes) before bisecting.
        var low = index, high = Self.dayCount
        var probe = index, step = 1
        while probe < high, workingDaysBefore[probe] <= target {
            low = probe + 1
            probe += step
            step *= 2
        }
        high = min(probe, high)
        while low < high {
            let mid = (low + high) / 2
            if workingDaysBefore[mid] > target { high = mid } else { low = mid + 1 }
        }
        return max(min(low - 1, Self.dayCount - 1), 0)
    }

    /// Whether counting from `start` to `end` passes through a local year the calendar holds no holiday
    /// data for: there, holidays and make-up working days are unknown and the week alone is counted.
    public func isBeyondData(from start: Instant, to end: Instant) -> Bool {
        guard !dataYears.isEmpty else { return false }
        guard let first = localPosition(min(start, end)), let last = localPosition(max(start, end)) else { return true }
        let firstYear = DayDate.from(dayNumber: firstDay + first.index).year
        let lastYear = DayDate.from(dayNumber: firstDay + last.index).year
        return (firstYear...lastYear).contains { !dataYears.contains($0) }
    }

    /// Whether a local date is a working day of this calendar.
    public func isWorkingDay(_ date: DayDate) -> Bool {
        let index = date.dayNumber - firstDay
        guard index >= 0, index < Self.dayCount else { return false }
        return isWorking(index: index)
    }
}
