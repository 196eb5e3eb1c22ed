import Foundation
import SLADaemon
import GRDB
import SLATestSupport
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Issue 13's "done means", end to end: the real `slad demo` on the shipped rules (with rules/links.sla
/// pointing at this test's port), a link from a console notice opened in headless Chromium on a
/// 360×740 phone, the button pressed with a real click; then a drill of the shipped elevator plan
/// confirmed from links alone. `SLAD_SKIP_BROWSER=1` skips it on a machine without a browser.
@Suite(.serialized, .disabled(if: ProcessInfo.processInfo.environment["SLAD_SKIP_BROWSER"] == "1", "SLAD_SKIP_BROWSER=1"))
struct ActionPhoneTests {
    /// The demo as a newcomer runs it, on a copy of the shipped rules whose links point at `port`.
    final class Demo: @unchecked Sendable {
        let process = Process()
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("slad-phone-demo-\(UUID().uuidString)")
        let publicPort: Int
        private let lock = NSLock()
        private var text = ""

        init() throws {
            publicPort = try Self.freePort()
            let rules = try Slad.copyOfRules()
            let links = rules.appendingPathComponent("links.sla")
            let shipped = try String(contentsOf: links, encoding: .utf8)
            #expect(shipped.contains("\"http://127.0.0.1:8788\""))
            try shipped.replacingOccurrences(of: "127.0.0.1:8788", with: "127.0.0.1:\(publicPort)").write(to: links, atomically: true, encoding: .utf8)
            process.executableURL = Slad.binary
            process.arguments = ["demo", "--rules", rules.path, "--state", state.path, "--public-port", "\(publicPort)", "--duration", "300"]
            var environment = ProcessInfo.processInfo.environment
            for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "CREDENTIALS_DIRECTORY"] { environment[name] = nil }
            process.environment = environment
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            out.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.lock.withLock { self.text += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }

        var output: String { lock.withLock { text } }

        /// A free loopback port for the action pages (the rules must name it before the demo starts).
        static func freePort() throws -> Int {
            guard let port = LoopbackPort.free() else { throw DaemonProcess.Failure("no free port") }
            return port
        }

        /// Waits for a line of the demo's output matching `predicate`.
        func waitForLine(_ what: String, seconds: Double = 60, _ predicate: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let line = output.split(separator: "\n").map(String.init).first(where: predicate) { return line }
                Thread.sleep(forTimeInterval: 0.1)
            }
            throw DaemonProcess.Failure("timed out waiting for \(what)\n--- demo output ---\n\(output)")
        }

        /// The API's address and token, as the demo prints them.
        func api() throws -> (server: String, token: String) {
            let line = try waitForLine("the demo's API") { $0.contains("SLAD_SERVER=") }
            let words = line.split(separator: " ")
            let server = words.first { $0.hasPrefix("SLAD_SERVER=") }.map { String($0.dropFirst("SLAD_SERVER=".count)) } ?? ""
            let token = words.first { $0.hasPrefix("SLAD_TOKEN=") }.map { String($0.dropFirst("SLAD_TOKEN=".count)) } ?? ""
            return (server, token)
        }

        func get(_ path: String) throws -> [String: Any] {
            let (server, token) = try api()
            var request = URLRequest(url: URL(string: server + path)!)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            return try Self.send(request)
        }

        func post(_ path: String, _ object: [String: Any]) throws -> [String: Any] {
            let (server, token) = try api()
            var request = URLRequest(url: URL(string: server + path)!)
            request.httpMethod = "POST"
            request.httpBody = try JSONSerialization.data(withJSONObject: object)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            return try Self.send(request)
        }

