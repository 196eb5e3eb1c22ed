import Foundation

/// Reads the flat objects `StoreJSON.object` writes — string values and one optional array of strings —
/// and arrays of them (an outbox row's recipients), in one pass over the bytes. Returns nil for anything
/// else, and the caller falls back to `JSONSerialization`.
enum FlatObject {
    static func parse(_ text: String) -> [String: Any]? {
        var parser = Parser(text)
        guard let object = parser.object() else { return nil }
        return parser.atEnd ? object : nil
    }

    /// `[{…}, {…}]` of flat objects.
    static func parseArray(_ text: String) -> [[String: Any]]? {
        var parser = Parser(text)
        guard let objects = parser.objects() else { return nil }
        return parser.atEnd ? objects : nil
    }

    private struct Parser {
        var bytes: [UInt8]
        var index = 0

        init(_ text: String) {
            bytes = Array(text.utf8)
            bytes.append(0)
        }

        var atEnd: Bool {
            mutating get {
                skipSpace()
                return bytes[index] == 0
            }
        }

        mutating func skipSpace() { while bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x09 || bytes[index] == 0x0D { index += 1 } }

        mutating func expect(_ byte: Character) -> Bool {
            skipSpace()
            guard bytes[index] == byte.asciiValue! else { return false }
            index += 1
            return true
        }

        mutating func string() -> String? {
            skipSpace()
            guard bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            let start = index
            var plain = true
            while bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == 0 { return nil }
                if bytes[index] == UInt8(ascii: "\\") { plain = false; index += 1; if bytes[index] == 0 { return nil } }
                index += 1
            }
            let slice = bytes[start..<index]
            index += 1
            if plain { return String(decoding: slice, as: UTF8.self) }
            // Escapes are rare: let the full parser decode this one string.
            let quoted = "\"" + String(decoding: slice, as: UTF8.self) + "\""
            return (try? JSONSerialization.jsonObject(with: Data(quoted.utf8), options: [.fragmentsAllowed])) as? String
        }

        /// `[` items `]`, each read by `item`.
        mutating func list<T>(_ item: (inout Parser) -> T?) -> [T]? {
            guard expect("[") else { return nil }
            var list: [T] = []
            if expect("]") { return list }
            while true {
                guard let value = item(&self) else { return nil }
                list.append(value)
                if expect(",") { continue }
                return expect("]") ? list : nil
            }
        }

        mutating func objects() -> [[String: Any]]? { list { $0.object() } }

        mutating func object() -> [String: Any]? {
            guard expect("{") else { return nil }
            var result: [String: Any] = [:]
            if expect("}") { return result }
            while true {
                guard let key = string(), expect(":") else { return nil }
                skipSpace()
                if bytes[index] == UInt8(ascii: "[") {
                    guard let strings = list({ $0.string() }) else { return nil }
                    result[key] = strings
                } else {
                    guard let value = string() else { return nil }
                    result[key] = value
                }
                if expect(",") { continue }
                return expect("}") ? result : nil
            }
        }
    }
}
