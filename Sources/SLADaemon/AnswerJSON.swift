import Foundation
import SLANotify
import Synchronization

/// The API's answers as JSON (written by SLANotify's `JSONWriter`), byte for byte what `JSONSerialization`
/// writes with `.sortedKeys` and `.withoutEscapingSlashes`, without its cost: on Linux, sorting keys goes through `NSString.compare`
/// with a locale for every pair of keys, and every value through bridging casts — a third of the daemon's
/// CPU on 200 clients creating tickets at once (docs/performance.md, "Intake"). The order of a set of keys
/// is still Foundation's: asked of `JSONSerialization` once per distinct set and remembered (answers
/// have few shapes). Values of a kind this writer does not know (a `Double`, an `NSNumber`) make it
/// answer nil, and the caller uses `JSONSerialization` for the whole answer.
///
/// The answers are typed now and `AnswerWriter` writes them, with the order of keys from here
/// (`permutation`); `data(_:)`, the writer of dictionaries, stays as the reference the tests and
/// `scripts/answer-bench` compare with (docs/adr/0028).
enum AnswerJSON {
    static func data(_ object: Any) -> Data? {
        JSONWriter.write(object, order: order(of:)).map { Data($0) }
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

    /// Remembered permutations, by the keys in the order a typed answer encodes them.
    private static let permutations = Mutex<[[String]: [Int]]>([:])

    /// The places in `keys` (a typed answer's members, in the order encoded) in the order
    /// `JSONSerialization` writes them with `.sortedKeys` (`AnswerWriter`). A key given more than once is
    /// written once, from its last place, as a dictionary assignment would. A typed answer encodes its
    /// members in the same order every time, so each shape is worked out once and then looked up.
    static func permutation(of keys: [String]) -> [Int] {
        switch keys.count {
        case 0: return []
        case 1: return [0]
        default: break
        }
        if let known = permutations.withLock({ $0[keys] }) { return known }
        var last: [String: Int] = [:]
        for (index, key) in keys.enumerated() { last[key] = index }
        let unique = keys.indices.filter { last[keys[$0]] == $0 }.map { keys[$0] }
        let result = order(of: unique).map { last[$0]! }
        permutations.withLock { if $0.count < rememberedSets { $0[keys] = result } }
        return result
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
