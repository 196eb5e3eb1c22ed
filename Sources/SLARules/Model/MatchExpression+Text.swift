/// A match expression written back as the rules write it: `status in [waiting-customer, waiting-parts]`.
extension MatchExpression: CustomStringConvertible {
    public var description: String {
        switch self {
        case .always:
            return "always"
        case let .comparison(field, isNegated, values):
            if values.count == 1 { return "\(field.rawValue) \(isNegated ? "!=" : "=") \(values[0])" }
            return "\(field.rawValue) \(isNegated ? "not in" : "in") [\(values.joined(separator: ", "))]"
        case let .and(left, right):
            return "\(Self.grouped(left, inside: "and")) and \(Self.grouped(right, inside: "and"))"
        case let .or(left, right):
            return "\(Self.grouped(left, inside: "or")) or \(Self.grouped(right, inside: "or"))"
        case let .not(inner):
            return "not (\(inner))"
        case let .textContains(keywords):
            return "text contains any [\(keywords.map { "\"\($0)\"" }.joined(separator: ", "))]"
        }
    }

    private static func grouped(_ expression: MatchExpression, inside: String) -> String {
        switch (expression, inside) {
        case (.or, "and"), (.and, "or"): "(\(expression))"
        default: expression.description
        }
    }
}
