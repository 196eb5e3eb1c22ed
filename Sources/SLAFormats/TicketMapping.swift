import SLAEngine
import SLARules

/// How the columns of a CSV export become slad tickets: a small text file of `key = value` lines
/// (docs/simulate.md has the whole reference):
///
/// ```
/// # Los Angeles 311, 2020 export
/// id           = srnumber
/// created      = createddate
/// acknowledged = servicedate
/// closed       = closeddate
/// category     = requesttype
/// time format  = M/D/YY H:MM
/// time zone    = America/Los_Angeles
/// optional events = acknowledged
///
/// map "Bulky Items"        = repair priority=regular
/// map "Graffiti*"          = repair
/// map "Homeless Encampment" = complaint grade=C
/// map "Report Water Waste" = skip
/// default                  = enquiry
/// ```
///
/// Keys name a column for the ticket id, the creation time, each event (`acknowledged`, `resolved`, `closed`
/// and the other event kinds) and each ticket field (`category`, `kind`, `grade`, `priority`, `site`,
/// `building`, `unit`, `reporter`, `assignee`, `source`, `text`). `map` lines give the kind and fields of a
/// category (matched without regard to case; a trailing `*` matches any ending); `default` covers the rest.
/// `score` and `comment` name the columns of the owner's satisfaction (1–5) and what they said at the
/// return visit; they go on the `revisited` event, so they need a `revisited` column.
public struct TicketMapping: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public let number: Int
    }

    /// A column named by the mapping, with the line that names it (for errors about the CSV header).
    public struct ColumnRef: Sendable, Equatable {
        public let name: String
        public let line: Int
        public let column: Int
    }

    /// What a category becomes: a kind and fields, or a row to skip.
    public struct CategoryRule: Sendable, Equatable {
        public let pattern: String
        /// Matches any category starting with the pattern (written with a trailing `*`).
        public let isPrefix: Bool
        /// Nil for `skip`.
        public let kind: String?
        public let fields: [TicketField: String]
        public let line: Int
        /// Where the kind and fields start, for messages about them.
        public var column: Int = 1
    }

    public var id: ColumnRef?
    public var created: ColumnRef?
    public var events: [(kind: EventKind, column: ColumnRef)] = []
    public var fields: [(field: TicketField, column: ColumnRef)] = []
    public var text: ColumnRef?
    /// The return visit's satisfaction score (1–5) and comment, on the `revisited` event.
    public var score: ColumnRef?
    public var comment: ColumnRef?
    public var timeFormat: TimestampFormat?
    public var timeZone: String?
    /// Events dropped (and counted) rather than rejecting the row when their time is unreadable or
    /// before the creation time: for columns that are known to be rough, like a scheduled service date.
    public var optionalEvents: Set<EventKind> = []
    public var categories: [CategoryRule] = []
    public var defaultRule: CategoryRule?

    public static func == (lhs: TicketMapping, rhs: TicketMapping) -> Bool {
        lhs.id == rhs.id && lhs.created == rhs.created && lhs.text == rhs.text && lhs.score == rhs.score && lhs.comment == rhs.comment
            && lhs.timeFormat == rhs.timeFormat
            && lhs.timeZone == rhs.timeZone && lhs.optionalEvents == rhs.optionalEvents && lhs.categories == rhs.categories
            && lhs.defaultRule == rhs.defaultRule
            && lhs.events.map(\.kind) == rhs.events.map(\.kind) && lhs.events.map(\.column) == rhs.events.map(\.column)
            && lhs.fields.map(\.field) == rhs.fields.map(\.field) && lhs.fields.map(\.column) == rhs.fields.map(\.column)
    }

    /// A problem in a mapping file, at a line and column (from 1).
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let column: Int
        public let message: String
        public var description: String { "\(line):\(column): \(message)" }
    }

    static let eventKeys: [String: EventKind] = Dictionary(uniqueKeysWithValues: EventKind.allCases
        .filter { $0 != .created && $0 != .paused && $0 != .resumed && $0 != .regraded && $0 != .comment }
        .map { ($0.rawValue, $0) })
    static let fieldKeys: [String: TicketField] = Dictionary(uniqueKeysWithValues: TicketField.allCases
        .filter { $0 != .status && $0 != .tags }.map { ($0.rawValue, $0) })
    static var knownKeys: [String] {
        (["id", "created", "text", "score", "comment", "time format", "time zone", "optional events", "default", "map"]
            + eventKeys.keys + fieldKeys.keys).sorted()
    }

    /// Every problem of a mapping file, in line order.
    public struct Failures: Error, Equatable {
        public let all: [Failure]
    }

    /// Reads a mapping file's text. Every problem is reported, each with its line and column.
    public static func parse(_ text: String) -> Result<TicketMapping, Failures> {
        var mapping = TicketMapping()
        var failures: [Failure] = []
        var seen: [String: Int] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = stripComment(String(rawLine))
            guard !line.trimmingSpaces.isEmpty else { continue }
            do throws(Failure) {
                try read(line, number: number, into: &mapping, seen: &seen)
            } catch {
                failures.append(error)
            }
        }
        let lastLine = text.split(separator: "\n", omittingEmptySubsequences: false).count
        // A key that is there but wrong has been reported already; only a key never written is missing.
        func missing(_ key: String, _ message: String) {
            if seen[key] == nil { failures.append(Failure(line: lastLine, column: 1, message: message)) }
        }
        if mapping.id == nil { missing("id", "the mapping names no id column (add 'id = COLUMN')") }
        if mapping.created == nil { missing("created", "the mapping names no creation time column (add 'created = COLUMN')") }
        if mapping.timeFormat == nil { missing("time format", "the mapping has no 'time format' (for example 'time format = MM/DD/YYYY hh:mm:ss AM' or 'ISO')") }
        if mapping.timeZone == nil { missing("time zone", "the mapping has no 'time zone' (an IANA name such as 'America/Los_Angeles' or 'Asia/Shanghai')") }
        if !mapping.fields.contains(where: { $0.field == .kind }), mapping.defaultRule == nil, mapping.categories.isEmpty {
            missing("map", "the mapping gives tickets no kind: add a 'kind' column, 'map' lines or a 'default'")
        }
        for key in ["score", "comment"] where seen[key] != nil && !mapping.events.contains(where: { $0.kind == .revisited }) {
            failures.append(Failure(line: seen[key]!, column: 1,
                                    message: "'\(key)' belongs to the return visit, but no column is mapped to 'revisited' (add 'revisited = COLUMN')"))
        }
        for kind in mapping.optionalEvents where !mapping.events.contains(where: { $0.kind == kind }) {
            failures.append(Failure(line: seen["optional events"] ?? lastLine, column: 1, message: "'\(kind.rawValue)' is listed as optional but no column is mapped to it"))
        }
        failures.sort { ($0.line, $0.column) < ($1.line, $1.column) }
        return failures.isEmpty ? .success(mapping) : .failure(Failures(all: failures))
    }

    /// Removes a `#` comment that is not inside double quotes.
    static func stripComment(_ line: String) -> String {
        var inQuotes = false
        var result = ""
        for character in line {
            if character == "\"" { inQuotes.toggle() }
            if character == "#", !inQuotes { break }
            result.append(character)
        }
        return result.hasSuffix("\r") ? String(result.dropLast()) : result
    }

    private static func read(_ line: String, number: Int, into mapping: inout TicketMapping, seen: inout [String: Int]) throws(Failure) {
        let leading = line.prefix { $0 == " " || $0 == "\t" }.count
        var body = Substring(line).dropFirst(leading)
        if body.hasPrefix("map ") || body.hasPrefix("map\t") || body.hasPrefix("map\"") {
            seen["map"] = number
            body = body.dropFirst(3)
            try readMap(body, number: number, column: leading + 4, into: &mapping)
            return
        }
        guard let equals = body.firstIndex(of: "=") else {
            throw Failure(line: number, column: leading + 1, message: "expected 'key = value' or 'map \"CATEGORY\" = KIND'")
        }
        let key = body[..<equals].split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ").lowercased()
        let valueStart = line.distance(from: line.startIndex, to: equals) + 2
        let value = unquote(String(body[body.index(after: equals)...]).trimmingSpaces)
        let valueColumn = valueStart + (String(body[body.index(after: equals)...]).prefix { $0 == " " || $0 == "\t" }.count)
        guard !value.isEmpty else {
            throw Failure(line: number, column: valueColumn, message: "'\(key)' needs a value after '='")
        }
        if let earlier = seen[key], key != "optional events" {
            throw Failure(line: number, column: leading + 1, message: "'\(key)' is set twice (first on line \(earlier))")
        }
        seen[key] = number
        if key == "default" { seen["map"] = number }
        let column = ColumnRef(name: value, line: number, column: valueColumn)
        switch key {
        case "id": mapping.id = column
        case "created": mapping.created = column
        case "text": mapping.text = column
        case "score": mapping.score = column
        case "comment": mapping.comment = column
        case "time format":
            do throws(TimestampFormat.Failure) {
                mapping.timeFormat = try TimestampFormat(value)
            } catch {
                throw Failure(line: number, column: valueColumn + error.column - 1, message: "time format: \(error.message)")
            }
        case "time zone":
            guard ZoneTable(identifier: value) != nil else {
                throw Failure(line: number, column: valueColumn, message: "'\(value)' is not a time zone this system knows; write an IANA name such as America/New_York")
            }
            mapping.timeZone = value
        case "optional events":
            for name in value.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) {
                guard let kind = eventKeys[name] else {
                    throw Failure(line: number, column: valueColumn, message: "'\(name)' is not an event; expected one of \(eventKeys.keys.sorted().joined(separator: ", "))")
                }
                mapping.optionalEvents.insert(kind)
            }
        case "default":
            mapping.defaultRule = try rule(pattern: "*", isPrefix: true, value: value, number: number, column: valueColumn)
        default:
            if let kind = eventKeys[key] {
                mapping.events.append((kind, column))
            } else if let field = fieldKeys[key] {
                mapping.fields.append((field, column))
            } else {
                let hint = Suggestion.hint(for: key, in: knownKeys).map { "; \($0)" } ?? ""
                throw Failure(line: number, column: leading + 1, message: "unknown key '\(key)'\(hint)")
            }
        }
    }

    static func readMap(_ body: Substring, number: Int, column: Int, into mapping: inout TicketMapping) throws(Failure) {
        var rest = body.drop { $0 == " " || $0 == "\t" }
        let patternColumn = column + (body.count - rest.count)
        let pattern: String
        if rest.first == "\"" {
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: "\"") else {
                throw Failure(line: number, column: patternColumn, message: "the category's quote is never closed")
            }
            pattern = String(rest[..<close])
            rest = rest[rest.index(after: close)...]
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard rest.first == "=" else {
                throw Failure(line: number, column: patternColumn, message: "expected '=' after the category")
            }
        } else {
            guard let equals = rest.firstIndex(of: "=") else {
                throw Failure(line: number, column: patternColumn, message: "expected 'map \"CATEGORY\" = KIND [field=value …]'")
            }
            pattern = String(rest[..<equals]).trimmingSpaces
            rest = rest[equals...]
        }
        guard !pattern.isEmpty else { throw Failure(line: number, column: patternColumn, message: "the category is empty") }
        let equalsColumn = column + (body.count - rest.count)
        let rawValue = rest.dropFirst()
        let value = String(rawValue).trimmingSpaces
        let valueColumn = equalsColumn + 1 + rawValue.prefix { $0 == " " || $0 == "\t" }.count
        let isPrefix = pattern.hasSuffix("*")
        let cleaned = isPrefix ? String(pattern.dropLast()) : pattern
        if let earlier = mapping.categories.first(where: { $0.pattern.lowercased() == cleaned.lowercased() && $0.isPrefix == isPrefix }) {
            throw Failure(line: number, column: patternColumn, message: "category '\(pattern)' is mapped twice (first on line \(earlier.line))")
        }
        mapping.categories.append(try rule(pattern: cleaned, isPrefix: isPrefix, value: value, number: number, column: valueColumn))
    }

    static func rule(pattern: String, isPrefix: Bool, value: String, number: Int, column: Int) throws(Failure) -> CategoryRule {
        let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let kind = words.first else { throw Failure(line: number, column: column, message: "expected a ticket kind or 'skip'") }
        if kind == "skip" {
            guard words.count == 1 else { throw Failure(line: number, column: column, message: "'skip' takes nothing after it") }
            return CategoryRule(pattern: pattern, isPrefix: isPrefix, kind: nil, fields: [:], line: number, column: column)
        }
        let kinds = TicketKind.allCases.map(\.rawValue)
        guard kinds.contains(kind) else {
            let hint = Suggestion.hint(for: kind, in: kinds + ["skip"]).map { " (\($0))" } ?? ""
            throw Failure(line: number, column: column, message: "'\(kind)' is not a ticket kind\(hint); expected one of \(kinds.joined(separator: ", ")) or skip")
        }
        var fields: [TicketField: String] = [:]
        for word in words.dropFirst() {
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw Failure(line: number, column: column, message: "expected field=value after the kind, found '\(word)'")
            }
            guard let field = fieldKeys[parts[0]], field != .kind else {
                let names = fieldKeys.keys.filter { $0 != "kind" }.sorted()
                let hint = Suggestion.hint(for: parts[0], in: names).map { " (\($0))" } ?? ""
                throw Failure(line: number, column: column, message: "'\(parts[0])' is not a ticket field\(hint); expected one of \(names.joined(separator: ", "))")
            }
            // Fields whose sets the rules may declare are checked against the rules (`refusals(rules:)`).
            if !FieldSet.declarable.contains(field), let allowed = field.allowedValues, !allowed.contains(parts[1]) {
                throw Failure(line: number, column: column, message: "'\(parts[1])' is not a \(field.rawValue); expected one of \(allowed.joined(separator: ", "))")
            }
            fields[field] = parts[1]
        }
        return CategoryRule(pattern: pattern, isPrefix: isPrefix, kind: kind, fields: fields, line: number, column: column)
    }

    static func unquote(_ text: String) -> String {
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { return String(text.dropFirst().dropLast()) }
        return text
    }

    /// The rule for a category: an exact match first, then the longest matching prefix, then the default.
    public func rule(forCategory category: String) -> CategoryRule? {
        let lowered = category.lowercased()
        if let exact = categories.first(where: { !$0.isPrefix && $0.pattern.lowercased() == lowered }) { return exact }
        let prefixes = categories.filter { $0.isPrefix && lowered.hasPrefix($0.pattern.lowercased()) }
        if let longest = prefixes.max(by: { $0.pattern.count < $1.pattern.count }) { return longest }
        return defaultRule
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return String(text)
    }
}
