import Foundation
import SLAClassify
import SLAEngine
import SLAFormats
import Testing

/// A labelled history read as `slad route train` reads it, and the classifier on a fixed split of the NYC
/// 311 sample: the accuracy floor the issue asks for (≥ 90 %), which broken models fail.
@Suite struct LabelledHistoryTests {
    static let nycSample = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/311/nyc311-sample.csv")

    static func nyc() throws -> LabelledHistory {
        let mappingText = try String(contentsOf: repositoryRoot.appendingPathComponent("rules/mappings/nyc311.map"), encoding: .utf8)
        let mapping = try TicketMapping.parse(mappingText).get()
        let bytes = try [UInt8](Data(contentsOf: nycSample))
        return try LabelledHistory.csv(bytes, mapping: mapping, labelColumn: "Agency")
    }

    @Test func theNYCSampleBecomesExamplesOfCategoryAndText() throws {
        let history = try Self.nyc()
        #expect(history.rows == 1000)
        #expect(history.examples.count + history.skipped.total + history.rejected.total + history.unlabelled.total == 1000)
        #expect(history.unlabelled.total == 0)
        #expect(history.skipped.total > 0)  // the mapping skips other agencies' matters (DOF*, Taxi*, …)
        #expect(history.examples.count == history.lines.count)
        // Line 2 is a police matter the mapping skips; the first example is a row with Complaint Type and Descriptor.
        let first = try #require(history.examples.first)
        #expect(!first.label.isEmpty && first.text.contains(" "))
    }

    /// Trains on four rows in five and tests on the fifth; the floor is the issue's 90 %.
    static func heldOutAccuracy(trainingLabels: (String) -> String = { $0 }, options: TrainingOptions = TrainingOptions()) throws -> Double {
        let parts = HoldoutSplit.every(5).split(try nyc().examples)
        let training = parts.training.map { LabelledText(text: $0.text, label: trainingLabels($0.label)) }
        return Evaluation(TextClassifier.train(training, options: options), on: parts.test).accuracy
    }

    @Test func heldOutAccuracyOnTheNYCSampleIsAtLeast90Percent() throws {
        #expect(try Self.heldOutAccuracy() >= 0.9)
    }

    /// The confidence means something: the mistakes fall below 0.5, above it the model is right on this
    /// split, and it still dispatches most tickets. Naive Bayes's raw posterior (temperature 1) is 0.99…
    /// for nearly everything, mistakes included (95.7 % right at 0.5 and at 0.9), and fails this.
    @Test func theCalibratedConfidenceSendsTheMistakesToAPerson() throws {
        let parts = HoldoutSplit.every(5).split(try Self.nyc().examples)
        let model = TextClassifier.train(parts.training)
        #expect(model.temperature > 1)
        let atHalf = try #require(Evaluation(model, on: parts.test, thresholds: [0.5]).thresholds.first)
        #expect(atHalf.coverage >= 0.8 && (atHalf.accuracy ?? 0) >= 0.99, "\(atHalf)")
    }

    @Test func brokenModelsFailTheFloor() throws {
        // Labels swapped in training (each agency learnt as the next one in order).
        let agencies = Set(try Self.nyc().examples.map(\.label)).sorted()
        let next = Dictionary(uniqueKeysWithValues: agencies.enumerated().map { ($1, agencies[($0 + 1) % agencies.count]) })
        #expect(try Self.heldOutAccuracy(trainingLabels: { next[$0]! }) < 0.5)
        // Smoothing so strong that the n-grams count for nothing: only the agencies' shares are left.
        #expect(try Self.heldOutAccuracy(options: TrainingOptions(smoothing: 1e9)) < 0.9)
    }

    @Test func aLabelColumnNotInTheHeaderIsNamedWithTheColumnsThereAre() throws {
        let mapping = try TicketMapping.parse("""
        id = id
        created = created
        category = type
        time format = ISO
        time zone = Asia/Shanghai
        default = repair
        """).get()
        let csv = Array("id,created,type,team\n1,2026-01-05T09:00:00+08:00,漏水,水电\n".utf8)
        #expect(throws: SimulationInput.CSVFailure.self) { try LabelledHistory.csv(csv, mapping: mapping, labelColumn: "teem") }
        do {
            _ = try LabelledHistory.csv(csv, mapping: mapping, labelColumn: "teem")
        } catch {
            guard case let .input(failure) = error else { Issue.record("\(error)"); return }
            #expect(failure.line == 1)
            #expect(failure.message.contains("'teem' is not in the CSV header") && failure.message.contains("'team'"))
        }
        let history = try LabelledHistory.csv(csv, mapping: mapping, labelColumn: "TEAM")
        #expect(history.examples == [LabelledText(text: "漏水", label: "水电")])
    }

    @Test func jsonLinesTakeTheLabelFromATicketFieldOrAnExtraKey() throws {
        let zone = try #require(ZoneTable(identifier: "Asia/Shanghai"))
        let lines = """
        {"id": "T1", "kind": "repair", "category": "报修", "text": "厨房水管漏水", "assignee": "li-na", "team": "水电", "created": "2026-01-05 09:00"}

        {"id": "T2", "kind": "repair", "text": "电梯困人", "created": "2026-01-05 10:00", "team": " 电梯 "}
        {"id": "T3", "kind": "repair", "text": "草坪", "created": "2026-01-05 11:00"}
        """
        let byTeam = try LabelledHistory.jsonl(Array(lines.utf8), zone: zone, labelField: "team")
        #expect(byTeam.examples == [LabelledText(text: "报修 厨房水管漏水", label: "水电"), LabelledText(text: "电梯困人", label: "电梯")])
        #expect(byTeam.lines == [1, 3])
        #expect(byTeam.unlabelled.entries.map(\.lines) == [[4]])
        // A ticket field as the label; the extra key is then an unknown field, as in 'slad simulate'.
        #expect(throws: SimulationInput.Failure.self) { try LabelledHistory.jsonl(Array(lines.utf8), zone: zone, labelField: "assignee") }
        let assigned = try LabelledHistory.jsonl(Array(lines.replacingOccurrences(of: #", "team": "水电""#, with: "")
            .replacingOccurrences(of: #", "team": " 电梯 ""#, with: "").utf8), zone: zone, labelField: "assignee")
        #expect(assigned.examples.map(\.label) == ["li-na"])
        #expect(assigned.unlabelled.total == 2)
    }

    @Test func aLabelThatIsNotAStringIsRefusedAtItsLine() throws {
        let zone = try #require(ZoneTable(identifier: "Asia/Shanghai"))
        let line = #"{"id": "T1", "kind": "repair", "text": "x", "created": "2026-01-05 09:00", "team": 3}"#
        #expect {
            try LabelledHistory.jsonl(Array(line.utf8), zone: zone, labelField: "team")
        } throws: { error in
            "\(error)" == "1: team: the label must be a string"
        }
    }
}
