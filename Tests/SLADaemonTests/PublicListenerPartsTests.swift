import Foundation
import HTTPTypes
import NIOCore
import SLAActions
@testable import SLADaemon
import Testing

/// The public listener's parts on their own: the rate limiter on a hand-stepped clock, whose address a
/// request counts against, the same-site check, the form body and the token's shape.
@Suite struct PublicListenerPartsTests {
    @Test func theBucketRefillsWithTimeAndSaysHowLongToWait() {
        let limiter = RateLimiter(capacity: 2, perMinute: 30)
        #expect(limiter.take("203.0.113.9", now: 100) == .allow)
        #expect(limiter.take("203.0.113.9", now: 100) == .allow)
        #expect(limiter.take("203.0.113.9", now: 100) == .wait(seconds: 2))
        #expect(limiter.take("198.51.100.7", now: 100) == .allow, "another address has its own bucket")
        #expect(limiter.take("203.0.113.9", now: 101) == .wait(seconds: 1))
        #expect(limiter.take("203.0.113.9", now: 102.1) == .allow)
        #expect(limiter.take("203.0.113.9", now: 102.1) == .wait(seconds: 2))
    }

    @Test func theLimiterRemembersABoundedNumberOfAddresses() {
        let limiter = RateLimiter(capacity: 5, perMinute: 5, maxClients: 100)
        for index in 0..<1000 { _ = limiter.take("10.0.\(index / 256).\(index % 256)", now: Double(index) / 1000) }
        #expect(limiter.clientCount <= 100)
        // The busy address keeps its (empty) bucket through the eviction of idle ones.
        for _ in 0..<5 { _ = limiter.take("192.0.2.1", now: 2) }
        #expect(limiter.take("192.0.2.1", now: 2) != .allow)
        for index in 0..<99 { _ = limiter.take("172.16.0.\(index)", now: 2) }
        #expect(limiter.take("192.0.2.1", now: 2) != .allow)
    }

    @Test func forwardedHeadersCountOnlyFromALoopbackProxy() throws {
        let proxy = try SocketAddress(ipAddress: "127.0.0.1", port: 40000)
        let remote = try SocketAddress(ipAddress: "203.0.113.5", port: 40000)
        let xff = HTTPField.Name("X-Forwarded-For")!, real = HTTPField.Name("X-Real-IP")!
        #expect(ClientAddress.resolve(peer: proxy, headers: [xff: "198.51.100.1, 192.0.2.44"]) == "192.0.2.44")
        #expect(ClientAddress.resolve(peer: proxy, headers: [real: "192.0.2.45"]) == "192.0.2.45")
        #expect(ClientAddress.resolve(peer: proxy, headers: [xff: "2001:db8::1"]) == "2001:db8::1")
        #expect(ClientAddress.resolve(peer: proxy, headers: [xff: "not an address <script>"]) == "127.0.0.1")
        #expect(ClientAddress.resolve(peer: proxy, headers: [:]) == "127.0.0.1")
        #expect(ClientAddress.resolve(peer: remote, headers: [xff: "192.0.2.44", real: "192.0.2.45"]) == "203.0.113.5")
    }

    @Test func sameSiteAllowsThePagesOwnFormOnly() {
        let fetchSite = HTTPField.Name("Sec-Fetch-Site")!, forwardedHost = HTTPField.Name("X-Forwarded-Host")!
        #expect(SameSite.allows([:], authority: "wy.example.com", viaProxy: false), "an old browser sends neither")
        #expect(SameSite.allows([.origin: "https://wy.example.com", fetchSite: "same-origin"], authority: "wy.example.com", viaProxy: false))
        #expect(SameSite.allows([.origin: "null", fetchSite: "same-origin"], authority: "wy.example.com", viaProxy: false))
        #expect(!SameSite.allows([fetchSite: "cross-site"], authority: "wy.example.com", viaProxy: false))
        #expect(!SameSite.allows([.origin: "https://evil.example"], authority: "wy.example.com", viaProxy: false))
        #expect(!SameSite.allows([.origin: "https://wy.example.com.evil.example"], authority: "wy.example.com", viaProxy: false))
        // Behind nginx passing its own upstream name as Host, X-Forwarded-Host counts from loopback only.
        #expect(SameSite.allows([.origin: "https://wy.example.com", forwardedHost: "wy.example.com"], authority: "127.0.0.1:8081", viaProxy: true))
        #expect(!SameSite.allows([.origin: "https://wy.example.com", forwardedHost: "wy.example.com"], authority: "127.0.0.1:8081", viaProxy: false))
    }

    @Test func theFormValueIsReadAndComparedWhole() {
        #expect(FormBody.value(of: "check", in: "a=1&check=abc-_%2B&x") == "abc-_+")
        #expect(FormBody.value(of: "check", in: "checkx=1") == nil)
        #expect(ConstantTime.equal(Array("abc".utf8), Array("abc".utf8)))
        #expect(!ConstantTime.equal(Array("abc".utf8), Array("abd".utf8)))
        #expect(!ConstantTime.equal(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!ConstantTime.equal([], Array("a".utf8)))
        #expect(ConstantTime.equal([], []))
    }

    @Test func onlyBase64URLTokensOfASaneLengthReachTheDesk() {
        #expect(ActionPages.token(in: "/a/AbC-_0123") == "AbC-_0123")
        #expect(ActionPages.token(in: "/a/abc") == nil)
        #expect(ActionPages.token(in: "/a/" + String(repeating: "a", count: 257)) == nil)
        #expect(ActionPages.token(in: "/a/abc+defghi") == nil)
        #expect(ActionPages.token(in: "/a/abcdefgh/") == nil)
        #expect(ActionPages.token(in: "/b/abcdefghij") == nil)
        #expect(ActionPages.fingerprint("AbC-_0123").count == 8)
    }
}
