import Foundation

/// A JSON object built as text, keys in the order written (faster than JSONSerialization, and stable).
struct JSONLine {
    private var parts: [String] = []

    var text: String { "{" + parts.joined(separator: ",") + "}" }

    mutating func string(_ key: String, _ value: String) { parts.append(Self.quoted(key) + ":" + Self.quoted(value)) }
    mutating func number(_ key: String, _ value: Int) { parts.append(Self.quoted(key) + ":" + String(value)) }
    mutating func bool(_ key: String, _ value: Bool) { parts.append(Self.quoted(key) + ":" + (value ? "true" : "false")) }
    mutating func strings(_ key: String, _ values: [String]) {
        parts.append(Self.quoted(key) + ":[" + values.map(Self.quoted).joined(separator: ",") + "]")
    }
    mutating func raw(_ key: String, _ json: String) { parts.append(Self.quoted(key) + ":" + json) }

    static func quoted(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) { return "\"" + text + "\"" }
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
