import SLAEngine
@testable import SLAFormats
import SLARules
import Testing

@Suite struct SimulationInputTests {
    let mapping: TicketMapping = {
        guard case let .success(mapping) = TicketMapping.parse(TicketMappingTests.sample) else { fatalError() }
        return mapping
    }()

    func csv(_ text: String) throws(SimulationInput.CSVFailure) -> SimulationInput {
        try SimulationInput.csv(Array(text.utf8), mapping: mapping)
    }

    @Test func rowsBecomeTicketsWithEventsAndMappedFields() throws {
        let input = try csv("""
        Ticket No,Opened,Responded,Closed,Type,Block
        T1,2026-03-02 09:00,2026-03-02 09:20,2026-03-02 11:00,Leak,3栋
        T2,2026-03-02 10:00,,,Noise - Street,5栋
        """)
        #expect(input.rows == 2)
        #expect(input.tickets.map(\.line) == [2, 3])
        let first = input.tickets[0].ticket
        #expect(first.id == "T1")
        #expect(first.fields.kind == "repair")
        #expect(first.fields.priority == "urgent")
        #expect(first.fields.category == "Leak")
        #expect(first.fields.building == "3栋")
        #expect(first.events.map(\.kind) == [.created, .acknowledged, .closed])
        #expect(first.events[0].at == LocalTime.parse("2026-03-02T09:00:00+08:00", zone: nil))
        let second = input.tickets[1].ticket
        #expect(second.fields.kind == "complaint")
        #expect(second.fields.grade == "C")
        #expect(second.events.map(\.kind) == [.created])
    }

    @Test func impossibleAndMissingTimesAreCountedNotFatal() throws {
        let input = try csv("""
        Ticket No,Opened,Responded,Closed,Type,Block
        T1,2026-03-02 09:00,,2026-03-01 11:00,Leak,1
        T2,,,,Leak,1
        T3,03/02/2026,,,Leak,1
        T4,2026-03-02 09:00,,yesterday,Leak,1
        T5,2026-03-02 09:00,2026-03-01 08:00,2026-03-02 12:00,Leak,1
        T6,2026-03-02 09:00,soon,,Leak,1
        T7,2026-03-02 09:00
        T1,2026-03-02 09:00,,,Leak,1
        T8,2026-03-02 09:00,,,Parking,1
        ,2026-03-02 09:00,,,Leak,1
        T9,2026-03-02 09:00,,2026-03-02 10:00,Leak,1
        T10,2026-03-02 09:00,,2026-03-01 10:00,Leak,1
        """)
        #expect(input.rows == 12)
        // The T1 on line 9 is kept: the first T1 (line 2) was rejected, so no ticket has that id yet.
        #expect(input.tickets.map(\.ticket.id) == ["T5", "T6", "T1", "T9"])
        let rejected = Dictionary(uniqueKeysWithValues: input.rejected.entries.map { ($0.reason, $0.lines) })
        #expect(rejected["Closed before Opened"] == [2, 13])
        #expect(rejected["no creation time (Opened empty)"] == [3])
        #expect(rejected["unreadable time in Opened"] == [4])
        #expect(rejected["unreadable time in Closed"] == [5])
        #expect(rejected["too few fields (the header has 6)"] == [8])
        #expect(rejected["no id (Ticket No empty)"] == [11])
        #expect(input.rejected.total == 7)
        #expect(input.skipped.entries.map(\.reason) == ["category 'Parking' (mapped to skip)"])
        // Optional events that cannot be read or come before the creation are dropped, and the row is kept.
        #expect(input.dropped.entries.map(\.reason) == ["Responded before Opened", "unreadable time in Responded"])
        #expect(input.tickets[0].ticket.events.map(\.kind) == [.created, .closed])
    }

