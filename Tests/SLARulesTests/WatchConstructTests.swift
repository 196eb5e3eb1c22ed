import Testing
@testable import SLARules

/// `watch { … }`: the self-alert lines, their defaults and `off`, and a diagnostic for every way to get
/// them wrong. The block's keyword is on line 8 (after `baseRules`), its first line on line 9.
@Suite struct WatchConstructTests {
    func watch(_ body: String, extra: String = "") -> CheckResult {
        check(baseRules + "\n" + "watch {\n\(body)\n}\n" + extra)
    }

    /// `notify` (line 9), then `line` on line 10.
    func watchLine(_ line: String) -> CheckResult {
        watch("notify person zhang-wei via console\n" + line)
    }

    /// The diagnostics but the unused-definition warnings for `baseRules`.
    func found(_ result: CheckResult) -> [Diagnostic] {
        result.diagnostics.filter { $0.code != .unusedDefinition }
    }

    func codes(_ result: CheckResult) -> [String] {
        found(result).map(\.code.rawValue)
    }

    func place(_ result: CheckResult, _ range: SourceRange) -> String {
        let location = result.location(of: range)
        return "\(location.line):\(location.column)"
    }

    @Test func readsEveryLineIntoTheRuleSet() throws {
        let result = watch("""
          notify person zhang-wei, supervisor, team cs via sms, console
          team cs
          scans failing for 10s
          channel down for 15m
          outbox above 500 jobs or older than 1h
          calendar running out
          disk free below 500MB
          clock jump above 2m
        """)
        #expect(found(result).isEmpty, "\(result.diagnostics)")
        let settings = try #require(result.ruleSet?.watch)
        #expect(settings.targets == [.person("zhang-wei"), .supervisor, .team("cs")])
        #expect(settings.channels == ["sms", "console"])
        #expect(settings.team == "cs")
        #expect(settings.scansFailingFor == 10)
        #expect(settings.channelDownFor == 900)
        #expect(settings.outboxJobs == 500)
        #expect(settings.outboxAge == 3600)
        #expect(settings.calendarRunningOut)
        #expect(settings.diskFree == .bytes(500 << 20))
        #expect(settings.clockJump == 120)
        #expect(result.location(of: settings.location).line == 8)
    }

    @Test func absentLinesKeepTheirDefaultsAndNoBlockTellsNobody() throws {
        let settings = try #require(watchLine("").ruleSet?.watch)
        #expect(settings.team == nil)
        #expect(settings.scansFailingFor == 300)
        #expect(settings.channelDownFor == 600)
        #expect(settings.outboxJobs == 1000)
        #expect(settings.outboxAge == 1800)
        #expect(settings.calendarRunningOut)
        #expect(settings.diskFree == .percent(5))
        #expect(settings.clockJump == 300)
        #expect(check(baseRules).ruleSet?.watch == nil)
    }

    @Test func offDropsEachTrouble() throws {
        let result = watchLine("scans failing off\nchannel down off\noutbox off\ncalendar off\ndisk off\nclock jump off")
        #expect(found(result).isEmpty, "\(result.diagnostics)")
        let settings = try #require(result.ruleSet?.watch)
        #expect(settings.scansFailingFor == nil)
        #expect(settings.channelDownFor == nil)
        #expect(settings.outboxJobs == nil && settings.outboxAge == nil)
        #expect(!settings.calendarRunningOut)
        #expect(settings.diskFree == nil)
        #expect(settings.clockJump == nil)
        #expect(watchLine("disk free off").ruleSet?.watch?.diskFree == nil)
    }

    /// The outbox line says all that is watched: a half left out is not watched.
    @Test(arguments: [
        ("outbox above 50 jobs", 50, nil),
        ("outbox older than 10s", nil, 10),
        ("outbox above 1 jobs or older than 7d", 1, 604_800),
        ("outbox above 1000000 jobs", 1_000_000, nil),
    ] as [(String, Int?, Int?)])
    func outboxHalves(_ line: String, _ jobs: Int?, _ age: Int?) throws {
        let result = watchLine(line)
        let settings = try #require(result.ruleSet?.watch, "\(result.diagnostics)")
        #expect(settings.outboxJobs == jobs)
        #expect(settings.outboxAge == age)
    }

