import Testing
@testable import SLARules

/// Every way to get a kpi wrong: one diagnostic, at the right line and column of the kpi's block, with
/// a hint saying what is valid (or what was meant).
@Suite struct KPIDiagnosticsTests {
    /// A second calendar and hours, so neither can be taken as "the only one".
    let hongKong = "calendar hk { timezone Asia/Hong_Kong }\nhours hk-office { calendar hk; 09:00-18:00 }\n"
        + "policy hk { when site = hk; clock respond within 2 working hours using hk-office until acknowledged }\n"

    /// The diagnostics but the unused-definition warnings of the base rules.
    func found(_ result: CheckResult) -> [Diagnostic] {
        result.diagnostics.filter { $0.code != .unusedDefinition }
    }

    /// The one diagnostic of `kpi(body)`, as `CODE line:column` with the line counted in `body`
    /// (its first line is 1), and its hint.
    func only(_ body: String, extra: String = "") throws -> (place: String, hint: String, message: String) {
        let result = kpi(body, extra: extra)
        let diagnostics = found(result)
        try #require(diagnostics.count == 1, "\(diagnostics.map { "\($0.code.rawValue) \($0.message)" })")
        let diagnostic = diagnostics[0]
        let location = result.location(of: diagnostic.range)
        let firstLine = (kpiBaseRules + extra).split(separator: "\n", omittingEmptySubsequences: false).count + 1
        return ("\(diagnostic.code.rawValue) \(location.line - firstLine + 1):\(location.column)", diagnostic.hint ?? "", diagnostic.message)
    }

    @Test func unknownMeasureWord() throws {
        let found = try only("measure on-tme respond")
        #expect(found.place == "E127 1:9")
        #expect(found.hint == "did you mean 'on-time'?")
        #expect(try only("measure time-to respond").hint.contains("'median time-to CLOCK' or 'p90 time-to CLOCK'"))
        #expect(try only("measure happiness").hint.contains("on-time CLOCK, median time-to CLOCK"))
        #expect(try only("measure median time-too respond").place == "E003 1:16")
    }

    @Test func unknownGrouping() throws {
        let found = try only("measure open\nby sit")
        #expect(found.place == "E104 2:4")
        #expect(found.hint == "did you mean 'site'?")
        #expect(try only("measure open\nby building").hint == "group by 'site', 'team' or 'assignee'")
    }

    @Test func unknownClock() throws {
        let found = try only("measure on-time complet")
        #expect(found.place == "E128 1:17")
        #expect(found.hint == "did you mean 'complete'?")
        #expect(try only("measure median time-to zzz").hint == "the policies' clocks are 'complete', 'feedback' or 'respond'")
    }

    @Test func clockOfPoliciesTheKPIsWhenNeverSelects() throws {
        let warning = try only("measure on-time feedback\nwhen kind = repair")
        #expect(warning.place == "W016 1:17")
        #expect(warning.message.contains("'complaint'"))
        // A clock some selected policy has is fine, even if another policy has it too.
        #expect(found(kpi("measure on-time respond\nwhen kind = repair")).isEmpty)
    }

    @Test(arguments: [
        ("measure open\nnotify person zhang-wie via sms\ntarget at-most 5", "E102 2:15", "did you mean 'zhang-wei'?"),
        ("measure open\nnotify team cx via sms\ntarget at-most 5", "E102 2:13", "did you mean 'cs'?"),
        ("measure open\nnotify roster cs via sms\ntarget at-most 5", "E102 2:15", "'cs' is a team, not a roster"),
        ("measure open\nnotify team cs via smss\ntarget at-most 5", "E102 2:20", "did you mean 'sms'?"),
        ("measure open\nteam cz", "E102 2:6", "did you mean 'cs'?"),
        ("measure open\ncalendar cm", "E102 2:10", "did you mean 'cn'?"),
        ("measure median working-time-to feedback using offce", "E102 1:47", "did you mean 'office'?"),
    ])
    func unknownNames(_ body: String, _ place: String, _ hint: String) throws {
        let found = try only(body)
        #expect(found.place == place)
        #expect(found.hint == hint)
    }

