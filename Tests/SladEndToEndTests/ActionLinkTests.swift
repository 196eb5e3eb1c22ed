import Foundation
import GRDB
import SLAActions
import SLADaemon
import SLANotify
import SLAStore
import Testing

/// Action links with the real binary (issue 13): the daemon mints them with its notices; a press through
/// the desk (what the public pages call) shows in the API's timeline and `slad ticket show` as via link.
@Suite struct ActionLinkTests {
    static let key = String(repeating: "5a", count: 32)
    static let environment = ["SLAD_TEST_LINK_KEY": key]

    /// The fast rules with links signed by `keyVariable`.
    static func rules(keyVariable: String = "SLAD_TEST_LINK_KEY") throws -> URL {
        try DaemonProcess.makeRules(DaemonProcess.fastRules + """

        links {
          base-url "http://127.0.0.1:9/slad"
          key env \(keyVariable)
          expire 1h
        }
        """)
    }

    static func actions(_ daemon: DaemonProcess, ticket: String) throws -> [[String: String]] {
        let queue = try DatabaseQueue(path: daemon.state.appendingPathComponent("slad.sqlite").path)
        let texts = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT actions FROM outbox WHERE ticket_id = ? AND actions IS NOT NULL ORDER BY id", arguments: [ticket])
        }
        return texts.flatMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [[String: String]] ?? [] }
    }

    @Test func aNoticesLinkAcknowledgesTheTicketViaLink() async throws {
        let daemon = try DaemonProcess(rules: try Self.rules(), environment: Self.environment)
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let health = try daemon.request("GET", "/healthz")
        #expect((health.object["links"] as? [String: Any])?["configured"] as? Bool == true, "\(health.object)")
        #expect(try daemon.post("/v1/tickets", ["id": "K1", "kind": "complaint"]).status == 201)
        try daemon.waitFor("the first notice's links", seconds: 20) { try !Self.actions(daemon, ticket: "K1").isEmpty }
        let links = try Self.actions(daemon, ticket: "K1")
        #expect(links.prefix(2).map { $0["action"] } == ["ack", "resolve"] && links[0]["person"] == "duty", "\(links)")
        let url = try #require(links.first?["url"])
        #expect(url.hasPrefix("http://127.0.0.1:9/slad/a/") && url.count == "http://127.0.0.1:9/slad/a/".count + 24)
        // The console channel's notifier received the same links (the delivery hands them on).
        try daemon.waitFor("the notice on the console", seconds: 20) { try daemon.count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'") > 0 }

        // What the public pages do: the desk, on the daemon's own database and rules.
        let desk = try await Self.desk(daemon)
        let token = String(url.split(separator: "/").last!)
        // The notifier is handed the row's links, for the person the notice reached.
        let job = try #require(try await desk.store.outbox(state: nil, limit: 10).first { $0.ticketID == "K1" })
        let notice = DeliveryService.notice(for: job)
        #expect(notice.actions.map(\.label).prefix(2) == ["接单", "已处理"] && notice.actions.first?.url == url)
        #expect(notice.actions.allSatisfy { $0.person == "duty" && $0.name == "值班员" })
        // The page's form value: bound to this token.
        let form = try #require(desk.formValue(token: token))
        #expect(desk.checkFormValue(form, token: token))
        #expect(!desk.checkFormValue(form, token: String(try #require(links.last?["url"]).split(separator: "/").last!)))
        let now = Int(Date().timeIntervalSince1970)
        guard case .ready = await desk.look(token: token, now: now) else { Issue.record("the link should be ready"); return }
        guard case .done(_, "已接单") = await desk.act(token: token, now: now) else { Issue.record("the press should acknowledge"); return }
        guard case .alreadyDone(_, "值班员", _) = await desk.act(token: token, now: now) else { Issue.record("a second press"); return }
        var forged = Array(token)
        forged[23] = forged[23] == "A" ? "Q" : "A"
        #expect(await desk.act(token: String(forged), now: now) == .invalid)

        let shown = try daemon.request("GET", "/v1/tickets/K1")
        let timeline = shown.object["timeline"] as? [[String: Any]] ?? []
        let acknowledged = try #require(timeline.first { $0["kind"] as? String == "acknowledged" })
        #expect(acknowledged["actor"] as? String == "duty" && acknowledged["via"] as? String == "link", "\(acknowledged)")
        let printed = try Slad.run(["ticket", "show", "K1", "--server", "http://127.0.0.1:\(daemon.port)"])
        #expect(printed.stdout.contains("acknowledged by duty via link"), "\(printed.stdout)")
    }

    @Test func aMissingKeyLeavesNoticesWithoutLinksAndSaysSoInHealth() throws {
        let daemon = try DaemonProcess(rules: try Self.rules(keyVariable: "SLAD_TEST_NO_SUCH_KEY"))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let links = try #require(try daemon.request("GET", "/healthz").object["links"] as? [String: Any])
        #expect(links["configured"] as? Bool == false)
        #expect((links["reason"] as? String)?.contains("SLAD_TEST_NO_SUCH_KEY") == true, "\(links)")
        #expect(daemon.stderr.contains("action links are off"), "\(daemon.stderr)")
        #expect(try daemon.post("/v1/tickets", ["id": "K2", "kind": "complaint"]).status == 201)
        try daemon.waitFor("the notice", seconds: 20) { try daemon.count("SELECT COUNT(*) FROM outbox WHERE ticket_id = 'K2'") > 0 }
        #expect(try daemon.count("SELECT COUNT(*) FROM outbox WHERE actions IS NOT NULL") == 0)
        #expect(try daemon.count("SELECT COUNT(*) FROM action_link") == 0)
    }

    /// The desk a page would use, on the daemon's database and rules.
    static func desk(_ daemon: DaemonProcess) async throws -> LinkDesk {
        let store = try SQLiteTicketStore.open(folder: daemon.state.path)
        let rules = try RulesHolder(paths: [daemon.rules.path])
        let settings = try #require(await rules.engine.rules.links)
        store.setLinks(try LinkConfiguration.minter(settings, secrets: SecretResolver(environment: Self.environment)))
        return LinkDesk(store: store, rules: rules)
    }

    @Test func aDrillConfirmedFromLinksAloneNamesWhoConfirmedEachStepViaLink() async throws {
        let daemon = try DaemonProcess(rules: try Self.rules(), environment: Self.environment)
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/incidents", ["id": "D1", "plan": "lift", "drill": true, "building": "7栋", "by": "duty"]).status == 201)
        try daemon.waitFor("both steps' links", seconds: 20) { try Self.actions(daemon, ticket: "D1").count >= 2 }
        // The assignments' links, one per step (a late step's overdue notice carries one more).
        var seen = Set<String>()
        let links = try Self.actions(daemon, ticket: "D1").filter { seen.insert($0["label"] ?? "").inserted }
        #expect(seen == ["确认完成：安抚", "确认完成：到场"], "\(links)")
        let desk = try await Self.desk(daemon)
        for link in links {
            let token = String(try #require(link["url"]).split(separator: "/").last!)
            guard case let .ready(view) = await desk.look(token: token, now: Int(Date().timeIntervalSince1970)) else {
                Issue.record("ready"); return
            }
            #expect(view.isDrill && view.subject.contains("演练 D1"))
            guard case .done = await desk.act(token: token, now: Int(Date().timeIntervalSince1970)) else { Issue.record("confirm"); return }
        }
        let shown = try Slad.run(["incident", "show", "D1", "--server", "http://127.0.0.1:\(daemon.port)"])
        #expect(shown.stdout.contains("[closed]") && shown.stdout.contains("by duty via link"), "\(shown.stdout)")
        let report = try Slad.run(["incident", "report", "D1", "--server", "http://127.0.0.1:\(daemon.port)"])
        #expect(report.stdout.components(separatedBy: "值班员（经链接）").count == 3, "\(report.stdout)")
        let json = try Slad.run(["incident", "report", "D1", "--format", "json", "--server", "http://127.0.0.1:\(daemon.port)"])
        #expect(json.stdout.contains("\"confirmedVia\""), "\(json.stdout)")
    }

    @Test func confirmingSomeoneElsesStepThroughTheAPIIsRecordedWithTheOwner() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/incidents", ["id": "E1", "plan": "lift", "building": "7栋", "by": "duty"]).status == 201)
        try daemon.waitFor("the assignments", seconds: 20) {
            try daemon.count("SELECT COUNT(*) FROM firing WHERE ticket_id = 'E1' AND step LIKE 'assigned:%'") == 2
        }
        let answer = try daemon.post("/v1/incidents/E1/confirm", ["step": "comfort", "by": "guard-on-gate"])
        #expect(answer.status == 200, "\(answer.object)")
        let step = (answer.object["steps"] as? [[String: Any]])?.first { $0["name"] as? String == "comfort" }
        #expect(step?["confirmedBy"] as? String == "guard-on-gate" && step?["owner"] as? String == "duty", "\(answer.object)")
        let event = (answer.object["events"] as? [[String: Any]])?.first { $0["kind"] as? String == "confirmed" }
        #expect(event?["owner"] as? String == "duty")
        let report = try Slad.run(["incident", "report", "E1", "--server", "http://127.0.0.1:\(daemon.port)"])
        #expect(report.stdout.contains("guard-on-gate（非负责人；负责人 值班员）"), "\(report.stdout)")
        let json = try Slad.run(["incident", "report", "E1", "--format", "json", "--server", "http://127.0.0.1:\(daemon.port)"])
        #expect(json.stdout.contains("\"confirmedInsteadOf\"") && json.stdout.contains("值班员"), "\(json.stdout)")
        let shown = try Slad.run(["incident", "show", "E1", "--server", "http://127.0.0.1:\(daemon.port)"])
        #expect(shown.stdout.contains("by guard-on-gate (not the owner; owner duty)"), "\(shown.stdout)")
    }
}
