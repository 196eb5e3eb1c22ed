// SKELETON (issue 17, committed first so that routes and the classifier can be built in parallel):
// the public surface below is the contract; the implementation is the classifier helper's.

/// A small, transparent text classifier over character n-grams of `TextNormalizer`-normalised text
/// (works for Chinese without a word segmenter). Training and prediction are deterministic: the same
/// examples in the same order give the same model, byte for byte, and the same predictions.
public struct TextClassifier: Sendable, Equatable {
    /// The labels it can predict (team names, agencies, …), sorted.
    public var labels: [String] { fatalError("skeleton") }

    /// Trains on labelled examples.
    public static func train(_ examples: [LabelledText], options: TrainingOptions = TrainingOptions()) -> TextClassifier {
        fatalError("skeleton")
    }

    /// The most likely label with its confidence, and every label ranked.
    public func predict(_ text: String) -> ClassifierPrediction {
        fatalError("skeleton")
    }

    /// The model file's bytes (JSON, stable key order) and back; a bad file throws `ModelFileError`
    /// naming what is wrong.
    public func encoded() -> [UInt8] { fatalError("skeleton") }
    public init(decoding bytes: [UInt8]) throws { fatalError("skeleton") }
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
    public init() {}
}

public struct ClassifierPrediction: Sendable, Hashable {
    public var label: String
    /// 0...1: the probability the model gives `label`.
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
