/// ```
/// channel sms sms-http "短信网关" {
///   url "http://127.0.0.1:9000/send"
///   token env SMS_TOKEN
/// }
/// channel ops wecom { key credential wecom-key }
/// ```
/// Secrets are references only: `env NAME` (an environment variable) or `credential NAME`
/// (a systemd credential). A secret written inline is an error, never a warning.
enum ChannelConstruct: Construct {
    static let keyword = "channel"

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        var reader = StatementReader(statement)
        let kindNames = ChannelKind.allCases.map(\.rawValue)
        let name: Token
        let kind: ChannelKind
        let title: String?
        do throws(ParseFailure) {
            name = try reader.expectName("a name for the channel")
            guard let kindToken = reader.peek, kindToken.kind == .word else {
                throw reader.failure("a channel kind: \(Suggestion.list(kindNames))")
            }
            _ = reader.advance()
            guard let known = ChannelKind(rawValue: kindToken.text) else {
                throw ParseFailure(diagnostic: Diagnostic(.unknownValue, at: kindToken.range,
                                                          "unknown channel kind '\(kindToken.text)'",
                                                          hint: Suggestion.hint(for: kindToken.text, in: kindNames)
                                                              ?? "channel kinds are \(Suggestion.list(kindNames))"))
            }
            kind = known
            title = reader.optionalString()?.text
            try reader.expectEnd()
        } catch {
            builder.diagnostics.add(error.diagnostic)
            if let first = reader.tokens.dropFirst().first, first.kind == .word { _ = builder.define(.channel, first) }
            return
        }
        guard builder.define(.channel, name) else { return }
        var channel = Channel(name: name.text, kind: kind, location: name.range)
        channel.title = title
        let schema = ChannelSchema.of(kind)
        // Every setting written, even one whose value is then rejected: a rejected required setting is
        // reported once, for its value, and not again as missing.
        var seen: [String: SourceRange] = [:]
        var mentionRange: SourceRange?
        for setting in statement.block?.statements ?? [] {
            builder.read(setting) { reader, builder throws(ParseFailure) in
                let key = reader.tokens[0]
                guard key.kind == .word, schema.all.contains(key.text) else {
                    throw ParseFailure(diagnostic: Diagnostic(.unknownSetting, at: key.range,
                                                              "unknown setting \(key.display) for a \(kind.rawValue) channel",
                                                              hint: Suggestion.hint(for: key.text, in: schema.all)
                                                                  ?? "\(kind.rawValue) settings are \(Suggestion.list(schema.all))"))
                }
                guard builder.once(&seen[key.text], key) else { return }
                let value = try readValue(&reader)
                try reader.expectEnd()
                try checkSecret(key: key, value: value, schema: schema, at: reader.tokens[1].range)
                if key.text == "header" { try checkHeaders(reader.tokens.dropFirst()) }
                if key.text == "mask", value != .word("on"), value != .word("off") {
                    throw ParseFailure(diagnostic: Diagnostic(.unknownValue, at: reader.tokens[1].range, "'mask' is 'on' or 'off'",
                                                              hint: "mask on: residents' phone and ID numbers are shown as 138****0001 "
                                                                  + "(the default for wecom, dingtalk and feishu); mask off: shown in full"))
                }
                if key.text == "fallback", case let .word(other) = value {
                    builder.references.append(Reference(kind: .channel, name: other, range: reader.tokens[1].range))
                }
                channel.settings[key.text] = value
                if key.text == "mention" { mentionRange = reader.tokens[1].range }
            }
        }
        for required in schema.required where seen[required] == nil {
            builder.diagnostics.error(.missingStatement, at: name.range,
                                      "\(kind.rawValue) channel '\(channel.name)' has no '\(required)'",
                                      hint: schema.secrets.contains(required)
                                          ? "add '\(required) env VARIABLE' or '\(required) credential NAME'"
                                          : "add '\(required) …' inside the block")
        }
        if let mentionRange { checkMentions(channel, at: mentionRange, into: &builder) }
        builder.rules.channels[channel.name] = channel
    }

    static func readValue(_ reader: inout StatementReader) throws(ParseFailure) -> SettingValue {
        if reader.accept("env") {
            return .environment(try reader.expectName("the environment variable's name").text)
        }
        if reader.accept("credential") {
            return .credential(try reader.expectName("the credential's name").text)
        }
        guard let token = reader.peek else { throw reader.failure("a value") }
        switch token.kind {
        case .string:
            _ = reader.advance()
            guard reader.accept(.comma) != nil else { return .text(token.text) }
            var items = [token.text]
            repeat { items.append(try reader.expectString("another value in quotes").text) } while reader.accept(.comma) != nil
            return .list(items)
        case .literal:
            _ = reader.advance()
            if let number = Int(token.text) { return .number(number) }
            if let duration = Duration(token.text) { return .duration(duration) }
            throw ParseFailure(diagnostic: Diagnostic(.invalidNumber, at: token.range, "'\(token.text)' is neither a number nor a duration"))
        case .word:
            _ = reader.advance()
            return .word(token.text)
        default:
            throw reader.failure("a value: a string, a number, a duration, 'env NAME' or 'credential NAME'")
        }
    }

    /// Header values go out as raw bytes, and receivers read bytes past ASCII as Latin-1 (翠苑 arrives as
    /// "ç¿ è\u{8B}\u{91}"): refuse them, and offer the percent-encoded value.
    static func checkHeaders(_ tokens: ArraySlice<Token>) throws(ParseFailure) {
        guard let token = tokens.first(where: { $0.kind == .string && !$0.text.unicodeScalars.allSatisfy(\.isASCII) }) else { return }
        let encoded = token.text.unicodeScalars.map { scalar in
            scalar.isASCII ? String(scalar) : String(scalar).utf8.map { "%" + String($0, radix: 16, uppercase: true) }.joined()
        }.joined()
        throw ParseFailure(diagnostic: Diagnostic(.nonASCIIHeader, at: token.range, "header \"\(token.text)\" is not ASCII, and receivers garble it",
                                                  hint: "HTTP headers carry ASCII only: percent-encode the value, \"\(encoded)\", "
                                                      + "and decode it in the receiver, or leave the text to the message body"))
    }

    /// Secret settings must be references; URLs must not carry keys in their query.
    static func checkSecret(key: Token, value: SettingValue, schema: ChannelSchema, at range: SourceRange) throws(ParseFailure) {
        if schema.secrets.contains(key.text) {
            switch value {
            case .environment, .credential: return
            case let .word(name):
                // Most often a variable's name without `env`.
                throw ParseFailure(diagnostic: Diagnostic(.inlineSecret, at: range, "'\(key.text)' is a secret and must not be written in the rules",
                                                          hint: "did you mean '\(key.text) env \(name)' (an environment variable) or "
                                                              + "'\(key.text) credential \(name)' (LoadCredential= in the unit)?"))
            default:
                throw ParseFailure(diagnostic: Diagnostic(.inlineSecret, at: range, "'\(key.text)' is a secret and must not be written in the rules",
                                                          hint: "write '\(key.text) env VARIABLE' or '\(key.text) credential NAME' (LoadCredential= in the unit)"))
            }
        }
        if case let .text(text) = value {
            let lowered = text.lowercased()
            for marker in ["key=", "access_token=", "token=", "secret=", "password="] where lowered.contains("?\(marker)") || lowered.contains("&\(marker)") {
                throw ParseFailure(diagnostic: Diagnostic(.inlineSecret, at: range, "this URL carries a secret in its '\(marker.dropLast())' parameter",
                                                          hint: "leave it out of the URL and give it as a secret setting with 'env' or 'credential'"))
            }
        }
    }
}