    @Test(arguments: [
        ("measure median time-to respond\ntarget at-most 90%", "E129 2:16", "'90%' is a percentage, but 'median time-to respond' is a time"),
        ("measure on-time respond\ntarget at-least 24h", "E129 2:17", "'24h' is a duration, but 'on-time respond' is a share"),
        ("measure on-time respond\ntarget at-least 0.93", "E129 2:17", "'0.93' is a plain number, but 'on-time respond' is a share"),
        ("measure satisfaction\ntarget at-least 90%", "E129 2:17", "'90%' is a percentage, but 'satisfaction' is an average score from 1 to 5"),
        ("measure open\nwarn above 5%", "E129 2:12", "'5%' is a percentage, but 'open' is a number of tickets"),
        ("measure per-100-households\ntarget at-most 5%", "E129 2:16", "'5%' is a percentage, but 'per-100-households' is tickets per 100 households"),
    ])
    func valueOfTheWrongKind(_ body: String, _ place: String, _ message: String) throws {
        let found = try only(body)
        #expect(found.place == place)
        #expect(found.message == message)
        #expect(found.hint.hasPrefix("write '"))
    }

    @Test func wrongKindHintsNameTheFix() throws {
        #expect(try only("measure on-time respond\ntarget at-least 0.93").hint.hasSuffix(": 93%?"))
        #expect(try only("measure satisfaction\ntarget at-least 90%").hint.contains("use 'measure satisfied-share'"))
        #expect(try only("measure per-100-households\ntarget at-most 5%").hint.contains("5% of households is 5 per 100"))
    }

    @Test(arguments: [
        ("measure on-time respond\ntarget at-least 101%", "E115 2:17"),
        ("measure satisfaction\nwarn below 0.5", "E115 2:12"),
        ("measure satisfaction\ntarget at-least 5.5", "E115 2:17"),
        ("measure median time-to respond\ntarget at-most 0m", "E115 2:16"),
        ("measure open\nover 400d", "E115 2:6"),
        ("measure open\nover 36h", "E115 2:6"),
        ("measure satisfied-share at-least 6", "E115 1:34"),
        ("measure backlog older-than 10m", "E115 1:28"),
        ("measure open\nnotify team cs via sms every 30s", "E115 2:30"),
        ("measure open\ntarget at-most 2.5", "E008 2:16"),
    ])
    func valueOutOfRange(_ body: String, _ place: String) throws {
        #expect(try only(body).place == place)
    }

    /// `over 1month` is no duration at all: the hint names what a kpi window can be, not 45s or 30m.
    @Test(arguments: ["over 1month", "over 30days", "over 1mo"])
    func aWindowThatIsNoDurationIsAnsweredWithWindows(_ over: String) throws {
        let found = try only("measure open\n" + over)
        #expect(found.place.hasSuffix(" 2:6"))
        #expect(found.message.contains("is not a kpi window"), "\(found.message)")
        #expect(found.hint == "write 'month' or 'week' for the calendar's, or whole days such as 7d or 30d")
        #expect(!found.hint.contains("45s") && !found.hint.contains("30m"))
    }

    @Test func aWindowOfHoursIsAnsweredWithWindowsToo() throws {
        #expect(try only("measure open\nover 36h").hint == "write 'month' or 'week' for the calendar's, or whole days such as 7d or 30d")
    }

    @Test func scoreOutOfOneHundredIsTranslated() throws {
        let found = try only("measure satisfaction\ntarget at-least 90")
        #expect(found.place == "E115 2:17")
        #expect(found.message == "'90' is out of range: a satisfaction score is between 1 and 5")
        #expect(found.hint == "a score of 90 out of 100 is 4.5 of 5")
    }

