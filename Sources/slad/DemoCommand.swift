import ArgumentParser
import Foundation
import SLADaemon

/// `slad demo`: the daemon on the shipped rules with a fresh SQLite state folder, fed sample tickets
/// aged so that escalations fall due at once and over the next minute.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the daemon on the shipped rules with sample tickets, and watch escalations arrive.",
        discussion: """
        Starts 'slad serve' on the rules folder with a fresh state folder (var/demo by default, wiped \
        first) and a random API token, then opens sample tickets whose creation times lie in the past, so \
        that their deadlines pass now and during the next minute. Escalations on the console channel are \
        printed as they are sent; the other channels' messages wait in the outbox (SQLite: outbox table).

        Each notice to a person carries action links (rules/links.sla): open one in a browser on this \
        machine and press its button to acknowledge the ticket. The action pages listen on \
        127.0.0.1:8788, or on --public-port (0 picks a free one), and the links always point at the \
        port they listen on, whatever rules/links.sla's base-url says; the demo makes the signing key in \
        the state folder. Stop with Ctrl-C, or pass --duration.
        """
    )

    @Option(help: "Rule files or folders.") var rules: [String] = ["rules"]
    @Option(help: "The state folder (wiped at start).") var state: String = "var/demo"
    @Option(help: "Port of the HTTP API; 0 picks a free one.") var port: Int = 0
    @Option(help: "Stop after this many seconds (default: run until Ctrl-C).") var duration: Int?
    @Option(help: "Port of the action pages (the links in notices point at it); 0 picks a free one.") var publicPort: Int = 8788

    func run() async throws {
        try? FileManager.default.removeItem(atPath: state)
        var configuration = DaemonConfiguration()
        configuration.rulePaths = rules
        configuration.stateFolder = state
        configuration.port = port
        configuration.maxInterval = 5
        // The 看板 follows the sample tickets within seconds rather than a minute.
        configuration.kpiInterval = 5
        configuration.echoEscalations = true
        // A concrete port before start: the links minted by the first scan must carry the port the pages bind.
        guard let publicPort = publicPort == 0 ? LoopbackPort.free() : publicPort else {
            throw ValidationError("--public-port 0: no free port on 127.0.0.1; name one with --public-port")
        }
        configuration.publicListener = PublicListenerConfiguration(host: "127.0.0.1", port: publicPort)
        configuration.publicListener?.linkBaseURL = "http://127.0.0.1:\(publicPort)"
        try DemoKey.provide(in: state)
        let token = (0..<4).map { _ in String(UInt32.random(in: 0...UInt32.max), radix: 16) }.joined()
        configuration.token = token
        let stateFolder = state
        let ruleList = rules.joined(separator: ", ")
        let duration = duration
        // The hint names slad as it was started (`.build/debug/slad` from scripts/run): from a checkout,
        // slad is not on PATH and a bare `slad ticket list` would not be found.
        let invoked = CommandLine.arguments.first.flatMap { $0.contains("/") ? $0 : nil } ?? "slad"
        var hooks = Server.Hooks()
        hooks.ready = { port in
            print("""
            slad demo — daemon on http://127.0.0.1:\(port), rules from \(ruleList), state in \(stateFolder)/slad.sqlite
            Opening sample tickets whose deadlines pass now and within the next minute; escalations follow.
            Try:  SLAD_SERVER=http://127.0.0.1:\(port) SLAD_TOKEN=\(token) \(invoked) ticket list --overdue
            Action links in the notices below open on this machine (http://127.0.0.1:\(publicPort)/a/…): press 接单 to acknowledge.
            """)
            fflush(nil)
            // Not awaited here: the server accepts connections only after this hook returns.
            Task.detached { await DemoTickets.open(port: port, token: token) }
            if let duration {
                Task.detached {
                    try? await Task.sleep(for: .seconds(duration))
                    kill(getpid(), SIGTERM)
                }
            }
        }
        try await ServeCommand.serve(configuration, hooks: hooks)
        print("slad demo stopped; the state folder \(stateFolder) is kept for a look with sqlite3.")
    }
}

/// The key that signs the demo's action links (rules/links.sla: `key credential action-key`): when slad
/// is not run by systemd there is no credentials folder, so the demo makes one in its state folder with a
/// fresh random key. A credentials folder given from outside is left alone.
enum DemoKey {
    static func provide(in state: String) throws {
        guard ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"] == nil else { return }
        let folder = URL(fileURLWithPath: state).appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let file = folder.appendingPathComponent("action-key")
        FileManager.default.createFile(atPath: file.path, contents: Data(key.utf8), attributes: [.posixPermissions: 0o600])
        setenv("CREDENTIALS_DIRECTORY", folder.path, 1)
    }
}

