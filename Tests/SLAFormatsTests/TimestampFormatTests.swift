import SLAEngine
@testable import SLAFormats
import Testing

@Suite struct TimestampFormatTests {
    let losAngeles = ZoneTable(identifier: "America/Los_Angeles")!
    let utc = ZoneTable(fixedOffset: 0, identifier: "UTC")

    func iso(_ instant: Instant?) -> String { instant.map { $0.description } ?? "nil" }

    @Test(arguments: [
        ("M/D/YY H:MM", "1/2/20 0:05", "2020-01-02T08:05:00Z"),
        ("M/D/YY H:MM", "12/31/19 23:59", "2020-01-01T07:59:00Z"),
        ("M/D/YY H:MM", "1/2/20", "2020-01-02T08:00:00Z"),          // a date alone is midnight
        ("MM/DD/YYYY hh:mm:ss AM", "12/31/2017 11:59:58 PM", "2018-01-01T07:59:58Z"),
        ("MM/DD/YYYY hh:mm:ss AM", "12/31/2017 12:00:00 AM", "2017-12-31T08:00:00Z"),
        ("MM/DD/YYYY hh:mm:ss AM", "12/31/2017 12:30:00 PM", "2017-12-31T20:30:00Z"),
        ("YYYY-MM-DD HH:mm", "2020-07-01 09:00", "2020-07-01T16:00:00Z"),   // summer time: UTC-7
        ("ISO", "2020-07-01T09:00:00+08:00", "2020-07-01T01:00:00Z"),
        ("ISO", "2020-07-01 09:00", "2020-07-01T16:00:00Z"),
    ])
    func readsTimes(pattern: String, value: String, expected: String) throws {
        let format = try TimestampFormat(pattern)
        #expect(iso(format.instant(value, zone: losAngeles)) == expected)
    }

    @Test(arguments: [
        ("M/D/YY H:MM", "2/30/20 1:00"),       // no such day
        ("M/D/YY H:MM", "13/1/20 1:00"),
        ("M/D/YY H:MM", "1/1/20 24:00"),
        ("M/D/YY H:MM", "1/1/20 1:60"),
        ("M/D/YY H:MM", "1/1/20 1:00 junk"),
        ("M/D/YY H:MM", ""),
        ("M/D/YY H:MM", "N/A"),
        ("MM/DD/YYYY hh:mm:ss AM", "12/31/2017 13:00:00 PM"),
        ("MM/DD/YYYY hh:mm:ss AM", "12/31/17 11:00:00 PM"),  // YYYY needs four digits
        ("ISO", "yesterday"),
    ])
    func rejectsImpossibleTimes(pattern: String, value: String) throws {
        #expect(try TimestampFormat(pattern).instant(value, zone: utc) == nil)
    }

    @Test func badPatternsSayWhy() {
        #expect(throws: TimestampFormat.Failure.self) { try TimestampFormat("DD/MM hh:mm") }     // no year; 12-hour without AM
        #expect(throws: TimestampFormat.Failure(column: 1, message: "a year is YYYY or YY")) { try TimestampFormat("YYY-MM-DD") }
        #expect(throws: TimestampFormat.Failure.self) { try TimestampFormat("YYYY-MM-DD Q") }
        #expect(throws: TimestampFormat.Failure(column: 1, message: "a 12-hour clock (h, hh) needs the AM marker")) {
            try TimestampFormat("YYYY-MM-DD hh:mm")
        }
    }
}