    @Test func aColumnMissingFromTheHeaderIsAMappingError() {
        #expect(throws: SimulationInput.CSVFailure.mapping(TicketMapping.Failure(line: 4, column: 16,
                                                                                message: "column 'Responded' is not in the CSV header (did you mean 'Respondd'?)"))) {
            try csv("Ticket No,Opened,Respondd,Closed,Type,Block\nT1,2026-03-02 09:00,,,Leak,1\n")
        }
    }

    @Test func aMalformedFileFailsAtItsLineAndColumn() {
        #expect(throws: SimulationInput.CSVFailure.input(SimulationInput.Failure(line: 3, column: 4, field: nil,
                                                                                message: "a quoted field is never closed (the quote opens here)"))) {
            try csv("Ticket No,Opened,Responded,Closed,Type,Block\nT1,2026-03-02 09:00,,,Leak,1\nT2,\"2026-03-02 09:00,,,Leak,1\nT3,x\n")
        }
        #expect(throws: SimulationInput.CSVFailure.self) { try csv("") }
    }

    @Test func jsonLinesFailAtTheLineAndFieldAndCountEventsBeforeCreation() throws {
        let zone = ZoneTable(identifier: "Asia/Shanghai")!
        let good = #"{"id":"A","kind":"complaint","created":"2026-03-02 09:00","events":[{"kind":"acknowledged","at":"2026-03-02 09:30"}]}"#
        let early = #"{"id":"B","kind":"complaint","created":"2026-03-02 09:00","events":[{"kind":"closed","at":"2026-03-01 09:30"}]}"#
        let input = try SimulationInput.jsonl(Array("\(good)\n\n\(early)\n\(good)\n".utf8), zone: zone)
        #expect(input.tickets.map(\.line) == [1])
        #expect(input.rejected.entries.map(\.reason) == ["an event before the creation time", "duplicate id (the first line with it is kept)"])
        #expect(input.rejected.entries.map(\.lines) == [[3], [4]])
        let bad = #"{"id":"C","kind":"complaint","created":"2026-03-02 09:00","events":[{"kind":"acknowledged","at":"soon"}]}"#
        #expect(throws: SimulationInput.Failure.self) { try SimulationInput.jsonl(Array("\(good)\n\(bad)\n".utf8), zone: zone) }
        do {
            _ = try SimulationInput.jsonl(Array("\(good)\n\(bad)\n".utf8), zone: zone)
        } catch {
            #expect(error.line == 2)
            #expect(error.field == "events[0].at")
        }
        do {
            _ = try SimulationInput.jsonl(Array("{not json\n".utf8), zone: zone)
        } catch {
            #expect(error.line == 1)
            #expect(error.message == "not valid JSON")
        }
    }

    /// The fast reader of ticket lines must give what the JSONSerialization one gives, or nothing.
    @Test func theFastJSONReaderAgreesWithTheSlowOne() throws {
        let zone = ZoneTable(identifier: "Asia/Shanghai")!
        let month = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/examples/month.jsonl"), encoding: .utf8)
        var lines = month.split(separator: "\n").map(String.init)
        lines += [
            #"{"id":"E1","kind":"complaint","text":"said \"hi\"\\ \/ \n done","tags":["a","b"],"reporter":"li-na","created":"2026-03-02T09:00:00+08:00"}"#,
            #"{ "id" : "E2" , "kind":"repair","priority":null,"events":[ {"kind":"paused","at":"2026-03-02 10:00","status":"waiting-parts","note":null} ] , "created":"2026-03-02 09:00" }"#,
            #"{"id":"E3","kind":"complaint","created":"2026-03-02 09:00","events":[]}"#,
            #"{"id":"E4","kind":"complaint","created":"2026-03-02 09:00","grade":"A","grade":"B"}"#,
            #"{"id":"E5","kind":"complaint","created":"2026-03-02 09:00","text":"\u4e2d"}"#,
            #"{"id":"E6","kind":"complaint","created":"2026-03-02 09:00","events":[{"kind":"paused","at":"2026-03-02 10:00","status":"lunch"}]}"#,
            #"{"id":"E7","kind":"complaint","created":"2026-03-02 09:00","unit":7}"#,
            #"{"id":"","kind":"complaint","created":"2026-03-02 09:00"}"#,
            #"{"id":"E9","kind":"complaint","created":"2026-03-02 09:00","extra":"x"}"#,
            #"{"id":"E10","kind":"complaint","created":"2026-03-02 09:00"} trailing"#,
            // Times read straight from the bytes, and the shapes that fall back to a string.
            #"{"id":"E11","kind":"repair","created":"2026-03-02T01:00:00Z","events":[{"kind":"acknowledged","at":"2026-03-02T10:00:00-05:30"}]}"#,
            #"{"id":"E12","kind":"repair","created":"2026-03-02 09:00:07","events":[{"kind":"resolved","at":"2026-03-02 10:00","actor":"wang-qiang"}]}"#,
            #"{"id":"E13","kind":"repair","created":"2026-03-02 09:00","events":[{"kind":"resolved","at":"2026-03-02 10:00 "}]}"#,
            #"{"id":"E14","kind":"repair","created":"2026-02-30 09:00"}"#,
            #"{"id":"E15","kind":"repair","created":"2026-03-02 09:00","events":[{"kind":"resolved","at":null}]}"#,
            #"{"id":"E16","kind":"repair","created":"2026-03-02\u0020 09:00"}"#,
            #"{"id":"E17","kind":"repair","created":"2026-03-02\/09:00"}"#,
            #"{"id":"E18","kind":"repair","created":"2026-03-02 09:00","events":[{"kind":"closed","at":"2026-03-02 11:00","at":"2026-03-02 12:00"}]}"#,
        ]
        var fastCount = 0
        for line in lines {
            let slow = TicketJSON.decode(line, zone: zone)
            var text = line
            let fast = text.withUTF8 { TicketJSONFastPath.decode($0, zone: zone) }
            if let fast {
                fastCount += 1
                #expect(slow == .success(fast), "\(line)")
            }
        }
        // The month and the plain lines above take the fast way; the odd ones go the slow way.
        #expect(fastCount == lines.count - 13)
    }
}
