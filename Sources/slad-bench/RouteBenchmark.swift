import Foundation
import SLAEngine
import SLARules

/// `slad-bench route [N]`: µs per route decision over the shipped route table (rules/routes.sla), for
/// repair texts that reach each trade, the late ones in the table and the fallback (the worst case: every
/// route's keywords tried). The workload is a fixed in-memory one, so the figure is the decision's own.
func routeBenchmark(decisions: Int = 200_000) {
    let engine = shippedEngine()
    guard engine.hasRoutes else {
        FileHandle.standardError.write(Data("slad-bench: the shipped rules have no routes\n".utf8))
        exit(1)
    }
    let texts = ["3栋2单元电梯困人，有老人", "厨房水管漏水，楼下天花板在滴水", "外墙渗水，墙皮脱落", "单元门门禁刷卡没反应",
                 "小区草坪枯死一大片", "垃圾房异味很重", "楼下有可疑人员徘徊", "快递柜屏幕坏了，麻烦尽快来看看"]
    let fields = texts.map { TicketFields(kind: "repair", site: "翠湖花园", building: "3栋", text: $0) }
    let at = Instant(seconds: 1_772_416_800)   // 2026-03-02T10:00:00+08:00, a Monday in office hours
    let workload = BenchWorkload()
    var routed = 0
    for field in fields { if engine.route(field, at: at, workload: workload).assignee != nil { routed += 1 } }
    let clock = ContinuousClock()
    var assigned = 0
    let elapsed = clock.measure {
        for index in 0..<decisions where engine.route(fields[index % fields.count], at: at, workload: workload).assignee != nil {
            assigned += 1
        }
    }
    let fallback = TicketFields(kind: "repair", text: texts.last)
    let worst = clock.measure {
        for _ in 0..<decisions / 4 { _ = engine.route(fallback, at: at, workload: workload) }
    }
    let each = milliseconds(elapsed) * 1000 / Double(decisions)
    let worstEach = milliseconds(worst) * 1000 / Double(decisions / 4)
    print("route: \(decisions) decisions over \(engine.rules.routes.count) routes, \(routed)/\(texts.count) texts routed, \(assigned) assigned")
    print(String(format: "route: %.2f µs per decision (mixed trades), %.2f µs for the fallback (every route tried)", each, worstEach))
}

/// Everyone has two open tickets; no team has given one yet.
struct BenchWorkload: RouteWorkload {
    func openTickets(of person: String) -> Int { 2 }
    func lastPerson(of team: String) -> String? { nil }
}
