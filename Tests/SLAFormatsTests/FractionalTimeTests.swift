import Foundation
import SLAEngine
@testable import SLAFormats
import SLARules
import Testing

/// RFC 3339 with fractional seconds (JavaScript's `toISOString`) is read wherever slad reads a time
/// (issue 17): `LocalTime.parse` itself, the JSON ticket format (its fast path and its slow one), JSON
/// Lines for simulate, CSV mappings with `time format = ISO`, intake mappings, and rule tests.
@Suite struct FractionalTimeTests {
    let shanghai = ZoneTable(identifier: "Asia/Shanghai")!
    /// 2026-12-02T20:50:17Z.
    let expected = Instant(seconds: 1_796_244_617)

    @Test(arguments: ["2026-12-02T20:50:17.940Z", "2026-12-02T20:50:17.9Z", "2026-12-02T20:50:17.940123456Z",
                      "2026-12-03T04:50:17.940+08:00", "2026-12-03T04:50:17,940+08:00", "2026-12-03T04:50:17.940+0800",
                      "2026-12-02t20:50:17.940z", "2026-12-03 04:50:17.940", "2026-12-02T20:50:17Z"])
    func theOneReaderTakesFractions(_ text: String) {
        #expect(LocalTime.parse(text, zone: shanghai) == expected, "\(text)")
    }

    @Test(arguments: ["2026-12-02T20:50:17.Z", "2026-12-02T20:50:17.94xZ", "2026-12-02T20:50.5Z", "2026-12-02T20:50:17.940+8:00",
                      "2026-12-02T20:50:17.940+08:0", "2026-12-02T24:00:00Z", "2026-02-30T10:00:00Z"])
    func malformedTimesAreStillRefused(_ text: String) {
        #expect(LocalTime.parse(text, zone: shanghai) == nil, "\(text)")
    }

    @Test func theJSONTicketFormatTakesThemOnBothPaths() throws {
        let line = #"{"id":"T1","kind":"repair","created":"2026-12-02T20:50:17.940Z","events":[{"kind":"resolved","at":"2026-12-03T05:00:00.5+08:00"}]}"#
        let slow = try TicketJSON.decode(line, zone: shanghai).get()
        #expect(slow.createdAt == expected)
        #expect(slow.events.last?.at == Instant(seconds: 1_796_245_200))
        let input = try SimulationInput.jsonl(Array((line + "\n").utf8), zone: shanghai)
        #expect(input.tickets.first?.ticket.createdAt == expected)
        #expect(input.tickets.first?.ticket.events.last?.at == Instant(seconds: 1_796_245_200))
        // An escaped time takes the slow path inside the fast reader.
        let escaped = #"{"id":"T2","kind":"repair","created":"2026-12-02T20:50:17.940\u005A"}"#
        #expect(try SimulationInput.jsonl(Array((escaped + "\n").utf8), zone: shanghai).tickets.first?.ticket.createdAt == expected)
    }

    @Test func csvMappingsWithISOTakeThem() throws {
        #expect(try TimestampFormat("ISO").instant("2026-12-02T20:50:17.940Z", zone: shanghai) == expected)
    }

    @Test func intakeMappingsTakeThem() throws {
        let mapping = try IntakeMapping.parse("id = a\ncreated = t\ndefault = repair\n", source: "s", forIntake: false).get()
        guard case let .item(item) = mapping.read(["a": "1", "t": "2026-12-02T20:50:17.940Z"], zone: shanghai, arrival: nil) else {
            Issue.record("not read")
            return
        }
        #expect(item.ticket["created"] as? String == expected.description)
    }

    @Test func ruleTestsTakeThem() {
        let text = """
        rules ../rules
        test "fractions"
          ticket T1 kind=repair at 2026-12-02T20:50:17.940Z
          event T1 resolved at 2026-12-03T05:00:00.250+08:00
          run until 2026-12-03T06:00:00.000+08:00
        """
        let (_, diagnostics) = RuleTestParser.parse(text, path: "t.slatest")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
    }
}
