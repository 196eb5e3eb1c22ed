import Foundation
import SLAEngine
import SLARules
import Testing

/// Working days and working-day deadlines on the shipped calendar, checked on every day of 2025 and 2026
/// against the official data in ../shared/data/calendar-cn (read independently of the rules' .days files).
@Suite struct CalendarTableTests {
    struct OfficialDay: Decodable {
        let date: String
        let isOffDay: Bool
    }

    struct OfficialYear: Decodable {
        let days: [OfficialDay]
    }

    /// Whether people work on each date of a year per the State Council notice: exceptions, else Mon–Fri.
    static func official(_ year: Int) throws -> [DayDate: Bool] {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/calendar-cn/\(year).json")
        let data = try Data(contentsOf: url)
        let parsed = try JSONDecoder().decode(OfficialYear.self, from: data)
        var exceptions: [String: Bool] = [:]
        for day in parsed.days { exceptions[day.date] = !day.isOffDay }
        var result: [DayDate: Bool] = [:]
        var day = DayDate(year: year, month: 1, day: 1)!.dayNumber
        while true {
            let date = LocalTime.date(dayNumber: day)
            guard date.year == year else { break }
            result[date] = exceptions[date.description] ?? ![.sat, .sun].contains(date.weekday)
            day += 1
        }
        return result
    }

    @Test(arguments: [2025, 2026])
    func everyDayAgreesWithTheOfficialCalendar(year: Int) throws {
        let office = try #require(shippedEngine.workingTime("office"))
        let days = try Self.official(year)
        #expect(days.count >= 365)
        for (date, working) in days {
            #expect(office.isWorkingDay(date) == working, "\(date)")
        }
    }

    /// From 10:00 on every day of the year, "1 working day" lands at 10:00 on the next official working day
    /// (counting from the next working day when the start day is off), and "3 working days" on the third.
    @Test(arguments: [2025, 2026])
    func workingDayDeadlinesOnEveryDay(year: Int) throws {
        let office = try #require(shippedEngine.workingTime("office"))
        var working = try Self.official(year)
        for (date, value) in try Self.official(year + 1 > 2026 ? 2026 : year + 1) { working[date] = working[date] ?? value }
        let sorted = working.keys.sorted()
        let workdays = sorted.filter { working[$0]! }
        for date in sorted where date.year == year {
            let start = try #require(LocalTime.parse("\(date) 10:00", zone: shanghai))
            // The working day the count starts on: the date itself, or the next working day.
            guard let first = workdays.firstIndex(where: { $0 >= date }), first + 3 < workdays.count else { continue }
            let startsOnWorkday = working[date]!
            for count in [1, 3] {
                let deadline = office.deadline(for: .workingDays(count, hours: "office"), from: start)
                let expected: String
                if startsOnWorkday {
                    expected = "\(workdays[first + count]) 10:00"
                } else {
                    // Off day: counting starts with the next working day; the deadline is the close of the count-th one.
                    expected = "\(workdays[first + count - 1]) 18:00"
                }
                #expect(local(deadline) == expected, "\(count) working days from \(date) 10:00")
            }
        }
    }
}
