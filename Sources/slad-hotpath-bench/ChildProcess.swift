import Foundation

/// A process the benchmark starts — the daemon or the receiver — with its standard output and error in a
/// log file (a file, not a pipe: a daemon that logs one line per escalation must never block on a full pipe).
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let log: String

    init(executable: String, arguments: [String], log: String, environment added: [String: String] = [:]) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // Even when the benchmark runs under systemd, the daemon must not talk to it.
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "LISTEN_FDS", "LISTEN_PID"] {
            environment[name] = nil
        }
        environment.merge(added) { _, new in new }
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits until the log has a line containing `marker` followed by a port number, and returns it.
    func port(after marker: String, seconds: Double = 60) async throws -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: marker), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                return port
            }
            guard process.isRunning else { throw BenchError("\(process.executableURL?.path ?? "") exited:\n\(text.suffix(2_000))") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError("no '\(marker)PORT' in \(log) within \(Int(seconds)) s")
    }

    /// SIGINT (how `perf record` is told to write its file and exit), then waits for the exit.
    func interrupt() {
        process.interrupt()
        process.waitUntilExit()
    }

    /// SIGTERM, then waits for the exit (SIGKILL after 20 s).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL); process.waitUntilExit() }
    }
}