    @Test(arguments: [
        ("measure on-time respond\ntarget at-least 93%\nwarn below 90%", "E130 3:12", "the early warning comes before the breach: write a warn line above 93%"),
        ("measure on-time respond\ntarget at-least 93%\nwarn below 93%", "E130 3:12", "the early warning comes before the breach: write a warn line above 93%"),
        ("measure median time-to respond\ntarget at-most 2h\nwarn above 3h", "E130 3:12", "the early warning comes before the breach: write a warn line below 2h"),
        ("measure on-time respond\ntarget at-least 93%\nwarn above 95%", "E130 3:1", "with 'target at-least' a higher value is better: write 'warn below 95%'"),
        ("measure on-time respond\ntarget at-least 93%\nwarn below 95%\nclear at 94%", "E130 4:10", "the all-clear needs the value back past the line: write clear at 95% or more"),
        ("measure on-time respond\ntarget at-least 93%\nclear at 92%", "E130 3:10", "the all-clear needs the value back past the line: write clear at 93% or more"),
        ("measure overdue\ntarget at-most 10\nclear at 12", "E130 3:10", "the all-clear needs the value back past the line: write clear at 10 or less"),
        ("measure overdue\nclear at 12", "E130 2:1", "add 'target …' or 'warn …', or remove 'clear at'"),
    ])
    func warnOrClearOnTheWrongSide(_ body: String, _ place: String, _ hint: String) throws {
        let found = try only(body)
        #expect(found.place == place)
        #expect(found.hint == hint)
    }

    @Test(arguments: [
        ("measure overdue\ntarget at-least 5", "E132 2:1", "'target at-least 5' points the wrong way: for 'overdue' a lower value is better", "write 'target at-most 5'"),
        ("measure median time-to respond\nwarn below 2h", "E132 2:1", "'warn below 2h' points the wrong way: for 'median time-to respond' a lower value is better", "write 'warn above 2h'"),
        ("measure on-time respond\ntarget at-most 93%", "E132 2:1", "'target at-most 93%' points the wrong way: for 'on-time respond' a higher value is better", "write 'target at-least 93%'"),
    ])
    func lineAgainstTheMeasure(_ body: String, _ place: String, _ message: String, _ hint: String) throws {
        let found = try only(body)
        #expect(found.place == place)
        #expect(found.message == message)
        #expect(found.hint == hint)
    }

    @Test func clearAtTheLineItselfIsAllowed() {
        #expect(found(kpi("measure on-time respond\ntarget at-least 93%\nwarn below 95%\nclear at 95%")).isEmpty)
    }

    @Test(arguments: [
        ("measure open\nover month", "E131 2:6", "add 'calendar NAME' to the kpi, with one of 'cn' or 'hk'"),
        ("measure open\nover week", "E131 2:6", "add 'calendar NAME' to the kpi, with one of 'cn' or 'hk'"),
        ("measure median working-time-to feedback", "E131 1:32", "write 'using NAME' after the clock, with one of 'hk-office' or 'office'"),
    ])
    func calendarNotResolvable(_ body: String, _ place: String, _ hint: String) throws {
        let extra = hongKong
        let found = try only(body, extra: extra)
        #expect(found.place == place)
        #expect(found.hint == hint)
        // Naming the calendar resolves it.
        #expect(self.found(kpi(body + "\ncalendar cn", extra: extra)).isEmpty)
    }

    /// Misspelt hours are one E102, not also "which calendar" when the rules have several.
    @Test func unknownHoursAreReportedOnce() throws {
        let extra = hongKong
        let found = try only("measure median working-time-to feedback using offce", extra: extra)
        #expect(found.place == "E102 1:47")
        #expect(found.hint == "did you mean 'office'?")
    }

    @Test func duplicateKPIName() throws {
        let result = check(kpiBaseRules + "kpi k { measure open }\nkpi k { measure overdue }\n")
        let diagnostics = found(result)
        #expect(diagnostics.map(\.code) == [.duplicateDefinition])
        #expect(diagnostics.first?.message == "kpi 'k' is defined twice")
        #expect(diagnostics.first?.related.map { result.location(of: $0).line } == 14)
        #expect(result.ruleSet == nil)
    }

    @Test(arguments: ["measure open", "when kind = repair", "over 7d", "by site", "target at-most 5", "warn above 3", "clear at 2",
                      "notify team cs via sms", "team cs", "calendar cn", "source \"x\""])
    func repeatedSetting(_ line: String) throws {
        let body = (line.hasPrefix("measure") ? "" : "measure open\n") + "\(line)\n\(line)"
        let result = kpi(body)
        let diagnostics = found(result).filter { $0.code == .repeatedStatement }
        #expect(diagnostics.count == 1, "\(found(result))")
        #expect(diagnostics.first?.message == "'\(line.split(separator: " ")[0])' is given twice")
    }