/// Sample tickets for the shipped rules, created in the past so that their clocks run out around now.
enum DemoTickets {
    static func open(port: Int, token: String) async {
        guard let client = try? DaemonClient(server: "http://127.0.0.1:\(port)", token: token) else { return }
        let now = Date()
        func ago(_ seconds: Int) -> String {
            ISO8601DateFormatter.string(from: now.addingTimeInterval(-Double(seconds)), timeZone: TimeZone(identifier: "Asia/Shanghai")!,
                                        formatOptions: [.withInternetDateTime])
        }
        let day = 86_400
        let samples: [[String: Any]] = [
            // Urgent repair three days ago, handled in time, revisited (满意度 4) and closed: DEMO-2, the same
            // pipe in the same flat again, is marked as its repeat (rules/sites.sla: repeats within 30d).
            ["id": "DEMO-0", "kind": "repair", "priority": "urgent", "category": "pipe-burst", "site": "翠湖花园", "building": "5栋",
             "unit": "1单元301", "assignee": "wang-qiang", "created": ago(3 * day),
             "events": [["kind": "acknowledged", "at": ago(3 * day - 600), "actor": "wang-qiang"],
                        ["kind": "resolved", "at": ago(3 * day - 5 * 3600), "actor": "wang-qiang"],
                        ["kind": "revisited", "at": ago(2 * day), "actor": "liu-yang", "score": 4, "note": "抢修及时，楼道没清理干净"],
                        ["kind": "closed", "at": ago(2 * day - 60), "actor": "liu-yang"]]],
            // Grade C complaint five days ago, answered, settled, revisited (满意度 5) and closed.
            ["id": "DEMO-6", "kind": "complaint", "grade": "C", "site": "阳光花园", "building": "9栋", "unit": "2单元602",
             "assignee": "zhang-wei", "text": "小区路灯不亮", "created": ago(5 * day),
             "events": [["kind": "acknowledged", "at": ago(5 * day - 3600), "actor": "zhang-wei"],
                        ["kind": "assessed", "at": ago(5 * day - 3 * 3600), "actor": "zhang-wei"],
                        ["kind": "resolved", "at": ago(4 * day), "actor": "zhang-wei"],
                        ["kind": "revisited", "at": ago(3 * day), "actor": "liu-yang", "score": 5, "note": "很满意"],
                        ["kind": "closed", "at": ago(3 * day - 60), "actor": "liu-yang"]]],
            // Grade A complaint, 2 h to respond: 30 min warning already late, the breach in 10 s.
            ["id": "DEMO-1", "kind": "complaint", "grade": "A", "site": "翠湖花园", "building": "3栋", "unit": "2单元1102",
             "assignee": "zhang-wei", "text": "楼上深夜装修噪音", "created": ago(2 * 3600 - 10)],
            // Urgent repair, 30 min to respond: the on-call engineer's warning now, the supervisor in 20 s.
            ["id": "DEMO-2", "kind": "repair", "priority": "urgent", "category": "pipe-burst", "site": "翠湖花园", "building": "5栋",
             "unit": "1单元301", "assignee": "wang-qiang", "created": ago(30 * 60 - 20)],
            // Regular repair, closed within 2 h: the 75 % warning in 30 s.
            ["id": "DEMO-3", "kind": "repair", "category": "door-access", "site": "翠湖花园", "building": "1栋",
             "assignee": "zhao-lei", "created": ago(90 * 60 - 30)],
            // Grade B complaint, 8 h to respond: warned an hour before, breached in 40 s.
            ["id": "DEMO-4", "kind": "complaint", "grade": "B", "site": "翠湖花园", "building": "7栋", "unit": "3单元502",
             "assignee": "liu-yang", "text": "快递柜长期故障", "created": ago(8 * 3600 - 40)],
            // Grade C complaint answered in time, but its 24 h assessment is overdue.
            ["id": "DEMO-5", "kind": "complaint", "grade": "C", "site": "翠湖花园", "building": "2栋", "assignee": "zhang-wei",
             "created": ago(25 * 3600),
             "events": [["kind": "acknowledged", "at": ago(24 * 3600), "actor": "zhang-wei"]]],
        ]
        for sample in samples {
            do {
                _ = try await client.post("/v1/tickets", sample, headers: ["Idempotency-Key": "demo:\(sample["id"]!)"])
                print("opened \(sample["id"]!): \(sample["kind"]!) \(sample["grade"] ?? sample["priority"] ?? sample["category"] ?? "")")
            } catch {
                print("could not open \(sample["id"]!): \(error)")
            }
            fflush(nil)
        }
        print("看板 (dashboard): http://127.0.0.1:\(port)/dashboard")
        fflush(nil)
    }
}
