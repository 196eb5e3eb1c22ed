import ArgumentParser
import Foundation

/// `slad-hotpath-bench intake`: the two intake figures of issue 16 against a real `slad serve` release
/// binary in its own process. First `slad import` of N tickets from a JSON Lines file, run as an operator
/// runs it (the `slad` binary in a third process, timed from its start to its exit); then C clients at once,
/// each creating tickets one `POST /v1/tickets` after another, into the daemon that now holds the N.
struct Intake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "slad import of N tickets, then C clients creating tickets one POST each at once.",
        discussion: """
        Prints, per repetition: the import's wall time and tickets a second, the CPU seconds of the import \
        process and of the daemon during it; then the concurrent creates' count, latency (p50, p99, max; \
        each from sending a request to having its whole answer), creates a second and the daemon's CPU per \
        create. A fresh daemon and state folder each repetition.
        """
    )

    @Option(help: "Tickets in the file `slad import` loads (0: skip the import).")
    var count = 10_000

    @Option(help: "Clients creating tickets at the same time (0: skip the concurrent creates).")
    var clients = 200

    @Option(help: "Tickets each client creates, one after another.")
    var creates = 25

    @Option(help: "Sample the daemon with `perf record -g` during the import into FILE.import and during the creates into FILE.creates.")
    var perf: String?

    /// `--slad`: `slad import` is run from it too.
    @OptionGroup var bench: BenchOptions

    func run() async throws {
        try bench.validate()
        let (slad, repetitions, scratch) = (bench.slad, bench.repetitions, bench.scratch)
        guard count >= 0, clients >= 0, creates > 0 else {
            throw ValidationError("--count and --clients must not be negative; --creates must be positive")
        }
        let scenario = IntakeScenario(count: count, clients: clients, creates: creates, slad: slad, scratch: scratch, perfOutput: perf)
        print(Machine.describe())
        var results: [IntakeResult] = []
        for repetition in 1...repetitions {
            print("repetition \(repetition) of \(repetitions)")
            let result = try await scenario.run(repetition: repetition)
            print(result.report.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            results.append(result)
        }
        print("")
        print(IntakeResult.table(results))
    }
}
