import Foundation
import SLAActions
@testable import SLADaemon
import SLATestSupport
import Testing

/// One action page opened in headless Chromium at a phone's size (360×740), from the listener itself:
/// the rendered DOM holds the Chinese text and the button, the browser's GET changed nothing, and the
/// screenshot shows the button at least 44 px tall (measured in the PNG by Python's zlib: the button's
/// blue, down a column left of its label). `SLAD_KEEP_BROWSER_OUTPUT=DIR` keeps the screenshot.
@Suite(.disabled(if: Chromium.skipped, "SLAD_SKIP_BROWSER=1"))
struct ActionPagesBrowserTests {
    @Test func aDrillStepPageRendersOnAPhone() async throws {
        guard let browser = Chromium.required() else { return }
        try await Chromium.withFolder("slad-pages") { folder in try await check(browser, in: folder) }
    }

    func check(_ browser: String, in folder: URL) async throws {
        let token = "Zm9yLXRoZS1icm93c2VyLXRlc3Q"
        let desk = MemoryDesk()
        desk.add(token, ActionView(action: .confirm, subject: "电梯困人 I级（事件 I-20261203-0002）", isDrill: true, place: "翠湖花园 3栋",
                                   summary: "3栋2号梯困1人", stepTitle: "维保人员到场", deadline: "2026-12-03 14:30",
                                   timeLeft: "剩余 12 分钟", sentTo: "王强", expires: "2026-12-04 14:18"))
        if Chromium.keptOutput != nil {
            // The other answers too, to open by hand.
            let view = MemoryDesk.view()
            let pages: [String: ActionPage] = ["done": .done(view, note: "已接单，计时已停止"), "already": .alreadyDone(view, by: "李娜", at: "2026-12-03 09:12"),
                                               "expired": .expired(view), "invalid": .invalid, "limited": .tooMany(retryAfter: 2),
                                               "not-applicable": .notApplicable(view, reason: "工单已关闭")]
            for (name, page) in pages {
                try page.html().write(to: folder.appendingPathComponent("\(name).html"), atomically: true, encoding: .utf8)
            }
        }
        let png = folder.appendingPathComponent("action-page.png")
        let profile = folder.appendingPathComponent("profile")
        let dom = try await withPages(desk) { url in
            let dom = try Chromium.run(browser, ["--dump-dom", "--window-size=360,740", url], profile: profile)
            _ = try Chromium.run(browser, ["--screenshot=\(png.path)", "--window-size=360,740", url], profile: profile)
            return dom
        }
        #expect(dom.contains("<button type=\"submit\">确认完成</button>"), "no button in the rendered DOM:\n\(dom.prefix(800))")
        #expect(dom.contains("【演练】") && dom.contains("维保人员到场") && dom.contains("王强"))
        #expect(desk.counts.acts == 0, "the browser's GET acted")
        let bytes = try #require(try? Data(contentsOf: png), "no screenshot at \(png.path)")
        let size = try #require(Chromium.pngSize(bytes), "not a PNG")
        #expect(size.width == 360 && size.height == 740, "screenshot is \(size.width)×\(size.height)")
        let height = try buttonHeight(png)
        #expect(height >= 44, "the button is \(height) px tall at 360 px wide")
    }

    /// Runs the listener for `body` with the page's URL (a child task: Chromium blocks its thread).
    func withPages<T: Sendable>(_ desk: MemoryDesk, _ body: @escaping @Sendable (String) throws -> T) async throws -> T {
        let box = ResultBox<T>()
        try await PagesServer.with(desk) { server in
            let url = server.base + "/a/Zm9yLXRoZS1icm93c2VyLXRlc3Q"
            let value = try await Chromium.onThread { try body(url) }
            box.set(value)
        }
        return try #require(box.get())
    }

    /// The tallest run of the button's colour (#1d4ed8) down the column 40 px from the left (inside the
    /// button, clear of its rounded corners and of its label).
    func buttonHeight(_ png: URL) throws -> Int {
        let script = #"""
        import sys, zlib, struct
        data = open(sys.argv[1], 'rb').read()
        pos, idat, width, height, ctype = 8, b'', 0, 0, 0
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8])
            chunk = data[pos + 8:pos + 8 + length]
            if kind == b'IHDR': width, height, depth, ctype = struct.unpack('>IIBB', chunk[:10])
            if kind == b'IDAT': idat += chunk
            pos += 12 + length
        bpp = {2: 3, 6: 4}[ctype]
        raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
        for y in range(height):
            f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                if f == 1: line[i] = (line[i] + a) & 255
                elif f == 2: line[i] = (line[i] + b) & 255
                elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
                elif f == 4:
                    p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            rows.append(line); prev = line
        x, best, run = 40, 0, 0
        for line in rows:
            r, g, b = line[x * bpp:x * bpp + 3]
            run = run + 1 if abs(r - 0x1d) < 12 and abs(g - 0x4e) < 12 and abs(b - 0xd8) < 12 else 0
            best = max(best, run)
        print(best)
        """#
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, png.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}

final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    func set(_ newValue: T) { lock.withLock { value = newValue } }
    func get() -> T? { lock.withLock { value } }
}

/// Another site's page that knows a link and even its form value, submitting the form from a real
/// browser: refused (403), nothing done.
@Suite(.disabled(if: Chromium.skipped, "SLAD_SKIP_BROWSER=1"))
struct CrossSiteBrowserTests {
    @Test func aFormOnAnotherSiteCannotAct() async throws {
        guard let browser = Chromium.required() else { return }
        let token = "Y3Jvc3Mtc2l0ZS10b2tlbg"
        let desk = MemoryDesk()
        desk.add(token)
        let check = try #require(desk.formValue(token: token))
        try await Chromium.withFolder("slad-cross-site") { folder in
            try await PagesServer.with(desk) { server in
                let attack = folder.appendingPathComponent("attack.html")
                try """
                <!doctype html><form id="f" method="post" action="\(server.base)/a/\(token)">
                <input type="hidden" name="check" value="\(check)"></form>
                <script>document.getElementById("f").submit()</script>
                """.write(to: attack, atomically: true, encoding: .utf8)
                let profile = folder.appendingPathComponent("profile-cross")
                let dom = try await Chromium.onThread { try Chromium.run(browser, ["--dump-dom", attack.absoluteString], profile: profile) }
                #expect(dom.contains("请求未通过校验"), "the browser did not get the refusal:\n\(dom.prefix(600))")
            }
        }
        #expect(desk.counts.acts == 0 && desk.counts.recorded == 0)
    }
}
