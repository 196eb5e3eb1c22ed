import AsyncHTTPClient
import Foundation
import NIOCore

/// `clients` clients at once, each creating `creates` tickets one `POST /v1/tickets` after another (each
/// with its own `Idempotency-Key`), on AsyncHTTPClient with one keep-alive connection per client. Each
/// client first creates one ticket that is not timed, so that every connection is open before the clock starts.
struct ConcurrentCreates: Sendable {
    let base: String
    let token: String
    let clients: Int
    let creates: Int

    struct Outcome: Sendable {
        /// Each timed create's latency, in seconds.
        var latencies: [Double]
        /// From the first timed request to the last answer.
        var seconds: Double
    }

    func run(prefix: String) async throws -> Outcome {
        var configuration = AsyncHTTPClient.HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)
        configuration.httpVersion = .http1Only
        let client = AsyncHTTPClient.HTTPClient(eventLoopGroup: AsyncHTTPClient.HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            let outcome = try await measure(client, prefix: prefix)
            try await client.shutdown()
            return outcome
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func measure(_ client: AsyncHTTPClient.HTTPClient, prefix: String) async throws -> Outcome {
        let warm = Barrier(parties: clients)
        let clock = ContinuousClock()
        var latencies: [Double] = []
        latencies.reserveCapacity(clients * creates)
        var first = clock.now, last = clock.now
        try await withThrowingTaskGroup(of: (started: ContinuousClock.Instant, ended: ContinuousClock.Instant, latencies: [Double]).self) { group in
            for number in 0..<clients {
                group.addTask {
                    try await create(client, id: "\(prefix)-\(number)-warm")
                    await warm.arrive()
                    let started = clock.now
                    var mine: [Double] = []
                    for index in 0..<creates {
                        let sent = clock.now
                        try await create(client, id: "\(prefix)-\(number)-\(index)")
                        let took = clock.now - sent
                        mine.append(Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
                    }
                    return (started, clock.now, mine)
                }
            }
            var started: [ContinuousClock.Instant] = [], ended: [ContinuousClock.Instant] = []
            for try await (start, end, mine) in group {
                started.append(start)
                ended.append(end)
                latencies += mine
            }
            first = started.min() ?? first
            last = ended.max() ?? last
        }
        let span = last - first
        return Outcome(latencies: latencies, seconds: Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18)
    }

    private func create(_ client: AsyncHTTPClient.HTTPClient, id: String) async throws {
        var request = HTTPClientRequest(url: base + "/v1/tickets")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: "bench-\(id)")
        request.body = .bytes(ByteBuffer(bytes: TicketBodies.ticket(id: id, kind: "repair", created: nil)))
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status.code == 201 else {
            throw BenchError("POST /v1/tickets \(id): HTTP \(response.status.code), expected 201: \(String(buffer: body).prefix(300))")
        }
    }
}

/// Lets `parties` tasks go on only once all of them have arrived.
actor Barrier {
    private let parties: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(parties: Int) { self.parties = parties }

    func arrive() async {
        arrived += 1
        if arrived >= parties {
            waiting.forEach { $0.resume() }
            waiting = []
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}
