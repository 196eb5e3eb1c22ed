import Foundation
import Testing

/// A forward proxy in Python (the standard library's threading server), as a site's egress proxy would be:
/// it takes CONNECT tunnels (`CONNECT HOST:PORT HTTP/1.1`, what AsyncHTTPClient sends for http:// and
/// https:// targets alike) and absolute-URI requests, writes each request line to its log, and connects to
/// 127.0.0.1 at the requested port whatever the host, so a webhook addressed to a name that does not
/// resolve (`receiver.invalid`) arrives only when it went through the proxy.
final class ForwardProxy: @unchecked Sendable {
    let process = Process()
    let log: URL
    private(set) var port = 0

    static let script = #"""
import http.client, select, socket, sys, threading, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
log_path = sys.argv[1]
lock = threading.Lock()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def relay(self):
        with lock, open(log_path, "a") as log:
            log.write(self.requestline + "\n")
        target = urllib.parse.urlsplit(self.path)
        if target.scheme != "http" or not target.port:
            self.send_response(400); self.send_header("Content-Length", "0"); self.end_headers(); return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        upstream = http.client.HTTPConnection("127.0.0.1", target.port, timeout=10)
        path = target.path + ("?" + target.query if target.query else "")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "proxy-authorization", "connection")}
        upstream.request(self.command, path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    do_GET = do_POST = do_PUT = relay
    def do_CONNECT(self):
        with lock, open(log_path, "a") as log:
            log.write(self.requestline + "\n")
        port = int(self.path.rpartition(":")[2])
        upstream = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.send_response(200, "Connection Established")
        self.end_headers()
        self.close_connection = True
        ends = [self.connection, upstream]
        while True:
            ready, _, _ = select.select(ends, [], [], 30)
            if not ready:
                return
            for end in ready:
                data = end.recv(65536)
                if not data:
                    return
                (upstream if end is self.connection else self.connection).sendall(data)

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-proxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("proxy.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        log = folder.appendingPathComponent("requests.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, log.path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        guard port != 0 else { throw DaemonProcess.Failure("the proxy did not start: \(line)") }
    }

    var requestLines: [String] {
        (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    }

    func stop() {
        // SIGKILL: a child of the test runner may inherit a blocked SIGTERM (as Receiver.stop says).
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// `slad serve --egress-proxy` (and SLAD_EGRESS_PROXY): notices go through an HTTP forward proxy, so a
/// unit that allows only the proxy's address still reaches vendors it cannot name in IPAddressAllow=.
@Suite(.serialized) struct EgressProxyTests {
    static func rules(port: Int) -> String {
        """
        calendar cn { timezone Asia/Shanghai; workdays mon-fri }
        person duty "值班员" { phone "+8613800000009" }
        team desk { members duty; supervisor duty; manager duty }
        channel vendor webhook { url "http://receiver.invalid:\(port)/ok/proxied"; secret env HOOK_SECRET }
        policy fast "快速" {
          when kind = complaint
          team desk
          clock respond "响应" within 1s until acknowledged
          escalate {
            at respond notify supervisor via vendor
          }
        }
        """
    }

    @Test(arguments: [true, false])
    func aWebhookGoesThroughTheEgressProxy(fromEnvironment: Bool) throws {
        let secret = "hook-secret-\(UUID().uuidString)"
        let receiver = try Receiver(secret: secret)
        defer { receiver.stop() }
        let proxy = try ForwardProxy()
        defer { proxy.stop() }
        let address = "http://127.0.0.1:\(proxy.port)"
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(Self.rules(port: receiver.port)),
                                       extra: fromEnvironment ? [] : ["--egress-proxy", address],
                                       environment: ["HOOK_SECRET": secret].merging(fromEnvironment ? ["SLAD_EGRESS_PROXY": address] : [:]) { $1 })
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(daemon.stderr.contains("go through the egress proxy \(address)"), "\(daemon.stderr)")
        let reply = try daemon.post("/v1/tickets", ["id": "P1", "kind": "complaint", "text": "漏水"])
        #expect(reply.status == 201, "\(reply.object)")
        try daemon.waitFor("the proxied webhook", seconds: 30) { receiver.delivered("/ok/proxied").count == 1 }
        // The connection reached the proxy as a tunnel to the vendor's name, and the receiver checked the
        // signature (the body arrived unchanged).
        #expect(proxy.requestLines.contains("CONNECT receiver.invalid:\(receiver.port) HTTP/1.1"), "\(proxy.requestLines)")
        #expect(receiver.requests.allSatisfy { $0.status != 401 }, "the signature did not verify")
        try daemon.waitFor("the notice recorded as sent", seconds: 20) {
            try daemon.count("SELECT COUNT(*) FROM outbox WHERE channel = 'vendor' AND state = 'sent'") == 1
        }
    }

    @Test func aBadEgressProxyStopsTheStartAndNeverShowsItsPassword() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("slad-egress-\(UUID().uuidString)")
        let scheme = try Slad.run(["serve", "--rules", "rules", "--state", state.path, "--egress-proxy", "https://proxy.example:3128"])
        #expect(scheme.status == 64 && scheme.stderr.contains("--egress-proxy: egress proxy 'https://proxy.example:3128': expected http://HOST:PORT"),
                "\(scheme.stderr)")
        let noPort = try Slad.run(["serve", "--rules", "rules", "--state", state.path],
                                  environment: ["SLAD_EGRESS_PROXY": "http://ops:hunter2-secret@proxy.example"])
        #expect(noPort.status == 64 && noPort.stderr.contains("SLAD_EGRESS_PROXY: egress proxy (value not shown"), "\(noPort.stderr)")
        #expect(!noPort.stderr.contains("hunter2"))
        let urlsession = try Slad.run(["serve", "--rules", "rules", "--state", state.path, "--http-client", "urlsession",
                                       "--egress-proxy", "http://127.0.0.1:3128"])
        #expect(urlsession.status == 64 && urlsession.stderr.contains("needs --http-client nio"), "\(urlsession.stderr)")
        // Nothing was created: the start stopped before the state folder was touched.
        #expect(!FileManager.default.fileExists(atPath: state.path))
    }
}

