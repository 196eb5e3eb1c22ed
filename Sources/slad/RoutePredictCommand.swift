import ArgumentParser
import Foundation
import SLAClassify

/// `slad route predict --model MODEL [--category C] TEXT`: what a model makes of one ticket, to try it by hand.
struct RoutePredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Show what a dispatch model predicts for a ticket's text: each label with its probability.",
        discussion: """
        Reads the model file and the text as a route gives them to the model (the category, if given, \
        then the free text) and prints the labels from the most likely down, each with its probability \
        (the top one's is the confidence a route compares with its threshold).

        Exit status: 0 when printed; 1 when the model file is malformed; 2 when it cannot be read.

        Example:
          slad route predict --model /etc/slad/models/trades.json 厨房水管漏水
        """
    )

    @Option(help: "The model file from 'slad route train'.")
    var model: String

    @Option(help: "The ticket's category, read before the text as a route gives it.")
    var category: String?

    @Option(help: "How many labels to print, most likely first.")
    var top: Int = 3

    @Argument(help: "The ticket's free text.")
    var text: String

    func run() throws {
        let classifier = RouteEvaluateCommand.loadModel(model)
        let prediction = classifier.predict(ClassifierInput.text(category: category, text: text))
        var out = ""
        for ranked in prediction.ranked.prefix(max(top, 1)) {
            out += "\(ranked.label)\t\(String(format: "%.6f", ranked.probability))\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
