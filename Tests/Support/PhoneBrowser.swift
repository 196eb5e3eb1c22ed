import Foundation

/// A phone in headless Chromium (Debian's `chromium`, installed by scripts/install-deps) for the action
/// pages' end-to-end tests: a 360×740 touch viewport driven over the DevTools protocol on a pipe by a
/// small Python script (standard library only). `open` loads a URL as a person would, `press` clicks the
/// page's button with a real mouse event and waits for the page the POST answers with, `shot` takes a
/// PNG screenshot and `fonts` names the fonts that drew an element (a CJK font with glyphs: no tofu).
/// Other sizes (the 看板's wall screen) come from `init(width:height:mobile:)`; `evaluate` runs a script
/// in the page (awaiting a promise) and `requests` lists every URL the page asked for since it opened.
/// `SLAD_CHROMIUM=PATH` names the browser when it is not on PATH.
public final class PhoneBrowser: @unchecked Sendable {
    public struct Page: Decodable, Sendable {
        public struct Button: Decodable, Sendable {
            public let text: String
            public let width: Double
            public let height: Double
        }
        /// The HTTP status of the page's document.
        public let status: Int?
        public let url: String
        /// What a person reads (`document.body.innerText`).
        public let text: String
        public let title: String
        public let button: Button?
        /// True when the page fits the 360 px width (no sideways scrolling).
        public let fits: Bool
    }

    public struct Font: Decodable, Sendable {
        public let family: String
        public let glyphs: Int
    }

    let process = Process()
    let input = Pipe()
    let output = Pipe()
    let folder: URL
    private var pending = Data()

