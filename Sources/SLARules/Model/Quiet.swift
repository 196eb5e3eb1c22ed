/// A quiet window (静默时段): while it lasts, the named policies hold their escalation steps (all but
/// those marked `urgent`) and release them, once each, when it ends. For skeleton staffing over the
/// Spring Festival, or nights at a small site.
public struct QuietWindow: Sendable, Hashable {
    public let name: String
    public var title: String?
    /// The policies whose steps are held.
    public var policies: [String] = []
    public var timeZone: String = "Asia/Shanghai"
    /// Whole local days, inclusive.
    public var dates: [DateSpan] = []
    /// Every day between these local times (an end before the start crosses midnight).
    public var daily: [DailySpan] = []
    public let location: SourceRange
}

public struct DateSpan: Sendable, Hashable {
    public let from: DayDate
    public let through: DayDate
}

public struct DailySpan: Sendable, Hashable {
    public let start: TimeOfDay
    public let end: TimeOfDay
}
