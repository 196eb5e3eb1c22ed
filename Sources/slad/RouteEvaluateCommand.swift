import ArgumentParser
import Foundation
import SLAClassify
import SLAFormats

/// `slad route evaluate INPUT --mapping … --label … [--model MODEL] [--holdout N% | --test-every K]`.
struct RouteEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a dispatch model on labelled tickets it was not trained on.",
        discussion: """
        Without --model: trains on part of the history and tests on the rest — one row in 5 unless \
        --holdout or --test-every says otherwise; the split depends only on the rows' order, so the same \
        file gives the same figures. With --model: tests that model file on the history's labelled rows \
        (on the held-out ones only, when a split is given: the same split as at training).

        Prints the accuracy; per label its support (true examples), how often it was predicted, \
        precision and recall; the confusion matrix (rows: the true label, columns: the predicted one); \
        and for confidence thresholds from 0.5 to 0.999 (and --threshold) how many tickets the model \
        would dispatch and how accurately — below a route's threshold the ticket goes to a person. \
        Then the strongest n-grams of each label: what the model goes by. --json prints the same as JSON.

        Exit status: 0 when the evaluation was printed; 1 when the input, mapping or model file is \
        malformed or no row has a label; 2 when a file cannot be read.

        Example:
          slad route evaluate ../shared/data/311/nyc311-sample.csv --mapping rules/mappings/nyc311.map --label Agency --threshold 0.9
        """
    )

    @OptionGroup var input: RouteInput

    @Option(help: "A model file from 'slad route train' to test; without it, one is trained on the rows not held out.")
    var model: String?

    @Option(help: "Also report the predictions with at least this confidence (0-1): a route's threshold you are considering.")
    var threshold: Double?

    @Option(help: "How many of each label's strongest n-grams to print (0: none).")
    var strongest: Int = 5

    @Option(help: "The n-gram lengths when training here: N or N-M, within 1-3.")
    var ngrams: String = "1-3"

    @Option(help: "The smoothing when training here (above 0).")
    var smoothing: Double = TrainingOptions().smoothing

    @Flag(help: "Print the evaluation as JSON.")
    var json = false

    func run() throws {
        if let threshold, !(0...1).contains(threshold) { input.fail(1, "--threshold: \(threshold) is not a confidence; write a number from 0 to 1, e.g. 0.8") }
        if strongest < 0 { input.fail(1, "--strongest: write 0 or more") }
        let options = RouteTrainCommand.trainingOptions(ngrams: ngrams, smoothing: smoothing, fail: input.fail)
        let loaded = model.map(Self.loadModel)
        let split = input.split() ?? (loaded == nil ? .every(5) : nil)
        let history = try input.load()
        let parts = split.map { $0.split(history.examples) } ?? (training: [], test: history.examples)
        let classifier = loaded ?? TextClassifier.train(parts.training, options: options)
        var thresholds = Evaluation.standardThresholds
        if let threshold { thresholds.append(threshold) }
        let evaluation = Evaluation(classifier, on: parts.test, thresholds: thresholds)
        guard evaluation.total > 0 else { input.fail(1, "\(input.input): nothing is held out to test on (\(parts.training.count) labelled rows)") }
        let context = EvaluationText.Context(
            source: input.input,
            examples: split.map { "\(RouteInput.describe($0)) held out" } ?? "all labelled rows, with the model \(model ?? "")",
            trainedOn: loaded == nil ? parts.training.count : nil,
            threshold: threshold)
        var evidence: [String: [TextClassifier.Evidence]] = [:]
        if strongest > 0 {
            for label in classifier.labels { evidence[label] = classifier.strongestNGrams(of: label, limit: strongest) }
        }
        var out = json ? "" : "Read \(history.rows) rows: \(RouteInput.tally(history)).\n"
        out += json ? EvaluationText.json(evaluation, context, strongest: evidence) : EvaluationText.text(evaluation, context, strongest: evidence)
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    /// A model file, read; exits with status 2 when it cannot be read, 1 when it is not a model.
    static func loadModel(_ path: String) -> TextClassifier {
        let files = HistoryFiles(rules: "", tickets: path, mapping: nil)
        do {
            return try TextClassifier(decoding: files.read(path))
        } catch {
            files.fail(1, "\(path): not a model file 'slad route train' writes: \(error)")
        }
    }
}
