/// The values a ticket field may take, declared in the rules (`fields { grade A "重大", B, C }`).
///
/// A field with a declared set refuses other values at the door (the HTTP API, `slad ticket`,
/// `slad import`) and `slad check` warns about conditions naming values outside it. A field without a
/// declaration accepts any value, as before sets could be declared.
public struct FieldSet: Sendable, Hashable {
    public let field: TicketField
    public var values: [FieldValue] = []
    public let location: SourceRange

    /// The fields whose values a rule set may declare. `kind` and `status` are fixed by slad, `assignee`
    /// is one of the people defined, and sites, buildings, units, tags and reporters are free text.
    public static let declarable: [TicketField] = [.category, .grade, .priority, .source]

    public func contains(_ value: String) -> Bool {
        values.contains { $0.name == value }
    }

    /// `name` and `name (title)` pairs for did-you-mean hints.
    public var candidates: [NamedCandidate] {
        values.map { NamedCandidate(name: $0.name, title: $0.title) }
    }
}

/// One value of a declared set, with the title operators know it by (`water-outage "停水"`).
public struct FieldValue: Sendable, Hashable {
    public let name: String
    public let title: String?
    public let location: SourceRange
}
