import Logging
import ServiceLifecycle

/// Runs one listener service in-process for the length of `body`, handing `body` the port it bound
/// (reported by the service's `onRunning` through `ports`), then shuts it down gracefully.
enum InProcessService {
    static func run(_ service: some Service, ports: AsyncStream<Int>, logger: Logger, _ body: (Int) async throws -> Void) async throws {
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { return }
            do {
                try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
