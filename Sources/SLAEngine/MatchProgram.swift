import SLARules

/// Every policy's `when` and `pause while`, compiled once per rule set into one flat array of instructions.
///
/// `FieldMatcher` walks the rule set's indirect `MatchExpression` trees recursively, retaining each node's box
/// and value array on the way; policy matching runs for every evaluation, four to five policies each. Here
/// an expression is straight-line code over a single boolean with forward jumps for `and`/`or` (so it
/// short-circuits as `&&`/`||` do), and each comparison's values sit in one shared table: evaluating it
/// allocates and retains nothing but the field value it reads. `FieldMatcher` stays the reference
/// (`slad explain` uses it to show why a policy failed), and MatchProgramTests hold the two to the same answers.
struct MatchProgram: Sendable {
    enum Instruction: Sendable {
        /// The result is true.
        case always
        /// The result is whether the field's value is one of `values[range]` (negated for `!=`).
        case compare(field: TicketField, isNegated: Bool, values: Range<Int32>)
        /// When the result is false (`and`) or true (`or`), skip to the instruction at the index: the result stands.
        case jumpIfFalse(Int32)
        case jumpIfTrue(Int32)
        case not
    }

    private(set) var instructions: [Instruction] = []
    /// The values of every comparison.
    private(set) var values: [String] = []

    /// Compiles an expression; returns where its code lies in `instructions`.
    mutating func add(_ expression: MatchExpression) -> Range<Int32> {
        let start = Int32(instructions.count)
        emit(expression)
        return start..<Int32(instructions.count)
    }

    private mutating func emit(_ expression: MatchExpression) {
        switch expression {
        case .always:
            instructions.append(.always)
        case let .comparison(field, isNegated, list):
            let start = Int32(values.count)
            values.append(contentsOf: list)
            instructions.append(.compare(field: field, isNegated: isNegated, values: start..<Int32(values.count)))
        case let .and(left, right), let .or(left, right):
            emit(left)
            let jump = instructions.count
            instructions.append(.always)    // patched below, once the right side's length is known
            emit(right)
            let end = Int32(instructions.count)
            if case .and = expression { instructions[jump] = .jumpIfFalse(end) } else { instructions[jump] = .jumpIfTrue(end) }
        case let .not(inner):
            emit(inner)
            instructions.append(.not)
        case .textContains:
            // Routes alone match on text, and they run through `Router` (the reader refuses text in policies
            // and kpis), so a program never holds one; were it to, it would hold for no ticket.
            instructions.append(.always)
            instructions.append(.not)
        }
    }

    /// Whether the compiled expression at `code` holds for the fields and status, as `FieldMatcher.matches`.
    func matches(_ code: Range<Int32>, fields: TicketFields, status: String) -> Bool {
        run(code, fields: fields, status: status)
    }

    /// The index of the first of `codes` that holds, in one call: the loop over the policies stays inside, so
    /// that the set-up of reading the fields is paid once per ticket rather than once per policy. Only the
    /// `candidates` (indexes into `codes`, in order) are tried: the others are known not to hold.
    func firstMatch(_ codes: [Range<Int32>], among candidates: [Int], fields: TicketFields, status: String) -> Int? {
        for index in candidates where run(codes[index], fields: fields, status: status) { return index }
        return nil
    }

    @inline(__always)
    private func run(_ code: Range<Int32>, fields: TicketFields, status: String) -> Bool {
        var result = true
        var index = Int(code.lowerBound)
        let end = Int(code.upperBound)
        while index < end {
            switch instructions[index] {
            case .always:
                result = true
            case let .compare(field, isNegated, range):
                result = hit(field, range, fields: fields, status: status) != isNegated
            case let .jumpIfFalse(target):
                if !result { index = Int(target); continue }
            case let .jumpIfTrue(target):
                if result { index = Int(target); continue }
            case .not:
                result = !result
            }
            index += 1
        }
        return result
    }

    /// Reads each field in place (`TicketFields.value(of:)` would hand back a retained copy).
    @inline(__always)
    private func hit(_ field: TicketField, _ range: Range<Int32>, fields: TicketFields, status: String) -> Bool {
        switch field {
        case .kind: return contains(range, fields.kind)
        case .category: return contains(range, fields.category)
        case .grade: return contains(range, fields.grade)
        case .priority: return contains(range, fields.priority)
        case .site: return contains(range, fields.site)
        case .building: return contains(range, fields.building)
        case .unit: return contains(range, fields.unit)
        case .reporter: return contains(range, fields.reporter)
        case .assignee: return contains(range, fields.assignee)
        case .source: return contains(range, fields.source)
        case .status: return contains(range, status)
        case .tags:
            for tag in fields.tags where contains(range, tag) { return true }
            return false
        }
    }

    @inline(__always)
    private func contains(_ range: Range<Int32>, _ value: String?) -> Bool {
        guard let value else { return false }
        return contains(range, value)
    }

    @inline(__always)
    private func contains(_ range: Range<Int32>, _ value: String) -> Bool {
        for index in Int(range.lowerBound)..<Int(range.upperBound) where values[index] == value { return true }
        return false
    }
}

/// The expressions that can hold for a ticket of a given kind, so that matching tries only those: most
/// policies require a kind (`when kind = complaint and …`), and a ticket's kind is compared once with the
/// kinds the rules name rather than once by every policy before its own. The first match is the same, since
/// an expression skipped for a kind is false for it.
struct KindDispatch: Sendable {
    /// The distinct kinds (by `==`) that the expressions require.
    private(set) var kinds: [String] = []
    /// Per kind (index + 1; 0 for a kind none of them names), the indexes of the expressions to try, in order.
    private(set) var candidates: [[Int]] = []

    init(_ expressions: [MatchExpression]) {
        let required = expressions.map(Self.requiredKinds)
        for set in required {
            for kind in set ?? [] where !kinds.contains(kind) { kinds.append(kind) }
        }
        // Index 0: a kind no expression names, so only the unconstrained expressions can hold.
        candidates = (0...kinds.count).map { slot in
            required.indices.filter { index in
                guard let set = required[index] else { return true }
                return slot > 0 && set.contains(kinds[slot - 1])
            }
        }
    }

    /// The expressions to try for a ticket of this kind.
    @inline(__always)
    func candidates(for kind: String) -> [Int] {
        for index in kinds.indices where kinds[index] == kind { return candidates[index + 1] }
        return candidates[0]
    }

    /// The kinds outside of which the expression cannot hold, or nil when it says nothing about the kind.
    /// Kept to what is certain: `kind = …`/`kind in […]`, and `and`/`or` of those; anything else is nil.
    static func requiredKinds(_ expression: MatchExpression) -> [String]? {
        switch expression {
        case let .comparison(.kind, false, values):
            return values
        case let .and(left, right):
            switch (requiredKinds(left), requiredKinds(right)) {
            case let (left?, right?): return left.filter { kind in right.contains(kind) }
            case let (left?, nil): return left
            case let (nil, right): return right
            }
        case let .or(left, right):
            guard let left = requiredKinds(left), let right = requiredKinds(right) else { return nil }
            return left + right
        default:
            return nil
        }
    }
}
