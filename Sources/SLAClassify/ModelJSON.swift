/// The little JSON the model file needs, read and written by hand so that the module stays free of
/// Foundation: a strict parser (RFC 8259; every problem at a line and column) and string quoting.
enum ModelJSON {
    indirect enum Value: Equatable {
        /// Members in file order (a repeated key is refused while parsing).
        case object([(key: String, value: Value)])
        case array([Value])
        case string(String)
        /// The number's text as written, for the reader to convert (integers stay exact).
        case number(String)
        case bool(Bool)
        case null

        static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case let (.object(a), .object(b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
            case let (.array(a), .array(b)): a == b
            case let (.string(a), .string(b)), let (.number(a), .number(b)): a == b
            case let (.bool(a), .bool(b)): a == b
            case (.null, .null): true
            default: false
            }
        }

        var kind: String {
            switch self {
            case .object: "an object"
            case .array: "an array"
            case .string: "a string"
            case .number: "a number"
            case .bool: "true or false"
            case .null: "null"
            }
        }
    }

    /// A JSON string literal for `text`: quotes, backslashes and control characters escaped, the rest as is.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Parses a whole document; throws `ModelFileError` with the line and column of the first problem.
    static func parse(_ bytes: [UInt8]) throws(ModelFileError) -> Value {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.count else { throw parser.failure("unexpected text after the end of the model") }
        return value
    }

    struct Parser {
        let bytes: [UInt8]
        var position = 0

        func failure(_ message: String) -> ModelFileError {
            var line = 1, column = 1
            for byte in bytes[..<min(position, bytes.count)] {
                if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            let place = position >= bytes.count ? "at the end of the file (line \(line))" : "line \(line), column \(column)"
            let hint = position >= bytes.count ? " — the file looks truncated" : ""
            return ModelFileError("not valid JSON, \(place): \(message)\(hint)")
        }

        mutating func skipSpace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(ModelFileError) {
            skipSpace()
            guard position < bytes.count, bytes[position] == byte else { throw failure("expected \(what)") }
            position += 1
        }

        mutating func value(depth: Int) throws(ModelFileError) -> Value {
            guard depth < 32 else { throw failure("nested too deeply") }
            skipSpace()
            guard position < bytes.count else { throw failure("expected a value") }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var members: [(key: String, value: Value)] = []
                var keys = Set<String>()
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a key in quotes") }
                    let keyStart = position
                    let key = try string()
                    guard keys.insert(key).inserted else {
                        position = keyStart
                        throw failure("the key \(ModelJSON.quoted(key)) appears twice in one object")
                    }
                    try expect(UInt8(ascii: ":"), "':' after a key")
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard position < bytes.count else { throw failure("expected ',' or '}'") }
                    position += 1
                    if bytes[position - 1] == UInt8(ascii: "}") { return .object(members) }
                    guard bytes[position - 1] == UInt8(ascii: ",") else { position -= 1; throw failure("expected ',' or '}'") }
                }
            case UInt8(ascii: "["):
                position += 1
                var items: [Value] = []
                skipSpace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                while true {
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard position < bytes.count else { throw failure("expected ',' or ']'") }
                    position += 1
                    if bytes[position - 1] == UInt8(ascii: "]") { return .array(items) }
                    guard bytes[position - 1] == UInt8(ascii: ",") else { position -= 1; throw failure("expected ',' or ']'") }
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = position
                while position < bytes.count, "+-.eE0123456789".utf8.contains(bytes[position]) { position += 1 }
                let text = String(decoding: bytes[start..<position], as: UTF8.self)
                guard Double(text) != nil else { position = start; throw failure("'\(text)' is not a number") }
                return .number(text)
            default:
                for (word, value) in [("true", Value.bool(true)), ("false", .bool(false)), ("null", .null)]
                where bytes[position...].starts(with: word.utf8) {
                    position += word.utf8.count
                    return value
                }
                throw failure("expected a value (an object, array, string, number, true, false or null)")
            }
        }

        /// A string literal; `position` is at its opening quote.
        mutating func string() throws(ModelFileError) -> String {
            position += 1
            var out: [UInt8] = []
            while true {
                guard position < bytes.count else { throw failure("a string is never closed") }
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { throw failure("a string is never closed") }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard position + 4 <= bytes.count,
                              let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16),
                              let scalar = Unicode.Scalar(code) else { throw failure("a \\u escape needs four hex digits of a character") }
                        position += 4
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default:
                        position -= 1
                        throw failure("unknown escape '\\\(Character(Unicode.Scalar(escape)))' in a string")
                    }
                default:
                    guard byte >= 0x20 else { position -= 1; throw failure("a control character inside a string must be escaped") }
                    out.append(byte)
                }
            }
        }
    }
}
