import SLAEngine
import SLARules

/// Turns the rows of a CSV export into tickets through a `TicketMapping`. Rows whose times are missing or
/// impossible are not errors: they come back as `.rejected` with a reason, so that a replay of real data
/// counts them and goes on.
public struct TicketCSV {
    public enum Row {
        /// A ticket, with the problems of optional events that were dropped from it.
        case ticket(Ticket, dropped: [String])
        /// A row that cannot become a ticket; `reason` is short and the same for alike rows, for counting.
        case rejected(reason: String)
        /// A row the mapping leaves out on purpose (a category mapped to `skip`, or to nothing).
        case skipped(reason: String)
    }

    public let mapping: TicketMapping
    public let zone: ZoneTable
    let header: [String]
    let idIndex: Int
    let createdIndex: Int
    let events: [(kind: EventKind, index: Int, optional: Bool)]
    let fields: [(field: TicketField, index: Int)]
    let textIndex: Int?
    let scoreIndex: Int?
    let commentIndex: Int?
    let categoryIndex: Int?
    let kindIndex: Int?
    let format: TimestampFormat
    /// The highest column index the mapping reads: a row with fewer fields is rejected.
    let neededFields: Int
    /// Category rules by the exact text seen in the file (the mapping matches without case; this avoids
    /// lowercasing every row).
    private var ruleCache: [String: TicketMapping.CategoryRule?] = [:]

    /// Resolves the mapping's columns against the CSV header. Fails with the mapping line of a column
    /// that is not in the header.
    public init(mapping: TicketMapping, header: [String]) throws(TicketMapping.Failure) {
        self.mapping = mapping
        self.header = header
        guard let id = mapping.id, let created = mapping.created, let format = mapping.timeFormat,
              let zoneName = mapping.timeZone, let zone = ZoneTable(identifier: zoneName) else {
            throw TicketMapping.Failure(line: 1, column: 1, message: "the mapping is incomplete")
        }
        self.zone = zone
        self.format = format
        let trimmed = header.map { $0.trimmingSpaces }
        func index(_ column: TicketMapping.ColumnRef) throws(TicketMapping.Failure) -> Int {
            if let exact = trimmed.firstIndex(of: column.name) { return exact }
            if let loose = trimmed.firstIndex(where: { $0.lowercased() == column.name.lowercased() }) { return loose }
            let hint = Suggestion.hint(for: column.name, in: trimmed).map { " (\($0))" } ?? ""
            throw TicketMapping.Failure(line: column.line, column: column.column,
                                        message: "column '\(column.name)' is not in the CSV header\(hint)")
        }
        idIndex = try index(id)
        createdIndex = try index(created)
        var events: [(EventKind, Int, Bool)] = []
        for (kind, column) in mapping.events { events.append((kind, try index(column), mapping.optionalEvents.contains(kind))) }
        self.events = events
        var fields: [(TicketField, Int)] = []
        for (field, column) in mapping.fields { fields.append((field, try index(column))) }
        self.fields = fields
        if let text = mapping.text { textIndex = try index(text) } else { textIndex = nil }
        scoreIndex = try mapping.score.map(index)
        commentIndex = try mapping.comment.map(index)
        categoryIndex = fields.first { $0.0 == .category }?.1
        kindIndex = fields.first { $0.0 == .kind }?.1
        neededFields = ([idIndex, createdIndex, textIndex ?? 0, scoreIndex ?? 0, commentIndex ?? 0] + events.map(\.1) + fields.map(\.1)).max()! + 1
    }

    /// The column name of an index, for reasons.
    func name(_ index: Int) -> String { header[index].trimmingSpaces }

