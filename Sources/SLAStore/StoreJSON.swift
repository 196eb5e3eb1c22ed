import Foundation
import SLAEngine
import SLARules

/// The JSON the store keeps in its text columns. Written by hand because Foundation's `JSONEncoder` and
/// `JSONDecoder` took a third of a scan's time for these few small arrays and objects; reading goes
/// through `JSONSerialization`, which is several times cheaper than `JSONDecoder` on Linux.
enum StoreJSON {
    static func quote(_ text: String, into out: inout String) {
        out.append("\"")
        // Most values need no escaping: append them whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(text)
            out.append("\"")
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case let c where c.value < 0x20:
                out.append("\\u00")
                out.append(c.value < 0x10 ? "0" : "1")
                out.append(String(c.value & 0xF, radix: 16))
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }

    static func strings(_ values: [String]) -> String {
        var out = "["
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(",") }
            quote(value, into: &out)
        }
        return out + "]"
    }

    static func object(_ pairs: [(String, String?)], tags: [String]? = nil) -> String {
        var out = "{"
        var first = true
        for (key, value) in pairs {
            guard let value else { continue }
            if !first { out.append(",") }
            first = false
            quote(key, into: &out)
            out.append(":")
            quote(value, into: &out)
        }
        if let tags, !tags.isEmpty {
            if !first { out.append(",") }
            out.append("\"tags\":" + strings(tags))
        }
        return out + "}"
    }

    static func fields(_ fields: TicketFields) -> String {
        var pairs: [(String, String?)] = [("kind", fields.kind)]
        for field in TicketField.allCases where field != .kind && field != .tags && field != .status {
            pairs.append((field.rawValue, fields.value(of: field)))
        }
        pairs.append(("text", fields.text))
        return object(pairs, tags: fields.tags)
    }

    static func recipients(_ list: [OutboxJob.Recipient]) -> String {
        "[" + list.map { object([("person", $0.person), ("name", $0.name), ("address", $0.address)]) }.joined(separator: ",") + "]"
    }

    static func changes(_ changes: [String: String]) -> String {
        object(changes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    // MARK: Reading

    struct Corrupt: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ text: String) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw Corrupt(description: "a stored JSON value cannot be read: \(text.prefix(80))")
        }
    }

    static func readFields(_ text: String) throws -> TicketFields {
        guard let object = try FlatObject.parse(text) ?? (parse(text) as? [String: Any]), let kind = object["kind"] as? String else {
            throw Corrupt(description: "stored ticket fields are not an object with a kind")
        }
        var fields = TicketFields(kind: kind)
        for field in TicketField.allCases where field != .kind && field != .tags && field != .status {
            if let value = object[field.rawValue] as? String { _ = fields.set(field, to: value) }
        }
        fields.text = object["text"] as? String
        fields.tags = object["tags"] as? [String] ?? []
        return fields
    }

    static func readStrings(_ text: String) throws -> [String] {
        if text == "[]" { return [] }
        return try parse(text) as? [String] ?? []
    }

    static func readChanges(_ text: String) throws -> [String: String] {
        try parse(text) as? [String: String] ?? [:]
    }

    static func readRecipients(_ text: String) throws -> [OutboxJob.Recipient] {
        (try FlatObject.parseArray(text) ?? parse(text) as? [[String: Any]] ?? []).map {
            OutboxJob.Recipient(person: $0["person"] as? String ?? "", name: $0["name"] as? String, address: $0["address"] as? String)
        }
    }
}
