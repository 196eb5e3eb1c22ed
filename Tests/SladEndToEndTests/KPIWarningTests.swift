import Foundation
import Testing

/// KPI warnings for real: `slad serve` with a KPI on its open complaints, refreshed every second. Three
/// open complaints cross the line: one warning, delivered to a real webhook receiver. Two resolved bring
/// it back past the clear line: one all-clear. A restart after SIGKILL sends nothing again.
@Suite(.serialized) struct KPIWarningTests {
    static func rules(port: Int) -> String {
        """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person duty "值班员" { phone "+8613800000009" }
        person boss "李经理" { phone "+8613800000008" }
        team desk { members duty; supervisor duty; manager boss }
        channel hook webhook { url "http://127.0.0.1:\(port)/ok/kpi"; secret env HOOK_SECRET }
        policy complaint "投诉" {
          when kind = complaint
          team desk
          clock respond "响应" within 7d until acknowledged
        }
        kpi backlog "未完成投诉" {
          measure open
          when kind = complaint
          warn above 2
          clear at 1
          notify manager via hook
          team desk
        }
        """
    }

    @Test func aKPIAcrossItsLineWarnsOnceAndClearsOnceAcrossARestart() throws {
        let secret = "hook-secret-\(UUID().uuidString)"
        let receiver = try Receiver(secret: secret)
        defer { receiver.stop() }
        let rules = try DaemonProcess.makeRules(Self.rules(port: receiver.port))
        let daemon = try DaemonProcess(rules: rules, extra: ["--kpi-interval", "1"], environment: ["HOOK_SECRET": secret])
        try daemon.start()
        for index in 1...3 { _ = try daemon.post("/v1/tickets", ["id": "K\(index)", "kind": "complaint"]) }
        try daemon.waitFor("the warning delivered", seconds: 30) { receiver.delivered("/ok/kpi").count == 1 }
        #expect(try daemon.count("SELECT COUNT(*) FROM firing WHERE subject = 'kpi' AND step = 'warning'") == 1)
        let warning = try daemon.count("SELECT COUNT(*) FROM outbox WHERE subject = 'kpi' AND message LIKE '%【KPI 预警】未完成投诉 · 全公司：3%'")
        #expect(warning == 1, "\(daemon.stderr)")

        for index in 1...2 {
            #expect(try daemon.post("/v1/tickets/K\(index)/events", ["kind": "resolved"]).status == 200)
        }
        try daemon.waitFor("the all-clear delivered", seconds: 30) { receiver.delivered("/ok/kpi").count == 2 }
        #expect(try daemon.count("SELECT COUNT(*) FROM outbox WHERE subject = 'kpi' AND message LIKE '【KPI 恢复】未完成投诉%'") == 1)
        daemon.signal(SIGKILL)
        _ = try daemon.waitForExit()

        let again = try DaemonProcess(rules: rules, state: daemon.state, extra: ["--kpi-interval", "1"], environment: ["HOOK_SECRET": secret])
        try again.start()
        defer { again.signal(SIGKILL) }
        // The first refresh after a restart is where a notice would be repeated, if one ever were.
        try again.waitFor("the first KPI refresh after the restart", seconds: 30) { again.stderr.contains("KPIs: 1 computed over") }
        #expect(try again.count("SELECT COUNT(*) FROM firing WHERE subject = 'kpi'") == 2)
        #expect(receiver.delivered("/ok/kpi").values.allSatisfy { $0 == 1 }, "\(receiver.delivered("/ok/kpi"))")
    }
}
