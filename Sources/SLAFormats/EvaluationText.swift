import Foundation
import SLAClassify

/// `slad route evaluate`'s output: a classifier's evaluation for people (a terminal table) and for tools
/// (JSON). docs/dispatch.md "Learning from history" explains how to read it.
public enum EvaluationText {
    /// What the evaluation is of, for the heading and the JSON's "source".
    public struct Context: Sendable {
        public var source: String
        /// How the examples were chosen: "one row in 5 held out", "all labelled rows".
        public var examples: String
        /// How many examples the model was trained on, when it was trained here.
        public var trainedOn: Int?
        /// The threshold the operator asked about, if any.
        public var threshold: Double?
        public init(source: String, examples: String, trainedOn: Int? = nil, threshold: Double? = nil) {
            self.source = source
            self.examples = examples
            self.trainedOn = trainedOn
            self.threshold = threshold
        }
    }

    /// "95.5 %", one decimal.
    public static func percent(_ share: Double) -> String { KPIText.decimal(share * 100, places: 1) + " %" }

    public static func text(_ evaluation: Evaluation, _ context: Context, strongest: [String: [TextClassifier.Evidence]] = [:]) -> String {
        let labels = evaluation.labels
        var out = "Evaluated on \(evaluation.total) examples of \(context.source) (\(context.examples)"
        out += context.trainedOn.map { "; trained on the other \($0)" } ?? ""
        out += ").\nAccuracy: \(percent(evaluation.accuracy)) (\(evaluation.correct) of \(evaluation.total) right)\n\n"

        let labelWidth = max(5, labels.map(KPIReport.width).max() ?? 0)
        out += KPIReport.pad("label", labelWidth) + "  support  predicted  precision   recall\n"
        for score in evaluation.perLabel {
            out += KPIReport.pad(score.label, labelWidth) + KPIReport.padLeft("\(score.support)", 9) + KPIReport.padLeft("\(score.predicted)", 11)
            out += KPIReport.padLeft(score.precision.map(percent) ?? "–", 11) + KPIReport.padLeft(score.recall.map(percent) ?? "–", 9) + "\n"
        }

        out += "\nConfusion matrix (rows: the true label; columns: the predicted one; '.' is none):\n"
        let cell = max(4, (evaluation.confusion.flatMap { $0 }.max().map { "\($0)".count } ?? 1) + 1, min(labelWidth, 6) + 1)
        let columnNames = labels.map { KPIReport.width($0) <= cell - 1 ? $0 : truncated($0, to: cell - 1) }
        out += KPIReport.pad("", labelWidth) + columnNames.map { KPIReport.padLeft($0, cell) }.joined() + "\n"
        for (row, label) in labels.enumerated() {
            out += KPIReport.pad(label, labelWidth)
            out += evaluation.confusion[row].map { KPIReport.padLeft($0 == 0 ? "." : "\($0)", cell) }.joined() + "\n"
        }

        out += "\nconfidence at least   dispatched by the model   accuracy there\n"
        for score in evaluation.thresholds {
            let marker = score.threshold == context.threshold ? "  ← --threshold" : ""
            let threshold = KPIText.decimal(score.threshold, places: 4)
            out += KPIReport.pad("  \(threshold)", 22) + KPIReport.pad("\(score.predicted) (\(percent(score.coverage)))", 26)
            out += (score.accuracy.map(percent) ?? "–") + marker + "\n"
        }
        out += "Below the threshold a route gives the ticket to a person to dispatch by hand.\n"

        let explained = labels.filter { !(strongest[$0] ?? []).isEmpty }
        if !explained.isEmpty {
            out += "\nStrongest n-grams per label (×: how many times likelier than under the next label):\n"
            for label in explained {
                let grams = strongest[label]!.map { "\($0.ngram) ×\(Self.times($0.lift))" }
                out += KPIReport.pad(label, labelWidth) + "  " + grams.joined(separator: "  ") + "\n"
            }
        }
        return out
    }

    public static func json(_ evaluation: Evaluation, _ context: Context, strongest: [String: [TextClassifier.Evidence]] = [:]) -> String {
        let document = Document(
            source: context.source, examples: context.examples, trainedOn: context.trainedOn, threshold: context.threshold,
            total: evaluation.total, correct: evaluation.correct, accuracy: evaluation.accuracy,
            labels: evaluation.perLabel.map {
                Document.Label(label: $0.label, support: $0.support, predicted: $0.predicted, precision: $0.precision, recall: $0.recall,
                               strongest: strongest[$0.label]?.map { Document.Gram(ngram: $0.ngram, count: $0.count, lift: $0.lift) })
            },
            confusion: evaluation.confusion,
            thresholds: evaluation.thresholds.map {
                Document.Threshold(threshold: $0.threshold, predicted: $0.predicted, correct: $0.correct, coverage: $0.coverage, accuracy: $0.accuracy)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(document)) ?? Data(), as: UTF8.self) + "\n"
    }

    /// The JSON form; precision, recall and accuracy are absent where they are undefined (nothing to divide by).
    struct Document: Encodable {
        struct Label: Encodable {
            let label: String
            let support, predicted: Int
            let precision, recall: Double?
            let strongest: [Gram]?
        }

        struct Gram: Encodable {
            let ngram: String
            let count: Int
            let lift: Double
        }

        struct Threshold: Encodable {
            let threshold: Double
            let predicted, correct: Int
            let coverage: Double
            let accuracy: Double?
        }

        let source, examples: String
        let trainedOn: Int?
        let threshold: Double?
        let total, correct: Int
        let accuracy: Double
        /// Sorted; the confusion matrix's rows (true label) and columns (predicted) are in this order.
        let labels: [Label]
        let confusion: [[Int]]
        let thresholds: [Threshold]
    }

    /// e^lift, for people: "12", "3.4", "1.1".
    static func times(_ lift: Double) -> String {
        let factor = exp(lift)
        return factor >= 10 ? "\(Int(factor.rounded()))" : KPIText.decimal(factor, places: 1)
    }

    static func truncated(_ text: String, to columns: Int) -> String {
        var out = ""
        for character in text {
            if KPIReport.width(out + String(character)) > columns { break }
            out.append(character)
        }
        return out
    }
}