/// The settings each channel kind accepts. The notifiers own delivery; this is what the checker knows.
struct ChannelSchema {
    let required: [String]
    let optional: [String]
    let secrets: Set<String>

    var all: [String] { required + optional }

    static func of(_ kind: ChannelKind) -> ChannelSchema {
        let common = ["timeout", "rate", "fallback", "mask"]
        switch kind {
        case .log: return ChannelSchema(required: [], optional: ["level"] + common, secrets: [])
        case .webhook: return ChannelSchema(required: ["url"], optional: ["secret", "header"] + common, secrets: ["secret"])
        case .wecom: return ChannelSchema(required: ["key"], optional: ["url", "mention"] + common, secrets: ["key"])
        case .dingtalk: return ChannelSchema(required: ["token"], optional: ["secret", "url", "mention"] + common, secrets: ["token", "secret"])
        case .feishu: return ChannelSchema(required: ["hook"], optional: ["secret", "url"] + common, secrets: ["hook", "secret"])
        case .smsHTTP: return ChannelSchema(required: ["url"], optional: ["token", "method", "body", "sign"] + common, secrets: ["token"])
        case .email: return ChannelSchema(required: ["host", "from"], optional: ["port", "username", "password", "starttls", "ca"] + common,
                                          secrets: ["password"])
        case .exec: return ChannelSchema(required: ["command"], optional: common, secrets: [])
        case .aliyunSMS: return ChannelSchema(required: ["key-id", "key-secret", "sign-name", "template"],
                                              optional: ["param", "region", "url"] + common, secrets: ["key-id", "key-secret"])
        case .tencentSMS: return ChannelSchema(required: ["secret-id", "secret-key", "app-id", "sign-name", "template"],
                                               optional: ["region", "url"] + common, secrets: ["secret-id", "secret-key"])
        }
    }
}
