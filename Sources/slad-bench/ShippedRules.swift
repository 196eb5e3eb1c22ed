import Foundation
import SLAEngine
import SLARules

/// The engine on the shipped rules in `./rules` (run the benchmarks from the repository root).
func shippedEngine() -> Engine {
    let folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("rules")
    let names = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? [])
        .filter { $0.hasSuffix(".sla") }.sorted()
    guard !names.isEmpty else {
        FileHandle.standardError.write(Data("slad-bench: no rules in \(folder.path); run from the repository root\n".utf8))
        exit(2)
    }
    let sources = names.map { SourceFile(path: $0, text: (try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) ?? "") }
    let result = RuleLoader.check(sources) { path, _ in
        (try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)).map { SourceFile(path: path, text: $0) }
    }
    guard let rules = result.ruleSet, let engine = try? Engine(rules: rules) else {
        FileHandle.standardError.write(Data("slad-bench: the shipped rules have errors; run slad check\n".utf8))
        exit(1)
    }
    return engine
}

/// Milliseconds of a duration.
func milliseconds(_ duration: Swift.Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// Seconds of CPU time this process has used: on a shared machine, what "one core" means.
func cpuSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
