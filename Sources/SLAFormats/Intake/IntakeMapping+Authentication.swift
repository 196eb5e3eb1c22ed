import SLAEngine
import SLARules

extension IntakeMapping {
    /// `auth`, `secret`, `signature`, `signed`, `timestamp` and `delivery` lines.
    mutating func setAuthentication(_ key: String, _ value: String, number: Int, column: Int) throws(Failure) {
        let words = Self.words(value)
        func fail(_ message: String) -> Failure { Failure(line: number, column: column, message: message) }
        switch key {
        case "auth":
            switch value.lowercased() {
            case "hmac-sha256", "hmac": auth = .hmac(signatureSettings)
            case "bearer": auth = .bearer
            default:
                let hint = Suggestion.hint(for: value, in: ["hmac-sha256", "bearer"]).map { " (\($0))" } ?? ""
                throw fail("'\(value)' is not an authentication\(hint); expected hmac-sha256 or bearer")
            }
        case "secret":
            guard words.count == 2, ["env", "credential"].contains(words[0]) else {
                throw fail("a secret is a reference, never the secret itself: write 'secret = env NAME' or 'secret = credential NAME'")
            }
            secret = words[0] == "env" ? .environment(words[1]) : .credential(words[1])
        case "signature":
            // header NAME [hex|base64] [prefix "sha256="]
            guard words.count >= 2, words[0] == "header" else {
                throw fail("expected 'signature = header NAME [hex|base64] [prefix \"sha256=\"]'")
            }
            var signature = signatureSettings
            signature.header = words[1]
            var rest = words.dropFirst(2)
            if let encoding = rest.first, let known = IntakeSignature.Encoding(rawValue: encoding.lowercased()) {
                signature.encoding = known
                rest = rest.dropFirst()
            }
            if rest.first == "prefix", rest.count == 2 {
                signature.prefix = rest.last!.hasPrefix("\u{1}") ? String(rest.last!.dropFirst()) : rest.last!
                rest = []
            }
            guard rest.isEmpty else {
                throw fail("'\(rest.joined(separator: " "))' is not understood here; expected hex or base64, then optionally prefix \"sha256=\"")
            }
            setSignature(signature)
        case "signed":
            var parts: [IntakeSignature.Part] = []
            for word in words {
                switch word {
                case "body": parts.append(.body)
                case "timestamp": parts.append(.timestamp)
                case "delivery": parts.append(.delivery)
                default:
                    guard word.hasPrefix("\u{1}") else {
                        let hint = Suggestion.hint(for: word, in: ["body", "timestamp", "delivery"]).map { " (\($0))" } ?? ""
                        throw fail("'\(word)' is not part of a signature\(hint); expected body, timestamp, delivery or a \"quoted\" text")
                    }
                    parts.append(.literal(String(word.dropFirst()).replacingOccurrences(of: "\\n", with: "\n")))
                }
            }
            guard parts.contains(.body) else { throw fail("the signed bytes must include the body") }
            var signature = signatureSettings
            signature.signed = parts
            setSignature(signature)
        case "timestamp":
            guard words.count == 2 || words.count == 4, words[0] == "header", words.count == 2 || words[2] == "within" else {
                throw fail("expected 'timestamp = header NAME [within 5m]'")
            }
            var timestamp = IntakeTimestamp(header: words[1])
            if words.count == 4 {
                guard let seconds = Self.seconds(words[3]), seconds > 0 else {
                    throw fail("'\(words[3])' is not a duration; write 300s, 5m or 1h")
                }
                timestamp.tolerance = seconds
            }
            self.timestamp = timestamp
        default: // delivery
            if words.count == 2, words[0] == "header" {
                delivery = .header(words[1])
            } else {
                do throws(JSONPath.Failure) {
                    delivery = .path(try JSONPath(value))
                } catch {
                    throw Failure(line: number, column: column + error.column - 1, message: "expected 'delivery = header NAME' or a path: \(error.message)")
                }
            }
        }
    }

    /// The signature settings written so far (a `signature` or `signed` line may come before `auth`).
    var signatureSettings: IntakeSignature {
        if case let .hmac(signature) = auth { return signature }
        return pendingSignature ?? IntakeSignature()
    }

    private mutating func setSignature(_ signature: IntakeSignature) {
        pendingSignature = signature
        if case .hmac = auth { auth = .hmac(signature) }
    }

    /// Words of a value, with `"quoted text"` kept whole and marked by a leading U+0001.
    static func words(_ value: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for char in value {
            if char == "\"" {
                if quoted { words.append("\u{1}" + current); current = "" }
                else if !current.isEmpty { words.append(current); current = "" }
                quoted.toggle()
            } else if !quoted, char == " " || char == "\t" {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                current.append(char)
            }
        }
        if !current.isEmpty { words.append(quoted ? "\u{1}" + current : current) }
        return words
    }

    static func seconds(_ text: String) -> Int? {
        guard let unit = text.last, let number = Int(text.dropLast()) else { return Int(text) }
        switch unit {
        case "s": return number
        case "m": return number * 60
        case "h": return number * 3600
        default: return nil
        }
    }
}
