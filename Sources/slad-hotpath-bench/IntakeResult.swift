import Foundation

/// The figures of one intake repetition.
struct IntakeResult: Sendable {
    var repetition: Int
    var loadAverage: String
    var imported = 0
    var importSeconds = 0.0
    /// CPU seconds of the `slad import` process, and of the daemon while it ran.
    var importClientCPU = 0.0
    var importDaemonCPU = 0.0
    var clients = 0
    /// Each create's latency in seconds, sorted.
    var latencies: [Double] = []
    var createSeconds = 0.0
    var createDaemonCPU = 0.0

    var importRate: Double { importSeconds > 0 ? Double(imported) / importSeconds : 0 }
    var createRate: Double { createSeconds > 0 ? Double(latencies.count) / createSeconds : 0 }

    static func milliseconds(_ value: Double?) -> String { value.map { String(format: "%.1f ms", $0 * 1000) } ?? "—" }
    static func micros(_ seconds: Double, per count: Int) -> String { String(format: "%.0f µs", seconds / Double(max(count, 1)) * 1e6) }

    var report: String {
        var lines = ["load average \(loadAverage)"]
        if imported > 0 {
            lines.append("slad import: \(imported) tickets in \(RunResult.seconds(importSeconds)) = \(Int(importRate)) tickets/s; "
                + "CPU: import \(String(format: "%.2f", importClientCPU)) s, daemon \(String(format: "%.2f", importDaemonCPU)) s "
                + "(\(Self.micros(importDaemonCPU, per: imported)) a ticket)")
        }
        if !latencies.isEmpty {
            lines.append("\(clients) clients at once: \(latencies.count) creates in \(RunResult.seconds(createSeconds)) = \(Int(createRate))/s; "
                + "latency p50 \(Self.milliseconds(RunResult.percentile(latencies, 0.5))), p99 \(Self.milliseconds(RunResult.percentile(latencies, 0.99))), "
                + "max \(Self.milliseconds(latencies.last)); daemon CPU \(String(format: "%.2f", createDaemonCPU)) s "
                + "(\(Self.micros(createDaemonCPU, per: latencies.count)) a create)")
        }
        return lines.joined(separator: "\n")
    }

    /// A Markdown table of all repetitions, ready for docs/performance.md.
    static func table(_ results: [IntakeResult]) -> String {
        var lines = ["| run | import: tickets | time | rate | CPU import / daemon | creates | p50 | p99 | max | creates/s | daemon CPU a create | load average |",
                     "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in results {
            lines.append("| \(r.repetition) | \(r.imported) | \(RunResult.seconds(r.importSeconds)) | \(Int(r.importRate))/s | "
                + "\(String(format: "%.2f / %.2f s", r.importClientCPU, r.importDaemonCPU)) | \(r.latencies.count) (\(r.clients) clients) | "
                + "\(milliseconds(RunResult.percentile(r.latencies, 0.5))) | \(milliseconds(RunResult.percentile(r.latencies, 0.99))) | "
                + "\(milliseconds(r.latencies.last)) | \(Int(r.createRate)) | \(micros(r.createDaemonCPU, per: r.latencies.count)) | \(r.loadAverage) |")
        }
        return lines.joined(separator: "\n")
    }
}
