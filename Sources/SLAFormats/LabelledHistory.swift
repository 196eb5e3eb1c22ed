import Foundation
import SLAClassify
import SLAEngine
import SLARules

/// A ticket history with the answer a model is to learn (which team handled each ticket): the inputs
/// `slad simulate` reads — CSV through a mapping, or JSON Lines — plus a label column or field
/// (`slad route train`, docs/dispatch.md "Learning from history"). Each example's text is `ClassifierInput.text` of the
/// ticket's category and free text, the same text a route gives the model.
public struct LabelledHistory: Sendable {
    /// The labelled tickets as examples, in file order.
    public var examples: [LabelledText] = []
    /// The line each example starts on.
    public var lines: [Int] = []
    /// Data rows read, labelled or not.
    public var rows = 0
    /// Rows that became tickets but have no label.
    public var unlabelled = RowTally()
    /// Rows that did not become tickets (`SimulationInput`'s rejected and skipped rows).
    public var rejected = RowTally()
    public var skipped = RowTally()

    public init() {}

    /// A CSV export read through `mapping`; the label is the column `labelColumn` (matched as the
    /// mapping's columns are: exactly, else without case). A label column missing from the header fails
    /// with `.input` at line 1, naming the columns there are.
    public static func csv(_ bytes: [UInt8], mapping: TicketMapping, labelColumn: String) throws(SimulationInput.CSVFailure) -> LabelledHistory {
        let input = try SimulationInput.csv(bytes, mapping: mapping)
        // The labels by line, from a second pass over the file: the mapping knows nothing of the label.
        var reader = CSVReader(bytes)
        var record: [CSVReader.Field] = []
        var labels: [Int: String] = [:]
        do {
            guard try reader.next(into: &record) != nil else { return LabelledHistory() }
            let header = record.map { reader.string($0).trimmingSpaces }
            guard let column = header.firstIndex(of: labelColumn)
                ?? header.firstIndex(where: { $0.lowercased() == labelColumn.lowercased() }) else {
                let hint = Suggestion.hint(for: labelColumn, in: header).map { " (\($0))" } ?? ""
                throw SimulationInput.CSVFailure.input(SimulationInput.Failure(
                    line: 1, column: nil, field: nil,
                    message: "--label: column '\(labelColumn)' is not in the CSV header\(hint); the columns are \(header.map { "'\($0)'" }.joined(separator: ", "))"))
            }
            labels.reserveCapacity(input.tickets.count)
            while let line = try reader.next(into: &record) {
                if column < record.count { labels[line] = reader.trimmedString(record[column]) }
            }
        } catch let failure as SimulationInput.CSVFailure {
            throw failure
        } catch {
            // SimulationInput has read the same bytes without a failure.
            throw .input(SimulationInput.Failure(line: reader.line, column: nil, field: nil, message: "\(error)"))
        }
        var history = LabelledHistory(input)
        for (ticket, line) in input.tickets {
            history.add(ticket, label: labels[line] ?? "", line: line, missing: "no label (\(labelColumn) empty)")
        }
        return history
    }

    /// A JSON Lines history; the label is the field `labelField`: a ticket field (`assignee`, `category`, …)
    /// or any other top-level key, which is taken out of the line before the ticket is read.
    public static func jsonl(_ bytes: [UInt8], zone: ZoneTable, labelField: String) throws(SimulationInput.Failure) -> LabelledHistory {
        if let field = TicketField(rawValue: labelField), field != .tags, field != .status {
            let input = try SimulationInput.jsonl(bytes, zone: zone)
            var history = LabelledHistory(input)
            for (ticket, line) in input.tickets {
                history.add(ticket, label: ticket.fields.value(of: field) ?? "", line: line, missing: "no label (no \"\(labelField)\")")
            }
            return history
        }
        var labels: [Int: String] = [:]
        var stripped: [UInt8] = []
        stripped.reserveCapacity(bytes.count)
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        for (offset, line) in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            defer { stripped.append(UInt8(ascii: "\n")) }
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }),
                  var object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                stripped.append(contentsOf: line)  // blank, or refused with its reason by the ticket reader
                continue
            }
            if let value = object.removeValue(forKey: labelField) {
                guard let label = value as? String else {
                    throw SimulationInput.Failure(line: offset + 1, column: nil, field: labelField, message: "the label must be a string")
                }
                labels[offset + 1] = label
            }
            guard let data = try? JSONSerialization.data(withJSONObject: object) else { continue }
            stripped.append(contentsOf: data)
        }
        let input = try SimulationInput.jsonl(stripped, zone: zone)
        var history = LabelledHistory(input)
        for (ticket, line) in input.tickets {
            history.add(ticket, label: labels[line] ?? "", line: line, missing: "no label (no \"\(labelField)\")")
        }
        return history
    }

    private init(_ input: SimulationInput) {
        rows = input.rows
        rejected = input.rejected
        skipped = input.skipped
        examples.reserveCapacity(input.tickets.count)
        lines.reserveCapacity(input.tickets.count)
    }

    private mutating func add(_ ticket: Ticket, label: String, line: Int, missing: String) {
        let label = label.trimmingSpaces
        guard !label.isEmpty else {
            unlabelled.add(missing, line: line)
            return
        }
        examples.append(LabelledText(text: ClassifierInput.text(category: ticket.fields.category, text: ticket.fields.text), label: label))
        lines.append(line)
    }
}
