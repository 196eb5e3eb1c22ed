import Foundation
import Testing

/// The 看板 from the real `slad serve`: a complaint due in 2 s is at risk, then, once the scan sees its
/// clock run out, breached; an open drill shows its steps; the page is served with its policy.
@Suite struct DashboardEndToEndTests {
    @Test func aTicketMovesFromAtRiskToBreachedOnTheBoard() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/tickets", ["id": "B1", "kind": "complaint", "site": "翠湖花园", "building": "3栋"]).status == 201)
        #expect(try daemon.post("/v1/incidents", ["id": "D1", "plan": "lift", "drill": true]).status == 201)
        func ids(_ list: String) throws -> [String] {
            let board = try daemon.request("GET", "/v1/dashboard").object
            return ((board[list] as? [String: Any])?["rows"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        }
        #expect(try ids("atRisk") == ["B1"])
        try daemon.waitFor("B1 on the breached list", seconds: 20) { try ids("breached") == ["B1"] }
        #expect(try ids("atRisk").isEmpty)
        let page = try daemon.request("GET", "/dashboard")
        #expect(page.status == 200)
        #expect(page.text.contains("data-ticket=\"B1\"") && page.text.contains("超 ") && page.text.contains("电梯困人"), "\(page.text.suffix(3000))")
        #expect(page.text.contains("<tr data-policy=\"fast\"><td>快速</td><td>1</td><td class=\"hot\">1</td></tr>"))
    }
}
