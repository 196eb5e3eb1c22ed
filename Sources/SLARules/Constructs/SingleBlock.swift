extension RuleBuilder {
    /// The header of a block the rule set has once (`links { … }`, `repeats { … }`): no name, and a block.
    /// A second block is reported with the first one's place. True when this block is the one to read.
    mutating func readSingleBlockHeader(_ statement: Statement, example: String,
                                        first: WritableKeyPath<RuleBuilder, SourceRange?>) -> Bool {
        let keyword = statement.keyword
        read(statement) { reader, _ throws(ParseFailure) in
            try reader.expectEnd("a '\(keyword.text)' block has no name: write \(example)")
            if statement.block == nil {
                throw ParseFailure(diagnostic: Diagnostic(.unexpectedToken, at: reader.endRange, "expected '{' to open the \(keyword.text) block",
                                                          hint: "write \(example)"))
            }
        }
        if let earlier = self[keyPath: first] {
            diagnostics.error(.duplicateDefinition, at: keyword.range, "a second '\(keyword.text)' block",
                              hint: "the rules have one '\(keyword.text)' block; merge the two (the first is here)", related: earlier)
            return false
        }
        self[keyPath: first] = keyword.range
        return true
    }
}
