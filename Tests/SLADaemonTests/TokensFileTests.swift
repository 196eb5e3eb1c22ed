import Foundation
@testable import SLADaemon
import Testing

/// The tokens file: `NAME ROLE TOKEN` or `NAME ROLE sha256:HEX` a line; every problem with file:line:col,
/// and no message ever repeats a token.
@Suite struct TokensFileTests {
    static let grafana = "grafana-7c1e0a9b2f4d6e8a"
    static let desk = "desk-0a1b2c3d4e5f60718293"

    @Test func readsNamesRolesAndBothForms() throws {
        let hashed = APIToken.digest(of: Self.desk).map { String(format: "%02x", $0) }.joined()
        let text = "# who may call the API\n\ngrafana read \(Self.grafana)\n  desk\toperate   sha256:\(hashed)\r\nops admin ops-5e6f7a8b9c0d1e2f3a4b\n"
        let tokens = try TokensFile.parse(text, file: "tokens")
        #expect(tokens.map(\.name) == ["grafana", "desk", "ops"])
        #expect(tokens.map(\.role) == [.read, .operate, .admin])
        #expect(tokens[0].digest == APIToken.digest(of: Self.grafana))
        #expect(tokens[1].digest == APIToken.digest(of: Self.desk))
    }

    @Test(arguments: [
        ("grafana read\n", "tokens:1:1: expected 'NAME ROLE TOKEN' or 'NAME ROLE sha256:HEX': found 2 words"),
        ("a read \(grafana)\n\nb writer \(desk)\n", "tokens:3:3: role 'writer' is not one of read, operate, admin"),
        ("# c\ngrafana read short\n", "tokens:2:14: a token must be at least 16 characters (e.g. from 'openssl rand -hex 24'), or sha256:HEX of one"),
        ("x read sha256:abc\n", "tokens:1:8: sha256: must be followed by 64 hexadecimal digits (the SHA-256 of the token)"),
        ("-x read \(grafana)\n", "tokens:1:1: token name '-x' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"),
        ("a read \(grafana)\na admin \(desk)\n", "tokens:2:1: token name 'a' is given twice (first on line 1): names must be unique"),
        ("a read \(grafana)\nb admin \(grafana)\n", "tokens:2:9: the same token as 'a' on line 1: give each name its own token"),
        ("# nothing yet\n", "tokens:1:1: no tokens in the file: expected 'NAME ROLE TOKEN' or 'NAME ROLE sha256:HEX', one a line"),
    ])
    func refusesWithFileLineAndColumn(text: String, message: String) {
        #expect(throws: TokensFile.Failure.self) { try TokensFile.parse(text, file: "tokens") }
        do {
            _ = try TokensFile.parse(text, file: "tokens")
        } catch {
            #expect(error.description == message)
            #expect(!error.description.contains(Self.grafana) && !error.description.contains(Self.desk) && !error.description.contains("short"))
        }
    }

    @Test func reportsEveryProblemAtOnce() {
        do {
            _ = try TokensFile.parse("a reader \(Self.grafana)\nb read tiny\nc\n", file: "/etc/slad/tokens")
            Issue.record("accepted a bad file")
        } catch {
            #expect(error.problems.map { "\($0.line):\($0.column)" } == ["1:3", "2:8", "3:1"])
            #expect(error.description.hasPrefix("/etc/slad/tokens:1:3: role 'reader'"))
        }
    }
}
