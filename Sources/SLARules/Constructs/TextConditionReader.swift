import SLAClassify

/// `text contains any ["漏水", "渗水"]` or `text contains "漏水"`, after the word `text`. Keywords are kept in
/// `TextNormalizer`'s normal form, the form the ticket's text is compared in.
enum TextConditionReader {
    static func read(_ reader: inout StatementReader, into builder: inout RuleBuilder) throws(ParseFailure) -> MatchExpression {
        _ = try reader.expectWord(["contains"], hint: "match free text with: text contains any [\"漏水\", \"渗水\"]")
        _ = reader.accept("any")
        var keywords: [String] = []
        if reader.accept(.leftBracket) != nil {
            repeat {
                keywords.append(try keyword(&reader, into: &builder))
            } while reader.accept(.comma) != nil
            guard reader.accept(.rightBracket) != nil else { throw reader.failure("',' or ']'") }
        } else {
            keywords.append(try keyword(&reader, into: &builder))
        }
        return .textContains(keywords: keywords)
    }

    private static func keyword(_ reader: inout StatementReader, into builder: inout RuleBuilder) throws(ParseFailure) -> String {
        guard let token = reader.peek, token.kind == .string || token.kind == .word || token.kind == .literal else {
            throw reader.failure("a keyword in quotes, such as \"漏水\"")
        }
        _ = reader.advance()
        let normal = TextNormalizer.normalize(token.text)
        guard !normal.isEmpty else {
            throw ParseFailure(diagnostic: Diagnostic(.emptyKeyword, at: token.range, "an empty keyword matches every text",
                                                      hint: "write the word to look for, such as \"漏水\"; a route without 'when' takes every ticket"))
        }
        builder.routeKeywords.append((normal, token.range))
        return normal
    }
}
