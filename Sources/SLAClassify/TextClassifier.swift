/// A small, transparent text classifier over character n-grams of `TextNormalizer`-normalised text
/// (works for Chinese without a word segmenter): multinomial naive Bayes with additive smoothing
/// (docs/adr/0021-text-classifier.md). Training and prediction are deterministic: the same examples
/// give the same model, byte for byte, whatever their order, and the same predictions.
///
/// The model is its counts — how often each n-gram occurred in the examples of each label, and how many
/// examples each label had — and everything else is derived from them:
/// P(label | text) ∝ P(label) · Π P(gram | label) over the grams of the text that the model has seen,
/// with P(gram | label) = (count + α) / (grams of label + α · vocabulary).
///
/// Naive Bayes multiplies one factor per n-gram as if they were independent, so its raw posteriors are
/// nearly always 0.99…: useless for a route's threshold. The confidence is therefore the softmax of the
/// log scores divided by a `temperature`, fitted when training on held-out folds of the examples so that
/// a confidence of 0.8 is right about four times in five (TextClassifier+Calibration.swift).
public struct TextClassifier: Sendable, Equatable {
    /// The labels it can predict (team names, agencies, …), sorted.
    public let labels: [String]
    /// How it was trained: the n-gram lengths and the smoothing.
    public let options: TrainingOptions
    /// The number of training examples of each label, in the order of `labels`.
    public let examplesPerLabel: [Int]
    /// What the log scores are divided by before they are made probabilities (1: the raw posterior).
    public let temperature: Double
    /// Every n-gram seen in training, as packed keys (`NGram`), ascending.
    let vocabulary: [UInt64]
    /// counts[g * labels.count + l]: occurrences of vocabulary[g] in the examples of labels[l].
    let counts: [Int32]

    // Derived from the above when the classifier is made (trained or decoded).
    /// The row of each gram in `counts` and `weights`.
    let rows: NGramTable
    /// weights[g * labels.count + l] = ln P(vocabulary[g] | labels[l]).
    let weights: [Double]
    /// ln P(label).
    let priors: [Double]

    /// Trains on labelled examples. With no examples it knows no label and predicts the empty label.
    /// `options` must be valid (`options.problem == nil`).
    public static func train(_ examples: [LabelledText], options: TrainingOptions = TrainingOptions()) -> TextClassifier {
        train(examples, options: options, calibrate: true)
    }

    /// `calibrate: false` keeps the raw posterior (temperature 1): the folds of a calibration.
    static func train(_ examples: [LabelledText], options: TrainingOptions, calibrate: Bool) -> TextClassifier {
        precondition(options.problem == nil, options.problem ?? "")
        let labels = Set(examples.map(\.label)).sorted()
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let width = labels.count
        var documents = [Int](repeating: 0, count: width)
        var rowOf: [UInt64: Int] = [:]
        var grams: [UInt64] = []
        var counts: [Int32] = []
        for example in examples {
            let label = labelIndex[example.label]!
            documents[label] += 1
            NGram.forEach(in: example.text, options.ngrams.lowerBound, options.ngrams.upperBound) { key in
                let row: Int
                if let known = rowOf[key] {
                    row = known
                } else {
                    row = grams.count
                    rowOf[key] = row
                    grams.append(key)
                    counts.append(contentsOf: repeatElement(0, count: width))
                }
                counts[row * width + label] += 1
            }
        }
        // Rows in key order, so that nothing depends on the order the grams were first met.
        let order = grams.indices.sorted { grams[$0] < grams[$1] }
        var sortedCounts: [Int32] = []
        sortedCounts.reserveCapacity(counts.count)
        for row in order { sortedCounts.append(contentsOf: counts[row * width..<(row + 1) * width]) }
        let raw = TextClassifier(labels: labels, options: options, examplesPerLabel: documents,
                                 vocabulary: order.map { grams[$0] }, counts: sortedCounts, temperature: 1)
        guard calibrate else { return raw }
        return raw.withTemperature(Self.fittedTemperature(examples, options: options))
    }

