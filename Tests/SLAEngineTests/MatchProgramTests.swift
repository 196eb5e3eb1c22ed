@testable import SLAEngine
import SLARules
import Testing

/// The compiled matcher (`MatchProgram`) must say what the reference `FieldMatcher` says, for any expression.
@Suite struct MatchProgramTests {
    /// A small deterministic generator, so that a failure repeats.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let fields: [TicketField] = [.kind, .grade, .priority, .site, .assignee, .tags, .status]
    static let values = ["complaint", "repair", "A", "B", "urgent", "3栋", "zhang-wei", "vip", "waiting-customer", "paused", "open",
                         "K", "\u{212A}", "e\u{301}", "\u{E9}"]    // Kelvin sign == "K", and é decomposed == é composed

    static func expression(_ generator: inout Generator, depth: Int) -> MatchExpression {
        let choice = depth > 3 ? generator.next(2) : generator.next(6)
        switch choice {
        case 0:
            return .always
        case 1:
            let count = 1 + generator.next(3)
            return .comparison(field: fields[generator.next(fields.count)], isNegated: generator.next(2) == 0,
                               values: (0..<count).map { _ in values[generator.next(values.count)] })
        case 2:
            return .and(expression(&generator, depth: depth + 1), expression(&generator, depth: depth + 1))
        case 3:
            return .or(expression(&generator, depth: depth + 1), expression(&generator, depth: depth + 1))
        case 4:
            return .not(expression(&generator, depth: depth + 1))
        default:
            return .comparison(field: .kind, isNegated: false, values: [values[generator.next(2)]])
        }
    }

    static func ticketFields(_ generator: inout Generator) -> (TicketFields, String) {
        func maybe() -> String? { generator.next(3) == 0 ? nil : values[generator.next(values.count)] }
        var fields = TicketFields(kind: values[generator.next(values.count)], grade: maybe(), priority: maybe(), site: maybe(),
                                  assignee: maybe())
        fields.tags = (0..<generator.next(3)).map { _ in values[generator.next(values.count)] }
        return (fields, values[generator.next(values.count)])
    }

    @Test func agreesWithFieldMatcher() {
        var generator = Generator(state: 7)
        var program = MatchProgram()
        let expressions = (0..<300).map { _ in Self.expression(&generator, depth: 0) }
        let codes = expressions.map { program.add($0) }
        for _ in 0..<200 {
            let (fields, status) = Self.ticketFields(&generator)
            for (expression, code) in zip(expressions, codes) {
                #expect(program.matches(code, fields: fields, status: status)
                        == FieldMatcher.matches(expression, fields: fields, status: status), "\(expression) on \(fields) \(status)")
            }
            let first = expressions.firstIndex { FieldMatcher.matches($0, fields: fields, status: status) }
            #expect(program.firstMatch(codes, among: Array(codes.indices), fields: fields, status: status) == first)
        }
    }

    /// Trying only the expressions that can hold for the ticket's kind finds the same first match.
    @Test func kindDispatchKeepsTheFirstMatch() {
        var generator = Generator(state: 11)
        for _ in 0..<40 {
            var program = MatchProgram()
            // Policy-like lists: mostly `kind = …` conjunctions, some anything at all.
            let expressions: [MatchExpression] = (0..<12).map { _ in
                let kind = MatchExpression.comparison(field: .kind, isNegated: false,
                                                      values: [Self.values[generator.next(3)], Self.values[11 + generator.next(4)]])
                switch generator.next(4) {
                case 0: return Self.expression(&generator, depth: 0)
                case 1: return .or(kind, Self.expression(&generator, depth: 2))
                default: return .and(kind, Self.expression(&generator, depth: 2))
                }
            }
            let codes = expressions.map { program.add($0) }
            let dispatch = KindDispatch(expressions)
            for _ in 0..<50 {
                let (fields, status) = Self.ticketFields(&generator)
                let first = expressions.firstIndex { FieldMatcher.matches($0, fields: fields, status: status) }
                #expect(program.firstMatch(codes, among: dispatch.candidates(for: fields.kind), fields: fields, status: status) == first,
                        "\(fields.kind)")
            }
        }
    }
}
