import Foundation

/// Turns a typed answer (`Encodable`, shaped as a schema of docs/openapi.yaml) into the plain values
/// `JSONSerialization` and `AnswerJSON` write — `String`, `Int`, `Int64`, `Bool`, `NSNull`, `Double`,
/// `[Any]`, `[String: Any]`. Answers are written by `AnswerWriter` (docs/adr/0028); this is the way for
/// the few it does not write (a `Double`: the explanation's model confidence goes to `JSONSerialization`,
/// whose numbers they always were) and for `slad explain`'s pretty-printed JSON. A `nil` optional is left
/// out, as synthesized `Codable` leaves it out; a value that must be written as `null` encodes `nil`
/// itself (`encodeNil`).
enum AnswerEncoder {
    static func value(_ answer: some Encodable) -> Any {
        let node = Node()
        do {
            try answer.encode(to: NodeEncoder(node: node, codingPath: []))
        } catch {
            // Nothing here throws; a type whose own encode(to:) does is a programming error shown in the answer.
            return ["error": ["code": "internal", "message": "cannot encode the answer: \(error)"]]
        }
        return node.resolved()
    }

    /// A value being built: unset, a plain value, an object or an array of further nodes.
    final class Node {
        enum Content { case unset, value(Any), object([String: Node]), array([Node]) }
        var content = Content.unset

        func resolved() -> Any {
            switch content {
            case .unset: [String: Any]()
            case let .value(value): value
            case let .object(members): members.mapValues { $0.resolved() } as [String: Any]
            case let .array(items): items.map { $0.resolved() } as [Any]
            }
        }

        func child(_ key: String) -> Node {
            let node = Node()
            if case var .object(members) = content {
                members[key] = node
                content = .object(members)
            } else {
                content = .object([key: node])
            }
            return node
        }

        func append() -> Node {
            let node = Node()
            if case var .array(items) = content {
                items.append(node)
                content = .array(items)
            } else {
                content = .array([node])
            }
            return node
        }

        /// Stores a value: the primitives as they are, anything else through its own encode(to:).
        func store(_ value: some Encodable, codingPath: [any CodingKey]) throws {
            switch value {
            case let text as String: content = .value(text)
            case let flag as Bool: content = .value(flag)
            case let number as Int: content = .value(number)
            case let number as Int64: content = .value(number)
            case let number as Int32: content = .value(number)
            case let number as Double: content = .value(number)
            default: try value.encode(to: NodeEncoder(node: self, codingPath: codingPath))
            }
        }
    }

    struct NodeEncoder: Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object = node.content {} else { node.content = .object([:]) }
            return KeyedEncodingContainer(Keyed(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if case .array = node.content {} else { node.content = .array([]) }
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node, codingPath: codingPath) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.child(key.stringValue).content = .value(NSNull()) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: String, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { try put(Double(value), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { try put(Int(value), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { try put(Int(value), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { try put(Int(value), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { try put(value, key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { try put(Int64(clamping: value), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { try put(Int(value), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { try put(Int(value), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { try put(Int(value), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { try put(Int64(clamping: value), key) }
        mutating func encode(_ value: some Encodable, forKey key: Key) throws { try put(value, key) }

        private func put(_ value: some Encodable, _ key: Key) throws {
            try node.child(key.stringValue).store(value, codingPath: codingPath + [key])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            NodeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.child("super"), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { NodeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key]) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int {
            if case let .array(items) = node.content { return items.count }
            return 0
        }

        mutating func encodeNil() throws { node.append().content = .value(NSNull()) }
        mutating func encode(_ value: Bool) throws { try node.append().store(value, codingPath: codingPath) }
        mutating func encode(_ value: String) throws { try node.append().store(value, codingPath: codingPath) }
        mutating func encode(_ value: Double) throws { try node.append().store(value, codingPath: codingPath) }
        mutating func encode(_ value: Int) throws { try node.append().store(value, codingPath: codingPath) }
        mutating func encode(_ value: Int64) throws { try node.append().store(value, codingPath: codingPath) }
        mutating func encode(_ value: some Encodable) throws { try node.append().store(value, codingPath: codingPath) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            NodeEncoder(node: node.append(), codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            NodeEncoder(node: node.append(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.append(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.content = .value(NSNull()) }
        mutating func encode(_ value: Bool) throws { node.content = .value(value) }
        mutating func encode(_ value: String) throws { node.content = .value(value) }
        mutating func encode(_ value: Double) throws { node.content = .value(value) }
        mutating func encode(_ value: Float) throws { node.content = .value(Double(value)) }
        mutating func encode(_ value: Int) throws { node.content = .value(value) }
        mutating func encode(_ value: Int8) throws { node.content = .value(Int(value)) }
        mutating func encode(_ value: Int16) throws { node.content = .value(Int(value)) }
        mutating func encode(_ value: Int32) throws { node.content = .value(Int(value)) }
        mutating func encode(_ value: Int64) throws { node.content = .value(value) }
        mutating func encode(_ value: UInt) throws { node.content = .value(Int64(clamping: value)) }
        mutating func encode(_ value: UInt8) throws { node.content = .value(Int(value)) }
        mutating func encode(_ value: UInt16) throws { node.content = .value(Int(value)) }
        mutating func encode(_ value: UInt32) throws { node.content = .value(Int(value)) }
        mutating func encode(_ value: UInt64) throws { node.content = .value(Int64(clamping: value)) }
        mutating func encode(_ value: some Encodable) throws { try node.store(value, codingPath: codingPath) }
    }
}