    /// Makes the derived tables from the counts. `vocabulary` ascending, `counts` gram by gram.
    init(labels: [String], options: TrainingOptions, examplesPerLabel: [Int], vocabulary: [UInt64], counts: [Int32],
         temperature: Double) {
        self.labels = labels
        self.temperature = temperature
        self.options = options
        self.examplesPerLabel = examplesPerLabel
        self.vocabulary = vocabulary
        self.counts = counts
        let width = labels.count
        var totals = [Int](repeating: 0, count: width)
        for (index, count) in counts.enumerated() { totals[index % max(width, 1)] += Int(count) }
        let alpha = options.smoothing
        let denominators = totals.map { Math.ln(Double($0) + alpha * Double(vocabulary.count)) }
        var weights = [Double](repeating: 0, count: counts.count)
        for index in counts.indices {
            weights[index] = Math.ln(Double(counts[index]) + alpha) - denominators[index % width]
        }
        self.weights = weights
        rows = NGramTable(vocabulary)
        let examples = Double(examplesPerLabel.reduce(0, +))
        priors = examplesPerLabel.map { Math.ln(Double($0) / examples) }
    }

    public static func == (lhs: TextClassifier, rhs: TextClassifier) -> Bool {
        lhs.labels == rhs.labels && lhs.options == rhs.options && lhs.examplesPerLabel == rhs.examplesPerLabel
            && lhs.vocabulary == rhs.vocabulary && lhs.counts == rhs.counts && lhs.temperature == rhs.temperature
    }

    /// The number of distinct n-grams seen in training.
    public var vocabularySize: Int { vocabulary.count }

    /// The most likely label with its confidence, and every label ranked.
    public func predict(_ text: String) -> ClassifierPrediction {
        guard !labels.isEmpty else { return ClassifierPrediction(label: "", confidence: 0, ranked: []) }
        var scores = logScores(text)
        if temperature != 1 { for index in scores.indices { scores[index] /= temperature } }
        // Softmax of the (tempered) log scores: the confidence in each label.
        let top = scores.max()!
        var probabilities = scores.map { Math.exponential($0 - top) }
        let sum = probabilities.reduce(0, +)
        for index in probabilities.indices { probabilities[index] /= sum }
        let order = probabilities.indices.sorted { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
        let ranked = order.map { RankedLabel(label: labels[$0], probability: probabilities[$0]) }
        return ClassifierPrediction(label: ranked[0].label, confidence: ranked[0].probability, ranked: ranked)
    }

    /// ln P(label) + Σ ln P(gram | label) over the text's known grams, for each label in order.
    func logScores(_ text: String) -> [Double] {
        let width = labels.count
        var scores = priors
        weights.withUnsafeBufferPointer { weights in
            scores.withUnsafeMutableBufferPointer { scores in
                NGram.forEach(in: text, options.ngrams.lowerBound, options.ngrams.upperBound) { key in
                    guard let row = rows.row(key) else { return }
                    let base = row * width
                    for label in 0..<width { scores[label] += weights[base + label] }
                }
            }
        }
        return scores
    }
}

public struct LabelledText: Sendable, Hashable {
    public var text: String
    public var label: String
    public init(text: String, label: String) {
        self.text = text
        self.label = label
    }
}

public struct TrainingOptions: Sendable, Hashable {
    /// The lengths of the character n-grams counted, in Unicode scalars after normalisation: within 1...3.
    public var ngrams: ClosedRange<Int>
    /// Additive (Lidstone) smoothing α: the pseudo-count every n-gram gets in every label. Above 0.
    public var smoothing: Double

    public init(ngrams: ClosedRange<Int> = 1...3, smoothing: Double = 0.1) {
        self.ngrams = ngrams
        self.smoothing = smoothing
    }

    /// What is wrong with these options, or nil when they can train a model.
    public var problem: String? {
        if ngrams.lowerBound < 1 || ngrams.upperBound > NGram.longest {
            return "n-gram lengths \(ngrams.lowerBound)...\(ngrams.upperBound) are not within 1...\(NGram.longest)"
        }
        if !(smoothing > 0 && smoothing.isFinite) { return "smoothing \(smoothing) is not a number above 0" }
        return nil
    }
}

public struct ClassifierPrediction: Sendable, Hashable {
    public var label: String
    /// 0...1: the probability the model gives `label` (calibrated: see `TextClassifier.temperature`).
    public var confidence: Double
    /// Every label with its probability, most likely first (ties by label).
    public var ranked: [RankedLabel]
    public init(label: String, confidence: Double, ranked: [RankedLabel]) {
        self.label = label
        self.confidence = confidence
        self.ranked = ranked
    }
}

public struct RankedLabel: Sendable, Hashable {
    public var label: String
    public var probability: Double
    public init(label: String, probability: Double) {
        self.label = label
        self.probability = probability
    }
}

public struct ModelFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What a model reads of a ticket, the same in training and in routing: its category and free text.
public enum ClassifierInput {
    public static func text(category: String?, text: String?) -> String {
        [category, text].compactMap { $0 }.joined(separator: " ")
    }
}
