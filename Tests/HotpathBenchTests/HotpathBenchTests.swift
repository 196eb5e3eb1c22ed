import Foundation
import Testing
@testable import slad_hotpath_bench

/// The benchmark's parsing and arithmetic: what it reads from /proc and from its receiver, and the
/// percentiles it prints. (The benchmark itself is run by hand; it is never a timed test.)
struct HotpathBenchTests {
    @Test func peakResidentIsReadFromVmHWM() throws {
        let status = "Name:\tslad\nVmPeak:\t  900000 kB\nVmHWM:\t  112640 kB\nVmRSS:\t   90000 kB\n"
        #expect(try ProcessStats.peakResident(status: status) == 112_640)
        #expect(throws: BenchError.self) { try ProcessStats.peakResident(status: "Name:\tslad\n") }
    }

    @Test func cpuTicksAreCountedAfterACommandNameWithSpacesAndParentheses() throws {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime …
        let stat = "4242 (sl ad) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 570 13 0 0 20 0 9 0 100 0 0"
        #expect(try ProcessStats.cpuTicks(stat: stat) == 583)
        #expect(throws: BenchError.self) { try ProcessStats.cpuTicks(stat: "4242 (slad) S 1 2") }
    }

    @Test func theOwnProcessHasStats() throws {
        let stats = try ProcessStats.read(pid: getpid())
        #expect(stats.peakResidentKiB > 0)
        #expect(stats.cpuSeconds >= 0)
    }

    @Test func arrivalsRoundTripAndABadLineIsNamed() throws {
        let text = "1764763200000001 hot-1-0\n1764763200250000 key with spaces\n\n"
        #expect(try Arrival.parse(text) == [Arrival(micros: 1_764_763_200_000_001, key: "hot-1-0"),
                                            Arrival(micros: 1_764_763_200_250_000, key: "key with spaces")])
        #expect(try Arrival.parse("") == [])
        let error = #expect(throws: BenchError.self) { try Arrival.parse("1 a\nnot-a-number b\n") }
        #expect(error?.description.contains("line 2") == true)
    }

    @Test func percentilesAreNearestRank() {
        let sorted = (1...100).map(Double.init)
        #expect(RunResult.percentile(sorted, 0.5) == 50)
        #expect(RunResult.percentile(sorted, 0.99) == 99)
        #expect(RunResult.percentile(sorted, 1) == 100)
        #expect(RunResult.percentile([7], 0.99) == 7)
        #expect(RunResult.percentile([], 0.5) == nil)
    }

    @Test func latenessIsMeasuredFromTAndKeysAreCountedOnce() {
        var result = RunResult(repetition: 1, count: 3, loadAverage: "0")
        let t = 1_764_763_200
        result.record(arrivals: [Arrival(micros: Int64(t) * 1_000_000 + 500_000, key: "a"),
                                 Arrival(micros: Int64(t) * 1_000_000 + 250_000, key: "b"),
                                 Arrival(micros: Int64(t) * 1_000_000 + 750_000, key: "a")], instant: t)
        #expect(result.lateness == [0.25, 0.5, 0.75])
        #expect(result.requests == 3)
        #expect(result.distinctKeys == 2)
        #expect(result.report.contains("WARNING: expected 3 of each"))
    }

    @Test func batchesAreJSONArraysTheDaemonTakes() throws {
        let body = TicketBodies.batch(range: 3..<5, kind: "complaint", created: TicketBodies.timestamp(1_764_763_200), prefix: "H1")
        let tickets = try #require(try JSONSerialization.jsonObject(with: body) as? [[String: Any]])
        #expect(tickets.count == 2)
        #expect(tickets[0]["id"] as? String == "H1-3")
        #expect(tickets[1]["idempotencyKey"] as? String == "import-H1-4")
        #expect(tickets[0]["created"] as? String == "2025-12-03T12:00:00+00:00")
        #expect(throws: BenchError.self) {
            try TicketBodies.checkBatchAnswer(Data(#"{"created":1,"results":[{"index":1,"status":422}]}"#.utf8), expected: 2)
        }
        try TicketBodies.checkBatchAnswer(Data(#"{"created":2,"present":0,"failed":0,"results":[]}"#.utf8), expected: 2)
    }

    @Test func importFilesAreJSONLinesWithoutKeys() throws {
        let text = String(decoding: TicketBodies.lines(count: 3, kind: "repair", created: nil, prefix: "I1"), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3 && text.hasSuffix("\n"))
        let last = try #require(try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any])
        #expect(last["id"] as? String == "I1-2" && last["kind"] as? String == "repair" && last["idempotencyKey"] == nil)
    }

    @Test func intakeFiguresAreRatesAndNearestRankLatencies() {
        var result = IntakeResult(repetition: 2, loadAverage: "1.00")
        result.imported = 10_000
        result.importSeconds = 2
        result.importDaemonCPU = 1
        result.clients = 200
        result.latencies = (1...100).map { Double($0) / 1000 }
        result.createSeconds = 0.5
        result.createDaemonCPU = 0.05
        #expect(result.importRate == 5_000 && result.createRate == 200)
        #expect(result.report.contains("10000 tickets in 2.00 s = 5000 tickets/s") && result.report.contains("(100 µs a ticket)"))
        #expect(result.report.contains("p50 50.0 ms, p99 99.0 ms, max 100.0 ms") && result.report.contains("(500 µs a create)"))
        #expect(IntakeResult.table([result]).contains("| 2 | 10000 | 2.00 s | 5000/s |"))
    }
}
