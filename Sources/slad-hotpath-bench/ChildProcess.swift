import Foundation

/// A process the benchmark starts — the daemon, the receiver, `perf record` — with its standard output and
/// error in a log file (a file, not a pipe: a daemon that logs one line per escalation must never block on
/// a full pipe). Spawned with posix_spawn and an empty signal mask and default handlers: Foundation's
/// `Process`, called from a Swift concurrency thread, passes on that thread's blocked signals, and a child
/// that does not unblock them itself (perf) then never sees SIGINT or SIGTERM.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    let executable: String
    let log: String
    private let lock = NSLock()
    private var exited = false

    init(executable: String, arguments: [String], log: String, environment added: [String: String] = [:]) throws {
        self.executable = executable
        self.log = log
        var environment = ProcessInfo.processInfo.environment
        // Even when the benchmark runs under systemd, the daemon must not talk to it.
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "LISTEN_FDS", "LISTEN_PID"] {
            environment[name] = nil
        }
        environment.merge(added) { _, new in new }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard status == 0 else { throw BenchError("cannot start \(executable): \(String(cString: strerror(status)))") }
        pid = child
    }

    var isRunning: Bool {
        lock.withLock {
            guard !exited else { return false }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { exited = true }
            return !exited
        }
    }

    /// Waits until the log has a line containing `marker` followed by a port number, and returns it.
    func port(after marker: String, seconds: Double = 60) async throws -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: marker), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                return port
            }
            guard isRunning else { throw BenchError("\(executable) exited:\n\(text.suffix(2_000))") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError("no '\(marker)PORT' in \(log) within \(Int(seconds)) s")
    }

    /// Waits for the process to exit: its exit status (or 128 + the signal that ended it) and the CPU
    /// seconds it used (user + system, from wait4).
    func waitForExit() -> (status: Int32, cpuSeconds: Double) {
        lock.withLock {
            var status: Int32 = 0
            var usage = rusage()
            while wait4(pid, &status, 0, &usage) == -1, errno == EINTR {}
            exited = true
            let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
            let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return (code, cpu)
        }
    }

    /// Sends `signal` (SIGINT tells `perf record` to write its file), then waits for the exit; SIGKILL after `seconds`.
    func stop(signal: Int32 = SIGTERM, seconds: Double = 20) {
        guard isRunning else { return }
        kill(pid, signal)
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning, Date() < deadline { usleep(20_000) }
        if isRunning {
            kill(pid, SIGKILL)
            while isRunning { usleep(20_000) }
        }
    }
}
