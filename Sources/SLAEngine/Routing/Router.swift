import SLAClassify
import SLARules

/// The rule set's routes, compiled for deciding: keywords as UTF-8 bytes of their normal form, so a
/// decision normalises the ticket's text once and searches bytes (UTF-8 is self-synchronising, so a
/// byte match is a character match). A pure function of the fields, the instant and the workload.
struct Router: Sendable {
    indirect enum Condition: Sendable {
        case always
        case field(MatchExpression)
        case text([[UInt8]])
        case and(Condition, Condition)
        case or(Condition, Condition)
        case not(Condition)
    }

    let routes: [Route]
    let conditions: [Condition]
    let usesText: Bool

    init(_ routes: [Route]) {
        self.routes = routes
        conditions = routes.map { Self.compile($0.match) }
        usesText = routes.contains { Self.mentionsText($0.match) }
    }

    private static func compile(_ expression: MatchExpression) -> Condition {
        switch expression {
        case .always: .always
        case .comparison: .field(expression)
        case let .textContains(keywords): .text(keywords.map { Array($0.utf8) })
        case let .and(left, right): .and(compile(left), compile(right))
        case let .or(left, right): .or(compile(left), compile(right))
        case let .not(inner): .not(compile(inner))
        }
    }

    private static func mentionsText(_ expression: MatchExpression) -> Bool {
        switch expression {
        case .textContains: true
        case let .and(left, right), let .or(left, right): mentionsText(left) || mentionsText(right)
        case let .not(inner): mentionsText(inner)
        case .always, .comparison: false
        }
    }

    func holds(_ condition: Condition, fields: TicketFields, text: [UInt8]) -> Bool {
        switch condition {
        case .always: return true
        case let .field(expression): return FieldMatcher.matches(expression, fields: fields, status: "open")
        case let .text(keywords): return keywords.contains { Self.find($0, in: text) }
        case let .and(left, right): return holds(left, fields: fields, text: text) && holds(right, fields: fields, text: text)
        case let .or(left, right): return holds(left, fields: fields, text: text) || holds(right, fields: fields, text: text)
        case let .not(inner): return !holds(inner, fields: fields, text: text)
        }
    }

    /// Whether `needle` occurs in `haystack`, byte for byte.
    @inline(__always)
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        let count = needle.count
        guard count > 0, count <= haystack.count else { return count == 0 }
        return needle.withUnsafeBufferPointer { n in
            haystack.withUnsafeBufferPointer { h in
                let first = n[0]
                var index = 0
                let last = h.count - count
                while index <= last {
                    if h[index] == first {
                        var matched = 1
                        while matched < count, h[index + matched] == n[matched] { matched += 1 }
                        if matched == count { return true }
                    }
                    index += 1
                }
                return false
            }
        }
    }
}
