import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import Logging
import SLADaemon
import SLAEngine
import SLANotify
import SLARules
import SLAStore

/// `slad-store-bench deliveries [N]`: N notifications written to the real durable outbox (a SQLite state
/// folder, by the real scan) and delivered by the real DeliveryService through a `webhook` channel (its
/// HMAC signature included) to a Hummingbird receiver on loopback in this process. The figure is N over
/// the time from starting the service to the last job recorded `sent`; the receiver also checks that
/// every idempotency key arrived exactly once.
func deliveryFigure(count: Int, recordBatch: Int, client: HTTPClientChoice = .nio) async throws -> Double {
    let folder = NSTemporaryDirectory() + "slad-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let receiver = HookReceiver()
    let port = try await receiver.start()
    defer { receiver.stop() }
    let rulesText = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person duty "值班员" { phone "+8613800000009" }
    team desk { members duty; supervisor duty; manager duty }
    channel hook webhook { url "http://127.0.0.1:\(port)/hook"; secret env BENCH_HOOK_SECRET }
    policy complaint "投诉" {
      when kind = complaint
      team desk
      clock respond "响应" within 1m until acknowledged
      escalate { at respond notify supervisor via hook }
    }
    """
    let engine = try Engine(rules: RuleLoader.check([SourceFile(path: "bench.sla", text: rulesText)]).ruleSet!)
    let now = Instant(seconds: Int(Date().timeIntervalSince1970))
    try load(folder: folder, count: count, due: count, now: now)
    let store = try SQLiteTicketStore.open(folder: folder)
    var rows = 0
    while true {
        let report = try await store.scan(engine: engine, now: now, limit: 1000)
        rows += report.outboxRows
        if report.evaluated == 0 { break }
    }
    print("  \(rows) notifications in the outbox of \(folder)")
    var logger = Logger(label: "bench", factory: { StreamLogHandler.standardError(label: $0) })
    logger.logLevel = .warning
    var policy = DeliveryPolicy()
    policy.recordBatch = recordBatch
    let service = DeliveryService(store: store, rules: RulesHolder(engine: engine), clock: SystemClock(), policy: policy,
                                  logger: logger, echo: false, transport: client.transport(),
                                  secrets: .init(environment: ["BENCH_HOOK_SECRET": "bench-secret"], credentialsDirectory: nil))
    let reader = try DatabaseQueue(path: folder + "/slad.sqlite")
    let cpuBefore = cpuSeconds()
    let start = ContinuousClock.now
    let task = Task { try await service.run() }
    var sent = 0
    while sent < rows, ContinuousClock.now - start < .seconds(300) {
        try await Task.sleep(for: .milliseconds(20))
        sent = try await reader.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'sent'") ?? 0 }
    }
    let elapsed = ContinuousClock.now - start
    let cpu = cpuSeconds() - cpuBefore
    task.cancel()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let (requests, keys) = receiver.counts
    print("  \(sent) sent in \(String(format: "%.2f", seconds)) s (process CPU \(String(format: "%.2f", cpu)) s, "
        + "\(String(format: "%.0f", cpu / Double(max(sent, 1)) * 1e6)) µs a delivery, receiver included); "
        + "the receiver saw \(requests) requests, \(keys) distinct idempotency keys")
    if sent != rows || keys != rows || requests != rows { print("  WARNING: not exactly once per key") }
    return Double(sent) / seconds
}

/// User and system CPU time of this process, in seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// A webhook receiver on loopback: answers 204 and counts requests and distinct idempotency keys.
final class HookReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var requests = 0
    private var keys: Set<String> = []
    private var task: Task<Void, Error>?

    var counts: (requests: Int, keys: Int) { lock.withLock { (requests, keys.count) } }

    func record(_ key: String) { lock.withLock { requests += 1; keys.insert(key) } }

    func start() async throws -> Int {
        let router = Router()
        let idempotencyKey = HTTPField.Name("Idempotency-Key")!
        router.post("/hook") { [self] request, _ -> HTTPResponse.Status in
            _ = try await request.body.collect(upTo: 1 << 20)
            self.record(request.headers[idempotencyKey] ?? "")
            return .noContent
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        task = Task { try await app.runService() }
        var iterator = stream.makeAsyncIterator()
        return await iterator.next() ?? 0
    }

    func stop() { task?.cancel() }
}
