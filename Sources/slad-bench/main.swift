// Benchmarks for slad. Run in release mode from the repository root:
//
//     swift run -c release slad-bench                 # all of them
//     swift run -c release slad-bench check           # checking a large rule set
//     swift run -c release slad-bench evaluate [RUNS] # engine.evaluate on the shipped rules
//     swift run -c release slad-bench simulate [N] [--write DIR]
//                                                     # replaying N generated tickets (default 1,000,000);
//                                                     # --write saves them, to time `slad simulate` itself
//     swift run -c release slad-bench kpi [N]         # every KPI over N tickets' facts (default 1,000,000)
//     swift run -c release slad-bench route [N]       # µs per route decision over rules/routes.sla (default 200,000)
//     swift run -c release slad-bench classify [N]    # the dispatch classifier: training on N labelled rows
//                                                     # (default 100,000), the model file, a decision per ticket
//
// Prints figures only; results are recorded by hand in docs/performance.md with the machine and date.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let which = arguments.first ?? "all"
switch which {
case "check":
    checkBenchmark()
case "evaluate":
    evaluateBenchmark(runs: arguments.dropFirst().first.flatMap { Int($0) } ?? 5)
case "simulate":
    let rest = Array(arguments.dropFirst())
    let write = rest.firstIndex(of: "--write").flatMap { rest.indices.contains($0 + 1) ? rest[$0 + 1] : nil }
    simulateBenchmark(tickets: rest.first.flatMap { Int($0) } ?? 1_000_000, write: write)
case "kpi":
    kpiBenchmark(tickets: arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000)
case "route":
    routeBenchmark(decisions: arguments.dropFirst().first.flatMap { Int($0) } ?? 200_000)
case "classify":
    classifyBenchmark(rows: arguments.dropFirst().first.flatMap { Int($0) } ?? 100_000)
case "all":
    checkBenchmark()
    evaluateBenchmark()
    simulateBenchmark(tickets: 1_000_000)
    routeBenchmark()
default:
    FileHandle.standardError.write(Data("usage: slad-bench [check | evaluate [RUNS] | simulate [TICKETS] [--write DIR] | kpi [TICKETS] | route [DECISIONS] | classify [ROWS]]\n".utf8))
    exit(2)
}
