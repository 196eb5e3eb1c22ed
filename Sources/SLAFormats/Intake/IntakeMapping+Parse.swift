import SLAEngine
import SLARules

extension IntakeMapping {
    static let settingKeys = ["id", "created", "status", "at", "text", "time format", "time zone", "default", "map",
                              "auth", "secret", "signature", "signed", "timestamp", "delivery"]
    static var knownKeys: [String] {
        (settingKeys + TicketMapping.fieldKeys.keys + TicketMapping.fieldKeys.keys.map { "default \($0)" }).sorted()
    }

    /// Reads an intake mapping. With `forIntake` (a file under `rules/intake/`), the authentication and
    /// the delivery id are required; `slad import --mapping` reads the same file without them. Every
    /// problem is reported, each with its line and column.
    public static func parse(_ text: String, source: String, forIntake: Bool) -> Result<IntakeMapping, Failures> {
        var mapping = IntakeMapping(source: source)
        var failures: [Failure] = []
        let rawLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (offset, rawLine) in rawLines.enumerated() {
            let line = TicketMapping.stripComment(String(rawLine))
            guard !line.trimmingSpaces.isEmpty else { continue }
            do throws(Failure) {
                try mapping.read(line, number: offset + 1)
            } catch {
                failures.append(error)
            }
        }
        let last = rawLines.count
        func missing(_ key: String, _ message: String) {
            if mapping.lines[key] == nil { failures.append(Failure(line: last, column: 1, message: message)) }
        }
        missing("id", "the mapping names no external id (add 'id = PATH', for example 'id = data.orderNo')")
        if !mapping.fields.contains(where: { $0.field == .kind }), mapping.defaultRule == nil, mapping.categories.isEmpty {
            missing("map", "the mapping gives tickets no kind: add a 'kind' path, 'map' lines or a 'default'")
        }
        if forIntake {
            missing("auth", "an intake source needs 'auth = hmac-sha256' or 'auth = bearer'")
            missing("secret", "an intake source needs 'secret = env NAME' or 'secret = credential NAME'")
            missing("delivery", "an intake source needs 'delivery = header NAME' or 'delivery = PATH' (its delivery id, for replays)")
        }
        if mapping.status != nil, mapping.lines["status map"] == nil {
            failures.append(Failure(line: mapping.lines["status"]!, column: 1,
                                    message: "'status' names a path but no 'status \"VALUE\" = EVENT' line maps its values"))
        }
        if !mapping.statuses.isEmpty, mapping.status == nil {
            missing("status", "'status \"…\"' lines need 'status = PATH' (where the payload holds its status)")
        }
        if case let .hmac(signature) = mapping.auth, signature.signed.contains(.timestamp), mapping.timestamp == nil {
            failures.append(Failure(line: mapping.lines["signed"] ?? last, column: 1,
                                    message: "the signed bytes include the timestamp, but no 'timestamp = header NAME' says where it is"))
        }
        if case .bearer = mapping.auth, let line = mapping.lines["signature"] ?? mapping.lines["signed"] {
            failures.append(Failure(line: line, column: 1, message: "'auth = bearer' takes no signature; remove this line or write 'auth = hmac-sha256'"))
        }
        failures.sort { ($0.line, $0.column) < ($1.line, $1.column) }
        return failures.isEmpty ? .success(mapping) : .failure(Failures(all: failures))
    }

    private mutating func read(_ line: String, number: Int) throws(Failure) {
        let leading = line.prefix { $0 == " " || $0 == "\t" }.count
        let body = Substring(line).dropFirst(leading)
        for word in ["map", "status"] where body.hasPrefix(word + " \"") || body.hasPrefix(word + "\"") || body.hasPrefix(word + "\t\"") {
            let rest = body.dropFirst(word.count)
            if word == "map" {
                var csv = TicketMapping()
                csv.categories = categories
                try TicketMapping.readMap(rest, number: number, column: leading + 4, into: &csv)
                categories = csv.categories
                lines["map"] = number
            } else {
                try readStatus(rest, number: number, column: leading + word.count + 1)
            }
            return
        }
        guard let equals = body.firstIndex(of: "=") else {
            throw Failure(line: number, column: leading + 1, message: "expected 'key = value', 'map \"VALUE\" = KIND' or 'status \"VALUE\" = EVENT'")
        }
        let key = body[..<equals].split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ").lowercased()
        let after = String(body[body.index(after: equals)...])
        // Authentication values keep their quotes: `signed = timestamp "." body`.
        let isAuthentication = ["auth", "secret", "signature", "signed", "timestamp", "delivery"].contains(key)
        let value = isAuthentication ? after.trimmingSpaces : TicketMapping.unquote(after.trimmingSpaces)
        let column = line.distance(from: line.startIndex, to: equals) + 2 + after.prefix { $0 == " " || $0 == "\t" }.count
        guard !value.isEmpty else { throw Failure(line: number, column: column, message: "'\(key)' needs a value after '='") }
        if let earlier = lines[key] {
            throw Failure(line: number, column: leading + 1, message: "'\(key)' is set twice (first on line \(earlier))")
        }
        lines[key] = number
        try set(key, value, number: number, column: column, keyColumn: leading + 1)
    }

