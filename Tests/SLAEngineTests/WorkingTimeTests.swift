import SLAEngine
import SLARules
import Testing

@Suite struct WorkingTimeTests {
    let office: WorkingTime

    init() throws {
        office = try #require(try engine(officeRules).workingTime("office"))
    }

    @Test(arguments: [
        // Friday 17:00 before National Day 2025: Sunday 28 September is a make-up working day, 1–8 October are off.
        ("2025-09-26 17:00", "3 working days", "2025-09-30 17:00"),
        ("2025-09-26 17:00", "4 working days", "2025-10-09 17:00"),
        ("2025-09-30 17:00", "1 working days", "2025-10-09 17:00"),
        // After hours: counting starts with the next working day and ends at its close.
        ("2025-09-26 19:00", "3 working days", "2025-09-30 18:00"),
        ("2025-09-27 10:00", "1 working days", "2025-09-28 18:00"),
        // Lunch break and evening: 2 working hours from Friday 17:00 is Sunday (make-up day) 10:00.
        ("2025-09-26 17:00", "2 working hours", "2025-09-28 10:00"),
        ("2025-09-26 11:00", "2 working hours", "2025-09-26 14:30"),
        ("2025-09-30 17:30", "1 working hours", "2025-10-09 09:30"),
        ("2025-10-10 17:00", "2 working hours", "2025-10-11 10:00"),
        // End of working day.
        ("2025-09-26 10:00", "end of working day", "2025-09-26 18:00"),
        ("2025-09-30 18:30", "end of working day", "2025-10-09 18:00"),
    ])
    func deadlines(start: String, limit: String, expected: String) throws {
        let parsed: Limit
        if limit == "end of working day" {
            parsed = .endOfWorkingDay(hours: "office")
        } else {
            let count = Int(limit.split(separator: " ")[0])!
            parsed = limit.hasSuffix("days") ? .workingDays(count, hours: "office")
                : .workingTime(SLARules.Duration(seconds: count * 3600), hours: "office")
        }
        #expect(local(office.deadline(for: parsed, from: at(start))) == expected)
    }

    @Test func elapsedIsContinuousAndSkipsBreaksAndHolidays() {
        let friday = office.elapsed(at: at("2025-09-26 09:00"))
        #expect(office.elapsed(at: at("2025-09-26 12:00")) - friday == 3 * 3600)
        #expect(office.elapsed(at: at("2025-09-26 13:30")) - friday == 3 * 3600)
        #expect(office.elapsed(at: at("2025-09-26 18:00")) - friday == 7 * 3600 + 1800)
        #expect(office.elapsed(at: at("2025-09-27 12:00")) - friday == 7 * 3600 + 1800)   // Saturday: off
        #expect(office.elapsed(at: at("2025-10-05 12:00")) == office.elapsed(at: at("2025-09-30 18:00")))
    }

    @Test func nextWorkingInstant() {
        #expect(local(office.nextWorkingInstant(from: at("2025-09-26 12:30"))) == "2025-09-26 13:30")
        #expect(local(office.nextWorkingInstant(from: at("2025-09-26 10:15"))) == "2025-09-26 10:15")
        #expect(local(office.nextWorkingInstant(from: at("2025-09-30 18:00"))) == "2025-10-09 09:00")
    }
}
