/// Temperature scaling: the one number that turns naive Bayes's overconfident posteriors into
/// confidences an operator can put a threshold on. Each example is scored by a model trained without
/// its fold (five folds, by a hash of the example, so the order of the examples does not matter), and the
/// temperature is the one on a fixed grid that gives those held-out scores the smallest log loss: the
/// confidence that best says how often the top label is right.
extension TextClassifier {
    /// The grid the temperature is chosen from: whole steps print the same everywhere.
    static let temperatures: [Double] = [1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200, 300]
    static let folds = 5
    /// Fewer examples than this, or one label, leave the raw posterior (temperature 1).
    static let calibrationMinimum = 30

    func withTemperature(_ temperature: Double) -> TextClassifier {
        TextClassifier(labels: labels, options: options, examplesPerLabel: examplesPerLabel, vocabulary: vocabulary,
                       counts: counts, temperature: temperature)
    }

    static func fittedTemperature(_ examples: [LabelledText], options: TrainingOptions) -> Double {
        guard examples.count >= calibrationMinimum, Set(examples.map(\.label)).count > 1 else { return 1 }
        // A canonical order, so that the floating-point sums below do not depend on the caller's order.
        let sorted = examples.sorted { ($0.label, $0.text) < ($1.label, $1.text) }
        let fold = sorted.map { Int(hash($0) % UInt64(folds)) }
        var heldOut: [(scores: [Double], truth: Int)] = []
        for current in 0..<folds {
            let training = sorted.indices.filter { fold[$0] != current }.map { sorted[$0] }
            let model = train(training, options: options, calibrate: false)
            let index = Dictionary(uniqueKeysWithValues: model.labels.enumerated().map { ($1, $0) })
            for position in sorted.indices where fold[position] == current {
                guard model.labels.count > 1, let truth = index[sorted[position].label] else { continue }
                heldOut.append((model.logScores(sorted[position].text), truth))
            }
        }
        guard !heldOut.isEmpty else { return 1 }
        var best = (temperature: 1.0, loss: Double.infinity)
        for temperature in temperatures {
            var loss = 0.0
            for (scores, truth) in heldOut {
                let top = scores.max()! / temperature
                let sum = scores.reduce(0) { $0 + Math.exponential($1 / temperature - top) }
                loss += top + Math.ln(sum) - scores[truth] / temperature
            }
            if loss < best.loss { best = (temperature, loss) }
        }
        return best.temperature
    }

    /// FNV-1a over the label and the text: the example's fold, the same on every machine.
    static func hash(_ example: LabelledText) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in example.label.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        value = (value ^ 0xff) &* 0x100_0000_01b3
        for byte in example.text.utf8 { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return value
    }
}