    private mutating func set(_ key: String, _ value: String, number: Int, column: Int, keyColumn: Int) throws(Failure) {
        func path() throws(Failure) -> JSONPath {
            do throws(JSONPath.Failure) { return try JSONPath(value) } catch {
                throw Failure(line: number, column: column + error.column - 1, message: "path '\(value)': \(error.message)")
            }
        }
        switch key {
        case "id": id = try path()
        case "created": created = try path()
        case "status": status = try path()
        case "at": at = try path()
        case "text": text = try path()
        case "time format": timeFormat = try Self.timeFormat(value, number: number, column: column)
        case "time zone":
            guard ZoneTable(identifier: value) != nil else {
                throw Failure(line: number, column: column, message: "'\(value)' is not a time zone this system knows; write an IANA name such as Asia/Shanghai")
            }
            timeZone = value
        case "default":
            lines["map"] = number
            defaultRule = try TicketMapping.rule(pattern: "*", isPrefix: true, value: value, number: number, column: column)
        case "auth", "secret", "signature", "signed", "timestamp", "delivery":
            try setAuthentication(key, value, number: number, column: column)
        default:
            if let field = TicketMapping.fieldKeys[key] {
                fields.append((field, try path()))
            } else if key.hasPrefix("default "), let field = TicketMapping.fieldKeys[String(key.dropFirst(8))], field != .kind {
                if !FieldSet.declarable.contains(field), let allowed = field.allowedValues, !allowed.contains(value) {
                    throw Failure(line: number, column: column, message: "'\(value)' is not a \(field.rawValue); expected one of \(allowed.joined(separator: ", "))")
                }
                defaults[field] = value
            } else {
                lines[key] = nil
                let hint = Suggestion.hint(for: key, in: Self.knownKeys).map { "; \($0)" } ?? ""
                throw Failure(line: number, column: keyColumn, message: "unknown key '\(key)'\(hint)")
            }
        }
    }

    static func timeFormat(_ value: String, number: Int, column: Int) throws(Failure) -> IntakeTimeFormat {
        switch value.lowercased().split(separator: " ").joined(separator: " ") {
        case "epoch seconds", "epoch", "unix", "unix seconds": return .epochSeconds
        case "epoch millis", "epoch milliseconds", "unix millis", "unix milliseconds": return .epochMillis
        default:
            do throws(TimestampFormat.Failure) {
                return .pattern(try TimestampFormat(value))
            } catch {
                throw Failure(line: number, column: column + error.column - 1,
                              message: "time format: \(error.message) (or write ISO, epoch seconds, epoch millis)")
            }
        }
    }

    private mutating func readStatus(_ rest: Substring, number: Int, column: Int) throws(Failure) {
        lines["status map"] = number
        var text = rest.drop { $0 == " " || $0 == "\t" }
        let valueColumn = column + (rest.count - text.count)
        text = text.dropFirst()
        guard let close = text.firstIndex(of: "\"") else {
            throw Failure(line: number, column: valueColumn, message: "the status value's quote is never closed")
        }
        let upstream = String(text[..<close])
        var after = text[text.index(after: close)...].drop { $0 == " " || $0 == "\t" }
        guard after.first == "=" else { throw Failure(line: number, column: valueColumn, message: "expected '=' after the status value") }
        after = after.dropFirst()
        let eventColumn = column + (rest.count - after.count) + after.prefix { $0 == " " || $0 == "\t" }.count
        let name = String(after).trimmingSpaces
        if let earlier = statuses[upstream] {
            throw Failure(line: number, column: valueColumn, message: "status '\(upstream)' is mapped twice (first on line \(earlier.line))")
        }
        if name == "none" || name == "ignore" {
            statuses[upstream] = (nil, number)
            return
        }
        guard let kind = TicketMapping.eventKeys[name] else {
            let names = TicketMapping.eventKeys.keys.sorted()
            let hint = Suggestion.hint(for: name, in: names + ["none"]).map { " (\($0))" } ?? ""
            throw Failure(line: number, column: eventColumn,
                          message: "'\(name)' is not an event\(hint); expected one of \(names.joined(separator: ", ")) or none")
        }
        statuses[upstream] = (kind, number)
    }
}
