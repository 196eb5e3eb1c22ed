/// The owner's satisfaction recorded with a return visit (`revisited`): a whole number from 1 to 5, the
/// comment being the event's `note`. Every way in (API, CLI, import, simulate inputs, rule tests) refuses
/// a score outside the range, or on another event, with the same words.
public enum RevisitScore {
    public static let range = 1...5

    /// What a valid score is, for error messages.
    public static let valid = "a whole number from 1 (very dissatisfied) to 5 (very satisfied)"

    /// Nil when `score` may go with an event of `kind`, else why not.
    public static func refusal(_ score: Int?, kind: EventKind) -> String? {
        guard let score else { return nil }
        guard kind == .revisited else {
            return "only a 'revisited' event carries a score (the owner's satisfaction at the return visit), not '\(kind.rawValue)'"
        }
        return range.contains(score) ? nil : "\(score) is not a score; expected \(valid)"
    }

    /// Reads a score written as text (a CSV column, a rule test line): nil text is no score.
    public static func parse(_ text: String, kind: EventKind) -> Result<Int, Refusal> {
        let trimmed = text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
        guard let value = Int(String(trimmed)) else {
            return .failure(Refusal(message: "'\(text)' is not a score; expected \(valid)"))
        }
        if let reason = refusal(value, kind: kind) { return .failure(Refusal(message: reason)) }
        return .success(value)
    }

    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
