/// Every diagnostic's stable code. Codes never change meaning once shipped; `docs/rules.md`
/// lists them all (a test keeps that table in step with this enum).
public enum DiagnosticCode: String, Sendable, Codable, CaseIterable {
    // Lexical and syntax errors.
    case unexpectedCharacter = "E001"
    case unterminatedString = "E002"
    case unexpectedToken = "E003"
    case unclosedBlock = "E004"
    case invalidDuration = "E005"
    case invalidTime = "E006"
    case invalidDate = "E007"
    case invalidNumber = "E008"
    // Meaning errors.
    case duplicateDefinition = "E101"
    case unknownReference = "E102"
    case unknownField = "E103"
    case unknownValue = "E104"
    case inlineSecret = "E105"
    case missingStatement = "E106"
    case repeatedStatement = "E107"
    case includeNotFound = "E108"
    case invalidCalendarLine = "E109"
    case unknownPlaceholder = "E110"
    case conflictingDay = "E111"
    case invalidTimeZone = "E112"
    case workingTimeWithoutHours = "E113"
    case unknownClock = "E114"
    case valueOutOfRange = "E115"
    case invalidRange = "E116"
    case unknownSetting = "E117"
    // Warnings.
    case unreachablePolicy = "W001"
    case unusedDefinition = "W002"
    case stepBeforeClockStarts = "W003"
    case emptyGroup = "W004"
    case overlappingHours = "W005"
    case stepsOutOfOrder = "W006"
    case noAddressForChannel = "W007"

    public var severity: Severity { rawValue.hasPrefix("E") ? .error : .warning }

    /// One line for the diagnostics table in the docs.
    public var summary: String {
        switch self {
        case .unexpectedCharacter: "a character that starts no token"
        case .unterminatedString: "a string without its closing quote on the same line"
        case .unexpectedToken: "a word or symbol where the grammar expects something else (the hint lists what)"
        case .unclosedBlock: "a `{` whose `}` never comes"
        case .invalidDuration: "a duration that is not like `30m`, `2h`, `1h30m`, `7d`"
        case .invalidTime: "a time of day or range that is not like `09:00` or `09:00-12:00`"
        case .invalidDate: "a date that is not a real `YYYY-MM-DD`"
        case .invalidNumber: "a number that is not a whole number in range"
        case .duplicateDefinition: "a name defined twice (the note shows the first definition)"
        case .unknownReference: "a reference to a person, team, roster, channel, calendar, hours or template that is not defined"
        case .unknownField: "a ticket field in a match expression that tickets do not have"
        case .unknownValue: "a value outside its set: ticket kind, event, weekday, level, channel kind"
        case .inlineSecret: "a secret setting written inline instead of `env NAME` or `credential NAME`"
        case .missingStatement: "a block without a statement it needs (a policy without a clock, a roster without its rotation, a channel without a required setting)"
        case .repeatedStatement: "a statement given twice in one block where only one is allowed"
        case .includeNotFound: "an included calendar file that cannot be read"
        case .invalidCalendarLine: "a line of a calendar data file that is not `YYYY-MM-DD off|work NAME`"
        case .unknownPlaceholder: "a `{placeholder}` in a template that messages do not have"
        case .conflictingDay: "the same date declared both a holiday and a working day"
        case .invalidTimeZone: "a time zone that is not an IANA name such as `Asia/Shanghai`"
        case .workingTimeWithoutHours: "a working-time limit with no business hours to count in"
        case .unknownClock: "an escalation step at a clock the policy does not define"
        case .valueOutOfRange: "a number outside what makes sense (a limit of zero, a cap of 0, a share outside 1–1000 %)"
        case .invalidRange: "a range whose end is not after its start"
        case .unknownSetting: "a channel setting the channel kind does not have"
        case .unreachablePolicy: "a policy that can never match because an earlier policy always wins"
        case .unusedDefinition: "a channel, person, team, roster, template, hours or calendar that nothing uses"
        case .stepBeforeClockStarts: "an escalation step so far before its deadline that it would fire before the clock starts"
        case .emptyGroup: "a team or roster with no members"
        case .overlappingHours: "business-hour ranges that overlap"
        case .stepsOutOfOrder: "an escalation step listed after a step that fires later, so the ladder no longer reads top-down"
        case .noAddressForChannel: "a person notified via a channel for which they have no address"
        }
    }
}
