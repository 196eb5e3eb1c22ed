import SLAEngine

/// Rows counted by reason, with the first few line numbers of each reason as examples.
public struct RowTally: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let reason: String
        public var count: Int
        /// Up to `exampleCount` line numbers, in file order.
        public var lines: [Int]
    }

    public static let exampleCount = 5
    private var index: [String: Int] = [:]
    public private(set) var entries: [Entry] = []

    public init() {}

    public var total: Int { entries.reduce(0) { $0 + $1.count } }

    public mutating func add(_ reason: String, line: Int) {
        if let position = index[reason] {
            entries[position].count += 1
            if entries[position].lines.count < Self.exampleCount { entries[position].lines.append(line) }
        } else {
            index[reason] = entries.count
            entries.append(Entry(reason: reason, count: 1, lines: [line]))
        }
    }

    /// Entries by count, largest first (ties in the order first seen).
    public var byCount: [Entry] {
        entries.enumerated().sorted { ($1.element.count, $0.offset) < ($0.element.count, $1.offset) }.map(\.element)
    }
}

/// The tickets of a history file, ready to replay, and the rows that did not become tickets.
public struct SimulationInput: Sendable {
    public var tickets: [(ticket: Ticket, line: Int)] = []
    /// Data rows (or JSON lines) read, tickets or not.
    public var rows = 0
    /// Rows with missing or impossible times, duplicate ids, too few fields.
    public var rejected = RowTally()
    /// Rows the mapping leaves out on purpose.
    public var skipped = RowTally()
    /// Optional events dropped from rows that were kept.
    public var dropped = RowTally()

    public init() {}

    /// A file that cannot be read as a history at all: where, and why.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let line: Int
        /// Column in characters from 1, when the problem is at a column.
        public let column: Int?
        /// The JSON field (`events[2].at`) or CSV column, when the problem is in one.
        public let field: String?
        public let message: String

        public var description: String {
            var text = "\(line):"
            if let column { text += "\(column):" }
            text += " "
            if let field { text += "\(field): " }
            return text + message
        }
    }

    /// A CSV export read through a mapping. The header must hold every column the mapping names (else
    /// `.mapping`, at the mapping's line); a malformed file fails at its line and column (`.input`).
    public enum CSVFailure: Error, Equatable {
        case input(Failure)
        case mapping(TicketMapping.Failure)
    }

    public static func csv(_ bytes: [UInt8], mapping: TicketMapping) throws(CSVFailure) -> SimulationInput {
        var reader = CSVReader(bytes)
        var record: [CSVReader.Field] = []
        var input = SimulationInput()
        do {
            guard try reader.next(into: &record) != nil else {
                throw CSVFailure.input(Failure(line: 1, column: 1, field: nil, message: "the file is empty; expected a header line naming the columns"))
            }
            let header = record.map { reader.string($0) }
            var importer: TicketCSV
            do {
                importer = try TicketCSV(mapping: mapping, header: header)
            } catch {
                throw CSVFailure.mapping(error)
            }
            var seen: [String: Int] = [:]
            seen.reserveCapacity(bytes.count / 100)
            input.tickets.reserveCapacity(bytes.count / 100)
            while let line = try reader.next(into: &record) {
                input.rows += 1
                switch importer.row(reader, record) {
                case let .ticket(ticket, dropped):
                    if let first = seen.updateValue(line, forKey: ticket.id) {
                        seen[ticket.id] = first
                        input.rejected.add("duplicate id (the first row with it is kept)", line: line)
                        continue
                    }
                    for reason in dropped { input.dropped.add(reason, line: line) }
                    input.tickets.append((ticket, line))
                case let .rejected(reason):
                    input.rejected.add(reason, line: line)
                case let .skipped(reason):
                    input.skipped.add(reason, line: line)
                }
            }
        } catch let failure as CSVReader.Failure {
            throw .input(Failure(line: failure.line, column: failure.column, field: nil, message: failure.message))
        } catch let failure as CSVFailure {
            throw failure
        } catch {
            throw .input(Failure(line: reader.line, column: nil, field: nil, message: "\(error)"))
        }
        return input
    }

    /// A JSON Lines history (`TicketJSON`), naive local times read in `zone`. A line that is not a valid
    /// ticket fails at its line and field; a ticket with an event before its creation is rejected and counted.
    public static func jsonl(_ bytes: [UInt8], zone: ZoneTable) throws(Failure) -> SimulationInput {
        var input = SimulationInput()
        var seen: [String: Int] = [:]
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            let next = end + 1
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let range = start..<end
            start = next
            if bytes[range].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            input.rows += 1
            let fast = bytes.withUnsafeBufferPointer { TicketJSONFastPath.decode(UnsafeBufferPointer(rebasing: $0[range]), zone: zone) }
            let decoded = fast.map { Result<Ticket, TicketJSON.Failure>.success($0) }
                ?? TicketJSON.decode(String(decoding: bytes[range], as: UTF8.self), zone: zone)
            switch decoded {
            case let .success(ticket):
                if ticket.events.first?.kind != .created {
                    input.rejected.add("an event before the creation time", line: lineNumber)
                    continue
                }
                if seen[ticket.id] != nil {
                    input.rejected.add("duplicate id (the first line with it is kept)", line: lineNumber)
                    continue
                }
                seen[ticket.id] = lineNumber
                input.tickets.append((ticket, lineNumber))
            case let .failure(failure):
                throw Failure(line: lineNumber, column: nil, field: failure.field.isEmpty ? nil : failure.field, message: failure.message)
            }
        }
        return input
    }
}
