import Foundation
import GRDB
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `slad serve` process on a temporary state folder and a free port.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let state: URL
    let rules: URL
    let token = "test-token-\(UUID().uuidString)"
    private let lock = NSLock()
    private var stderrText = ""
    private var stdoutText = ""
    private(set) var port = 0
    /// The API's address: `--host` when `extra` gives one, else loopback.
    let host: String

    /// Rules whose limits are seconds long: every step falls due within 3 s of a ticket's creation.
    static let fastRules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person duty "值班员" { phone "+8613800000009" }
    team desk { members duty; supervisor duty; manager duty }
    channel console log {}
    policy fast "快速" {
      when kind = complaint
      team desk
      clock respond "响应" within 2s until acknowledged
      escalate {
        at respond - 1s notify supervisor via console
        at respond      notify supervisor via console
        at respond + 1s notify manager via console
      }
    }
    channel drills log {}
    plan lift "电梯困人" {
      level II
      team desk
      when kind = incident and category = lift-trapped
      covers category in [lift, lift-trapped] in same building
      drill via drills
      step comfort "安抚" within 2s owner person duty via console
      step arrive "到场" within 3s owner person duty via console
      step report "上报" within 3s owner manager via console at level I
      on overdue notify manager via console
    }
    policy slow "慢速" {
      when kind = repair
      team desk
      clock respond within 1h until acknowledged
      escalate { at respond notify supervisor via console }
    }
    """

    static func makeRules(_ text: String = fastRules) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try text.write(to: folder.appendingPathComponent("rules.sla"), atomically: true, encoding: .utf8)
        return folder
    }

    init(rules: URL, state: URL? = nil, extra: [String] = [], environment added: [String: String] = [:]) throws {
        self.rules = rules
        host = extra.firstIndex(of: "--host").map { extra[$0 + 1] } ?? "127.0.0.1"
        self.state = state ?? FileManager.default.temporaryDirectory.appendingPathComponent("slad-state-\(UUID().uuidString)")
        process.executableURL = Slad.binary
        process.arguments = ["serve", "--rules", rules.path, "--state", self.state.path, "--port", "0",
                             "--token-env", "SLAD_TEST_TOKEN", "--max-interval", "1"] + extra
        var environment = ProcessInfo.processInfo.environment
        // Even when the tests themselves run under systemd, the daemon must not talk to it.
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "LISTEN_FDS", "LISTEN_PID"] {
            environment[name] = nil
        }
        environment["SLAD_TEST_TOKEN"] = token
        environment.merge(added) { _, new in new }
        process.environment = environment
        let err = Pipe(), out = Pipe()
        process.standardError = err
        process.standardOutput = out
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.stderrText += String(decoding: data, as: UTF8.self) }
        }
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.stdoutText += String(decoding: data, as: UTF8.self) }
        }
    }

    var stderr: String { lock.withLock { stderrText } }
    var stdout: String { lock.withLock { stdoutText } }

    /// Starts the daemon and waits until it listens.
    func start() throws {
        try process.run()
        try waitFor("the daemon to listen", seconds: 30) {
            if let range = self.stderr.range(of: "listening on http://\(self.host):") {
                let digits = self.stderr[range.upperBound...].prefix { $0.isNumber }
                self.port = Int(digits) ?? 0
            }
            return self.port != 0 || !self.process.isRunning
        }
        guard port != 0 else { throw Failure("slad serve did not start:\n\(stderr)") }
    }

    /// Waits for the process to exit and returns its status.
    func waitForExit(seconds: Double = 20) throws -> Int32 {
        try waitFor("slad to exit", seconds: seconds) { !self.process.isRunning }
        return process.terminationStatus
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Polls a condition (real time: a daemon runs on the wall clock) up to a limit, for any process.
    static func poll(_ what: String, seconds: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure("timed out waiting for \(what)")
    }

    /// Polls a condition (real time: the daemon runs on the wall clock) up to a limit.
    func waitFor(_ what: String, seconds: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw Failure("timed out waiting for \(what)\n--- stderr ---\n\(stderr)")
    }

    // MARK: HTTP

    struct Reply {
        let status: Int
        let object: [String: Any]
        /// The body as text (the action pages answer HTML).
        var text = ""
        /// The response's headers.
        var headers: [String: String] = [:]

        /// A header's value, its name in any case.
        func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
    }

    /// A request to the API, or to another of the daemon's listeners on `port` (the public action pages).
    /// An empty `token` sends no Authorization header.
    func request(_ method: String, _ path: String, body: Data? = nil, token: String? = nil, headers: [String: String] = [:],
                 port: Int? = nil) throws -> Reply {
        var request = URLRequest(url: URL(string: "http://\(port == nil ? host : "127.0.0.1"):\(port ?? self.port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        if token != "" { request.setValue("Bearer \(token ?? self.token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let semaphore = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Data?, URLResponse?, Error?)
        URLSession.shared.dataTask(with: request) { data, response, error in
            result = (data, response, error)
            semaphore.signal()
        }.resume()
        semaphore.wait()
        if let error = result.2 { throw error }
        let status = (result.1 as? HTTPURLResponse)?.statusCode ?? 0
        let object = (result.0.flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]) ?? [:]
        var headers: [String: String] = [:]
        for case let (name as String, value as String) in (result.1 as? HTTPURLResponse)?.allHeaderFields ?? [:] { headers[name] = value }
        return Reply(status: status, object: object, text: String(decoding: result.0 ?? Data(), as: UTF8.self), headers: headers)
    }

    func post(_ path: String, _ object: [String: Any], token: String? = nil, headers: [String: String] = [:]) throws -> Reply {
        try request("POST", path, body: try JSONSerialization.data(withJSONObject: object), token: token, headers: headers)
    }

    // MARK: The database, read directly

    func count(_ sql: String) throws -> Int {
        let queue = try DatabaseQueue(path: state.appendingPathComponent("slad.sqlite").path, configuration: {
            var configuration = Configuration()
            configuration.readonly = true
            return configuration
        }())
        return try queue.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }
}
