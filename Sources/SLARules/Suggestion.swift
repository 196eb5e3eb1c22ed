/// "Did you mean …?" for misspelt names and keywords.
public enum Suggestion {
    /// The closest candidate within a small edit distance, if any.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let target = Array(word.lowercased().unicodeScalars)
        let allowed = max(1, min(3, target.count / 3))
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(target, Array(candidate.lowercased().unicodeScalars), limit: allowed)
            if distance <= allowed, best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        return best?.0
    }

    public static func hint(for word: String, in candidates: some Sequence<String>) -> String? {
        closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
    }

    /// Levenshtein distance (with adjacent transposition), cut off early past `limit`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }

    /// `'a', 'b' or 'c'` for expected-token hints.
    static func list(_ words: [String]) -> String {
        let quoted = words.map { "'\($0)'" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
    }
}

/// A name with the title people know it by: a person (`liu-yang "刘洋"`), a team, a declared value.
public struct NamedCandidate: Sendable, Hashable {
    public let name: String
    public let title: String?

    public init(name: String, title: String?) {
        self.name = name
        self.title = title
    }

    /// `liu-yang (刘洋)`, or the bare name when it has no title.
    public var display: String { title.map { "\(name) (\($0))" } ?? name }
}

extension Suggestion {
    /// The candidate meant by `word`: one whose title is the word (a person's name 刘洋 for liu-yang),
    /// else the closest name, else the closest title.
    public static func closest(to word: String, among candidates: [NamedCandidate]) -> NamedCandidate? {
        if let titled = candidates.first(where: { $0.title == word }) { return titled }
        // One or two letters are all close to each other ('E' is one edit from 'A'): only a change of case counts.
        if word.count <= 2 { return candidates.first { $0.name.lowercased() == word.lowercased() } }
        if let name = closest(to: word, in: candidates.map(\.name)) {
            return candidates.first { $0.name == name }
        }
        let titles = candidates.compactMap(\.title)
        guard let title = closest(to: word, in: titles) else { return nil }
        return candidates.first { $0.title == title }
    }

    /// `did you mean liu-yang (刘洋)?`, as a hint.
    public static func hint(for word: String, among candidates: [NamedCandidate]) -> String? {
        closest(to: word, among: candidates).map { "did you mean \($0.display)?" }
    }
}
