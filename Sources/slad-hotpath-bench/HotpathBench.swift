// The hot path end to end (issue 16): N tickets fall due at one instant T, each with one webhook step, and
// each must reach a receiver on loopback. The real `slad serve` release binary runs as its own process on
// its own state folder; the receiver is this executable again (`slad-hotpath-bench receive`) in another
// process. Run in release mode:
//   swift build -c release --product slad && swift build -c release --product slad-hotpath-bench
//   .build/release/slad-hotpath-bench                     # N = 10,000, three repetitions
//   .build/release/slad-hotpath-bench --count 100000 --repetitions 1
// It is a black box: it talks to slad only through its HTTP API and reads the daemon's /proc entries, so
// it links none of slad's modules (Hummingbird for the receiver, ArgumentParser for the options).
import ArgumentParser
import Foundation

@main
struct HotpathBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slad-hotpath-bench",
        abstract: "N tickets due at one instant, one webhook each, delivered by a real slad serve to a loopback receiver.",
        subcommands: [Run.self, Intake.self, Receive.self],
        defaultSubcommand: Run.self
    )
}

/// The benchmark itself: for each repetition a fresh receiver, a fresh daemon and a fresh state folder.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the scenario (the default).")

    @Option(help: "Tickets due at the instant T (one webhook each).")
    var count = 10_000

    @Option(help: "Tickets posted one POST /v1/tickets each, to compare intake with the batches (0: skip). Default: min(count, 10000).")
    var singleCount: Int?

    @Option(help: "Tickets per POST /v1/tickets/batch (the daemon takes at most 5,000).")
    var batchSize = 1_000

    @Option(help: "Seconds from the start of the batch load to T (default 5 + count / 1,000; the load must end before T).")
    var lead: Int?

    @Option(help: "Seconds after T to wait for the last webhook before giving up.")
    var timeout: Int?

    @Option(help: "Sample the daemon with `perf record -g` from the load's end to the last arrival into this file (slows the run; for finding where the time goes, not for figures).")
    var perf: String?

    @OptionGroup var bench: BenchOptions

    func run() async throws {
        try bench.validate()
        let (slad, repetitions, scratch) = (bench.slad, bench.repetitions, bench.scratch)
        guard count > 0, (1...5_000).contains(batchSize) else {
            throw ValidationError("--count must be positive and --batch-size within 1–5000")
        }
        var scenario = Scenario(count: count, slad: slad, singleCount: singleCount ?? min(count, 10_000), batchSize: batchSize,
                                lead: lead ?? min(500, 5 + count / 1_000), timeout: timeout ?? max(60, count / 100),
                                scratch: scratch)
        scenario.perfOutput = perf
        print(Machine.describe())
        var results: [RunResult] = []
        for repetition in 1...repetitions {
            print("repetition \(repetition) of \(repetitions): N = \(count)")
            let result = try await scenario.run(repetition: repetition)
            print(result.report.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            results.append(result)
        }
        print("")
        print(RunResult.table(results))
    }
}

/// The receiver, run by `Run` as its own process: records each webhook's arrival and idempotency key.
struct Receive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A webhook receiver on loopback that answers 200 at once (started by the benchmark).",
        discussion: "POST /hook: recorded (arrival in wall-clock microseconds, Idempotency-Key). GET /count: the number recorded. GET /arrivals: one line per request, 'MICROS KEY'."
    )

    @Option(help: "Port to listen on; 0 picks a free one. The port is printed as 'listening on PORT'.")
    var port = 0

    func run() async throws {
        try await ArrivalReceiver().run(port: port) { port in
            print("listening on \(port)")
            fflush(nil)
        }
    }
}

/// What every mode of the benchmark takes: the binary, the repetitions, the scratch folder.
struct BenchOptions: ParsableArguments {
    @Option(help: "Repetitions, each with a fresh daemon and state folder (and receiver).")
    var repetitions = 3

    @Option(help: "The slad binary (a release build).")
    var slad = ".build/release/slad"

    @Option(help: "Where state folders go (each removed after its repetition).")
    var scratch = NSTemporaryDirectory()

    func validate() throws {
        guard FileManager.default.isExecutableFile(atPath: slad) else {
            throw ValidationError("--slad: no executable at \(slad); build it with `swift build -c release --product slad`")
        }
        guard repetitions > 0 else { throw ValidationError("--repetitions must be positive") }
    }
}
