import Foundation
import Testing

/// `--heartbeat-url-env`: a missing variable or a value that is not an http(s) URL stops the start with
/// what is wrong, and never repeats the value (it may hold the monitor's key).
@Suite struct HeartbeatOptionTests {
    @Test func aMissingOrBadHeartbeatURLStopsTheStartWithoutShowingIt() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("slad-heartbeat-\(UUID().uuidString)")
        let missing = try Slad.run(["serve", "--rules", "rules", "--state", state.path, "--heartbeat-url-env", "NO_SUCH_HEARTBEAT"])
        #expect(missing.status == 64 && missing.stderr.contains("--heartbeat-url-env NO_SUCH_HEARTBEAT: the environment variable is not set"),
                "\(missing.stderr)")
        let bad = try Slad.run(["serve", "--rules", "rules", "--state", state.path, "--heartbeat-url-env", "BEAT"],
                               environment: ["BEAT": "ftp://monitor.example/key-1234"])
        #expect(bad.status == 64 && bad.stderr.contains("not an http(s) URL"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("key-1234"))
    }
}
