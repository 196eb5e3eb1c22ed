import Foundation

/// A real SMTP server on loopback for the e-mail tests (SLANotifyTests and the end-to-end tests): Python's aiosmtpd (scripts/install-deps installs
/// it). `tls: true` offers STARTTLS with a certificate from a private CA made here with the openssl
/// command, requires it before anything else and requires AUTH (PLAIN or LOGIN) with `user`/`password`;
/// `tls: false` offers neither STARTTLS nor a way to avoid it, and takes AUTH in the clear (so a test can
/// see that slad never tries). A recipient starting `tempfail` is answered 451, `reject` 550.
/// Every message received is parsed by Python's own `email` package and written as JSON, with its raw
/// bytes, the envelope, whether TLS was on and who authenticated.
public final class SMTPServer: @unchecked Sendable {
    let process = Process()
    let folder: URL
    /// The private CA's certificate (PEM): the `ca` setting that makes slad trust this server.
    public let caFile: URL
    public private(set) var port = 0
    public static let user = "slad", password = "p@ss 密码"

    static let script = #"""
import json, os, socket, ssl, sys, time
try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword
except ImportError:
    print("MISSING aiosmtpd", flush=True)
    sys.exit(3)
import email, logging
from email import policy
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
mode, folder, cert, key, user, password = sys.argv[1:7]

def record(name, obj):
    with open(os.path.join(folder, "%d-%s.json" % (time.time_ns(), name)), "w") as f:
        json.dump(obj, f, ensure_ascii=False)

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("tempfail"):
            return "451 4.3.0 try again later"
        if address.startswith("reject"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"
    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        msg = email.message_from_bytes(raw, policy=policy.default)
        record("message", {
            "mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
            "tls": bool(session.ssl), "auth": session.auth_data.login.decode() if session.auth_data else None,
            "headers": [k for k, _ in msg.items()],
            "subject": str(msg["subject"]), "to": [a.addr_spec for a in msg["to"].addresses],
            "to_names": [a.display_name for a in msg["to"].addresses],
            "message_id": str(msg["message-id"]), "body": msg.get_content().replace("\r\n", "\n"),
            "content_type": msg.get_content_type(), "raw": raw.decode("utf-8", "replace"), "header_block": raw.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace"),
        })
        return "250 2.0.0 queued"

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and auth_data.password == password.encode()
    record("auth", {"mechanism": mechanism, "tls": bool(session.ssl), "ok": ok})
    return AuthResult(success=ok, handled=False, auth_data=auth_data)

probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
if mode == "tls":
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_required=True, auth_require_tls=True)
else:
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, authenticator=authenticator, auth_require_tls=False)
controller.start()
print(port, flush=True)
# If the test process dies, go too: an orphan holding the runner's pipes would keep `swift test` waiting.
parent = os.getppid()
while os.getppid() == parent:
    time.sleep(0.5)
os._exit(0)
"""#

    public init(tls: Bool) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        caFile = folder.appendingPathComponent("ca.pem")
        try Self.makeCertificates(in: folder)
        let script = folder.appendingPathComponent("smtp.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        let received = folder.appendingPathComponent("received")
        try FileManager.default.createDirectory(at: received, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, tls ? "tls" : "plain", received.path,
                             folder.appendingPathComponent("server.pem").path, folder.appendingPathComponent("server.key").path,
                             Self.user, Self.password]
        let out = Pipe()
        process.standardOutput = out
        let log = folder.appendingPathComponent("server.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let line = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("MISSING") {
            stop()
            throw Failure("the SMTP tests need Python's aiosmtpd for `python3` on PATH: run scripts/install-deps "
                + "(it runs `python3 -m pip install aiosmtpd`, or installs Debian's python3-aiosmtpd)")
        }
        port = Int(line) ?? 0
        guard port != 0 else { throw Failure("the SMTP server did not start: \(line)") }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// A private CA and a server certificate it signed, for 127.0.0.1 and localhost.
    static func makeCertificates(in folder: URL) throws {
        let commands = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
             "-days", "2", "-subj", "/CN=slad test CA"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
             "-days", "2", "-extfile", "ext.cnf"],
        ]
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(to: folder.appendingPathComponent("ext.cnf"), atomically: true, encoding: .utf8)
        for arguments in commands {
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            openssl.arguments = ["openssl"] + arguments
            openssl.currentDirectoryURL = folder
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            guard openssl.terminationStatus == 0 else { throw Failure("openssl \(arguments.prefix(2).joined(separator: " ")) failed") }
        }
    }

    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private func records(_ suffix: String) -> [[String: Any]] {
        let received = folder.appendingPathComponent("received")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: received.path)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: received.appendingPathComponent(name).path) else { return nil }
            return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        }
    }

    /// What aiosmtpd logged (connections, handshakes, errors): for a failure message.
    public var log: String {
        (try? String(contentsOf: folder.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }

    /// The messages received so far, as Python's email package read them.
    public var messages: [[String: Any]] { records("-message.json") }
    /// Every AUTH attempt: mechanism, whether TLS was on, whether it succeeded.
    public var authAttempts: [[String: Any]] { records("-auth.json") }
}
