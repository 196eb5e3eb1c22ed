import SLAClassify
import Testing

@Suite struct TextClassifierTests {
    static let model = TextClassifier.train(RepairTexts.training)

    @Test func chineseWithoutSpacesIsClassifiedByTrade() {
        for (text, trade) in RepairTexts.unseen {
            #expect(Self.model.predict(text).label == trade, "\(text)")
        }
        #expect(Self.model.labels == ["保洁", "停车", "土建", "安保", "水电", "消防", "电梯", "绿化", "门禁与智能化"])
    }

    @Test func spacesAndFullWidthCharactersDoNotChangeAPrediction() {
        let plain = Self.model.predict("厨房水管漏水")
        #expect(Self.model.predict("厨房 水管　漏水") == plain)
        #expect(Self.model.predict("Ｗater 漏水") == Self.model.predict("water漏水"))
    }

    @Test func confidenceIsThePosteriorOfTheTopLabel() {
        let prediction = Self.model.predict("电梯困人")
        #expect(prediction.ranked.count == Self.model.labels.count)
        #expect(prediction.ranked.first == RankedLabel(label: prediction.label, probability: prediction.confidence))
        #expect(abs(prediction.ranked.map(\.probability).reduce(0, +) - 1) < 1e-9)
        #expect(zip(prediction.ranked, prediction.ranked.dropFirst()).allSatisfy { $0.probability >= $1.probability })
        #expect(prediction.confidence > 0.5)
    }

    @Test func trainingTwiceGivesTheSameBytes() {
        let again = TextClassifier.train(RepairTexts.training)
        #expect(again.encoded() == Self.model.encoded())
        #expect(again == Self.model)
    }

    @Test func theOrderOfTheExamplesChangesNothing() {
        // A fixed reordering: reversed, then every other example moved to the front.
        let reversed = Array(RepairTexts.training.reversed())
        let shuffled = reversed.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            + reversed.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let other = TextClassifier.train(shuffled)
        #expect(other.encoded() == Self.model.encoded())
        for (text, _) in RepairTexts.unseen { #expect(other.predict(text) == Self.model.predict(text)) }
    }

    @Test func textTheModelHasNeverSeenFallsBackToTheLabelsShares() {
        let model = TextClassifier.train([LabelledText(text: "a", label: "x"), LabelledText(text: "a", label: "x"),
                                          LabelledText(text: "b", label: "y"), LabelledText(text: "c", label: "x")])
        let prediction = model.predict("zzz")
        #expect(prediction.label == "x")
        #expect(abs(prediction.confidence - 0.75) < 1e-12)
        #expect(model.predict("b").label == "y")
    }

    @Test func withNoExamplesItPredictsTheEmptyLabel() {
        let model = TextClassifier.train([])
        #expect(model.labels.isEmpty)
        #expect(model.predict("水管漏水") == ClassifierPrediction(label: "", confidence: 0, ranked: []))
    }

    @Test func optionsOutsideTheirRangeAreNamed() {
        #expect(TrainingOptions().problem == nil)
        #expect(TrainingOptions(ngrams: 1...4).problem?.contains("1...3") == true)
        #expect(TrainingOptions(ngrams: 0...2).problem != nil)
        #expect(TrainingOptions(smoothing: 0).problem?.contains("above 0") == true)
        #expect(TrainingOptions(smoothing: .nan).problem != nil)
    }

    @Test func unigramsAloneStillLearn() {
        let model = TextClassifier.train(RepairTexts.training, options: TrainingOptions(ngrams: 1...1, smoothing: 1))
        #expect(model.predict("电梯困人").label == "电梯")
        #expect(model.options.ngrams == 1...1)
    }

    @Test func theStrongestNGramsOfALabelAreItsOwnWords() {
        let evidence = Self.model.strongestNGrams(of: "电梯", limit: 5)
        #expect(!evidence.isEmpty)
        #expect(evidence.contains { $0.ngram.contains("梯") })
        #expect(evidence.allSatisfy { $0.lift > 0 && $0.count >= 2 })
        #expect(Self.model.strongestNGrams(of: "no such team").isEmpty)
    }
}
