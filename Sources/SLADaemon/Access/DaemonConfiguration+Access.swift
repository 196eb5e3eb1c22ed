extension DaemonConfiguration {
    /// Every token the API accepts: `--token-env`/`--token-credential`'s as the admin token `default`,
    /// then the tokens file's.
    public var allTokens: [APIToken] {
        (token.map { [APIToken(name: APIToken.defaultName, role: .admin, secret: $0)] } ?? []) + tokens
    }

    /// Reads are open on loopback or with `--open-reads`; everything else needs a token of the right role.
    public var accessPolicy: AccessPolicy {
        AccessPolicy(tokens: allTokens, openReads: openReads || AccessPolicy.isLoopback(host))
    }

    /// Why this configuration must not start (bad combinations of tokens and --host), or nil.
    public var accessProblem: String? {
        if token != nil, tokens.contains(where: { $0.name == APIToken.defaultName }) {
            return "the tokens file names a token '\(APIToken.defaultName)', the name of --token-env/--token-credential's token: rename one"
        }
        if let first = tokens.first(where: { token.map(APIToken.digest(of:)) == $0.digest }) {
            return "--token-env/--token-credential's token is also '\(first.name)' in the tokens file: give each its own"
        }
        if allTokens.isEmpty, !openReads, !AccessPolicy.isLoopback(host) {
            return "--host \(host) is not loopback, so reads need a token and none is given: "
                + "give --tokens-file PATH or --tokens-credential NAME (or --token-env/--token-credential), or --open-reads to serve reads to anyone on purpose"
        }
        return nil
    }

    /// The warning logged at start when reads are open off loopback, or nil.
    public var openReadsWarning: String? {
        guard openReads, !AccessPolicy.isLoopback(host) else { return nil }
        return "--open-reads: every read (tickets with residents' names, units and what they wrote) is served without a token to anyone who can reach \(host):\(port)"
    }

    /// One start line on who may call the API: the tokens' names by role and whether reads are open.
    /// Names only, never a token.
    public var accessSummary: String {
        let byRole = APIRole.allCases.compactMap { role -> String? in
            let names = allTokens.filter { $0.role == role }.map(\.name)
            return names.isEmpty ? nil : "\(role.rawValue): \(names.joined(separator: ", "))"
        }
        let reads = AccessPolicy.isLoopback(host) ? "reads open (bound to loopback)"
            : openReads ? "reads open to anyone (--open-reads)" : "reads need a token"
        return "API access: \(byRole.isEmpty ? "no tokens, writes disabled" : byRole.joined(separator: "; ")); \(reads)"
    }
}