    @Test(arguments: [
        ("1%", DiskFreeLine.percent(1)), ("99%", .percent(99)), ("1MB", .bytes(1 << 20)), ("2GB", .bytes(2 << 30)),
    ])
    func diskLines(_ value: String, _ line: DiskFreeLine) throws {
        let result = watchLine("disk free below \(value)")
        #expect(result.ruleSet?.watch?.diskFree == line, "\(result.diagnostics)")
        #expect(line.description == value)
    }

    /// Each bad line: its code, where it points (line 10), a piece of the message and of the hint.
    @Test(arguments: [
        ("scans failing for 5s", "E115", "10:19", "out of range", "10s to 1d"),
        ("scans failing for 2d", "E115", "10:19", "out of range", "10s to 1d"),
        ("scans failing for 5x", "E005", "10:19", "not a duration", "45s"),
        ("scans failed for 5m", "E003", "10:7", "expected 'failing'", "failing"),
        ("channel down for 9s", "E115", "10:18", "'channel down for 9s' is out of range", "the default is 10m"),
        ("channel down after 5m", "E003", "10:14", "expected 'for' or 'off'", "channel down for DURATION"),
        ("outbox above 0 jobs", "E115", "10:14", "out of range", "1 to 1000000 jobs"),
        ("outbox above 2000000 jobs", "E115", "10:14", "out of range", "1 to 1000000 jobs"),
        ("outbox above many jobs", "E003", "10:14", "number of pending notices", "outbox above"),
        ("outbox above 10 notices", "E003", "10:17", "expected 'jobs'", "outbox above 10 jobs"),
        ("outbox older than 5s", "E115", "10:19", "out of range", "10s to 7d"),
        ("outbox older than 8d", "E115", "10:19", "out of range", "10s to 7d"),
        ("outbox below 5 jobs", "E003", "10:8", "expected 'above'", "outbox off"),
        ("calendar running", "E003", "10:17", "expected 'out'", "calendar running out"),
        ("calendar on", "E003", "10:10", "expected 'running' or 'off'", "calendar off"),
        ("disk free below 0%", "E115", "10:17", "out of range", "1% to 99%"),
        ("disk free below 100%", "E115", "10:17", "out of range", "1% to 99%"),
        ("disk free below 0MB", "E115", "10:17", "out of range", "at least 1MB"),
        ("disk free below 500KB", "E003", "10:17", "not a free-space line", "500MB or 2GB"),
        ("disk free below 5", "E003", "10:17", "not a free-space line", "5%"),
        ("disk free below 1.5GB", "E003", "10:17", "not a free-space line", "2GB"),
        ("disk below 5%", "E003", "10:6", "expected 'free'", "disk off"),
        ("clock jump above 5s", "E115", "10:18", "out of range", "10s to 1d"),
        ("clock jump above 2d", "E115", "10:18", "out of range", "the default is 5m"),
        ("scan failing for 5m", "E003", "10:1", "unknown statement 'scan' in a watch block", "scans"),
    ])
    func badLines(_ line: String, _ code: String, _ at: String, _ message: String, _ hint: String) throws {
        let result = watchLine(line)
        #expect(codes(result) == [code], "\(result.diagnostics)")
        let diagnostic = try #require(found(result).first)
        #expect(place(result, diagnostic.range) == at)
        #expect(diagnostic.message.contains(message), "\(diagnostic.message)")
        #expect(diagnostic.hint?.contains(hint) == true, "\(diagnostic.hint ?? "no hint")")
        #expect(result.ruleSet == nil)
    }

    @Test func aRepeatedLinePointsAtTheFirst() throws {
        let result = watchLine("scans failing for 5m\nscans failing off")
        #expect(codes(result) == ["E107"])
        let diagnostic = try #require(found(result).first)
        #expect(place(result, diagnostic.range) == "11:1")
        #expect(diagnostic.hint != nil)
        #expect(diagnostic.related.map { place(result, $0) } == "10:1")
    }

    @Test func notifyIsRequired() throws {
        let result = watch("scans failing for 5m")
        #expect(codes(result) == ["E106"])
        let diagnostic = try #require(found(result).first)
        #expect(place(result, diagnostic.range) == "8:1")
        #expect(diagnostic.hint?.contains("notify person NAME via CHANNEL") == true)
    }

