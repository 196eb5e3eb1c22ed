import Foundation
import SLANotify

/// Writes a typed answer (`Encodable`, shaped as a schema of docs/openapi.yaml) straight to JSON bytes,
/// byte for byte what `JSONSerialization` wrote for the dictionaries the answers once were
/// (`.sortedKeys`, `.withoutEscapingSlashes`; docs/adr/0020, docs/adr/0028): an `Encoder` that keeps
/// each object's members in the order they are encoded and writes them in Foundation's order of keys
/// (`AnswerJSON.permutation`, remembered per sequence of keys, so a shape costs one look-up per object).
/// No dictionary of `Any`, no bridging, no `JSONSerialization` on the way.
///
/// A member encoded twice is written once, with its last value (as a dictionary assignment did). A `nil`
/// optional is left out (synthesized `Encodable` uses `encodeIfPresent`); a member that must be written
/// as `null` is a `Nullable`. A `Double` or `Float` makes it answer nil: `API.json(answer:)` then writes
/// the answer the old way (`AnswerEncoder`, `JSONSerialization`), whose number formatting is Foundation's.
enum AnswerWriter {
    static func data(_ answer: some Encodable) -> Data? {
        bytes(answer).map { Data($0) }
    }

    static func bytes(_ answer: some Encodable) -> [UInt8]? {
        let root = Slot()
        do {
            try answer.encode(to: Writer(slot: root))
        } catch {
            return nil
        }
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        return write(root.value, into: &out) ? out : nil
    }

    // MARK: What is being written

    /// One value: a scalar, or a container that may still grow while its encoder is held.
    enum Value {
        /// An encoder that wrote nothing (`{}`, as `AnswerEncoder` has it).
        case unset
        case string(String)
        case integer(Int64)
        case bool(Bool)
        case null
        case object(Members)
        case array(Items)
        /// A value a `superEncoder` writes later.
        case slot(Slot)
        /// A value this writer does not write (a floating-point number).
        case foreign
    }

    final class Members {
        var keys: [String] = []
        var values: [Value] = []

        init() {
            keys.reserveCapacity(16)
            values.reserveCapacity(16)
        }

        func append(_ key: String, _ value: Value) {
            keys.append(key)
            values.append(value)
        }
    }

    final class Items {
        var values: [Value] = []
    }

    final class Slot {
        var value = Value.unset
    }

    /// The value of `value`: the scalars directly, anything else through its own `encode(to:)`.
    static func value<T: Encodable>(of value: T) throws -> Value {
        switch ObjectIdentifier(T.self) {
        case ObjectIdentifier(String.self): return .string(value as! String)
        case ObjectIdentifier(Int.self): return .integer(Int64(value as! Int))
        case ObjectIdentifier(Int64.self): return .integer(value as! Int64)
        case ObjectIdentifier(Bool.self): return .bool(value as! Bool)
        case ObjectIdentifier(Int32.self): return .integer(Int64(value as! Int32))
        case ObjectIdentifier(Double.self), ObjectIdentifier(Float.self): return .foreign
        default:
            let slot = Slot()
            try value.encode(to: Writer(slot: slot))
            return slot.value
        }
    }

    // MARK: Writing

    static func write(_ value: Value, into out: inout [UInt8]) -> Bool {
        switch value {
        case .unset: out.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
        case let .string(text): JSONWriter.appendString(text, into: &out)
        case let .integer(number): out.append(contentsOf: String(number).utf8)
        case let .bool(flag): out.append(contentsOf: flag ? Array("true".utf8) : Array("false".utf8))
        case .null: out.append(contentsOf: "null".utf8)
        case let .slot(slot): return write(slot.value, into: &out)
        case .foreign: return false
        case let .array(items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                guard write(item, into: &out) else { return false }
            }
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            out.append(UInt8(ascii: "{"))
            for (place, index) in AnswerJSON.permutation(of: members.keys).enumerated() {
                if place > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(members.keys[index], into: &out)
                out.append(UInt8(ascii: ":"))
                guard write(members.values[index], into: &out) else { return false }
            }
            out.append(UInt8(ascii: "}"))
        }
        return true
    }

    // MARK: The Encoder

