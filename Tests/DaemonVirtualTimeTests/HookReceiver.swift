import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import SLADaemon

/// A webhook receiver in-process over real HTTP on loopback, told by the path how to answer, which
/// records each request at the daemon's virtual time (the shared `ManualClock`):
/// `/ok/NAME` 200; `/fail/N/NAME` 503 for the first N requests of each idempotency key, then 200;
/// `/throttle/S/NAME` 429 with `Retry-After: S` for the first request of each key, then 200;
/// `/hang/NAME` never answers before the client gives up (its timeout).
final class HookReceiver: @unchecked Sendable {
    struct Arrival: Sendable {
        let path: String
        let key: String
        let at: Double
        let status: Int
    }

    private let lock = NSLock()
    private var arrivals: [Arrival] = []
    private var seen: [String: Int] = [:]
    private var clock: ManualClock

    init(clock: ManualClock) { self.clock = clock }

    /// Stamps arrivals with this clock (the daemon's, once it is made).
    func use(_ clock: ManualClock) { lock.withLock { self.clock = clock } }

    /// Every request so far, in arrival order.
    var all: [Arrival] { lock.withLock { arrivals } }

    /// The requests to `path` answered 200.
    func delivered(_ path: String) -> [Arrival] { all.filter { $0.path == path && $0.status == 200 } }

    private func answer(path: String, key: String) -> (HTTPResponse.Status, [(String, String)]) {
        lock.withLock {
            let parts = path.split(separator: "/").map(String.init)
            let count = seen["\(path) \(key)", default: 0]
            seen["\(path) \(key)"] = count + 1
            var status = HTTPResponse.Status.ok
            var headers: [(String, String)] = []
            switch parts.first {
            case "fail" where count < Int(parts[1]) ?? 0: status = .serviceUnavailable
            case "throttle" where count == 0:
                status = .tooManyRequests
                headers = [("Retry-After", parts[1])]
            default: break
            }
            arrivals.append(Arrival(path: path, key: key, at: clock.uptime(), status: status.code))
            return (status, headers)
        }
    }

    /// Serves for the length of `body`, handing it the port.
    func serve<T: Sendable>(port: Int = 0, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Router()
        let keyField = HTTPField.Name("Idempotency-Key")!
        router.post("/hang/**") { [self] request, _ -> HTTPResponse.Status in
            _ = answer(path: request.uri.path, key: request.headers[keyField] ?? "")
            try await Task.sleep(for: .seconds(30))   // real time: longer than any test lets a delivery run
            return .ok
        }
        router.post("/**") { [self] request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            let (status, extra) = answer(path: request.uri.path, key: request.headers[keyField] ?? "")
            var headers = HTTPFields()
            for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
            return Response(status: status, headers: headers)
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        let logger = Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() })
        let services = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: logger))
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await services.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            let port = await iterator.next() ?? 0
            let result = try await body(port)
            group.cancelAll()
            return result
        }
    }
}
