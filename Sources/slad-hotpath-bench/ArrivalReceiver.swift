import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// A webhook receiver that answers 200 at once and records, per request, its arrival (wall clock, µs since
/// the epoch, taken when the request's head is routed) and its `Idempotency-Key`. Kept in memory and read
/// back over HTTP after the run, so recording costs a lock and an append.
final class ArrivalReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var arrivals: [Arrival] = []

    init() { arrivals.reserveCapacity(200_000) }

    func record(_ key: String) {
        let micros = Arrival.wallClockMicros()
        lock.withLock { arrivals.append(Arrival(micros: micros, key: key)) }
    }

    var count: Int { lock.withLock { arrivals.count } }

    /// One line per request, `MICROS KEY`, in arrival order.
    var lines: String {
        lock.withLock { arrivals.map { "\($0.micros) \($0.key)\n" }.joined() }
    }

    /// Serves until the process is stopped; `ready` is told the port once the server listens.
    func run(port: Int, ready: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router()
        let idempotencyKey = HTTPField.Name("Idempotency-Key")!
        router.post("/hook") { [self] request, _ -> HTTPResponse.Status in
            self.record(request.headers[idempotencyKey] ?? "")
            _ = try await request.body.collect(upTo: 1 << 20)
            return .ok
        }
        router.get("/count") { [self] _, _ in "\(self.count)" }
        router.get("/arrivals") { [self] _, _ in self.lines }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              onServerRunning: { channel in ready(channel.localAddress?.port ?? 0) },
                              logger: Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await app.runService()
    }
}

/// One request as the receiver saw it.
struct Arrival: Equatable, Sendable {
    var micros: Int64
    var key: String

    static func wallClockMicros() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }

    /// Parses the receiver's `GET /arrivals` answer; a line that is not `MICROS KEY` is an error naming it.
    static func parse(_ text: String) throws -> [Arrival] {
        var result: [Arrival] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let micros = Int64(parts[0]) else {
                throw BenchError("arrivals line \(index + 1): expected 'MICROS KEY', got '\(line.prefix(80))'")
            }
            result.append(Arrival(micros: micros, key: String(parts[1])))
        }
        return result
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
