import Foundation

/// What /proc says about another process: its peak resident set and the CPU time it has used.
struct ProcessStats: Equatable, Sendable {
    /// VmHWM, the peak resident set size, in KiB.
    var peakResidentKiB: Int
    /// utime + stime, in seconds.
    var cpuSeconds: Double

    static func read(pid: Int32) throws -> ProcessStats {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        return ProcessStats(peakResidentKiB: try peakResident(status: status),
                            cpuSeconds: try Double(cpuTicks(stat: stat)) / Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    /// The `VmHWM:   123456 kB` line of /proc/PID/status, in KiB.
    static func peakResident(status: String) throws -> Int {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap({ Int($0) }) else {
            throw BenchError("/proc status: no 'VmHWM: N kB' line")
        }
        return kib
    }

    /// utime + stime (fields 14 and 15, in clock ticks) of /proc/PID/stat. The command name (field 2) is in
    /// parentheses and may hold spaces, so fields are counted from after its closing parenthesis.
    static func cpuTicks(stat: String) throws -> Int {
        guard let close = stat.lastIndex(of: ")") else { throw BenchError("/proc stat: no ')' after the command name") }
        // After ')' come field 3 (state), 4, …: utime is field 14, the 12th after the name.
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
            throw BenchError("/proc stat: fewer than 15 fields or utime/stime not numbers")
        }
        return user + system
    }
}
