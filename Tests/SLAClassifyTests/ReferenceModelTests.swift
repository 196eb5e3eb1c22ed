import Foundation
import SLAClassify
import Testing

/// The classifier against a naive Bayes written the slow, obvious way from its own model file: n-grams as
/// strings of the normalised text, probabilities from the file's counts. The fast path (n-grams packed into
/// integers, folded while reading, looked up in a hash table of its own) must give the same probabilities.
@Suite struct ReferenceModelTests {
    struct Reference {
        let labels: [String]
        let examples: [Int]
        let counts: [[String: Int]]
        let smoothing: Double
        let ngrams: ClosedRange<Int>
        let temperature: Double

        init(_ bytes: [UInt8]) throws {
            let root = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
            let entries = try #require(root["labels"] as? [[String: Any]])
            labels = entries.map { $0["label"] as! String }
            examples = entries.map { $0["examples"] as! Int }
            counts = entries.map { $0["counts"] as! [String: Int] }
            smoothing = try #require(root["smoothing"] as? Double)
            temperature = try #require(root["temperature"] as? Double)
            let lengths = try #require(root["ngrams"] as? [String: Int])
            ngrams = lengths["shortest"]!...lengths["longest"]!
        }

        func probabilities(_ text: String) -> [String: Double] {
            let scalars = Array(TextNormalizer.normalize(text).unicodeScalars)
            var grams: [String] = []
            for end in scalars.indices {
                for length in ngrams where end + 1 >= length {
                    var gram = String.UnicodeScalarView()
                    gram.append(contentsOf: scalars[(end + 1 - length)...end])
                    grams.append(String(gram))
                }
            }
            let vocabulary = Set(counts.flatMap(\.keys))
            let total = Double(examples.reduce(0, +))
            let scores = labels.indices.map { label in
                let grams = grams.filter(vocabulary.contains)
                let size = Double(counts[label].values.reduce(0, +)) + smoothing * Double(vocabulary.count)
                return log(Double(examples[label]) / total)
                    + grams.map { log((Double(counts[label][$0] ?? 0) + smoothing) / size) }.reduce(0, +)
            }
            let tempered = scores.map { $0 / temperature }
            let top = tempered.max()!
            let sum = tempered.map { exp($0 - top) }.reduce(0, +)
            return Dictionary(uniqueKeysWithValues: zip(labels, tempered.map { exp($0 - top) / sum }))
        }
    }

    static let texts = RepairTexts.unseen.map(\.text) + ["ＡＢＣ 水管", "Elevator stuck 电梯", "", "完全没见过的字", "漏"]

    @Test(arguments: [TrainingOptions(), TrainingOptions(ngrams: 2...3, smoothing: 1), TrainingOptions(ngrams: 1...1, smoothing: 0.01)])
    func theFastPathGivesTheProbabilitiesOfTheObviousOne(options: TrainingOptions) throws {
        let model = TextClassifier.train(RepairTexts.training + [LabelledText(text: "Elevator STUCK", label: "电梯")], options: options)
        let reference = try Reference(model.encoded())
        for text in Self.texts {
            let expected = reference.probabilities(text)
            let prediction = model.predict(text)
            for ranked in prediction.ranked {
                #expect(abs(ranked.probability - expected[ranked.label]!) < 1e-9, "\(text): \(ranked.label)")
            }
            #expect(model.predict(TextNormalizer.normalize(text)) == prediction)
        }
    }
}
