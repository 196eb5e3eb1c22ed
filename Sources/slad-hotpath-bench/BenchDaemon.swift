import Foundation

/// A `slad serve` on `folder/state` with the rules in `folder/rules`, its API on a free port with a
/// fresh token, its log in `folder/slad.log`: what every scenario of the benchmark starts.
struct BenchDaemon {
    let process: ChildProcess
    let token: String
    let base: String

    static func start(slad: String, folder: String) async throws -> BenchDaemon {
        let token = "bench-\(UUID().uuidString)"
        let process = try ChildProcess(executable: slad,
                                       arguments: ["serve", "--rules", folder + "/rules", "--state", folder + "/state", "--port", "0",
                                                   "--token-env", "SLAD_BENCH_TOKEN"],
                                       log: folder + "/slad.log",
                                       environment: ["SLAD_BENCH_TOKEN": token, "BENCH_HOOK_SECRET": "bench-secret"])
        do {
            let port = try await process.port(after: "listening on http://127.0.0.1:")
            return BenchDaemon(process: process, token: token, base: "http://127.0.0.1:\(port)")
        } catch {
            process.stop()
            throw error
        }
    }
}
