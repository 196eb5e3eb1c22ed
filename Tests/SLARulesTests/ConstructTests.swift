import Testing
@testable import SLARules

@Suite struct ConstructTests {
    @Test func calendarWithIncludeAndDatedDays() throws {
        let result = check("""
        calendar cn "中国" {
          timezone Asia/Shanghai
          workdays mon-fri
          include "cn.days"
          holiday 2026-10-01 .. 2026-10-03 "国庆节"
          workday 2026-10-10 "国庆节调休"
        }
        hours office { calendar cn; 09:00-12:00, 13:30-18:00 }
        """, extra: ["cn.days": "# data\n2026-01-01 off 元旦\n2026-01-04 work 元旦调休\n"])
        let calendar = try #require(result.ruleSet?.calendars["cn"])
        #expect(calendar.title == "中国")
        #expect(calendar.isWorkingDay(DayDate("2026-10-02")!) == false)
        #expect(calendar.isWorkingDay(DayDate("2026-10-10")!) == true)   // a Saturday made a working day
        #expect(calendar.isWorkingDay(DayDate("2026-01-01")!) == false)  // from the included file
        #expect(calendar.isWorkingDay(DayDate("2026-01-04")!) == true)   // a Sunday made a working day
        #expect(calendar.isWorkingDay(DayDate("2026-10-17")!) == false)  // an ordinary Saturday
        #expect(calendar.days[DayDate("2026-10-01")!]?.name == "国庆节")
        #expect(result.ruleSet?.hours["office"]?.ranges.map(\.description) == ["09:00-12:00", "13:30-18:00"])
    }

    @Test func peopleTeamsAndRosters() throws {
        let result = check(baseRules + """

        roster oncall "值班" {
          rotate weekly on mon at 09:00
          starting 2026-01-05
          timezone Asia/Shanghai
          members zhang-wei, li-na
          override 2026-10-01 .. 2026-10-03 li-na
        }
        policy p { clock respond within 1h until acknowledged
          escalate { at respond notify roster oncall, team cs via sms, console } }
        """)
        #expect(result.errorCount == 0, "\(result.diagnostics)")
        let rules = try #require(result.ruleSet)
        #expect(rules.people["zhang-wei"]?.displayName == "张伟")
        #expect(rules.people["zhang-wei"]?.addresses[.phone] == "+8613800000001")
        #expect(rules.teams["cs"]?.supervisor == "li-na")
        let roster = try #require(rules.rosters["oncall"])
        #expect(roster.rotation == .weekly(.mon))
        #expect(roster.handoff.description == "09:00")
        #expect(roster.members == ["zhang-wei", "li-na"])
        #expect(roster.overrides.first?.through == DayDate("2026-10-03"))
    }

    @Test func channelsKeepSecretsAsReferences() throws {
        let result = check(baseRules + """

        channel ops wecom "群机器人" { key credential wecom-key }
        channel mail email { host "127.0.0.1"; port 25; from "a@example.com"; password env SMTP_PASSWORD }
        channel siren exec { command "/usr/local/bin/siren", "--loud"; timeout 10s }
        policy p { clock respond within 1h until acknowledged
          escalate { at respond notify team cs, person li-na via sms, console, ops, mail, siren } }
        """)
        let rules = try #require(result.ruleSet, "\(result.diagnostics)")
        #expect(rules.channels["ops"]?.settings["key"] == .credential("wecom-key"))
        #expect(rules.channels["mail"]?.settings["password"] == .environment("SMTP_PASSWORD"))
        #expect(rules.channels["mail"]?.settings["port"] == .number(25))
        #expect(rules.channels["siren"]?.settings["command"] == .list(["/usr/local/bin/siren", "--loud"]))
        #expect(rules.channels["siren"]?.settings["timeout"] == .duration(Duration(seconds: 10)))
        // li-na has no e-mail address: the team step through 'mail' cannot reach her.
        #expect(codes(result).contains("W007"))
    }

    @Test func policyClocksStepsAndExpressions() throws {
        let result = check(baseRules + """

        template late "【{policy.title}】{clock.title}已超时 {overdue}"
        policy complaint-a "A级投诉" {
          when kind = complaint and (grade in [A, B] or tags = vip) and not site = test
          team cs
          clock respond "首次响应" within 2h until acknowledged
          clock feedback within 3 working days until resolved
          clock answer by end of working day using office until resolved
          clock revisit within 7d from resolved until revisited
          pause while status = waiting-customer
          escalate {
            at 50% of respond notify assignee via sms
            at respond - 30m notify assignee via sms using late
            at respond notify supervisor via sms, console
            at respond + 2h notify manager, person li-na via sms repeat every 1h until resolved max 5 times
            at feedback notify team cs via console
            at answer notify supervisor via console
            at revisit notify supervisor via console
          }
        }
        """)
        let policy = try #require(result.ruleSet?.policies.first, "\(result.diagnostics)")
        #expect(policy.title == "A级投诉")
        #expect(policy.clocks.map(\.name) == ["respond", "feedback", "answer", "revisit"])
        #expect(policy.clocks[0].limit == .wall(Duration(seconds: 7200)))
        #expect(policy.clocks[1].limit == .workingDays(3, hours: "office"))  // the only hours, filled in
        #expect(policy.clocks[2].limit == .endOfWorkingDay(hours: "office"))
        #expect(policy.clocks[3].start == .resolved && policy.clocks[3].stop == .revisited)
        #expect(policy.steps[0].at == .share(clock: "respond", percent: 50))
        #expect(policy.steps[1].at == .offset(clock: "respond", seconds: -1800))
        #expect(policy.steps[1].template == "late")
        #expect(policy.steps[3].repeating == Repeat(every: Duration(seconds: 3600), until: .resolved, limit: 5))
        #expect(policy.steps[3].targets == [.manager, .person("li-na")])
        let ticket: [TicketField: [String]] = [.kind: ["complaint"], .grade: ["C"], .tags: ["vip", "repeat"], .site: ["north"]]
        #expect(policy.match.matches(ticket))
        #expect(!policy.match.matches([.kind: ["complaint"], .grade: ["C"]]))
        #expect(!policy.match.matches([.kind: ["complaint"], .grade: ["A"], .site: ["test"]]))
        #expect(policy.pause?.matches([.status: ["waiting-customer"]]) == true)
    }

