/// Where a value sits in a JSON text: the line of the member or element a path such as `events[2].at`
/// names, so that an error in a pretty-printed ticket names its real line rather than line 1 (where the
/// object starts). Foundation's parser keeps no positions; this scanner walks the text once and records
/// the line of every member and element. It assumes the text is valid JSON (the caller parsed it already)
/// and gives up quietly (nil) when it is not.
public enum JSONPositions {
    /// The 1-based line of the value at `path` (`kind`, `events[2].at`); for a member the line of its key.
    /// When the path itself is not in the text (a missing member), the line of its nearest enclosing value.
    public static func line(of path: String, in text: String) -> Int? {
        guard !path.isEmpty else { return nil }
        var scanner = Scanner(bytes: Array(text.utf8))
        scanner.skipSpace()
        guard scanner.value(path: "") else { return nil }
        var candidate = path
        while true {
            if let line = scanner.lines[candidate] { return line }
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
            candidate = String(candidate[..<cut])
        }
    }

    struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var lines: [String: Int] = [:]

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func advance() {
            if bytes[index] == UInt8(ascii: "\n") { line += 1 }
            index += 1
        }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { advance() }
        }

        /// Reads one value; false when the text is not JSON as expected.
        mutating func value(path: String) -> Bool {
            switch current {
            case UInt8(ascii: "{"): return object(path: path)
            case UInt8(ascii: "["): return array(path: path)
            case UInt8(ascii: "\""): return string() != nil
            case nil: return false
            default:
                // A number, true, false or null: up to the next delimiter.
                while let byte = current, !",]} \n\r\t".utf8.contains(byte) { advance() }
                return true
            }
        }

        mutating func object(path: String) -> Bool {
            advance()
            skipSpace()
            if current == UInt8(ascii: "}") { advance(); return true }
            while true {
                skipSpace()
                let keyLine = line
                guard current == UInt8(ascii: "\""), let key = string() else { return false }
                let member = path.isEmpty ? key : "\(path).\(key)"
                if lines[member] == nil { lines[member] = keyLine }
                skipSpace()
                guard current == UInt8(ascii: ":") else { return false }
                advance()
                skipSpace()
                guard value(path: member) else { return false }
                skipSpace()
                if current == UInt8(ascii: ",") { advance(); continue }
                if current == UInt8(ascii: "}") { advance(); return true }
                return false
            }
        }

        mutating func array(path: String) -> Bool {
            advance()
            skipSpace()
            if current == UInt8(ascii: "]") { advance(); return true }
            var element = 0
            while true {
                skipSpace()
                let item = "\(path)[\(element)]"
                lines[item] = line
                guard value(path: item) else { return false }
                skipSpace()
                element += 1
                if current == UInt8(ascii: ",") { advance(); continue }
                if current == UInt8(ascii: "]") { advance(); return true }
                return false
            }
        }

        /// A string's content with its escapes left as written (keys with escapes are rare; the path then
        /// simply does not match and the enclosing value's line is used).
        mutating func string() -> String? {
            advance()
            var content: [UInt8] = []
            while let byte = current {
                advance()
                if byte == UInt8(ascii: "\"") { return String(decoding: content, as: UTF8.self) }
                content.append(byte)
                if byte == UInt8(ascii: "\\") {
                    guard let escaped = current else { return nil }
                    content.append(escaped)
                    advance()
                }
            }
            return nil
        }
    }
}