    @Test(arguments: [
        ("measure satisfaction\nmin sample 0", "E115 2:12", "write 'min sample 1' or more (a value over fewer is not judged), or leave the line out to judge any sample"),
        ("measure satisfaction\nmin sample 2000000", "E115 2:12", "write a minimum up to 1000000"),
        ("measure satisfaction\nmin sample abc", "E008 2:12", "write the fewest tickets, clocks or visits as digits: 'min sample 20'"),
        ("measure satisfaction\nmin sample 2.5", "E008 2:12", "write the fewest tickets, clocks or visits as digits: 'min sample 20'"),
        ("measure satisfaction\nmin sample 20%", "E008 2:12", "a minimum sample is a number of tickets, clocks or visits, not a share: write 'min sample 20'"),
        ("measure satisfaction\nmin samples 20", "E003 2:5", "did you mean 'sample'?"),
        ("measure satisfaction\nmin 20", "E003 2:5", "write 'min sample 20': the fewest tickets, clocks or visits to judge the kpi on"),
        ("measure satisfaction\nmin sample", "E003 2:11", "write 'min sample 20'"),
        ("measure satisfaction\nmin sample 20 visits", "E003 2:15", "'min sample' takes one number: 'min sample 20'"),
    ])
    func minSampleThatIsNotAWholeNumberFromOne(_ body: String, _ place: String, _ hint: String) throws {
        let found = try only(body)
        #expect(found.place == place, "\(found)")
        #expect(found.hint == hint)
    }

    @Test func minSampleGivenTwice() throws {
        let found = try only("measure satisfaction\nmin sample 20\nmin sample 30")
        #expect(found.place == "E107 3:1")
        #expect(found.message == "'min sample' is given twice")
        #expect(kpi("measure satisfaction\nmin sample 20\nmin sample 30").ruleSet == nil)
    }

    /// The counts' value is the number of tickets itself, and the complaint rate's sample is its
    /// numerator: a minimum would hide a count, or call a site with few complaints unjudged.
    @Test(arguments: ["open", "overdue", "backlog older-than 3d", "per-100-households"])
    func minSampleOnAMeasureWithoutASample(_ measure: String) throws {
        let found = try only("measure \(measure)\nmin sample 5")
        #expect(found.place == "E133 2:1")
        #expect(found.message.hasPrefix("'min sample' does not apply to '\(measure)': "))
        #expect(found.hint.hasPrefix("remove 'min sample'"))
        // The measure may come after it.
        #expect(try only("min sample 5\nmeasure \(measure)").place == "E133 1:1")
    }

    @Test func notifyWithoutVia() throws {
        let found = try only("measure open\ntarget at-most 5\nnotify manager sms")
        #expect(found.place == "E003 3:16")
        #expect(found.message == "expected 'via', found 'sms'")
        #expect(found.hint == "name the channels: notify manager via ops")
    }

    @Test func missingMeasure() throws {
        let result = kpi("over 7d")
        #expect(found(result).map(\.code) == [.missingStatement])
        #expect(found(result).first?.message == "kpi 'k' has no measure")
    }

    @Test func unknownSettingSuggestsOne() throws {
        let found = try only("measure open\ntargett at-most 5")
        #expect(found.place == "E003 2:1")
        #expect(found.hint == "did you mean 'target'?")
    }

    @Test func noticeWithoutAnyLineIsNeverSent() throws {
        let found = try only("measure open\nnotify team cs via sms")
        #expect(found.place == "W017 2:1")
    }

    @Test func noticeThatReachesNobody() throws {
        #expect(try only("measure open\ntarget at-most 5\nnotify manager via sms").place == "W008 3:1")
        #expect(try only("measure open\ntarget at-most 5\nnotify assignee via sms").place == "W008 3:1")
        // The team (named, or the group's) gives supervisor and manager someone to be.
        #expect(found(kpi("measure open\ntarget at-most 5\nnotify manager via sms\nteam cs")).isEmpty)
        #expect(found(kpi("measure open\nby team\ntarget at-most 5\nnotify manager via sms")).isEmpty)
        #expect(found(kpi("measure open\nby assignee\ntarget at-most 5\nnotify assignee via sms")).isEmpty)
    }
}
