/// How well a classifier does on examples it was not trained on: accuracy, per label precision, recall
/// and support, the confusion matrix, and for each confidence threshold how much is predicted above it
/// and how accurately — what an operator reads to choose a route's threshold (docs/dispatch.md "Learning from history").
public struct Evaluation: Sendable, Hashable {
    /// Every label seen, in the examples or in the model, sorted.
    public let labels: [String]
    /// confusion[actual][predicted], indexes into `labels`.
    public let confusion: [[Int]]
    public let total: Int
    public let correct: Int
    public let perLabel: [LabelScore]
    public let thresholds: [ThresholdScore]

    public struct LabelScore: Sendable, Hashable {
        public let label: String
        /// Examples whose true label this is.
        public let support: Int
        /// Examples predicted as this label.
        public let predicted: Int
        /// Of those predicted as this label, the share that were: nil when none was predicted.
        public let precision: Double?
        /// Of those with this label, the share predicted so: nil when there were none.
        public let recall: Double?
    }

    /// Predictions whose confidence is at least `threshold`: how many, and how many of them were right.
    /// The rest would go to a person to dispatch by hand.
    public struct ThresholdScore: Sendable, Hashable {
        public let threshold: Double
        public let predicted: Int
        public let correct: Int
        /// predicted / total: the share of tickets the model would dispatch alone.
        public let coverage: Double
        /// correct / predicted: nil when nothing reaches the threshold.
        public let accuracy: Double?
    }

    /// The thresholds an evaluation reports unless told otherwise.
    public static let standardThresholds: [Double] = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999]

    /// Accuracy over all examples (0 when there are none).
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Predicts every example and counts. `thresholds` are sorted and deduplicated.
    public init(_ classifier: TextClassifier, on examples: [LabelledText], thresholds: [Double] = standardThresholds) {
        let predictions = examples.map { classifier.predict($0.text) }
        let labels = Set(examples.map(\.label)).union(classifier.labels).sorted()
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (example, prediction) in zip(examples, predictions) where !prediction.label.isEmpty {
            confusion[index[example.label]!][index[prediction.label]!] += 1
        }
        self.labels = labels
        self.confusion = confusion
        total = examples.count
        correct = zip(examples, predictions).filter { $0.label == $1.label }.count
        perLabel = labels.indices.map { label in
            let support = confusion[label].reduce(0, +)
            let predicted = confusion.reduce(0) { $0 + $1[label] }
            let hits = confusion[label][label]
            return LabelScore(label: labels[label], support: support, predicted: predicted,
                              precision: predicted == 0 ? nil : Double(hits) / Double(predicted),
                              recall: support == 0 ? nil : Double(hits) / Double(support))
        }
        let total = self.total
        self.thresholds = Set(thresholds).sorted().map { threshold in
            let above = zip(examples, predictions).filter { $1.confidence >= threshold && !$1.label.isEmpty }
            let right = above.filter { $0.label == $1.label }.count
            return ThresholdScore(threshold: threshold, predicted: above.count, correct: right,
                                  coverage: total == 0 ? 0 : Double(above.count) / Double(total),
                                  accuracy: above.isEmpty ? nil : Double(right) / Double(above.count))
        }
    }
}
