import Foundation

/// A loopback HTTP receiver in Python (the standard library's threading server), told by the path how
/// to answer: `/ok/NAME` succeeds, `/flaky/NAME` answers 503 twice per idempotency key first,
/// `/throttle/NAME` answers 429 with `Retry-After: 1` once per key first, `/stall/NAME` never answers
/// in time, `/bad/NAME` answers 400. With a secret, it checks the webhook signature as an integrator
/// would (HMAC-SHA256 over timestamp + "." + body) and answers 401 when it does not verify.
/// Every request is logged as a JSON line: {path, key, status}.
final class Receiver: @unchecked Sendable {
    let process = Process()
    let log: URL
    private(set) var port = 0

    static let script = #"""
import hashlib, hmac, json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
log_path, secret = sys.argv[1], sys.argv[2]
lock = threading.Lock()
seen = {}
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = self.headers.get("Idempotency-Key", "")
        kind = self.path.split("/")[1]
        with lock:
            seen[(self.path, key)] = seen.get((self.path, key), 0) + 1
            count = seen[(self.path, key)]
        status, extra = 200, {}
        ts, sig = self.headers.get("X-Slad-Timestamp"), self.headers.get("X-Slad-Signature")
        if secret and (not ts or not sig or not hmac.compare_digest(sig, "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest())):
            status = 401
        elif abs(time.time() - int(ts or 0)) > 300 and secret:
            status = 401
        elif kind == "flaky" and count <= 2: status = 503
        elif kind == "throttle" and count <= 1: status, extra = 429, {"Retry-After": "1"}
        elif kind == "stall": time.sleep(60)
        elif kind == "bad": status = 400
        try:
            json.loads(body)
        except Exception:
            status = 422
        with lock:
            with open(log_path, "a") as f: f.write(json.dumps({"path": self.path, "key": key, "status": status}) + "\n")
        reply = b'{"ok":true}'
        self.send_response(status)
        for k, v in extra.items(): self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        try:
            self.wfile.write(reply)
        except BrokenPipeError:
            pass
# If the test process dies, go too: an orphan holding the runner's pipes would keep `swift test` waiting.
parent = os.getppid()
def watch_parent():
    while os.getppid() == parent: time.sleep(0.5)
    os._exit(0)
threading.Thread(target=watch_parent, daemon=True).start()
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    init(secret: String = "") throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-receiver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("receiver.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        log = folder.appendingPathComponent("requests.jsonl")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, log.path, secret]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        guard port != 0 else { throw DaemonProcess.Failure("the receiver did not start: \(line)") }
    }

    func stop() {
        // SIGKILL: a child of the test runner may inherit a blocked SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    struct Request: Hashable {
        let path: String
        let key: String
        let status: Int
    }

    var requests: [Request] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Request(path: object["path"] as? String ?? "", key: object["key"] as? String ?? "", status: object["status"] as? Int ?? 0)
        }
    }

    /// Idempotency keys answered 2xx on a path, with how many times each was.
    func delivered(_ path: String) -> [String: Int] {
        requests.filter { $0.path == path && (200..<300).contains($0.status) }.reduce(into: [:]) { $0[$1.key, default: 0] += 1 }
    }
}