        static func send(_ request: URLRequest) throws -> [String: Any] {
            let semaphore = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var body: Data?
            URLSession.shared.dataTask(with: request) { data, _, _ in
                body = data
                semaphore.signal()
            }.resume()
            semaphore.wait()
            return (body.flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]) ?? [:]
        }

        /// The links minted for `subject` (ticket or incident id), from the outbox rows in the demo's database.
        func links(of subject: String) throws -> [[String: String]] {
            let queue = try DatabaseQueue(path: state.appendingPathComponent("slad.sqlite").path)
            let texts = try queue.read { db in
                try String.fetchAll(db, sql: "SELECT actions FROM outbox WHERE ticket_id = ? AND actions IS NOT NULL ORDER BY id", arguments: [subject])
            }
            return texts.flatMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [[String: String]] ?? [] }
        }
    }

    @Test func aConsoleNoticesLinkAcknowledgesTheTicketFromAPhone() throws {
        let demo = try Demo()
        // The first console notice: DEMO-1's warning to its assignee 张伟, with his links under it.
        _ = try demo.waitForLine("DEMO-1's warning with its links") { _ in
            let all = demo.output.components(separatedBy: "\n")
            guard let at = all.firstIndex(where: { $0.hasPrefix("[console] → 张伟：【A级投诉即将超时】3栋2单元1102") }) else { return false }
            return all.dropFirst(at + 1).first?.hasPrefix("接单 http://127.0.0.1:\(demo.publicPort)/a/") == true
        }
        let all = demo.output.components(separatedBy: "\n")
        let at = try #require(all.firstIndex { $0.hasPrefix("[console] → 张伟：【A级投诉即将超时】3栋2单元1102") })
        let url = String(all[at + 1].dropFirst("接单 ".count))

        let phone = try PhoneBrowser()
        defer { phone.close() }
        // Opening the link only shows the page; a second look (a link preview) changes nothing either.
        for _ in 0..<2 {
            let page = try phone.open(url)
            #expect(page.status == 200)
            #expect(page.text.contains("DEMO-1") && page.text.contains("3栋") && page.text.contains("楼上深夜装修噪音"), "\(page.text)")
            #expect(page.text.contains("发送给") && page.text.contains("张伟"), "\(page.text)")
            let button = try #require(page.button)
            #expect(button.text == "接单" && button.height >= 44 && button.width >= 200, "\(button)")
            #expect(page.fits, "the page scrolls sideways on a 360 px phone")
        }
        #expect(try Self.acknowledged(demo) == nil, "a GET acknowledged the ticket")
        // The screenshot's Chinese comes from a real CJK font (no tofu boxes).
        let shot = demo.state.appendingPathComponent("phone.png")
        #expect(try phone.shot(shot) > 5_000)
        let png = try Data(contentsOf: shot)
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let fonts = try phone.fonts("button")
        #expect(fonts.contains { ($0.family.contains("WenQuanYi") || $0.family.contains("Noto") || $0.family.contains("CJK")) && $0.glyphs >= 2 },
                "\(fonts)")
        if let keep = ProcessInfo.processInfo.environment["SLAD_KEEP_BROWSER_OUTPUT"] {
            try? FileManager.default.copyItem(at: shot, to: URL(fileURLWithPath: keep).appendingPathComponent("phone-ticket.png"))
        }

        // The button: a real click, the POST, the answer page.
        let done = try phone.press()
        #expect(done.status == 200 && done.text.contains("已接单"), "\(done.text)")
        let event = try #require(try Self.acknowledged(demo))
        #expect(event["actor"] as? String == "zhang-wei" && event["via"] as? String == "link", "\(event)")
        // The respond clock stopped in time: no further escalation of it will be sent.
        let ticket = try demo.get("/v1/tickets/DEMO-1")
        let respond = (ticket["clocks"] as? [[String: Any]])?.first { ($0["title"] as? String)?.contains("响应") == true }
        #expect(respond?["state"] as? String == "met", "\(ticket["clocks"] ?? "")")

        // The same link again: already done, by whom; a forged one: not valid. Neither changes anything.
        let again = try phone.open(url)
        #expect(again.status == 409 && again.text.contains("张伟") && again.button == nil, "\(again.text)")
        var forged = Array(url)
        forged[forged.count - 1] = forged.last == "A" ? "B" : "A"
        let bad = try phone.open(String(forged))
        #expect(bad.status == 404 && bad.button == nil, "\(bad.text)")
        let events = (try demo.get("/v1/tickets/DEMO-1")["timeline"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "event" }
        #expect(events.filter { $0["kind"] as? String == "acknowledged" }.count == 1)
    }

    static func acknowledged(_ demo: Demo) throws -> [String: Any]? {
        let timeline = try demo.get("/v1/tickets/DEMO-1")["timeline"] as? [[String: Any]] ?? []
        return timeline.first { $0["kind"] as? String == "acknowledged" }
    }

    @Test func aDrillOfTheShippedElevatorPlanIsConfirmedFromLinksAlone() throws {
        let demo = try Demo()
        _ = try demo.api()
        let declared = try demo.post("/v1/incidents", ["id": "D-PHONE", "plan": "elevator-trapped", "drill": true, "site": "翠湖花园",
                                                       "building": "7栋", "by": "zhang-wei"])
        #expect(declared["id"] as? String == "D-PHONE", "\(declared)")
        let steps = (declared["steps"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
        #expect(steps.count >= 4, "\(declared)")
        try DaemonProcess.poll("a link for every step", seconds: 60) {
            Set(try demo.links(of: "D-PHONE").compactMap { $0["label"] }).count >= steps.count
        }
        // One link per step (the same step's notice goes out on two channels, and an overdue one may follow).
        var seen = Set<String>()
        let links = try demo.links(of: "D-PHONE").filter { seen.insert($0["label"] ?? "").inserted }
        #expect(Set(links.compactMap { $0["label"] }) == Set(steps.map { "确认完成：\($0)" }), "\(links)")

        let phone = try PhoneBrowser()
        defer { phone.close() }
        for link in links {
            let url = try #require(link["url"])
            let page = try phone.open(url)
            #expect(page.status == 200 && page.text.contains("【演练】"), "\(page.text)")
            #expect(page.button?.text == "确认完成", "\(page.text)")
            let done = try phone.press()
            #expect(done.status == 200 && done.text.contains("已确认"), "\(done.text)")
        }
        let incident = try demo.get("/v1/incidents/D-PHONE")
        #expect(incident["status"] as? String == "closed", "\(incident)")
        let confirmed = incident["steps"] as? [[String: Any]] ?? []
        #expect(confirmed.allSatisfy { $0["confirmedVia"] as? String == "link" }, "\(confirmed)")
        let (server, token) = try demo.api()
        let report = try Slad.run(["incident", "report", "D-PHONE", "--server", server], environment: ["SLAD_TOKEN": token])
        #expect(report.stdout.components(separatedBy: "（经链接").count - 1 == steps.count, "\(report.stdout)")
    }
}
