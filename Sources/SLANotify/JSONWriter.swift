import Foundation

/// Writes JSON directly from a tree of strings, integers, booleans, `NSNull`, arrays and string-keyed
/// objects: the notifiers' bodies (keys sorted by their bytes, byte for byte what `JSONEncoder` with
/// `.sortedKeys` and `.withoutEscapingSlashes` writes) and the API's answers (keys in the order its caller
/// gives, `AnswerJSON`). Building a tree for `JSONEncoder` or `JSONSerialization` was the largest single cost
/// of a webhook request and of an API answer (issue 16's profiles). A tree with anything else (a `Double`,
/// an `NSNumber`) makes it answer nil, and the caller goes the Foundation way for the whole of it.
public enum JSONWriter {
    /// `value` as JSON, each object's keys in the order `order` gives them (sorted by default).
    public static func write(_ value: Any, order: ([String]) -> [String] = { $0.sorted() }) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        return write(value, order: order, into: &out) ? out : nil
    }

    /// One value. The dynamic type is compared first and only then cast: a failed `as?` on Linux tries
    /// Foundation's bridges on the way, which cost more than the writing.
    private static func write(_ value: Any, order: ([String]) -> [String], into out: inout [UInt8]) -> Bool {
        switch ObjectIdentifier(type(of: value)) {
        case ObjectIdentifier(String.self): string(value as! String, into: &out)
        case ObjectIdentifier(Int.self): out.append(contentsOf: String(value as! Int).utf8)
        case ObjectIdentifier(Bool.self): out.append(contentsOf: (value as! Bool) ? Array("true".utf8) : Array("false".utf8))
        case ObjectIdentifier(NSNull.self): out.append(contentsOf: "null".utf8)
        case ObjectIdentifier(Int64.self): out.append(contentsOf: String(value as! Int64).utf8)
        case ObjectIdentifier(Int32.self): out.append(contentsOf: String(value as! Int32).utf8)
        case ObjectIdentifier([String: Any].self): return object(value as! [String: Any], order: order, into: &out)
        case ObjectIdentifier([Any].self): return array(value as! [Any], order: order, into: &out)
        case ObjectIdentifier([[String: Any]].self): return array(value as! [[String: Any]], order: order, into: &out)
        case ObjectIdentifier([String].self): return array(value as! [String], order: order, into: &out)
        default:
            // Other dictionaries and arrays ([String: Int], [Int], …); anything else is not ours to write.
            if let dictionary = value as? [String: Any] { return object(dictionary, order: order, into: &out) }
            if let items = value as? [Any] { return array(items, order: order, into: &out) }
            return false
        }
        return true
    }

    private static func object(_ object: [String: Any], order: ([String]) -> [String], into out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "{"))
        for (index, key) in order(Array(object.keys)).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(key, into: &out)
            out.append(UInt8(ascii: ":"))
            guard write(object[key]!, order: order, into: &out) else { return false }
        }
        out.append(UInt8(ascii: "}"))
        return true
    }

    private static func array<Element>(_ items: [Element], order: ([String]) -> [String], into out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            guard write(item, order: order, into: &out) else { return false }
        }
        out.append(UInt8(ascii: "]"))
        return true
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// `text` as a JSON string, escaped as Foundation escapes it (the API's typed answers, `AnswerWriter`).
    public static func appendString(_ text: String, into out: inout [UInt8]) {
        string(text, into: &out)
    }

    /// Runs of bytes that need no escaping are copied whole (most strings are one run).
    private static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                escape(byte, into: &out)
                start = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func escape(_ byte: UInt8, into out: inout [UInt8]) {
        out.append(0x5C)
        switch byte {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default: out.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }
    }
}
