import Foundation

/// One intake repetition: a `slad serve` on a fresh state folder; `slad import` of `count` tickets as its
/// own process; then `clients` clients at once, each creating `creates` tickets one POST after another.
struct IntakeScenario: Sendable {
    let count: Int
    let clients: Int
    let creates: Int
    let slad: String
    let scratch: String
    let perfOutput: String?

    func run(repetition: Int) async throws -> IntakeResult {
        let folder = (scratch as NSString).appendingPathComponent("slad-intake-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder + "/rules", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // No receiver: the tickets' clocks run for 8 hours, so nothing is sent while the benchmark runs.
        try Scenario.rules(receiverPort: 9).write(toFile: folder + "/rules/bench.sla", atomically: true, encoding: .utf8)
        let started = try await BenchDaemon.start(slad: slad, folder: folder)
        let (daemon, token, base) = (started.process, started.token, started.base)
        defer { daemon.stop() }
        var result = IntakeResult(repetition: repetition, loadAverage: Machine.loadAverage)

        if count > 0 {
            let file = folder + "/tickets.jsonl"
            try TicketBodies.lines(count: count, kind: "repair", created: TicketBodies.timestamp(Int(Date().timeIntervalSince1970) - 60),
                                   prefix: "I\(repetition)").write(to: URL(fileURLWithPath: file))
            let before = try ProcessStats.read(pid: daemon.pid)
            let perf = try perfOutput.map { try Self.perf(daemon: daemon, output: $0 + ".import", log: folder + "/perf-import.log") }
            let start = Date()
            let importer = try ChildProcess(executable: slad, arguments: ["import", file, "--server", base, "--token-env", "SLAD_BENCH_TOKEN"],
                                            log: folder + "/import.log", environment: ["SLAD_BENCH_TOKEN": token])
            let exit = importer.waitForExit()
            result.importSeconds = Date().timeIntervalSince(start)
            perf?.stop(signal: SIGINT, seconds: 60)
            result.importDaemonCPU = try ProcessStats.read(pid: daemon.pid).cpuSeconds - before.cpuSeconds
            result.importClientCPU = exit.cpuSeconds
            let output = (try? String(contentsOfFile: folder + "/import.log", encoding: .utf8)) ?? ""
            guard exit.status == 0, output.contains("imported \(count) tickets") else {
                throw BenchError("slad import exited with \(exit.status): \(output.suffix(1_000))")
            }
            result.imported = count
        }

        if clients > 0 {
            let before = try ProcessStats.read(pid: daemon.pid)
            let perf = try perfOutput.map { try Self.perf(daemon: daemon, output: $0 + ".creates", log: folder + "/perf-creates.log") }
            let run = try await ConcurrentCreates(base: base, token: token, clients: clients, creates: creates)
                .run(prefix: "C\(repetition)")
            perf?.stop(signal: SIGINT, seconds: 60)
            result.createDaemonCPU = try ProcessStats.read(pid: daemon.pid).cpuSeconds - before.cpuSeconds
            result.clients = clients
            result.latencies = run.latencies.sorted()
            result.createSeconds = run.seconds
        }
        return result
    }

    static func perf(daemon: ChildProcess, output: String, log: String) throws -> ChildProcess {
        try ChildProcess(executable: "/usr/bin/perf", arguments: ["record", "-F", "999", "-g", "-p", "\(daemon.pid)", "-o", output], log: log)
    }
}