/// The overviews in `--help` wrap as paragraphs (no line broken by hand mid-sentence), and no default is
/// this shell's user: --help and the man pages generated from it must not print whoever built them.
@Suite struct HelpTextTests {
    /// The OVERVIEW's paragraphs: every line but a paragraph's last runs close to the width (COLUMNS=80).
    static func raggedLines(_ help: String) -> [String] {
        let overview = help.components(separatedBy: "\nUSAGE:").first ?? help
        var ragged: [String] = []
        for paragraph in overview.components(separatedBy: "\n\n") {
            let lines = paragraph.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (index, line) in lines.enumerated() where index < lines.count - 1 {
                let next = lines[index + 1].split(separator: " ").first.map(String.init) ?? ""
                // A line is ragged when the next line's first word would have fitted on it (ArgumentParser
                // fills lines up to 79 columns of the 80).
                if !next.isEmpty, line.count + 1 + next.count <= 79, !line.hasPrefix("  "), !lines[index + 1].hasPrefix("  ") { ragged.append(line) }
            }
        }
        return ragged
    }

    @Test(arguments: [["--help"], ["import", "--help"], ["serve", "--help"]])
    func theOverviewWrapsCleanly(arguments: [String]) throws {
        let output = try Slad.run(arguments, environment: ["COLUMNS": "80"])
        #expect(output.status == 0)
        // The OVERVIEW (the usage line is ArgumentParser's, one line whatever its length).
        let overview = output.stdout.components(separatedBy: "\nUSAGE:").first ?? ""
        #expect(overview.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(overview)")
        #expect(Self.raggedLines(output.stdout).isEmpty, "\(Self.raggedLines(output.stdout))")
    }

    @Test func theActorsDefaultIsNotThisShellsUser() throws {
        let output = try Slad.run(["import", "--help"], environment: ["USER": "zz-builder", "COLUMNS": "80"])
        #expect(!output.stdout.contains("zz-builder"), "\(output.stdout)")
        #expect(output.stdout.contains("default: $USER, else 'operator'"), "\(output.stdout)")
    }

    @Test func theRootHelpListsTheExitStatuses() throws {
        let output = try Slad.run(["--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
        for status in ["0 success", "64 a bad option", "65 the database is from a newer slad", "73 the state", "78 the rules"] {
            #expect(output.contains(status), "\(status)")
        }
    }
}
