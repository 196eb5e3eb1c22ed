import Foundation

/// One repetition: a receiver process, a `slad serve` process on a fresh state folder with rules written
/// here, N tickets loaded in batches so that they all fall due at one instant T, then the wait for N
/// webhooks; afterwards the same daemon takes tickets one POST each, for the intake comparison.
struct Scenario: Sendable {
    let count: Int
    let slad: String
    let singleCount: Int
    let batchSize: Int
    /// Seconds from the start of the batch load to T.
    let lead: Int
    /// Seconds after T to wait for the last webhook.
    let timeout: Int
    let scratch: String
    /// When set, `perf record -g` samples the daemon from the load's end to the last arrival into this file.
    var perfOutput: String? = nil

    /// Each hot ticket's clock; `created` is T minus this, so every ticket falls due at exactly T however
    /// long the load takes (it must end before T; `created` must not be in the future).
    static let clockSeconds = 600

    static func rules(receiverPort: Int) -> String {
        """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person duty "值班员" { phone "+8613800000009" }
        team desk { members duty; supervisor duty; manager duty }
        channel hook webhook { url "http://127.0.0.1:\(receiverPort)/hook"; secret env BENCH_HOOK_SECRET }
        policy hot "热路径" {
          when kind = complaint
          team desk
          clock respond "响应" within \(clockSeconds / 60)m until acknowledged
          escalate { at respond notify supervisor via hook }
        }
        policy intake "单条录入" {
          when kind = repair
          team desk
          clock respond "响应" within 8h until acknowledged
          escalate { at respond notify supervisor via hook }
        }
        """
    }

    func run(repetition: Int) async throws -> RunResult {
        let folder = (scratch as NSString).appendingPathComponent("slad-hotpath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder + "/rules", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let receiver = try ChildProcess(executable: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
                                        arguments: ["receive"], log: folder + "/receiver.log")
        defer { receiver.stop() }
        let receiverPort = try await receiver.port(after: "listening on ")
        try Self.rules(receiverPort: receiverPort).write(toFile: folder + "/rules/bench.sla", atomically: true, encoding: .utf8)
        let started = try await BenchDaemon.start(slad: slad, folder: folder)
        let daemon = started.process
        defer { daemon.stop() }
        let api = HTTPClient(base: started.base, token: started.token)
        let hooks = HTTPClient(base: "http://127.0.0.1:\(receiverPort)", token: nil)
        var result = RunResult(repetition: repetition, count: count, loadAverage: Machine.loadAverage)

        // The hot tickets, in batches: created at T − clockSeconds, so all fall due at T.
        let loadStart = Date()
        let instant = Int(loadStart.timeIntervalSince1970.rounded(.up)) + lead
        let created = TicketBodies.timestamp(instant - Self.clockSeconds)
        for first in stride(from: 0, to: count, by: batchSize) {
            let body = TicketBodies.batch(range: first..<min(count, first + batchSize), kind: "complaint", created: created, prefix: "H\(repetition)")
            let answer = try await api.expect(200, "POST", "/v1/tickets/batch", body: body)
            try TicketBodies.checkBatchAnswer(answer, expected: min(count, first + batchSize) - first)
        }
        result.batchSeconds = Date().timeIntervalSince(loadStart)
        result.instant = instant
        result.loadEndedBeforeT = Date().timeIntervalSince1970 < Double(instant)
        let beforeT = try ProcessStats.read(pid: daemon.pid)
        let perf = try perfOutput.map {
            try ChildProcess(executable: "/usr/bin/perf", arguments: ["record", "-F", "999", "-g", "-p", "\(daemon.pid)", "-o", $0],
                             log: folder + "/perf.log")
        }
        defer { perf?.stop() }

        // The wait: until N webhooks arrived or the timeout.
        while Date().timeIntervalSince1970 < Double(instant + timeout) {
            let arrived = Int(String(decoding: try await hooks.expect(200, "GET", "/count"), as: UTF8.self)) ?? 0
            if arrived >= count { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let drained = try ProcessStats.read(pid: daemon.pid)
        perf?.stop(signal: SIGINT, seconds: 60)
        try await Task.sleep(for: .seconds(1))   // room for a duplicate to show up
        let arrivals = try Arrival.parse(String(decoding: try await hooks.expect(200, "GET", "/arrivals"), as: UTF8.self))
        result.record(arrivals: arrivals, instant: instant)
        result.peakResidentKiB = drained.peakResidentKiB
        result.deliveryCPU = drained.cpuSeconds - beforeT.cpuSeconds
        result.totalCPU = drained.cpuSeconds

        // Intake, the old `slad import` way: one POST /v1/tickets each, one after the other.
        if singleCount > 0 {
            let start = Date()
            for index in 0..<singleCount {
                let id = "S\(repetition)-\(index)"
                _ = try await api.expect(201, "POST", "/v1/tickets", body: TicketBodies.ticket(id: id, kind: "repair", created: nil),
                                         headers: ["Idempotency-Key": "import-\(id)"])
            }
            result.singleCount = singleCount
            result.singleSeconds = Date().timeIntervalSince(start)
        }
        return result
    }
}
