import SLARules

/// A rule set the size of a large property group: 5,000 policies over 500 sites, 500 people.
func generatedRules(policies: Int, people: Int) -> [SourceFile] {
    var base = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri; holiday 2026-10-01 .. 2026-10-07 "国庆节"; workday 2026-10-10 "调休" }
    hours office { calendar cn; 09:00-12:00, 13:30-18:00 }
    channel sms sms-http { url "http://127.0.0.1:9000/send"; token env SMS_TOKEN }
    channel ops wecom { key credential wecom-key }
    template overdue "【{policy.title}超时】{ticket.building}{ticket.unit} {clock.title}已超时 {overdue}，负责人 {assignee.name}"

    """
    for index in 0..<people {
        base += "person p\(index) \"员工\(index)\" { phone \"+86138\(100_000_00 + index)\"; email \"p\(index)@example.com\" }\n"
    }
    let teams = people / 10
    for team in 0..<teams {
        let members = (0..<10).map { "p\(team * 10 + $0)" }.joined(separator: ", ")
        base += "team t\(team) { members \(members); supervisor p\(team * 10); manager p\(team * 10 + 1) }\n"
        base += "roster r\(team) { rotate daily at 08:30; members \(members) }\n"
    }
    var policyText = ""
    let grades = ["A", "B", "C"]
    for index in 0..<policies {
        let team = index % teams
        policyText += """
        policy c\(index) "投诉 \(index)" {
          when kind = complaint and site = s\(index / 10) and category = c\(index % 10) and grade = \(grades[index % 3])
          team t\(team)
          clock respond "首次响应" within 2h until acknowledged
          clock feedback "结果反馈" within 3 working days using office until resolved
          escalate {
            at respond - 30m notify assignee via sms using overdue
            at respond notify supervisor, roster r\(team) via sms, ops using overdue
            at respond + 1h notify manager via ops repeat every 1h until acknowledged max 3
          }
        }

        """
    }
    return [SourceFile(path: "base.sla", text: base), SourceFile(path: "policies.sla", text: policyText)]
}

/// Checks the generated rule set seven times and prints min, median and max.
func checkBenchmark() {
    let files = generatedRules(policies: 5000, people: 500)
    let bytes = files.reduce(0) { $0 + $1.text.utf8.count }
    var timings: [Double] = []
    var last: CheckResult?
    for _ in 0..<7 {
        let clock = ContinuousClock()
        let start = clock.now
        last = RuleLoader.check(files)
        let elapsed = clock.now - start
        timings.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }
    timings.sort()
    let result = last!
    print("check: 5,000 policies, 500 people, \(bytes / 1024) KiB of rules")
    print("  diagnostics: \(result.errorCount) errors, \(result.warningCount) warnings; rule set built: \(result.ruleSet != nil)")
    print("  time per check (7 runs): min \(String(format: timings[0])) ms, median \(String(format: timings[3])) ms, max \(String(format: timings[6])) ms")
}

func String(format value: Double) -> String {
    let scaled = (value * 10).rounded() / 10
    return "\(scaled)"
}
