import ArgumentParser
import Foundation
import SLAClassify
import SLAFormats

/// `slad route`: dispatch — learning who takes a ticket from the company's own history.
struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Learn from a labelled ticket history who should take a ticket, and measure how well that works.",
        discussion: """
        A route in the rules can hand a ticket to a model trained on the company's history: which team \
        took which ticket. 'train' builds the model file, 'evaluate' says how accurate it is on tickets it \
        was not trained on and how much it would dispatch above a confidence threshold, 'predict' shows \
        what it makes of one text (docs/dispatch.md "Learning from history").
        """,
        subcommands: [RouteTrainCommand.self, RouteEvaluateCommand.self, RoutePredictCommand.self]
    )
}

/// `slad route train INPUT --mapping FILE --label COLUMN [--holdout N% | --test-every K] -o MODEL`.
struct RouteTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a text classifier on a labelled ticket history and write the model file.",
        discussion: """
        Reads the history 'slad simulate' reads — a CSV export through a mapping file, or JSON Lines \
        tickets — plus a label: the CSV column (or JSON field) that says who handled each ticket. The \
        model reads what a route gives it: the ticket's category and free text (the mapping's 'category' \
        and 'text' columns), normalised (full-width folded, spaces dropped, lower case) and cut into \
        character n-grams, so Chinese needs no word segmenter. It is multinomial naive Bayes: counts of \
        n-grams per label, written as JSON (docs/dispatch.md "Learning from history" describes the file).

        Rows without a label, rows the mapping skips and rows it rejects are counted, not fatal. \
        Training is deterministic: the same rows give the same model file, byte for byte.

        With --holdout or --test-every the model is trained on the other rows and its accuracy on the \
        held-out ones is printed; without, it is trained on every labelled row.

        Exit status: 0 when the model was written; 1 when the input or mapping is malformed, the label \
        column is not there or no row has a label (nothing is written); 2 when a file cannot be read or \
        the model cannot be written.

        Examples:
          slad route train history.csv --mapping rules/mappings/ours.map --label team -o /etc/slad/models/trades.json
          slad route train ../shared/data/311/nyc311-sample.csv --mapping rules/mappings/nyc311.map --label Agency --test-every 5 -o nyc.model.json
        """
    )

    @OptionGroup var input: RouteInput

    @Option(name: [.short, .customLong("output")], help: "The model file to write (JSON).")
    var output: String

    @Option(help: "The lengths of the character n-grams counted: N or N-M, within 1-3.")
    var ngrams: String = "1-3"

    @Option(help: "Additive smoothing: the pseudo-count every n-gram gets in every label (above 0).")
    var smoothing: Double = TrainingOptions().smoothing

    func run() throws {
        let options = Self.trainingOptions(ngrams: ngrams, smoothing: smoothing, fail: input.fail)
        let file = OutputFile(path: output)
        if let problem = file.problem() { input.fail(2, "-o: \(problem)") }
        let split = input.split()
        let history = try input.load()
        let parts = split.map { $0.split(history.examples) } ?? (training: history.examples, test: [])
        let model = TextClassifier.train(parts.training, options: options)
        var out = "Read \(history.rows) rows of \(input.input): \(RouteInput.tally(history)).\n"
        out += "Trained on \(parts.training.count) examples: \(model.labels.count) labels, \(model.vocabularySize) n-grams of "
        out += "\(options.ngrams.lowerBound)–\(options.ngrams.upperBound) characters, smoothing \(options.smoothing), "
        out += "confidence temperature \(TextClassifier.number(model.temperature)) (fitted on held-out folds).\n"
        if let split {
            let evaluation = Evaluation(model, on: parts.test)
            out += "Held out \(parts.test.count) (\(RouteInput.describe(split))): accuracy \(EvaluationText.percent(evaluation.accuracy)) "
            out += "(\(evaluation.correct) of \(evaluation.total)). 'slad route evaluate' prints the per-label figures.\n"
        }
        do throws(OutputFailure) {
            try file.write(String(decoding: model.encoded(), as: UTF8.self))
        } catch {
            input.fail(2, error.message)
        }
        out += "Wrote \(output).\n"
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    /// The n-gram range and smoothing from the command line; exits with status 1 when they are wrong.
    static func trainingOptions(ngrams: String, smoothing: Double, fail: (Int32, String) -> Never) -> TrainingOptions {
        let bounds = ngrams.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...2).contains(bounds.count), let low = bounds.first!, let high = bounds.last!, low <= high else {
            fail(1, "--ngrams: '\(ngrams)' is not a range of lengths; write 1-3, 2-3 or 2")
        }
        let options = TrainingOptions(ngrams: low...high, smoothing: smoothing)
        if let problem = options.problem { fail(1, "--ngrams/--smoothing: \(problem)") }
        return options
    }
}
