import Foundation
import SLANotify
import SLARules
import Testing

/// A server that says yes to STARTTLS and then drops the connection: a transient failure, retried, not a
/// permanent one that would dead-letter the notice (it once made EmailTests flaky on a loaded machine).
struct SMTPClosedTests {
    static let script = #"""
    import socket, sys
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
    print(s.getsockname()[1], flush=True)
    c, _ = s.accept(); f = c.makefile("rwb")
    f.write(b"220 drop.example ESMTP\r\n"); f.flush()
    f.readline(); f.write(b"250-drop.example\r\n250 STARTTLS\r\n"); f.flush()
    f.readline(); f.write(b"220 go ahead\r\n"); f.flush()
    c.shutdown(socket.SHUT_RDWR); c.close()
    """#

    @Test func aConnectionDroppedAfterSTARTTLSIsRetried() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        defer { process.terminate() }
        let port = try #require(Int(String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        let rules = """
        channel mail email { host "127.0.0.1"; port \(port); from "slad@example.com"; timeout 5s }
        """
        let channel = try #require(try channels(rules)["mail"])
        let mail = try NotifierRegistry.make(channel, secrets: SecretResolver(environment: [:]), transport: FakeTransport())
        let notice = Notice(idempotencyKey: "k", ticketID: "T-1", channel: "mail",
                            recipients: [.init(person: "zhang-wei", name: "张伟", address: "zhang.wei@example.com")], text: "停水", createdAt: 0)
        let outcome = await mail.deliver(notice, now: Date())
        guard case let .retry(reason, _) = outcome else {
            Issue.record("expected a retry, got \(outcome)")
            return
        }
        #expect(reason.contains("closed"), "\(reason)")
    }
}