    @Test func aSecondBlockPointsAtTheFirst() throws {
        let result = watch("notify person zhang-wei via console", extra: "watch { notify person li-na via console }\n")
        #expect(codes(result) == ["E101"])
        let diagnostic = try #require(found(result).first)
        #expect(place(result, diagnostic.range) == "11:1")
        #expect(diagnostic.related.map { place(result, $0) } == "8:1")
        #expect(diagnostic.hint?.contains("merge") == true)
    }

    @Test func assigneeIsNobodyInAWatch() throws {
        let result = watch("notify person zhang-wei, assignee via console")
        #expect(codes(result) == ["E003"])
        let diagnostic = try #require(found(result).first)
        #expect(place(result, diagnostic.range) == "9:26")
        #expect(diagnostic.message.contains("no ticket"))
        #expect(diagnostic.hint?.contains("person NAME") == true)
    }

    @Test(arguments: ["supervisor", "manager"])
    func supervisorAndManagerNeedATeam(_ target: String) throws {
        let result = watch("notify \(target) via console")
        #expect(codes(result) == ["E106"])
        let diagnostic = try #require(found(result).first)
        #expect(place(result, diagnostic.range) == "9:8")
        #expect(diagnostic.message.contains("needs 'team NAME'"))
        #expect(diagnostic.hint?.contains("add 'team NAME'") == true)
        #expect(found(watch("notify \(target) via console\nteam cs")).isEmpty)
    }

    @Test func aTeamWithoutTheRoleReachesNobody() throws {
        let result = watch("notify supervisor via console\nteam desk", extra: "team desk { members zhang-wei }\n")
        #expect(codes(result) == ["W008"])
        let diagnostic = try #require(found(result).first)
        #expect(place(result, diagnostic.range) == "9:1")
        #expect(diagnostic.hint == "add 'supervisor NAME' to team desk")
    }

    @Test func unknownNamesGetDidYouMean() throws {
        let result = watch("notify person zhang-wie via consol\nteam cx")
        #expect(codes(result) == ["E102", "E102", "E102"])
        let hints = found(result).compactMap(\.hint)
        #expect(hints.count == 3)
        #expect(hints[0].contains("zhang-wei") && hints[1].contains("console") && hints[2].contains("cs"), "\(hints)")
        #expect(place(result, found(result)[1].range) == "9:29")
    }

    @Test func aPersonWithoutTheChannelsAddressIsReported() throws {
        let result = watch("notify person wu via sms, console", extra: "person wu \"吴\" { email \"wu@example.com\" }\n")
        #expect(codes(result) == ["W007"])
        #expect(found(result).first.map { place(result, $0.range) } == "9:1")
        #expect(found(result).first?.hint == "add 'phone \"…\"' to person wu; until then self-alerts through this channel skip them")
    }

    /// Channels and people named only by the watch are used (no W002).
    @Test func namesUsedOnlyByTheWatchAreUsed() {
        let result = check("""
        person duty { phone "+8613800000009" }
        team desk { members duty; supervisor duty }
        channel console log {}
        channel siren exec { command "/usr/local/bin/siren" }
        watch { notify person duty, supervisor via console, siren; team desk }
        """)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    }

    @Test func networkChannelsOnlyAreWarned() throws {
        let result = watch("notify person zhang-wei via sms")
        #expect(codes(result) == ["W019"])
        let diagnostic = try #require(found(result).first)
        #expect(place(result, diagnostic.range) == "9:29")
        #expect(diagnostic.message.contains("network channels only"))
        #expect(diagnostic.hint?.contains("exec channel") == true && diagnostic.hint?.contains("log channel") == true)
        #expect(result.ruleSet?.watch != nil)
        #expect(codes(watch("notify person zhang-wei via sms, console")).isEmpty)
        #expect(codes(watch("notify person zhang-wei via sms, siren", extra: "channel siren exec { command \"/bin/true\" }\n")).isEmpty)
    }

    @Test func shippedRulesWatchOverALogChannel() throws {
        let settings = try #require(try ShippedRulesTests.load().ruleSet?.watch)
        #expect(settings.channels.contains("console"))
        #expect(!settings.targets.isEmpty)
    }
}
