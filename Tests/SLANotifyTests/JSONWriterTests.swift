import Foundation
@testable import SLANotify
import Testing

/// The notifiers' JSON bodies are written directly; they must be byte for byte what JSONEncoder wrote
/// (sorted keys, slashes unescaped), and a text that needs no normalising is passed as it is.
@Suite struct JSONWriterTests {
    /// A deterministic generator, so a failure names a tree that can be made again.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }

        static let pieces = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}",
                             "漏水", "值班员", "😀", "\u{202E}", "\u{2066}", "\u{200E}", "é", "https://x.example/a?b=1&c=<d>", "@all"]

        mutating func text() -> String { (0..<next(12)).map { _ in Self.pieces[next(Self.pieces.count)] }.joined() }

        mutating func value(depth: Int) -> Any {
            switch depth > 2 ? next(3) : next(6) {
            case 0: return text()
            case 1: return next(2) == 0
            case 2: return next(2_000_000) - 1_000_000
            case 3: return (0..<next(4)).map { _ in value(depth: depth + 1) }
            default: return object(depth: depth + 1)
            }
        }

        mutating func object(depth: Int) -> [String: Any] {
            var object: [String: Any] = [:]
            for _ in 0..<next(6) { object[["id", "text", "title", "created_at", "recipients", "a_b", "Z", text()][next(8)]] = value(depth: depth) }
            return object
        }
    }

    @Test func writesWhatJSONEncoderWrote() throws {
        var generator = Generator(state: 16)
        for round in 0..<400 {
            let object = generator.object(depth: 0)
            let written = try #require(JSONWriter.write(object), "round \(round)")
            #expect(written == JSONBody.encodeWithFoundation(object), "round \(round): \(String(decoding: written, as: UTF8.self))")
        }
    }

    @Test func aWebhookBodyIsTheSameAsBefore() throws {
        let notice = Notice(idempotencyKey: "slad-1-2", ticketID: "T1", channel: "hook",
                            recipients: [.init(person: "duty", name: "值班员", address: "+8613800000009")],
                            text: "漏水 \"紧急\"\r\n第二行\u{202E}", createdAt: 1_800_000_000, title: "响应超时")
        let channel = try #require(try channels(#"channel hook webhook { url "http://127.0.0.1:9/h" }"#)["hook"])
        let hook = try WebhookNotifier(channel: channel, secrets: SecretResolver(), transport: AsyncHTTPTransport())
        let body = hook.request(for: notice, now: Date(timeIntervalSince1970: 1_800_000_000)).body
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(body == JSONBody.encodeWithFoundation(object))
        #expect(object["text"] as? String == "漏水 \"紧急\"\n第二行")
    }

    @Test func aDoubleGoesTheOldWay() {
        #expect(JSONWriter.write(["x": 1.5]) == nil)
        #expect(JSONBody.encode(["x": 1.5]) == JSONBody.encodeWithFoundation(["x": 1.5]))
    }

    @Test func textThatNeedsNoNormalisingIsPassedAsItIs() {
        var generator = Generator(state: 7)
        for _ in 0..<2000 {
            let text = generator.text()
            if !Escaping.needsNormalizing(text) { #expect(Escaping.normalizedLines(text) == text) }
        }
        for control in ["\r", "\u{01}", "\u{7F}", "\u{200E}", "\u{200F}", "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}"] {
            #expect(Escaping.needsNormalizing("漏水" + control + "了"), "\(control.unicodeScalars.first!.value)")
            #expect(Escaping.normalizedLines("漏水" + control + "了") != "漏水" + control + "了")
        }
        for plain in ["漏水了\n第二行\t", "\u{2010}\u{2030}\u{2070}", "🙂 é ™"] {
            #expect(!Escaping.needsNormalizing(plain), "\(plain)")
        }
    }
}
