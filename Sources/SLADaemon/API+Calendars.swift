import Foundation
import SLAEngine

extension API {
    /// `/healthz`'s `calendars`: each calendar working-time clocks count in, the last day of its holiday
    /// data (null when it follows its week alone), and a warning when this year's data is missing or,
    /// from 1 December, next year's.
    func calendarHealth() async -> [HealthAnswer.Calendar] {
        let engine = await rules.engine
        return engine.calendarData(at: clock.now()).map { calendar, gap in
            HealthAnswer.Calendar(name: calendar.name, dataUntil: Nullable(calendar.dataUntil?.description),
                                  warning: Nullable(gap.map { "\($0.message); \($0.remedy)" }))
        }
    }
}
