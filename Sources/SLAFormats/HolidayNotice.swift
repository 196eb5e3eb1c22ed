import Foundation
import SLARules

/// One year's State Council holiday notice in the holiday-cn JSON format (NateScarlet/holiday-cn, the
/// source of the shipped calendars), and its conversion to a calendar data file (`.days`):
///
/// ```json
/// {"year": 2027, "papers": ["https://www.gov.cn/…"],
///  "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}, …]}
/// ```
/// `isOffDay: false` marks a make-up working day (调休). `slad calendar import` reads it; no file access here.
public struct HolidayNotice: Sendable, Hashable {
    public struct Day: Sendable, Hashable {
        public let name: String
        public let date: DayDate
        public let isOffDay: Bool
    }

    /// A problem with the input, named by its JSON field (`days[3].date`) and what would be valid.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public let field: String
        public let message: String
        public var description: String { "\(field): \(message)" }
    }

    public let year: Int
    /// The notice's addresses on gov.cn.
    public let papers: [String]
    public let days: [Day]
    /// Whether the data says it comes from holiday-cn (its `$schema` or `$id`), for the licence line.
    public let isHolidayCN: Bool

    /// Reads the JSON; nil with every problem found when it is not a valid notice.
    public static func parse(_ data: Data) -> (notice: HolidayNotice?, problems: [Problem]) {
        guard case let .object(object)? = try? JSONDecoder().decode(LooseJSON.self, from: data) else {
            return (nil, [Problem(field: "(file)", message: "not a JSON object; expected the holiday-cn format {\"year\": 2027, \"days\": [{\"name\", \"date\", \"isOffDay\"}, …]}")])
        }
        var problems: [Problem] = []
        var year: Int?
        if case let .int(value)? = object["year"], (1990...2199).contains(value) { year = value } else {
            problems.append(Problem(field: "year", message: object["year"] == nil ? "missing; expected the notice's year, e.g. 2027" : "expected a year such as 2027"))
        }
        var papers: [String] = []
        if case let .array(list)? = object["papers"] {
            for item in list { if case let .string(paper) = item { papers.append(paper) } }
        }
        var days: [Day] = []
        if case let .array(list)? = object["days"], !list.isEmpty {
            for (index, item) in list.enumerated() {
                let field = "days[\(index)]"
                guard case let .object(entry) = item else {
                    problems.append(Problem(field: field, message: "expected an object {\"name\", \"date\", \"isOffDay\"}"))
                    continue
                }
                var name = ""
                if case let .string(text)? = entry["name"] { name = text.trimmingCharacters(in: .whitespaces) }
                if name.isEmpty || name.contains("\n") || name.contains("#") {
                    problems.append(Problem(field: field + ".name", message: "expected the holiday's name as the notice gives it, e.g. \"春节\" (one line, no '#')"))
                }
                var date: DayDate?
                if case let .string(text)? = entry["date"] {
                    date = DayDate(text)
                    if date == nil { problems.append(Problem(field: field + ".date", message: "'\(text)' is not a real date; expected YYYY-MM-DD")) }
                } else {
                    problems.append(Problem(field: field + ".date", message: "expected a date \"YYYY-MM-DD\""))
                }
                var isOff: Bool?
                if case let .bool(value)? = entry["isOffDay"] { isOff = value } else {
                    problems.append(Problem(field: field + ".isOffDay", message: "expected true (a holiday) or false (a make-up working day)"))
                }
                if let date, let isOff, !name.isEmpty { days.append(Day(name: name, date: date, isOffDay: isOff)) }
            }
        } else {
            problems.append(Problem(field: "days", message: "missing or empty; expected a list of {\"name\", \"date\", \"isOffDay\"}"))
        }
        guard problems.isEmpty, let year else { return (nil, problems) }
        var source = ""
        for key in ["$schema", "$id"] { if case let .string(text)? = object[key] { source += text } }
        return (HolidayNotice(year: year, papers: papers, days: days, isHolidayCN: source.contains("holiday-cn")), [])
    }

    /// The calendar data file, sorted by date, with its source in the header and a `year` line.
    public func daysText(importedFrom source: String) -> String {
        var lines = [
            "# China's public holidays and make-up working days (调休), \(year).",
            "# Format: YYYY-MM-DD off|work NAME   (off = holiday; work = a weekend day that is a working day)",
            "# Days not listed follow the calendar's weekly working days.",
            "#",
            "# Source: the State Council's holiday notice for the year:",
        ]
        lines += papers.map { "#   \($0)" }
        if isHolidayCN {
            lines.append("# transcribed by the NateScarlet/holiday-cn project, https://github.com/NateScarlet/holiday-cn")
            lines.append("# Licence of the data: MIT License, Copyright (c) 2019 NateScarlet (full text: rules/calendars/LICENSE.holiday-cn).")
        }
        lines += ["# Imported from \(source) by 'slad calendar import'.", "", "year \(year)", ""]
        lines += sortedDays.map(\.day).map { day in
            "\(day.date) \(day.isOffDay ? "off" : "work") \(day.isOffDay || day.name.hasSuffix("调休") ? day.name : day.name + "调休")"
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var sortedDays: [(index: Int, day: Day)] {
        days.enumerated().map { (index: $0.offset, day: $0.element) }.sorted { ($0.day.date, $0.index) < ($1.day.date, $1.index) }
    }

    /// Checks the file `daysText` writes as `slad check` will, on a calendar with the usual Monday-to-Friday
    /// week: dates in the year, make-up days on weekends, no date twice, no date both off and working.
    /// Each problem names the JSON entry it comes from.
    public func validate(daysText text: String, path: String) -> [Problem] {
        let rules = SourceFile(path: "import.sla", text: "calendar imported { include \"\(path)\" }\n")
        let result = RuleLoader.check([rules]) { _, _ in SourceFile(path: path, text: text) }
        let firstDayLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.first?.isNumber == true }.map { $0 + 1 } ?? 1
        let order = sortedDays.map(\.index)
        return result.diagnostics.filter { $0.severity == .error }.map { diagnostic in
            let location = result.location(of: diagnostic.range)
            let position = location.line - firstDayLine
            let field = location.file == path && order.indices.contains(position) ? "days[\(order[position])]" : "days"
            return Problem(field: field, message: diagnostic.message + (diagnostic.hint.map { " (\($0))" } ?? ""))
        }
    }
}

/// Any JSON value, so that every field of a notice can be checked and named rather than stopping at
/// the first that does not decode.
private enum LooseJSON: Decodable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([LooseJSON]), object([String: LooseJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([LooseJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: LooseJSON].self)) }
    }
}
