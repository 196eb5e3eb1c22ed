import Foundation

/// Where a value is in a JSON payload, as an intake mapping writes it: keys joined by dots, array
/// elements by index (`order.id`, `content.description`, `items[0].name`, `[2]` for a payload that is
/// an array). A key may hold any character but `.`, `[` and `]`, so Chinese keys need no quoting.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public let steps: [Step]
    /// As written in the mapping file, for messages.
    public let text: String
    public var description: String { text }

    /// A problem in a path: the column in the path (from 1) and what is wrong.
    public struct Failure: Error, Equatable {
        public let column: Int
        public let message: String
    }

    public init(_ text: String) throws(Failure) {
        self.text = text
        var steps: [Step] = []
        let chars = Array(text)
        var index = 0
        var key = ""
        var keyStart = 0
        // After `]`, a `.` or `[` must follow; after `.`, a key.
        func endKey(at column: Int, required: Bool) throws(Failure) {
            if key.isEmpty {
                if required { throw Failure(column: column + 1, message: "a key is missing (two dots, or a dot at an end)") }
                return
            }
            steps.append(.key(key.trimmingCharacters(in: .whitespaces)))
            key = ""
        }
        guard !chars.isEmpty else { throw Failure(column: 1, message: "the path is empty") }
        while index < chars.count {
            let char = chars[index]
            switch char {
            case ".":
                try endKey(at: keyStart, required: !(index > 0 && chars[index - 1] == "]"))
                if index == chars.count - 1 { throw Failure(column: index + 1, message: "a key is missing after the last '.'") }
                index += 1
                keyStart = index
            case "[":
                try endKey(at: keyStart, required: false)
                guard let close = chars[index...].firstIndex(of: "]") else {
                    throw Failure(column: index + 1, message: "'[' is never closed; write items[0]")
                }
                let digits = String(chars[(index + 1)..<close])
                guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let number = Int(digits), number >= 0 else {
                    throw Failure(column: index + 2, message: "'\(digits)' is not an array index; write a whole number from 0, as in items[0]")
                }
                steps.append(.index(number))
                index = close + 1
                if index < chars.count, chars[index] != ".", chars[index] != "[" {
                    throw Failure(column: index + 1, message: "expected '.' or '[' after ']'")
                }
                keyStart = index + 1
            case "]":
                throw Failure(column: index + 1, message: "']' without '['")
            default:
                if key.isEmpty { keyStart = index }
                key.append(char)
                index += 1
            }
        }
        try endKey(at: keyStart, required: false)
        self.steps = steps
    }

    /// What the path finds in a decoded payload (`JSONSerialization`'s objects); nil when a key or an
    /// element is not there, or the value is `null`.
    public func value(in payload: Any) -> Any? {
        var current: Any = payload
        for step in steps {
            switch step {
            case let .key(name):
                guard let object = current as? [String: Any], let next = object[name] else { return nil }
                current = next
            case let .index(number):
                guard let array = current as? [Any], number < array.count else { return nil }
                current = array[number]
            }
        }
        return current is NSNull ? nil : current
    }
}
