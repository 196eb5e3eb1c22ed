import Foundation

/// One batch of `slad import`: its tickets as the JSON array the daemon takes, each with the idempotency
/// key derived from its id. A line goes into the body as it is in the file, with the key written in
/// front of its first member, instead of being decoded into Foundation objects and encoded again: that
/// round trip was most of the import's own CPU (docs/performance.md, "Intake").
struct ImportBatch {
    /// The file's line number of each ticket, in order.
    private(set) var lines: [Int] = []
    private var bytes: [UInt8] = [UInt8(ascii: "[")]

    enum Line { case added, skipped, notAnObject }

    /// Adds the ticket on `line` (number `number`): `.skipped` for a blank line or a `#` comment,
    /// `.notAnObject` (and nothing added) when it is not a JSON object.
    mutating func add(_ line: Substring, number: Int, file: String) -> Line {
        // Most lines have no blanks around them: only those pay for trimming (spaces and tabs, as before).
        let ticket = line.first == "{" && line.last == "}" ? line : Substring(line.trimmingCharacters(in: .whitespaces))
        if ticket.isEmpty || ticket.first == "#" { return .skipped }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(ticket.utf8))) as? [String: Any] else { return .notAnObject }
        let key = (object["id"] as? String).map { "import:\($0)" } ?? "import:\(file):\(number)"
        if !lines.isEmpty { bytes.append(UInt8(ascii: ",")) }
        lines.append(number)
        guard ticket.first == "{", ticket.last == "}", !object.isEmpty, object["idempotencyKey"] == nil else {
            // A key of its own is replaced, as before; `{}` has no member to write the key in front of; a
            // line the parser took with something around it (a byte-order mark) is written anew.
            var replaced = object
            replaced["idempotencyKey"] = key
            bytes.append(contentsOf: (try? JSONSerialization.data(withJSONObject: replaced)) ?? Data("{}".utf8))
            return .added
        }
        bytes.append(contentsOf: #"{"idempotencyKey":"#.utf8)
        bytes.append(contentsOf: Self.quoted(key))
        bytes.append(UInt8(ascii: ","))
        bytes.append(contentsOf: ticket.utf8.dropFirst())
        return .added
    }

    /// The body: a JSON array of the tickets.
    func body() -> Data {
        Data(bytes + [UInt8(ascii: "]")])
    }

    /// A string as a JSON string.
    static func quoted(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
            case 0..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        return out + [UInt8(ascii: "\"")]
    }
}
