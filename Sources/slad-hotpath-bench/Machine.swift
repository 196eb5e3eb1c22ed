import Foundation

/// The machine a run was taken on, printed first so a recorded figure carries it.
enum Machine {
    static func describe() -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first(where: { $0.hasPrefix("model name") })
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "?"
        let date = ISO8601DateFormatter().string(from: Date())
        return "\(date) · \(ProcessInfo.processInfo.activeProcessorCount) CPUs (\(cpu)) · load average \(loadAverage)"
    }

    static var loadAverage: String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }
}
