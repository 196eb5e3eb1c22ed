import SLAClassify
import Testing

@Suite struct EvaluationTests {
    /// Two teams whose words never meet, and one example the model must get wrong.
    static let model = TextClassifier.train([
        LabelledText(text: "水管漏水", label: "水电"), LabelledText(text: "停电跳闸", label: "水电"),
        LabelledText(text: "电梯困人", label: "电梯"), LabelledText(text: "电梯异响", label: "电梯"),
    ])

    @Test func countsAccuracyPrecisionRecallAndConfusion() {
        let evaluation = Evaluation(Self.model, on: [
            LabelledText(text: "水管爆裂漏水", label: "水电"),
            LabelledText(text: "电梯困人了", label: "电梯"),
            LabelledText(text: "电梯门夹人", label: "电梯"),
            LabelledText(text: "漏水", label: "电梯"),  // labelled wrong on purpose: predicted 水电
            LabelledText(text: "草坪", label: "绿化"),  // a label the model never saw
        ], thresholds: [0.9, 0.5])
        #expect(evaluation.labels == ["水电", "电梯", "绿化"])
        #expect(evaluation.total == 5)
        #expect(evaluation.correct == 3)
        #expect(evaluation.accuracy == 0.6)
        let grassRow = evaluation.confusion[2]
        #expect(evaluation.confusion[0] == [1, 0, 0])
        #expect(evaluation.confusion[1] == [1, 2, 0])
        #expect(grassRow.reduce(0, +) == 1 && grassRow[2] == 0)
        let water = evaluation.perLabel[0], lift = evaluation.perLabel[1], grass = evaluation.perLabel[2]
        #expect(water.support == 1 && water.recall == 1)
        #expect(water.predicted == 2 + (grassRow[0] == 1 ? 1 : 0))
        #expect(lift.support == 3 && lift.recall == 2.0 / 3.0)
        #expect(grass.precision == nil && grass.recall == 0 && grass.predicted == 0)
        #expect(evaluation.thresholds.map(\.threshold) == [0.5, 0.9])
        #expect(evaluation.thresholds[0].predicted == 5 && evaluation.thresholds[0].coverage == 1)
        #expect(evaluation.thresholds[1].predicted <= 5)
        if let accuracy = evaluation.thresholds[1].accuracy {
            #expect(accuracy == Double(evaluation.thresholds[1].correct) / Double(evaluation.thresholds[1].predicted))
        }
    }

    @Test func nothingToEvaluateIsZeroNotACrash() {
        let evaluation = Evaluation(Self.model, on: [])
        #expect(evaluation.total == 0 && evaluation.accuracy == 0)
        #expect(evaluation.thresholds.allSatisfy { $0.predicted == 0 && $0.accuracy == nil })
        #expect(evaluation.perLabel.allSatisfy { $0.precision == nil && $0.recall == nil })
    }

    @Test func aHighThresholdKeepsFewerButSurerPredictions() {
        let evaluation = Evaluation(TextClassifier.train(RepairTexts.training),
                                    on: RepairTexts.unseen.map { LabelledText(text: $0.text, label: $0.trade) },
                                    thresholds: [0, 0.999999])
        #expect(evaluation.thresholds[0].predicted == RepairTexts.unseen.count)
        #expect(evaluation.thresholds[1].predicted < evaluation.thresholds[0].predicted)
    }

    @Test func theLastPercentAreHeldOut() {
        let split = HoldoutSplit.last(percent: 20).split(Array(0..<10))
        #expect(split.training == Array(0..<8) && split.test == [8, 9])
        #expect(HoldoutSplit.last(percent: 25).split(Array(0..<10)).test == [8, 9])  // 2.5 rounds down
    }

    @Test func everyKthIsHeldOut() {
        let split = HoldoutSplit.every(5).split(Array(1...12))
        #expect(split.test == [5, 10])
        #expect(split.training.count == 10)
    }

    @Test func splitsThatLeaveNothingAreNamed() {
        #expect(HoldoutSplit.last(percent: 0).problem != nil)
        #expect(HoldoutSplit.last(percent: 100).problem != nil)
        #expect(HoldoutSplit.every(1).problem != nil)
        #expect(HoldoutSplit.every(5).problem == nil && HoldoutSplit.last(percent: 20).problem == nil)
    }
}
