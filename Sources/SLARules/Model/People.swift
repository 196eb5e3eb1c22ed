/// Someone who can be notified. Addresses are per kind of contact (`phone`, `email`, `wecom`, …);
/// a channel reaches a person through the address kind it needs.
public struct Person: Sendable, Hashable {
    public let name: String
    /// The display name, usually Chinese: 张伟.
    public var displayName: String?
    public var addresses: [ContactKind: String] = [:]
    public let location: SourceRange
}

public enum ContactKind: String, Sendable, Hashable, CaseIterable {
    case phone, email, wecom, dingtalk, feishu
}

/// A named group of people with the supervisor and manager that escalations climb to.
public struct Team: Sendable, Hashable {
    public let name: String
    public var title: String?
    public var members: [String] = []
    public var supervisor: String?
    public var manager: String?
    /// The business hours the team works (`hours NAME`): a route to the team picks only while they are
    /// open. Nil: the team works around the clock.
    public var hours: String?
    public let location: SourceRange
}

/// Who is on duty: members take turns, handing off at a time of day, with dated overrides.
public struct Roster: Sendable, Hashable {
    public let name: String
    public var title: String?
    public var rotation: Rotation = .daily
    public var handoff: TimeOfDay = TimeOfDay(minutes: 0)
    /// The first rotation period starts on this date with the first member. Defaults to 2025-01-01.
    public var anchor: DayDate = DayDate(year: 2025, month: 1, day: 1)!
    public var timeZone: String = "Asia/Shanghai"
    public var members: [String] = []
    public var overrides: [RosterOverride] = []
    public let location: SourceRange

    public enum Rotation: Sendable, Hashable {
        case daily
        case weekly(Weekday)
    }
}

/// Someone standing in for the rotation over whole rotation days, from one handoff to another.
public struct RosterOverride: Sendable, Hashable {
    public let from: DayDate
    public let through: DayDate
    public let person: String
    public let location: SourceRange
}
