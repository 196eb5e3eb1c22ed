import Foundation

/// The tokens file (`slad serve --tokens-file PATH` or `--tokens-credential NAME`): one token a line,
/// `NAME ROLE TOKEN` or `NAME ROLE sha256:HEX`; blank lines and lines starting with `#` are skipped
/// (docs/security.md, docs/adr/0013-tokens-file.md). Every problem is reported, each with file:line:col;
/// no message ever repeats a token.
public enum TokensFile {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let file: String
        public let line: Int
        public let column: Int
        public let message: String
        public var description: String { "\(file):\(line):\(column): \(message)" }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let problems: [Problem]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    /// Shortest token accepted in clear: 16 characters (`openssl rand -hex 24` gives 48).
    public static let shortestSecret = 16
    static let expected = "expected 'NAME ROLE TOKEN' or 'NAME ROLE sha256:HEX'"

    public static func parse(_ text: String, file: String) throws(Failure) -> [APIToken] {
        var tokens: [APIToken] = []
        var problems: [Problem] = []
        var lineOfName: [String: Int] = [:]
        var lineOfDigest: [[UInt8]: (Int, String)] = [:]
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            let words = Self.words(of: line)
            if words.isEmpty || words[0].text.hasPrefix("#") { continue }
            func problem(_ column: Int, _ message: String) { problems.append(Problem(file: file, line: number, column: column, message: message)) }
            guard words.count == 3 else {
                problem(1, "\(expected): found \(words.count) word\(words.count == 1 ? "" : "s")")
                continue
            }
            let (name, role, secret) = (words[0], words[1], words[2])
            var valid = true
            if !Self.isName(name.text) {
                problem(name.column, "token name '\(name.text)' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
                valid = false
            } else if let first = lineOfName[name.text] {
                problem(name.column, "token name '\(name.text)' is given twice (first on line \(first)): names must be unique")
                valid = false
            }
            let parsedRole = APIRole(rawValue: role.text)
            if parsedRole == nil {
                problem(role.column, "role '\(role.text)' is not one of \(APIRole.allCases.map(\.rawValue).joined(separator: ", "))")
                valid = false
            }
            let digest: [UInt8]?
            if secret.text.hasPrefix("sha256:") {
                digest = Self.hex(secret.text.dropFirst(7))
                if digest == nil { problem(secret.column, "sha256: must be followed by 64 hexadecimal digits (the SHA-256 of the token)") }
            } else if secret.text.count < shortestSecret {
                digest = nil
                problem(secret.column, "a token must be at least \(shortestSecret) characters (e.g. from 'openssl rand -hex 24'), or sha256:HEX of one")
            } else {
                digest = APIToken.digest(of: secret.text)
            }
            if let digest, let (first, other) = lineOfDigest[digest] {
                problem(secret.column, "the same token as '\(other)' on line \(first): give each name its own token")
                valid = false
            }
            guard valid, let parsedRole, let digest else { continue }
            lineOfName[name.text] = number
            lineOfDigest[digest] = (number, name.text)
            tokens.append(APIToken(name: name.text, role: parsedRole, digest: digest))
        }
        if problems.isEmpty, tokens.isEmpty {
            problems.append(Problem(file: file, line: 1, column: 1, message: "no tokens in the file: \(expected), one a line"))
        }
        guard problems.isEmpty else { throw Failure(problems: problems) }
        return tokens
    }

    /// The words of a line, split on spaces and tabs, each with its 1-based column.
    static func words(of line: Substring) -> [(text: String, column: Int)] {
        var words: [(text: String, column: Int)] = []
        var current = "", start = 0
        for (offset, character) in line.enumerated() {
            if character == " " || character == "\t" || character == "\r" {
                if !current.isEmpty { words.append((current, start + 1)); current = "" }
            } else {
                if current.isEmpty { start = offset }
                current.append(character)
            }
        }
        if !current.isEmpty { words.append((current, start + 1)) }
        return words
    }

    static func isName(_ text: String) -> Bool {
        func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        guard (1...64).contains(text.unicodeScalars.count), let first = text.unicodeScalars.first, isLetterOrDigit(first) else { return false }
        return text.unicodeScalars.allSatisfy { isLetterOrDigit($0) || ".-_".unicodeScalars.contains($0) }
    }

    static func hex(_ text: Substring) -> [UInt8]? {
        guard text.count == 64, text.allSatisfy(\.isHexDigit) else { return nil }
        var bytes: [UInt8] = []
        var characters = text.makeIterator()
        while let high = characters.next(), let low = characters.next() {
            guard let byte = UInt8(String([high, low]), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
