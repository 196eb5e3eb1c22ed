import Foundation
import SLAEngine
import SLARules
import Testing

/// Issue 12, item 4: a deadline counted past the calendar's holiday data is marked, and the daemon's
/// watch says so at start and once a day.
@Suite struct CalendarDataTests {
    let engine = shippedEngine   // cn-2025.days and cn-2026.days: data runs to 2026-12-31

    /// A grade A complaint's clock a minute after the ticket is created.
    func clock(_ created: String, _ name: String = "feedback") throws -> ClockStatus {
        let ticket = Ticket(id: "T1", fields: TicketFields(kind: "complaint", grade: "A", assignee: "zhang-wei"), createdAt: at(created))
        let evaluation = engine.evaluate(ticket, at: at(created) + 60)
        return try #require(evaluation.clocks.first { $0.name == name })
    }

    @Test func aDeadlineInSpringFestival2027IsMarked() throws {
        // Spring Festival 2027 is not in the shipped data: the week alone is counted, and the clock says so.
        let feedback = try clock("2027-02-05 10:00")
        #expect(feedback.countsWorkingTime)
        #expect(feedback.beyondCalendarData)
        #expect(try clock("2026-12-30 10:00").beyondCalendarData)   // the deadline reaches into 2027
        #expect(!(try clock("2026-10-09 10:00").beyondCalendarData))
        #expect(!(try clock("2025-03-03 10:00").beyondCalendarData))
    }

    @Test func wallClocksAndWeeklyCalendarsAreNeverMarked() throws {
        #expect(!(try clock("2027-02-05 10:00", "respond").beyondCalendarData))
        let weekly = try SLAEngineTests.engine(officeRules + """
            policy p { when kind = complaint
              clock feedback within 3 working days using office until resolved
              escalate { at feedback notify assignee via console } }
            """)
        let ticket = Ticket(id: "W", fields: TicketFields(kind: "complaint"), createdAt: at("2031-02-05 10:00"))
        let clock = try #require(weekly.evaluate(ticket, at: at("2031-02-05 11:00")).clocks.first)
        #expect(!clock.beyondCalendarData)
    }

    @Test func theWorkingTimeKnowsWhereItsDataEnds() throws {
        let office = try #require(engine.workingTime("office"))
        #expect(office.calendarName == "cn")
        #expect(office.dataUntil == DayDate("2026-12-31"))
        #expect(office.isBeyondData(from: at("2026-12-31 17:00"), to: at("2027-01-04 10:00")))
        #expect(!office.isBeyondData(from: at("2025-01-02 10:00"), to: at("2026-12-31 17:00")))
        #expect(office.isBeyondData(from: at("2024-12-30 10:00"), to: at("2025-01-02 10:00")))
    }

    @Test func theWatchSpeaksAtStartAndOnceADay() throws {
        var watch = CalendarDataWatch()
        let first = watch.check(engine, at: at("2026-12-03 00:01"))
        #expect(first.map(\.year) == [2027])
        #expect(first.first?.isCurrentYear == false)
        #expect(first.first?.dataUntil == DayDate("2026-12-31"))
        #expect(watch.check(engine, at: at("2026-12-03 09:00")).isEmpty)
        #expect(watch.check(engine, at: at("2026-12-03 23:59")).isEmpty)
        #expect(watch.check(engine, at: at("2026-12-04 00:00")).map(\.year) == [2027])
        watch.reset()
        #expect(watch.check(engine, at: at("2026-12-04 08:00")).count == 1)
        let january = watch.check(engine, at: at("2027-01-01 00:00"))
        #expect(january.first?.isCurrentYear == true)
        #expect(january.first?.message.contains("no holiday data for 2027") == true)
        var november = CalendarDataWatch()
        #expect(november.check(engine, at: at("2026-11-30 12:00")).isEmpty)
    }

    @Test func healthListsTheCalendarsWorkingTimeCountsIn() {
        let data = engine.calendarData(at: at("2026-06-01 12:00"))
        #expect(data.map(\.calendar.name) == ["cn"])
        #expect(data.first?.gap == nil)
        #expect(engine.calendarData(at: at("2026-12-01 00:00")).first?.gap?.year == 2027)
    }
}
