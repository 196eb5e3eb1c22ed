import Foundation

/// The figures of one repetition.
struct RunResult: Sendable {
    var repetition: Int
    var count: Int
    var loadAverage: String
    var instant = 0
    var loadEndedBeforeT = true
    var batchSeconds = 0.0
    var singleCount = 0
    var singleSeconds = 0.0
    var requests = 0
    var distinctKeys = 0
    /// Arrival − T, in seconds, sorted.
    var lateness: [Double] = []
    var peakResidentKiB = 0
    var deliveryCPU = 0.0
    var totalCPU = 0.0

    mutating func record(arrivals: [Arrival], instant: Int) {
        requests = arrivals.count
        distinctKeys = Set(arrivals.map(\.key)).count
        lateness = arrivals.map { Double($0.micros - Int64(instant) * 1_000_000) / 1e6 }.sorted()
    }

    /// The nearest-rank percentile of `sorted` (p in 0…1); nil when empty.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }

    /// Tickets a second (0 until a load was timed, never infinite: the report converts it to an integer).
    var batchRate: Double { batchSeconds > 0 ? Double(count) / batchSeconds : 0 }
    var singleRate: Double? { singleCount > 0 && singleSeconds > 0 ? Double(singleCount) / singleSeconds : nil }

    static func seconds(_ value: Double?) -> String { value.map { String(format: "%.2f s", $0) } ?? "—" }

    var report: String {
        var lines = [
            "T = \(TicketBodies.timestamp(instant)); load average \(loadAverage)",
            "intake, batches: \(count) tickets in \(Self.seconds(batchSeconds)) = \(Int(batchRate)) tickets/s"
                + (loadEndedBeforeT ? "" : " — WARNING: the load ended after T; raise --lead"),
            "arrivals: \(requests) requests, \(distinctKeys) distinct idempotency keys"
                + (requests == count && distinctKeys == count ? " (exactly once)" : " — WARNING: expected \(count) of each"),
            "arrival − T: first \(Self.seconds(lateness.first)), p50 \(Self.seconds(Self.percentile(lateness, 0.5))), "
                + "p99 \(Self.seconds(Self.percentile(lateness, 0.99))), last \(Self.seconds(lateness.last))",
            "daemon: peak RSS \(String(format: "%.1f", Double(peakResidentKiB) / 1024)) MiB, CPU \(String(format: "%.2f", deliveryCPU)) s "
                + "from the load's end to the last arrival (\(String(format: "%.0f", deliveryCPU / Double(max(requests, 1)) * 1e6)) µs an escalation), "
                + "\(String(format: "%.2f", totalCPU)) s in all",
        ]
        if let singleRate {
            lines.append("intake, one POST each: \(singleCount) tickets in \(Self.seconds(singleSeconds)) = \(Int(singleRate)) tickets/s")
        }
        return lines.joined(separator: "\n")
    }

    /// A Markdown table of all repetitions, ready for docs/performance.md.
    static func table(_ results: [RunResult]) -> String {
        var lines = ["| run | N | last − T | p50 | p99 | peak RSS | CPU (delivery) | requests / keys | intake: batch | intake: single | load average |",
                     "|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in results {
            lines.append("| \(r.repetition) | \(r.count) | \(seconds(r.lateness.last)) | \(seconds(percentile(r.lateness, 0.5))) | "
                + "\(seconds(percentile(r.lateness, 0.99))) | \(String(format: "%.0f", Double(r.peakResidentKiB) / 1024)) MiB | "
                + "\(String(format: "%.2f", r.deliveryCPU)) s | \(r.requests) / \(r.distinctKeys) | \(Int(r.batchRate))/s | "
                + "\(r.singleRate.map { "\(Int($0))/s" } ?? "—") | \(r.loadAverage) |")
        }
        return lines.joined(separator: "\n")
    }
}
