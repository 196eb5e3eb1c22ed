import Foundation
import Logging
import SLAActions
import SLADaemon
import SLAEngine
import ServiceLifecycle
import SLAStore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let quietLogger: Logger = {
    var logger = Logger(label: "bench", factory: { StreamLogHandler.standardError(label: $0) })
    logger.logLevel = .warning
    return logger
}()

/// Issue 13's first figure: the CPU a GET of an action page costs — the desk's look (the `action_link`
/// row, the tag under every key, the ticket and its clocks) and the Mustache page — for a real link and
/// for a forged one, on a real SQLite store whose scan minted the link.
func actionPageFigures(iterations: Int = 5_000) async throws -> (page: Double, forged: Double) {
    let folder = NSTemporaryDirectory() + "slad-bench-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let store = try SQLiteTicketStore.open(folder: folder)
    store.setLinks(LinkMinter(signer: LinkSigner(keys: try LinkKeys(keyText: String(repeating: "ab", count: 32))),
                              baseURL: "https://wy.example.com/slad", expireSeconds: 86_400))
    let engine = engine()
    let now = Instant(seconds: Int(Date().timeIntervalSince1970))
    let ticket = Ticket(id: "A1", fields: TicketFields(kind: "complaint", building: "3栋", assignee: "duty", text: "楼上漏水"),
                        createdAt: now - 120)
    _ = try await store.create(ticket, idempotencyKey: nil, actor: nil, engine: engine, now: now)
    _ = try await store.scan(engine: engine, now: now, limit: 10)
    let job = try await store.outbox(state: nil, limit: 10).first { !$0.actions.isEmpty }
    guard let url = job?.actions.first?.url, let token = url.split(separator: "/").last.map(String.init) else {
        fatalError("the scan minted no link")
    }
    var forged = Array(token)
    forged[forged.count - 1] = forged.last == "A" ? "B" : "A"
    let desk = LinkDesk(store: store, rules: RulesHolder(engine: engine), logger: quietLogger)
    let pages = ActionPages(desk: desk, clock: SystemClock(), limiter: RateLimiter(), maxBodyBytes: 4096, logger: quietLogger,
                            monotonic: PublicListener.uptime)
    func perPage(_ token: String, expecting status: Int) async -> Double {
        for _ in 0..<100 { _ = await pages.getPage(token: token) }
        let start = cpuSeconds()
        var bytes = 0
        for _ in 0..<iterations {
            let page = await pages.getPage(token: token)
            precondition(page.status == status, "page answered \(page.status)")
            bytes += page.html.utf8.count
        }
        precondition(bytes > 0)
        return (cpuSeconds() - start) / Double(iterations)
    }
    return (await perPage(token, expecting: 200), await perPage(String(forged), expecting: 404))
}

/// Forged-token GETs at a steady rate against the public listener on `store`, answered or not, from
/// this process (loopback). The rate limit is lifted so that every request reaches the desk and its
/// SQLite lookup: the worst case for the loop sharing the database.
final class ForgedLoad: @unchecked Sendable {
    let sender: Task<Void, Never>
    let server: Task<Void, Error>
    let group: ServiceGroup
    let counts: Counts

    /// Counted from URLSession's callbacks, under a lock: no task per answer.
    final class Counts: @unchecked Sendable {
        private let lock = NSLock()
        private var counted: [Int: Int] = [:]
        var byStatus: [Int: Int] { lock.withLock { counted } }
        func add(_ status: Int) { lock.withLock { counted[status, default: 0] += 1 } }
    }

    init(sender: Task<Void, Never>, server: Task<Void, Error>, group: ServiceGroup, counts: Counts) {
        self.sender = sender
        self.server = server
        self.group = group
        self.counts = counts
    }

    static func start(store: SQLiteTicketStore, rules: RulesHolder, perSecond: Int) async throws -> ForgedLoad {
        store.setLinks(LinkMinter(signer: LinkSigner(keys: try LinkKeys(keyText: String(repeating: "cd", count: 32))),
                                  baseURL: "https://wy.example.com/slad", expireSeconds: 86_400))
        var settings = PublicListenerConfiguration(port: 0)
        settings.burst = 1_000_000
        settings.perMinute = 60_000_000
        let bound = AsyncStream<Int>.makeStream()
        let service = PublicListener.service(settings, desk: LinkDesk(store: store, rules: rules, logger: quietLogger), clock: SystemClock(),
                                             logger: quietLogger, onRunning: { port in bound.continuation.yield(port) })
        let group = ServiceGroup(configuration: .init(services: [service], logger: quietLogger))
        let server = Task { try await group.run() }
        var iterator = bound.stream.makeAsyncIterator()
        guard let port = await iterator.next() else { fatalError("the public listener did not start") }
        let counts = Counts()
        let interval = 1.0 / Double(perSecond)
        let sender = Task {
            let session = URLSession(configuration: .ephemeral)
            let begin = Date()
            var sent = 0
            while !Task.isCancelled {
                let due = begin.addingTimeInterval(Double(sent) * interval)
                let wait = due.timeIntervalSinceNow
                if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
                let token = String((0..<24).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".randomElement()! })
                let url = URL(string: "http://127.0.0.1:\(port)/a/\(token)")!
                session.dataTask(with: url) { _, response, _ in
                    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                    counts.add(status)
                }.resume()
                sent += 1
            }
        }
        return ForgedLoad(sender: sender, server: server, group: group, counts: counts)
    }

    func answered() async -> Int { counts.byStatus.values.reduce(0, +) }
    func statuses() async -> String {
        counts.byStatus.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "failed" : String($0.key)): \($0.value)" }.joined(separator: ", ")
    }

    /// Stops sending, lets the requests in flight finish, and shuts the listener down gracefully.
    func stop() async {
        sender.cancel()
        try? await Task.sleep(for: .seconds(1))
        await group.triggerGracefulShutdown()
        _ = try? await server.value
    }
}