    struct Writer: Encoder {
        let slot: Slot
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            // A second container of the same encoder adds to the same object (a member flattened into its parent).
            if case let .object(members) = slot.value { return KeyedEncodingContainer(Keyed(members: members)) }
            let members = Members()
            slot.value = .object(members)
            return KeyedEncodingContainer(Keyed(members: members))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case let .array(items) = slot.value { return Unkeyed(items: items) }
            let items = Items()
            slot.value = .array(items)
            return Unkeyed(items: items)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(slot: slot) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let members: Members
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { members.append(key.stringValue, .null) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { members.append(key.stringValue, .bool(value)) }
        mutating func encode(_ value: String, forKey key: Key) throws { members.append(key.stringValue, .string(value)) }
        mutating func encode(_ value: Double, forKey key: Key) throws { members.append(key.stringValue, .foreign) }
        mutating func encode(_ value: Float, forKey key: Key) throws { members.append(key.stringValue, .foreign) }
        mutating func encode(_ value: Int, forKey key: Key) throws { members.append(key.stringValue, .integer(Int64(value))) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { members.append(key.stringValue, .integer(Int64(value))) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { members.append(key.stringValue, .integer(Int64(value))) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { members.append(key.stringValue, .integer(Int64(value))) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { members.append(key.stringValue, .integer(value)) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { members.append(key.stringValue, .integer(Int64(clamping: value))) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { members.append(key.stringValue, .integer(Int64(value))) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { members.append(key.stringValue, .integer(Int64(value))) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { members.append(key.stringValue, .integer(Int64(value))) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { members.append(key.stringValue, .integer(Int64(clamping: value))) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            members.append(key.stringValue, try AnswerWriter.value(of: value))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let nested = Members()
            members.append(key.stringValue, .object(nested))
            return KeyedEncodingContainer(Keyed<NestedKey>(members: nested))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = Items()
            members.append(key.stringValue, .array(nested))
            return Unkeyed(items: nested)
        }

        mutating func superEncoder() -> any Encoder {
            let slot = Slot()
            members.append("super", .slot(slot))
            return Writer(slot: slot)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            let slot = Slot()
            members.append(key.stringValue, .slot(slot))
            return Writer(slot: slot)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let items: Items
        var codingPath: [any CodingKey] { [] }
        var count: Int { items.values.count }

        mutating func encodeNil() throws { items.values.append(.null) }
        mutating func encode(_ value: Bool) throws { items.values.append(.bool(value)) }
        mutating func encode(_ value: String) throws { items.values.append(.string(value)) }
        mutating func encode(_ value: Double) throws { items.values.append(.foreign) }
        mutating func encode(_ value: Float) throws { items.values.append(.foreign) }
        mutating func encode(_ value: Int) throws { items.values.append(.integer(Int64(value))) }
        mutating func encode(_ value: Int32) throws { items.values.append(.integer(Int64(value))) }
        mutating func encode(_ value: Int64) throws { items.values.append(.integer(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { items.values.append(try AnswerWriter.value(of: value)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = Members()
            items.values.append(.object(nested))
            return KeyedEncodingContainer(Keyed<NestedKey>(members: nested))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = Items()
            items.values.append(.array(nested))
            return Unkeyed(items: nested)
        }

        mutating func superEncoder() -> any Encoder {
            let slot = Slot()
            items.values.append(.slot(slot))
            return Writer(slot: slot)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let slot: Slot
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() throws { slot.value = .null }
        mutating func encode(_ value: Bool) throws { slot.value = .bool(value) }
        mutating func encode(_ value: String) throws { slot.value = .string(value) }
        mutating func encode(_ value: Double) throws { slot.value = .foreign }
        mutating func encode(_ value: Float) throws { slot.value = .foreign }
        mutating func encode(_ value: Int) throws { slot.value = .integer(Int64(value)) }
        mutating func encode(_ value: Int8) throws { slot.value = .integer(Int64(value)) }
        mutating func encode(_ value: Int16) throws { slot.value = .integer(Int64(value)) }
        mutating func encode(_ value: Int32) throws { slot.value = .integer(Int64(value)) }
        mutating func encode(_ value: Int64) throws { slot.value = .integer(value) }
        mutating func encode(_ value: UInt) throws { slot.value = .integer(Int64(clamping: value)) }
        mutating func encode(_ value: UInt8) throws { slot.value = .integer(Int64(value)) }
        mutating func encode(_ value: UInt16) throws { slot.value = .integer(Int64(value)) }
        mutating func encode(_ value: UInt32) throws { slot.value = .integer(Int64(value)) }
        mutating func encode(_ value: UInt64) throws { slot.value = .integer(Int64(clamping: value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { slot.value = try AnswerWriter.value(of: value) }
    }
}

/// A member that is always written: its value, or `null` when there is none (an optional member is
/// left out instead). docs/openapi.yaml's `type: [X, "null"]` members that are `required`.
struct Nullable<Wrapped: Encodable>: Encodable, ExpressibleByNilLiteral {
    let value: Wrapped?

    init(_ value: Wrapped?) { self.value = value }
    init(nilLiteral: ()) { value = nil }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

extension Nullable: Decodable where Wrapped: Decodable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        value = container.decodeNil() ? nil : try container.decode(Wrapped.self)
    }
}

extension Nullable: Equatable where Wrapped: Equatable {}
extension Nullable: Sendable where Wrapped: Sendable {}

/// A member named by data (a ticket's changed fields, counts by policy), for answers that have them.
struct AnswerKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
