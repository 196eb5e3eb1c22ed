import Testing
@testable import SLAActions

struct LinkActionTests {
    /// The raw values are stored in tokens and in the `action_link` table: renaming one breaks sent links.
    @Test func rawValuesAreStable() {
        #expect(LinkAction.allCases.map(\.rawValue) == ["ack", "resolve", "not-mine", "confirm"])
        #expect(LinkAction.confirm.label == "确认完成")
    }
}