    /// One data row.
    public mutating func row(_ reader: CSVReader, _ record: [CSVReader.Field]) -> Row {
        guard record.count >= neededFields else {
            return .rejected(reason: "too few fields (the header has \(header.count))")
        }
        let id = reader.trimmedString(record[idIndex])
        guard !id.isEmpty else { return .rejected(reason: "no id (\(name(idIndex)) empty)") }
        let createdRange = reader.trimmed(record[createdIndex])
        guard !createdRange.isEmpty else { return .rejected(reason: "no creation time (\(name(createdIndex)) empty)") }
        guard let created = instant(reader, createdRange) else {
            return .rejected(reason: "unreadable time in \(name(createdIndex))")
        }
        var ticketFields = TicketFields(kind: "")
        for (field, index) in fields {
            let value = reader.trimmedString(record[index])
            if !value.isEmpty { _ = ticketFields.set(field, to: value) }
        }
        if let categoryIndex {
            let category = reader.trimmedString(record[categoryIndex])
            let rule: TicketMapping.CategoryRule?
            if let cached = ruleCache[category] {
                rule = cached
            } else {
                rule = mapping.rule(forCategory: category)
                ruleCache[category] = rule
            }
            if let rule {
                guard let kind = rule.kind else { return .skipped(reason: "category '\(category)' (mapped to skip)") }
                ticketFields.kind = kind
                for (field, value) in rule.fields { _ = ticketFields.set(field, to: value) }
            } else if kindIndex == nil {
                return .skipped(reason: "category '\(category)' (not mapped, and no default)")
            }
        } else if kindIndex == nil, let rule = mapping.defaultRule {
            guard let kind = rule.kind else { return .skipped(reason: "no category column (default is skip)") }
            ticketFields.kind = kind
            for (field, value) in rule.fields { _ = ticketFields.set(field, to: value) }
        }
        if ticketFields.kind.isEmpty { return .rejected(reason: "no kind (\(kindIndex.map(name) ?? "kind") empty)") }
        if let textIndex {
            let text = reader.trimmedString(record[textIndex])
            if !text.isEmpty { ticketFields.text = text }
        }
        var history: [TicketEventRecord] = []
        history.reserveCapacity(1 + events.count)
        history.append(TicketEventRecord(kind: .created, at: created))
        var dropped: [String] = []
        for (kind, index, optional) in events {
            let range = reader.trimmed(record[index])
            if range.isEmpty { continue }
            guard let at = instant(reader, range) else {
                let reason = "unreadable time in \(name(index))"
                if optional { dropped.append(reason); continue }
                return .rejected(reason: reason)
            }
            guard at >= created else {
                let reason = "\(name(index)) before \(name(createdIndex))"
                if optional { dropped.append(reason); continue }
                return .rejected(reason: reason)
            }
            history.append(TicketEventRecord(kind: kind, at: at))
        }
        if scoreIndex != nil || commentIndex != nil {
            if let reason = revisit(reader, record, in: &history) { return .rejected(reason: reason) }
        }
        return .ticket(Ticket(id: id, fields: ticketFields, events: history), dropped: dropped)
    }

    /// Puts the score and comment columns on the row's `revisited` event; the reason when the score is not
    /// 1–5 or there is no return visit to put it on.
    private func revisit(_ reader: CSVReader, _ record: [CSVReader.Field], in history: inout [TicketEventRecord]) -> String? {
        let scoreText = scoreIndex.map { reader.trimmedString(record[$0]) } ?? ""
        let comment = commentIndex.map { reader.trimmedString(record[$0]) } ?? ""
        guard !scoreText.isEmpty || !comment.isEmpty else { return nil }
        guard let visit = history.lastIndex(where: { $0.kind == .revisited }) else {
            let column = name(scoreText.isEmpty ? commentIndex! : scoreIndex!)
            return "\(column) without a return visit time"
        }
        if !scoreText.isEmpty {
            guard case let .success(score) = RevisitScore.parse(scoreText, kind: .revisited) else {
                return "\(name(scoreIndex!)) not a score from 1 to 5"
            }
            history[visit].score = score
        }
        if !comment.isEmpty { history[visit].note = comment }
        return nil
    }

    private func instant(_ reader: CSVReader, _ range: Range<Int>) -> Instant? {
        reader.bytes.withUnsafeBufferPointer { buffer in
            format.instant(UnsafeBufferPointer(rebasing: buffer[range]), zone: zone)
        }
    }
}
