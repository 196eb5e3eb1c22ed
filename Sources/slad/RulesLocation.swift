import Foundation

/// Where a command finds the rules when none are named: `./rules` (a checkout, the demo), else the
/// package's `/etc/slad/rules` (an installed slad run from any folder). Only the default is resolved:
/// a folder the operator names is used as named.
enum RulesLocation {
    static let local = "rules"
    static let installed = "/etc/slad/rules"
    static let help = "default: ./rules, or /etc/slad/rules where ./rules does not exist"

    static func resolve(_ paths: [String]) -> [String] {
        guard paths.isEmpty || paths == [local] else { return paths }
        return [resolve(local)]
    }

    static func resolve(_ path: String) -> String {
        guard path == local else { return path }
        let manager = FileManager.default
        return !manager.fileExists(atPath: local) && manager.fileExists(atPath: installed) ? installed : local
    }
}
