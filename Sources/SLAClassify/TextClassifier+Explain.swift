/// What a model has learnt, for a supervisor to read: the n-grams that speak most for each label.
extension TextClassifier {
    /// An n-gram that speaks for a label.
    public struct Evidence: Sendable, Hashable {
        public let ngram: String
        /// Occurrences in the label's training examples.
        public let count: Int
        /// ln P(gram | label) − the largest ln P(gram | other label): how much likelier the gram is under
        /// this label than under the next likeliest one (e^lift times). 0 or less speaks for nothing.
        public let lift: Double
    }

    /// Up to `limit` n-grams with the largest lift for `label` (ties by count, then by gram), among those
    /// seen at least `minimumCount` times with it. Empty for a label the model does not know.
    public func strongestNGrams(of label: String, limit: Int = 10, minimumCount: Int = 2) -> [Evidence] {
        guard let column = labels.firstIndex(of: label) else { return [] }
        let width = labels.count
        var found: [(row: Int, lift: Double)] = []
        for row in vocabulary.indices where Int(counts[row * width + column]) >= minimumCount {
            var rival = -Double.infinity
            for other in 0..<width where other != column { rival = max(rival, weights[row * width + other]) }
            let lift = width == 1 ? 0 : weights[row * width + column] - rival
            if lift > 0 { found.append((row, lift)) }
        }
        found.sort { a, b in
            if a.lift != b.lift { return a.lift > b.lift }
            let countA = counts[a.row * width + column], countB = counts[b.row * width + column]
            return countA != countB ? countA > countB : a.row < b.row
        }
        return found.prefix(limit).map {
            Evidence(ngram: NGram.text(vocabulary[$0.row]), count: Int(counts[$0.row * width + column]), lift: $0.lift)
        }
    }
}
