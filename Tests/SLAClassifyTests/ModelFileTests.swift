import SLAClassify
import Testing

@Suite struct ModelFileTests {
    static let small = TextClassifier.train([LabelledText(text: "Ab", label: "x"), LabelledText(text: "漏\"", label: "y")],
                                            options: TrainingOptions(ngrams: 1...2, smoothing: 0.5))

    @Test func theFileIsReadableJSONInOneFixedLayout() {
        let expected = """
        {
          "format": 1,
          "classifier": "naive-bayes",
          "ngrams": {"shortest": 1, "longest": 2},
          "smoothing": 0.5,
          "temperature": 1,
          "labels": [
            {"label": "x", "examples": 1, "counts": {
              "a": 1,
              "b": 1,
              "ab": 1
            }},
            {"label": "y", "examples": 1, "counts": {
              "\\"": 1,
              "漏": 1,
              "漏\\"": 1
            }}
          ]
        }

        """
        #expect(String(decoding: Self.small.encoded(), as: UTF8.self) == expected)
    }

    @Test func decodingWhatWasEncodedGivesTheSameModel() throws {
        let model = TextClassifier.train(RepairTexts.training)
        let decoded = try TextClassifier(decoding: model.encoded())
        #expect(decoded == model)
        #expect(decoded.encoded() == model.encoded())
        for (text, _) in RepairTexts.unseen { #expect(decoded.predict(text) == model.predict(text)) }
        #expect(try TextClassifier(decoding: TextClassifier.train([]).encoded()).labels.isEmpty)
    }

    @Test func labelsInAnotherOrderAndOtherSpacingReadTheSame() throws {
        let text = """
        {"labels": [{"counts": {"漏": 1, "漏\\"": 1, "\\"": 1}, "examples": 1, "label": "y"},
                    {"label": "x", "examples": 1, "counts": {"ab": 1, "b": 1, "a": 1}}],
         "smoothing": 5e-1, "temperature": 1.0, "ngrams": {"longest": 2, "shortest": 1}, "classifier": "naive-bayes", "format": 1}
        """
        #expect(try TextClassifier(decoding: Array(text.utf8)) == Self.small)
    }

    static let good = String(decoding: small.encoded(), as: UTF8.self)

    /// A bad file, and what its error must say.
    static let badFiles: [(String, String)] = [
        ("", "empty"),
        (String(good.prefix(good.count / 2)), "truncated"),
        ("format: 1", "line 1, column 1"),
        ("[1, 2]", "JSON object"),
        ("{\"labels\": []}", "no \"format\""),
        (good.replacingOccurrences("\"format\": 1", "\"format\": 2"), "model format 2 is not one this slad reads"),
        (good.replacingOccurrences("\"format\": 1", "\"format\": \"1\""), "\"format\" must be a whole number"),
        (good.replacingOccurrences("naive-bayes", "svm"), "\"classifier\" must be \"naive-bayes\""),
        (good.replacingOccurrences("\"longest\": 2", "\"longest\": 4"), "not within 1...3"),
        (good.replacingOccurrences("\"smoothing\": 0.5", "\"smoothing\": 0"), "smoothing 0.0 is not a number above 0"),
        (good.replacingOccurrences("\"ab\": 1", "\"abc\": 1"), "labels[0].counts[\"abc\"]: not an n-gram of 1 to 2"),
        (good.replacingOccurrences("\"ab\": 1", "\"AB\": 1"), "labels[0].counts[\"AB\"]: not an n-gram"),
        (good.replacingOccurrences("\"ab\": 1", "\"ab\": 0"), "labels[0].counts[\"ab\"] must be a whole number above 0"),
        (good.replacingOccurrences("\"ab\": 1", "\"ab\": 1.5"), "must be a whole number above 0"),
        (good.replacingOccurrences("\"label\": \"y\"", "\"label\": \"x\""), "labels[1]: the label \"x\" appears twice"),
        (good.replacingOccurrences("\"examples\": 1, \"counts\": {\n      \"a\"", "\"examples\": 0, \"counts\": {\n      \"a\""), "labels[0].examples must be above 0"),
        (good.replacingOccurrences("\"smoothing\"", "\"smoothness\""), "smoothness is not a field of a model file"),
        (good.replacingOccurrences("\"a\": 1,", "\"a\": 1,\n \"a\": 2,"), "appears twice in one object"),
        (good + "x", "unexpected text after the end"),
        (good.replacingOccurrences("\"temperature\": 1", "\"temperature\": 0.5"), "\"temperature\" must be a number of at least 1"),
        (good.replacingOccurrences("  \"temperature\": 1,\n", ""), "temperature is missing"),
    ]

    @Test(arguments: badFiles)
    func aBadFileIsRefusedWithWhatIsWrong(file: String, message: String) {
        #expect {
            _ = try TextClassifier(decoding: Array(file.utf8))
        } throws: { error in
            guard let error = error as? ModelFileError else { return false }
            return error.description.contains(message) || { Issue.record("\(error) lacks '\(message)'"); return false }()
        }
    }
}

extension String {
    /// Replaces `target` and insists it was there, so that a test of a bad file tests what it says.
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard let range = range(of: target) else { fatalError("'\(target)' is not in the model file") }
        return replaceSubrange(range, replacement)
    }

    private func replaceSubrange(_ range: Range<Index>, _ replacement: String) -> String {
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }

    private func range(of target: String) -> Range<Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) { return index..<self.index(index, offsetBy: target.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
