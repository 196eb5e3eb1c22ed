import Foundation
import Synchronization

/// The API's answers as JSON, byte for byte what `JSONSerialization` writes with `.sortedKeys` and
/// `.withoutEscapingSlashes`, without its cost: on Linux, sorting keys goes through `NSString.compare`
/// with a locale for every pair of keys, and every value through bridging casts — a third of the daemon's
/// CPU on 200 clients creating tickets at once (docs/performance.md, "Intake"). The order of a set of keys
/// is still Foundation's: asked of `JSONSerialization` once per distinct set and remembered (answers
/// have few shapes). Values of a kind this writer does not know (a `Double`, an `NSNumber`) make it
/// answer nil, and the caller uses `JSONSerialization` for the whole answer.
enum AnswerJSON {
    static func data(_ object: Any) -> Data? {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        guard write(object, into: &out) else { return nil }
        return Data(out)
    }

    /// One value. The dynamic type is compared first and only then cast: a failed `as?` on Linux tries
    /// Foundation's bridges on the way, which cost more than the writing.
    private static func write(_ value: Any, into out: inout [UInt8]) -> Bool {
        let kind = ObjectIdentifier(type(of: value))
        switch kind {
        case ObjectIdentifier(String.self): writeString(value as! String, into: &out)
        case ObjectIdentifier(Int.self): out.append(contentsOf: String(value as! Int).utf8)
        case ObjectIdentifier(Bool.self): out.append(contentsOf: (value as! Bool) ? Array("true".utf8) : Array("false".utf8))
        case ObjectIdentifier(NSNull.self): out.append(contentsOf: "null".utf8)
        case ObjectIdentifier(Int64.self): out.append(contentsOf: String(value as! Int64).utf8)
        case ObjectIdentifier(Int32.self): out.append(contentsOf: String(value as! Int32).utf8)
        case ObjectIdentifier([String: Any].self): return writeObject(value as! [String: Any], into: &out)
        case ObjectIdentifier([Any].self): return writeArray(value as! [Any], into: &out)
        case ObjectIdentifier([[String: Any]].self): return writeArray(value as! [[String: Any]], into: &out)
        case ObjectIdentifier([String].self): return writeArray(value as! [String], into: &out)
        default:
            // Other dictionaries and arrays ([String: Int], [Int], …); anything else is not ours to write.
            if let object = value as? [String: Any] { return writeObject(object, into: &out) }
            if let array = value as? [Any] { return writeArray(array, into: &out) }
            return false
        }
        return true
    }

    private static func writeObject(_ object: [String: Any], into out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "{"))
        for (index, key) in order(of: Array(object.keys)).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            guard write(object[key]!, into: &out) else { return false }
        }
        out.append(UInt8(ascii: "}"))
        return true
    }

    private static func writeArray<Element>(_ array: [Element], into out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "["))
        for (index, element) in array.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            guard write(element, into: &out) else { return false }
        }
        out.append(UInt8(ascii: "]"))
        return true
    }

    private static func writeString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Remembered orders, by the keys in byte order.
    private static let orders = Mutex<[[String]: [String]]>([:])
    /// Distinct key sets remembered at most (answers whose keys are data, such as counts by policy, add sets).
    static let rememberedSets = 4096

    /// `keys` in the order `JSONSerialization` writes them with `.sortedKeys`.
    static func order(of keys: [String]) -> [String] {
        if keys.count < 2 { return keys }
        let bytewise = keys.sorted()
        if let known = orders.withLock({ $0[bytewise] }) { return known }
        let order = foundationOrder(bytewise)
        orders.withLock { if $0.count < rememberedSets { $0[bytewise] = order } }
        return order
    }

    /// Asks `JSONSerialization` itself: each key mapped to its place in `keys`, written sorted, and the
    /// places read back in the order written.
    static func foundationOrder(_ keys: [String]) -> [String] {
        var probe: [String: Int] = [:]
        for (index, key) in keys.enumerated() { probe[key] = index }
        guard let data = try? JSONSerialization.data(withJSONObject: probe, options: [.sortedKeys, .withoutEscapingSlashes]) else { return keys }
        var places: [Int] = []
        var inString = false, escaped = false, number: Int?
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): number = (number ?? 0) * 10 + Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: ","), UInt8(ascii: "}"):
                if let value = number { places.append(value) }
                number = nil
            default: break
            }
        }
        guard places.count == keys.count, Set(places).count == keys.count, places.allSatisfy({ $0 < keys.count }) else { return keys }
        return places.map { keys[$0] }
    }
}
