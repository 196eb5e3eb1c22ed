import Foundation

/// A loopback HTTP receiver in Python (the standard library's threading server), told by the path how
/// to answer: `/ok/NAME` succeeds, `/flaky/NAME` answers 503 twice per idempotency key first,
/// `/throttle/NAME` answers 429 with `Retry-After: 1` once per key first, `/stall/NAME` never answers
/// in time, `/bad/NAME` answers 400. With a secret, it checks the webhook signature as an integrator
/// would (HMAC-SHA256 over timestamp + "." + body) and answers 401 when it does not verify.
/// `/aliyun/NAME` and `/tencent/NAME` answer as Alibaba Cloud's and Tencent Cloud's SMS APIs would: they
/// recompute the RPC v1 (HMAC-SHA1) or TC3-HMAC-SHA256 signature with their own secret, refuse stale
/// timestamps and reused nonces, and reply in the vendor's JSON (a refusal is logged with status 401).
/// Every request is logged as a JSON line: {path, key, status}.
final class Receiver: @unchecked Sendable {
    let process = Process()
    let log: URL
    private(set) var port = 0

    static let script = #"""
import base64, datetime, hashlib, hmac, json, os, re, sys, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
log_path, secret, ali_secret, tc_key = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
lock = threading.Lock()
seen = {}
nonces = set()
utc = datetime.timezone.utc

def q(text):
    return urllib.parse.quote(text, safe="~")

def aliyun(headers, body):
    params = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
    signature = params.pop("Signature", "")
    canonical = "&".join(q(k) + "=" + q(v) for k, v in sorted(params.items()))
    expected = base64.b64encode(hmac.new((ali_secret + "&").encode(), ("POST&%2F&" + q(canonical)).encode(), hashlib.sha1).digest()).decode()
    key = params.get("OutId", "")
    if not hmac.compare_digest(signature, expected):
        return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched with our calculation."}, key, False
    stamp = datetime.datetime.strptime(params.get("Timestamp", ""), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=utc).timestamp()
    if abs(time.time() - stamp) > 900:
        return 400, {"Code": "InvalidTimeStamp.Expired"}, key, False
    with lock:
        if params.get("SignatureNonce") in nonces:
            return 400, {"Code": "SignatureNonceUsed"}, key, False
        nonces.add(params.get("SignatureNonce"))
    fixed = {"Action": "SendSms", "Version": "2017-05-25", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "Format": "JSON"}
    if any(params.get(k) != v for k, v in fixed.items()) or not params.get("PhoneNumbers") or not params.get("SignName") or not params.get("TemplateCode"):
        return 400, {"Code": "MissingParameter"}, key, False
    json.loads(params["TemplateParam"])
    return 200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"}, key, True

def tencent(headers, body):
    def refuse(code):
        return 200, {"Response": {"Error": {"Code": code, "Message": code}, "RequestId": "r"}}, key, False
    data = json.loads(body)
    key = data.get("SessionContext", "")
    m = re.match(r"TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/sms/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$",
                 headers.get("Authorization", ""))
    if not m:
        return refuse("AuthFailure.InvalidAuthorization")
    stamp = int(headers.get("X-TC-Timestamp", "0"))
    date = datetime.datetime.fromtimestamp(stamp, utc).strftime("%Y-%m-%d")
    canonical = "POST\n/\n\ncontent-type:%s\nhost:%s\n\ncontent-type;host\n%s" % (
        headers.get("Content-Type", "").strip().lower(), headers.get("Host", "").strip().lower(), hashlib.sha256(body).hexdigest())
    to_sign = "TC3-HMAC-SHA256\n%d\n%s/sms/tc3_request\n%s" % (stamp, date, hashlib.sha256(canonical.encode()).hexdigest())
    step = lambda k, msg: hmac.new(k, msg.encode(), hashlib.sha256).digest()
    signing = step(step(step(("TC3" + tc_key).encode(), date), "sms"), "tc3_request")
    if date != m.group(2) or not hmac.compare_digest(hmac.new(signing, to_sign.encode(), hashlib.sha256).hexdigest(), m.group(3)):
        return refuse("AuthFailure.SignatureFailure")
    if abs(time.time() - stamp) > 300:
        return refuse("AuthFailure.SignatureExpire")
    if headers.get("X-TC-Action") != "SendSms" or headers.get("X-TC-Version") != "2021-01-11" or not data.get("SmsSdkAppId"):
        return refuse("InvalidParameter")
    statuses = [{"SerialNo": "2028:%d" % i, "PhoneNumber": p, "Fee": 1, "SessionContext": key, "Code": "Ok", "Message": "send success",
                 "IsoCode": "CN"} for i, p in enumerate(data["PhoneNumberSet"])]
    return 200, {"Response": {"SendStatusSet": statuses, "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}}, key, True

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def vendor(self, kind, body):
        status, reply, key, ok = (aliyun if kind == "aliyun" else tencent)(self.headers, body)
        with lock:
            with open(log_path, "a") as f: f.write(json.dumps({"path": self.path, "key": key, "status": 200 if ok else 401}) + "\n")
        reply = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)
    def do_GET(self):
        # A heartbeat (a dead man's switch's URL): logged like the rest, always 200.
        with lock:
            with open(log_path, "a") as f: f.write(json.dumps({"path": self.path, "key": "", "status": 200}) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        key = self.headers.get("Idempotency-Key", "")
        kind = self.path.split("/")[1]
        if kind in ("aliyun", "tencent"):
            return self.vendor(kind, body)
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
        ticket = ""
        try:
            ticket = str(json.loads(body).get("ticket", ""))
        except Exception:
            status = 422
        with lock:
            with open(log_path, "a") as f: f.write(json.dumps({"path": self.path, "key": key, "status": status, "ticket": ticket}) + "\n")
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
server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[5]) if len(sys.argv) > 5 else 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    static let aliyunSecret = "testsecret", tencentKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"

    /// `port`: listen there (a receiver that comes back where it was); default any free port.
    init(secret: String = "", port fixed: Int? = nil) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-receiver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("receiver.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        log = folder.appendingPathComponent("requests.jsonl")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, log.path, secret, Self.aliyunSecret, Self.tencentKey] + (fixed.map { [String($0)] } ?? [])
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
        /// The body's `ticket` (a webhook's), or "".
        var ticket = ""
    }

    var requests: [Request] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Request(path: object["path"] as? String ?? "", key: object["key"] as? String ?? "", status: object["status"] as? Int ?? 0,
                           ticket: object["ticket"] as? String ?? "")
        }
    }

    /// Idempotency keys answered 2xx on a path, with how many times each was.
    func delivered(_ path: String) -> [String: Int] {
        requests.filter { $0.path == path && (200..<300).contains($0.status) }.reduce(into: [:]) { $0[$1.key, default: 0] += 1 }
    }
}
