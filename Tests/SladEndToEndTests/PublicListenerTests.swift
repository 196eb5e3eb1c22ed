import Foundation
import Testing

/// `slad serve --public-port`: the real binary opens a second listener that answers the action pages and
/// nothing of the API; without the option there is none; `--public-host` alone is a usage error.
@Suite struct PublicListenerTests {
    @Test func thePublicListenerServesOnlyActionPages() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(), extra: ["--public-port", "0"])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        var publicPort = 0
        try daemon.waitFor("the action pages to listen", seconds: 30) {
            if let range = daemon.stderr.range(of: "action pages on http://127.0.0.1:") {
                publicPort = Int(daemon.stderr[range.upperBound...].prefix { $0.isNumber }) ?? 0
            }
            return publicPort != 0
        }
        #expect(publicPort != daemon.port)
        // No desk is wired in yet by this build's serve command: every link is "not valid".
        let link = try daemon.request("GET", "/a/AbCdEfGhIjKlMnOp", port: publicPort)
        #expect(link.status == 404 && link.text.contains("链接无效"), "\(link.text)")
        for path in ["/healthz", "/metrics", "/v1/tickets"] {
            #expect(try daemon.request("GET", path, port: publicPort).status == 404, "\(path) is on the public listener")
        }
        #expect(try daemon.request("GET", "/healthz").status == 200, "the API listener still answers")
        #expect(!daemon.stderr.contains("AbCdEfGhIjKlMnOp"))
        daemon.signal(SIGTERM)
        #expect(try daemon.waitForExit() == 0)
    }

    @Test func withoutThePortThereIsNoPublicListener() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(!daemon.stderr.contains("action pages on"))
        let usage = try Slad.run(["serve", "--public-host", "0.0.0.0"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--public-host needs --public-port"), "\(usage.stderr)")
        let clash = try Slad.run(["serve", "--port", "8091", "--public-port", "8091"])
        #expect(clash.status == 64 && clash.stderr.contains("a port of their own"),
                "\(clash.stderr)")
        let help = try Slad.run(["serve", "--help"])
        #expect(help.stdout.contains("--public-port") && help.stdout.contains("--public-host"))
    }
}
