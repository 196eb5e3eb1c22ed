import Foundation
import SLAClassify
import SLAFormats
import Testing

/// The evaluation as `slad route evaluate` prints it: columns that line up with Chinese labels (two
/// terminal columns a character), and JSON with the same figures.
@Suite struct EvaluationTextTests {
    static let model = TextClassifier.train([
        LabelledText(text: "水管漏水", label: "水电"), LabelledText(text: "停电跳闸", label: "水电"),
        LabelledText(text: "门禁卡刷不开", label: "门禁与智能化"), LabelledText(text: "道闸不抬杆", label: "门禁与智能化"),
    ])
    static let evaluation = Evaluation(model, on: [
        LabelledText(text: "厨房漏水", label: "水电"), LabelledText(text: "门禁失灵", label: "门禁与智能化"),
        LabelledText(text: "跳闸了", label: "门禁与智能化"),
    ], thresholds: [0.5, 0.9])
    static let context = EvaluationText.Context(source: "history.jsonl", examples: "one row in 5 held out", trainedOn: 4, threshold: 0.9)

    @Test func theTableLinesUpWithWideCharacters() {
        let text = EvaluationText.text(Self.evaluation, Self.context)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Evaluated on 3 examples of history.jsonl (one row in 5 held out; trained on the other 4).")
        #expect(lines[1] == "Accuracy: 66.7 % (2 of 3 right)")
        // "门禁与智能化" is 12 columns wide: the label column is 12 wide, and the figures line up under the header.
        #expect(lines[3] == "label         support  predicted  precision   recall")
        #expect(lines[4] == "水电                1          2       50 %    100 %")
        #expect(lines[5] == "门禁与智能化        2          1      100 %     50 %")
        #expect(text.contains("\n  0.9                 "))
        #expect(text.contains("← --threshold"))
        #expect(!text.contains("Strongest n-grams"))  // none asked for
    }

    @Test func theJSONHoldsTheSameFigures() throws {
        let strongest = ["水电": Self.model.strongestNGrams(of: "水电", limit: 2, minimumCount: 1)]
        let json = EvaluationText.json(Self.evaluation, Self.context, strongest: strongest)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["total"] as? Int == 3 && object["correct"] as? Int == 2)
        #expect(object["confusion"] as? [[Int]] == [[1, 0], [1, 1]])
        let labels = try #require(object["labels"] as? [[String: Any]])
        #expect(labels.map { $0["label"] as? String } == ["水电", "门禁与智能化"])
        #expect(labels[0]["precision"] as? Double == 0.5 && labels[1]["recall"] as? Double == 0.5)
        #expect((labels[0]["strongest"] as? [[String: Any]])?.count == 2)
        #expect(labels[1]["strongest"] == nil)
        #expect(object["threshold"] as? Double == 0.9 && object["trainedOn"] as? Int == 4)
    }
}
