@testable import SLAEngine
import SLARules
import Testing

/// `WorkingTime.budget(workingDays:from:)` (a clock's budget, worked out in every evaluation) must equal the
/// working time from the start to `deadline(for:from:)`, the definition it shortens.
@Suite struct WorkingTimeBudgetTests {
    @Test func budgetIsTheWorkingTimeToTheDeadline() throws {
        let office = try #require(try engine(officeRules).workingTime("office"))
        var starts: [Instant] = []
        // Every 7 minutes and 13 seconds over 2025 and 2026 (holidays, make-up days, breaks, nights) ...
        var instant = at("2025-01-01 00:00")
        while instant < at("2027-01-01 00:00") {
            starts.append(instant)
            instant = instant + 433
        }
        // ... and around both ends of the table (1990 to 2199) and beyond them.
        for year in [1960, 1989, 1990, 2199, 2200, 2300] {
            let first = LocalTime.parse("\(year)-01-01 08:59", zone: shanghai)!
            let last = LocalTime.parse("\(year)-12-31 17:59", zone: shanghai)!
            starts += [first, first + 60, first + 3600, last, last + 60, last + 3600, last + 86_400]
        }
        for start in starts {
            for days in [0, 1, 3, 5] {
                let deadline = office.deadline(for: .workingDays(days, hours: "office"), from: start)
                #expect(office.budget(workingDays: days, from: start) == office.elapsed(at: deadline) - office.elapsed(at: start),
                        "\(days) working days from \(start)")
            }
            let deadline = office.deadline(for: .endOfWorkingDay(hours: "office"), from: start)
            #expect(office.budget(workingDays: nil, from: start) == office.elapsed(at: deadline) - office.elapsed(at: start),
                    "end of working day from \(start)")
        }
    }
}