    /// The viewport in CSS pixels; a mobile one (touch, scale 2) by default.
    public init(width: Int = 360, height: Int = 740, mobile: Bool = true) throws {
        guard let browser = Chromium.find() else { throw Failure("no chromium on PATH: run scripts/install-deps") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("slad-phone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("phone.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, browser, folder.appendingPathComponent("profile").path,
                             String(width), String(height), mobile ? "1" : "0"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit { close() }

    public func close() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.write(contentsOf: Data("quit\n".utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    public func open(_ url: String) throws -> Page { try decode(Page.self, command("open \(url)")) }
    public func press() throws -> Page { try decode(Page.self, command("press")) }
    @discardableResult public func shot(_ file: URL) throws -> Int {
        struct Shot: Decodable { let bytes: Int }
        return try decode(Shot.self, command("shot \(file.path)")).bytes
    }
    /// The value of a JavaScript expression in the page (a promise is awaited), decoded as `type`.
    public func evaluate<T: Decodable>(_ expression: String, as type: T.Type) throws -> T {
        let line = expression.replacingOccurrences(of: "\n", with: " ")
        return try decode(Evaluated<T>.self, command("eval \(line)")).value
    }

    /// Every URL the page requested since the last `open` (documents, fetches, images, fonts…).
    public func requests() throws -> [String] {
        struct URLs: Decodable { let urls: [String] }
        return try decode(URLs.self, command("requests")).urls
    }

    public func fonts(_ selector: String) throws -> [Font] {
        struct Fonts: Decodable { let fonts: [Font] }
        return try decode(Fonts.self, command("fonts \(selector)")).fonts
    }

    /// One command, one JSON line back (the script answers every command, errors included).
    func command(_ line: String) throws -> Data {
        try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
        while true {
            if let end = pending.firstIndex(of: 10) {
                let answer = pending[pending.startIndex..<end]
                pending = Data(pending[pending.index(after: end)...])
                return Data(answer)
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw Failure("the browser script ended (command: \(line.prefix(20)))") }
            pending += chunk
        }
    }

    struct Problem: Decodable { let error: String }
    struct Evaluated<T: Decodable>: Decodable { let value: T }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        if let problem = try? JSONDecoder().decode(Problem.self, from: data) { throw Failure("browser: \(problem.error)") }
        return try JSONDecoder().decode(type, from: data)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static let script = #"""
# A phone in headless Chromium, driven over the DevTools protocol on a pipe (--remote-debugging-pipe:
# fd 3 in, fd 4 out, NUL-terminated JSON). Standard library only. Commands on stdin, one per line;
# one JSON answer per line on stdout:
#   open URL    -> {"status": 200, "url": …, "text": body's innerText, "button": {"text", "width", "height"} or null}
#   press       -> clicks the page's first <button> with a real mouse event, waits for the next page -> like open
#   shot FILE   -> a PNG screenshot of the viewport -> {"bytes": N}
#   fonts SEL   -> the platform fonts that drew the first element matching SEL -> {"fonts": [{"family", "glyphs"}]}
#   eval EXPR   -> the expression's value in the page, a promise awaited -> {"value": …}
#   requests    -> every URL requested since the last open -> {"urls": […]}
#   quit
import json, os, subprocess, sys, time

browser, profile = sys.argv[1], sys.argv[2]
width, height, mobile = (int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1") if len(sys.argv) > 5 else (360, 740, True)
requested = []
to_browser_r, to_browser_w = os.pipe()
from_browser_r, from_browser_w = os.pipe()

def child_fds():
    os.dup2(to_browser_r, 3)
    os.dup2(from_browser_w, 4)

proc = subprocess.Popen([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--hide-scrollbars", "--remote-debugging-pipe", "--user-data-dir=" + profile, "about:blank"],
                        pass_fds=(3, 4), preexec_fn=child_fds, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL)
os.close(to_browser_r)
os.close(from_browser_w)
out = os.fdopen(to_browser_w, "wb", buffering=0)
inp = os.fdopen(from_browser_r, "rb", buffering=0)
buffer = b""
next_id = 0
events = []

def receive():
    global buffer
    while b"\0" not in buffer:
        chunk = inp.read(65536)
        if not chunk:
            raise SystemExit("the browser closed the pipe")
        buffer += chunk
    message, buffer = buffer.split(b"\0", 1)
    return json.loads(message)

def call(method, session=None, **params):
    global next_id
    next_id += 1
    message = {"id": next_id, "method": method, "params": params}
    if session:
        message["sessionId"] = session
    out.write(json.dumps(message).encode() + b"\0")
    while True:
        reply = receive()
        if reply.get("id") == next_id:
            if "error" in reply:
                raise RuntimeError("%s: %s" % (method, reply["error"]))
            return reply.get("result", {})
        keep(reply)

def keep(event):
    if event.get("method") == "Network.requestWillBeSent":
        requested.append(event["params"]["request"]["url"])
    events.append(event)

def wait_event(name, session, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for i, event in enumerate(events):
            if event.get("method") == name and event.get("sessionId") == session:
                del events[i]
                return event
        keep(receive())
    raise RuntimeError("no %s within %ds" % (name, timeout))

target = call("Target.createTarget", url="about:blank")["targetId"]
session = call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
call("Page.enable", session)
call("Network.enable", session)
call("Emulation.setDeviceMetricsOverride", session, width=width, height=height, deviceScaleFactor=2 if mobile else 1, mobile=mobile)
call("Emulation.setTouchEmulationEnabled", session, enabled=mobile)

def evaluate(expression):
    return call("Runtime.evaluate", session, expression=expression, returnByValue=True)["result"].get("value")

def describe(status):
    button = evaluate("""(() => { const b = document.querySelector('button'); if (!b) return null;
        const r = b.getBoundingClientRect(); return {text: b.innerText, width: r.width, height: r.height,
        x: r.x + r.width / 2, y: r.y + r.height / 2}; })()""")
    return {"status": status, "url": evaluate("location.href"), "text": evaluate("document.body ? document.body.innerText : ''"),
            "title": evaluate("document.title"), "button": button,
            "fits": evaluate("document.documentElement.scrollWidth <= window.innerWidth")}

def last_status():
    status = None
    for event in events:
        if event.get("method") == "Network.responseReceived" and event["params"].get("type") == "Document":
            status = event["params"]["response"]["status"]
    events[:] = [e for e in events if e.get("method") != "Network.responseReceived"]
    return status

for line in sys.stdin:
    command, _, argument = line.strip().partition(" ")
    try:
        if command == "open":
            events.clear()
            requested.clear()
            call("Page.navigate", session, url=argument)
            wait_event("Page.loadEventFired", session)
            answer = describe(last_status())
        elif command == "press":
            button = describe(None)["button"]
            if not button:
                raise RuntimeError("no button on the page")
            events.clear()
            for kind in ("mousePressed", "mouseReleased"):
                call("Input.dispatchMouseEvent", session, type=kind, x=button["x"], y=button["y"], button="left", clickCount=1)
            wait_event("Page.loadEventFired", session)
            answer = describe(last_status())
        elif command == "shot":
            import base64
            data = base64.b64decode(call("Page.captureScreenshot", session, format="png")["data"])
            with open(argument, "wb") as f:
                f.write(data)
            answer = {"bytes": len(data)}
        elif command == "fonts":
            # The fonts that drew the text of the first element matching the selector: proves CJK glyphs
            # came from a real font (no tofu boxes) in the screenshot.
            call("DOM.enable", session)
            call("CSS.enable", session)
            root = call("DOM.getDocument", session)["root"]["nodeId"]
            node = call("DOM.querySelector", session, nodeId=root, selector=argument or "button")["nodeId"]
            fonts = call("CSS.getPlatformFontsForNode", session, nodeId=node)["fonts"]
            answer = {"fonts": [{"family": f["familyName"], "glyphs": f["glyphCount"]} for f in fonts]}
        elif command == "eval":
            result = call("Runtime.evaluate", session, expression=argument, returnByValue=True, awaitPromise=True)
            if "exceptionDetails" in result:
                raise RuntimeError("script: %s" % result["exceptionDetails"].get("text"))
            answer = {"value": result["result"].get("value")}
        elif command == "requests":
            answer = {"urls": list(requested)}
        elif command == "quit":
            break
        else:
            answer = {"error": "unknown command " + command}
    except Exception as error:
        answer = {"error": str(error)}
    print(json.dumps(answer, ensure_ascii=False), flush=True)
proc.kill()
"""#
}
