/// ```
/// links {
///   base-url "https://wy.example.com/slad"
///   key credential action-key
///   old-key env SLAD_OLD_ACTION_KEY
///   expire 24h
/// }
/// ```
/// One block in the whole rule set. Keys are references only, like channel secrets.
enum LinksConstruct: Construct {
    static let keyword = "links"

    /// The shortest and longest `expire`: a link must outlive a lunch break, and not a month.
    static let expireRange = 300...(30 * 86_400)

    /// What the block has said so far.
    struct Reading {
        var baseURL: String?
        var key: (value: SettingValue, range: SourceRange)?
        var oldKeys: [(value: SettingValue, range: SourceRange)] = []
        var expireSeconds = 86_400
        // Set by the statements themselves, so that a rejected line does not also count as a missing one.
        var seenBaseURL: SourceRange?
        var seenKey: SourceRange?
        var seenExpire: SourceRange?
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        let keyword = statement.keyword
        guard builder.readSingleBlockHeader(statement, example: "links { base-url \"https://…\"; key credential NAME }",
                                            first: \.linksLocation) else { return }
        var reading = Reading()
        builder.readBlock(of: statement, grammar, into: &reading)
        guard statement.block?.isSound ?? false else { return }
        if reading.seenBaseURL == nil {
            builder.diagnostics.error(.missingStatement, at: keyword.range, "the links block has no 'base-url'",
                                      hint: "add 'base-url \"https://wy.example.com/slad\"': the public address of the action pages")
        }
        if reading.seenKey == nil {
            builder.diagnostics.error(.missingStatement, at: keyword.range, "the links block has no 'key'",
                                      hint: "add 'key credential NAME' or 'key env VARIABLE': the secret that signs the links")
        }
        warnRepeatedKeys(reading, into: &builder)
        guard let baseURL = reading.baseURL, let key = reading.key else { return }
        builder.rules.links = LinkSettings(baseURL: baseURL, key: key.value, oldKeys: reading.oldKeys.map(\.value),
                                           expireSeconds: reading.expireSeconds, location: keyword.range)
    }

    /// W010: an `old-key` naming the same secret as `key` or an earlier `old-key` verifies nothing more.
    static func warnRepeatedKeys(_ reading: Reading, into builder: inout RuleBuilder) {
        var seen: [(value: SettingValue, range: SourceRange)] = reading.key.map { [$0] } ?? []
        for old in reading.oldKeys {
            if let first = seen.first(where: { $0.value == old.value }) {
                let same = first.range == reading.key?.range ? "the current 'key'" : "an earlier 'old-key'"
                builder.diagnostics.warning(.repeatedLinkKey, at: old.range, "this 'old-key' is the same secret as \(same)",
                                            hint: "an old key verifies the links signed before a rotation: name the key that was "
                                                + "replaced, or remove this line", related: first.range)
            }
            seen.append(old)
        }
    }

    /// `key` and `old-key` take the same schema check as channel secrets: a reference, never the key.
    private static let secrets = ChannelSchema(required: [], optional: [], secrets: ["key", "old-key"])

    private static func readKey(_ reader: inout StatementReader) throws(ParseFailure) -> (value: SettingValue, range: SourceRange) {
        let keyword = reader.previous
        guard let start = reader.peek else { throw reader.failure("'env VARIABLE' or 'credential NAME'") }
        let value = try ChannelConstruct.readValue(&reader)
        try reader.expectEnd()
        try ChannelConstruct.checkSecret(key: keyword, value: value, schema: secrets, at: start.range)
        return (value, start.range.through(reader.previous.range))
    }

    private static let grammar = BlockGrammar<Reading>(in: "a links block", [
        ("base-url", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenBaseURL, reader.previous) else { return }
            let token = try reader.expectString("the public address in quotes, such as \"https://wy.example.com/slad\"")
            try reader.expectEnd()
            switch LinkBaseURL.parse(token.text) {
            case let .success(url):
                context.baseURL = url.text
            case let .failure(.malformed(reason, hint)):
                throw ParseFailure(diagnostic: Diagnostic(.invalidLinkBaseURL, at: token.range, reason, hint: hint))
            case let .failure(.insecure(host)):
                throw ParseFailure(diagnostic: Diagnostic(
                    .plainHTTPLinks, at: token.range, "links over plain http:// would carry their tokens to \(host) in the clear",
                    hint: "publish the action pages through a TLS reverse proxy (docs/actions.md) and write base-url \"https://\(host)/…\"; "
                        + "http:// is only for 127.0.0.1, localhost and [::1]"))
            }
        }),
        ("key", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenKey, reader.previous) else { return }
            context.key = try readKey(&reader)
        }),
        ("old-key", { context, reader, _ throws(ParseFailure) in
            context.oldKeys.append(try readKey(&reader))
        }),
        ("expire", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenExpire, reader.previous) else { return }
            let (duration, range) = try reader.expectDuration()
            try reader.expectEnd()
            guard expireRange.contains(duration.seconds) else {
                throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: range, "links that expire after \(duration) are "
                                                              + (duration.seconds < expireRange.lowerBound ? "gone before anyone can tap them" : "live too long"),
                                                          hint: "'expire' takes 5m to 30d; the default, 24h, covers a shift and the night after"))
            }
            context.expireSeconds = duration.seconds
        }),
    ])
}