    @Test func plansWithLevelsAndOverdue() throws {
        let result = check(baseRules + """

        template plan-late "{plan.title} {step} 超时"
        plan elevator-trapped "电梯困人" {
          level I
          when kind = incident and category = elevator-trapped
          step comfort "安抚被困人员" within 5m owner team cs via sms
          step report "上报" within 1h owner manager via console at level II
          on overdue notify manager, supervisor via sms using plan-late
          on overdue notify person zhang-wei via sms at level I
        }
        """)
        let plan = try #require(result.ruleSet?.plans.first, "\(result.diagnostics)")
        #expect(plan.level == .I)
        #expect(plan.steps.map(\.name) == ["comfort", "report"])
        #expect(plan.steps[0].within == Duration(seconds: 300))
        #expect(plan.steps[1].minimumLevel == .II)
        #expect(plan.onOverdue.first?.targets == [.manager, .supervisor])
        #expect(plan.onOverdue.first?.minimumLevel == nil && plan.onOverdue.last?.minimumLevel == .I)
        #expect(plan.trigger?.matches([.kind: ["incident"], .category: ["elevator-trapped"]]) == true)
        #expect(IncidentLevel.I > IncidentLevel.III)
    }

    @Test func planCoversAndDrillChannels() throws {
        let result = check(baseRules + """

        plan water-outage "停水" {
          covers category in [water, no-water] in same building
          drill via console
          step notice within 30m owner team cs via sms
        }
        plan other { step a within 5m owner team cs via sms; covers category = power }
        """)
        let rules = try #require(result.ruleSet, "\(result.diagnostics)")
        #expect(rules.plans[0].coverScope == .building)
        #expect(rules.plans[0].drillChannels == ["console"])
        #expect(rules.plans[0].covers?.matches([.category: ["no-water"]]) == true)
        #expect(rules.plans[0].covers?.matches([.category: ["power"]]) == false)
        #expect(rules.plans[1].coverScope == .site && rules.plans[1].drillChannels.isEmpty)
    }

    @Test(arguments: [
        ("covers category = water in same street", "E003"),
        ("covers category = water\n  covers category = power", "E107"),
        ("drill via nowhere", "E102"),
        ("drill console", "E003"),
        ("covers category = [water, no-water]", "E003"),
    ])
    func planCoversAndDrillMistakes(_ line: String, _ code: String) {
        let result = check(baseRules + "\nplan p {\n  \(line)\n  step a within 5m owner team cs via sms\n}\n")
        #expect(codes(result).contains(code), "\(result.diagnostics)")
    }

    @Test func aListAfterEqualsSuggestsIn() {
        let result = check(baseRules + "\nplan p {\n  covers category = [water, no-water]\n  step a within 5m owner team cs via sms\n}\n")
        #expect(result.diagnostics.contains { $0.code == .unexpectedToken && $0.hint == "for a list, write 'category in [a, b]'" }, "\(result.diagnostics)")
    }

    @Test func chineseTextEverywhereAStringGoes() throws {
        let result = check(baseRules + """

        template 模板 "【{policy.title}】紧急：{ticket.text}"
        policy 投诉 "投诉（A级）" { when category = "电梯" and building = 3栋
          clock 响应 "首次响应" within 2h until acknowledged
          escalate { at 响应 notify assignee via sms using 模板 } }
        """)
        let rules = try #require(result.ruleSet, "\(result.diagnostics)")
        #expect(rules.policies[0].name == "投诉")
        #expect(rules.templates["模板"]?.body == "【{policy.title}】紧急：{ticket.text}")
    }

    @Test func templateNeedsABody() {
        let result = check(baseRules + "\ntemplate t { title \"标题\" }\n")
        #expect(codes(result).contains("E106"))
        #expect(result.ruleSet == nil)
    }

    @Test(arguments: [
        ("2h", 7200), ("30m", 1800), ("1h30m", 5400), ("7d", 604_800), ("45s", 45), ("2w", 1_209_600),
    ])
    func durations(_ text: String, _ seconds: Int) {
        #expect(Duration(text)?.seconds == seconds)
    }

    @Test(arguments: ["", "h", "2", "30m2h", "2x", "1h1h", "-3m"])
    func badDurations(_ text: String) {
        #expect(Duration(text) == nil)
    }

    @Test func datesAndWeekdays() {
        #expect(DayDate("2026-10-01")?.weekday == .thu)
        #expect(DayDate("2024-02-29") != nil)
        #expect(DayDate("2025-02-29") == nil)
        #expect(DayDate.from(dayNumber: DayDate("2026-12-31")!.dayNumber + 1) == DayDate("2027-01-01"))
    }
}
