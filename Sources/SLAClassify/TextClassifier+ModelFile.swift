/// The model file: JSON in one fixed layout, so that the same model is always the same bytes.
///
/// ```json
/// {
///   "format": 1,
///   "classifier": "naive-bayes",
///   "ngrams": {"shortest": 1, "longest": 3},
///   "smoothing": 0.1,
///   "temperature": 8,
///   "labels": [
///     {"label": "DEP", "examples": 75, "counts": {
///       "a": 41,
///       "ab": 3
///     }},
///     …
///   ]
/// }
/// ```
/// Labels are sorted; each label's n-gram counts are in key order (shorter grams first, then by
/// character) and hold only the grams seen with that label. Counts are integers, so nothing depends on
/// how a floating-point number is printed; the probabilities are derived from them when the file is read.
/// The temperature is one of a fixed grid of round numbers (`TextClassifier.temperatures`).
extension TextClassifier {
    /// The model file format this build writes and reads.
    public static let modelFormat = 1

    /// The model file's bytes (JSON, stable key order).
    public func encoded() -> [UInt8] {
        let width = labels.count
        var out = "{\n  \"format\": \(Self.modelFormat),\n  \"classifier\": \"naive-bayes\",\n"
        out += "  \"ngrams\": {\"shortest\": \(options.ngrams.lowerBound), \"longest\": \(options.ngrams.upperBound)},\n"
        out += "  \"smoothing\": \(options.smoothing),\n"
        out += "  \"temperature\": \(Self.number(temperature)),\n  \"labels\": ["
        for (label, name) in labels.enumerated() {
            out += label == 0 ? "\n" : ",\n"
            out += "    {\"label\": \(ModelJSON.quoted(name)), \"examples\": \(examplesPerLabel[label]), \"counts\": {"
            var first = true
            for (row, key) in vocabulary.enumerated() {
                let count = counts[row * width + label]
                guard count > 0 else { continue }
                out += first ? "\n" : ",\n"
                first = false
                out += "      \(ModelJSON.quoted(NGram.text(key))): \(count)"
            }
            out += first ? "}}" : "\n    }}"
        }
        out += labels.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return Array(out.utf8)
    }

    /// A whole number without ".0", others as Swift prints them (shortest round trip).
    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }

    /// Reads a model file; a bad, truncated or other-version file throws `ModelFileError` naming what is
    /// wrong and where.
    public init(decoding bytes: [UInt8]) throws {
        self = try Self.decode(bytes)
    }

    private static func decode(_ bytes: [UInt8]) throws(ModelFileError) -> TextClassifier {
        guard !bytes.isEmpty else { throw ModelFileError("the model file is empty; write one with 'slad route train'") }
        guard case let .object(root) = try ModelJSON.parse(bytes) else {
            throw ModelFileError("a model file is a JSON object with \"format\": \(modelFormat); this is not one")
        }
        let top = Members(root, path: "")
        guard let formatValue = top.value("format") else {
            throw ModelFileError("no \"format\" field: this is not a slad model file (write one with 'slad route train')")
        }
        guard case let .number(formatText) = formatValue, let format = Int(formatText) else {
            throw ModelFileError("\"format\" must be a whole number, not \(formatValue.kind)")
        }
        guard format == modelFormat else {
            throw ModelFileError("model format \(format) is not one this slad reads (it reads format \(modelFormat)); train the model again with this slad's 'slad route train'")
        }
        try top.allowOnly(["format", "classifier", "ngrams", "smoothing", "temperature", "labels"])
        guard case .string("naive-bayes") = try top.required("classifier") else {
            throw ModelFileError("\"classifier\" must be \"naive-bayes\", the only kind this slad has")
        }
        guard case let .object(ngramMembers) = try top.required("ngrams") else {
            throw ModelFileError("\"ngrams\" must be an object {\"shortest\": 1, \"longest\": 3}")
        }
        let ngrams = Members(ngramMembers, path: "ngrams.")
        try ngrams.allowOnly(["shortest", "longest"])
        let shortest = try ngrams.integer("shortest"), longest = try ngrams.integer("longest")
        guard case let .number(smoothingText) = try top.required("smoothing"), let smoothing = Double(smoothingText) else {
            throw ModelFileError("\"smoothing\" must be a number above 0")
        }
        guard shortest <= longest else { throw ModelFileError("ngrams: \"shortest\" (\(shortest)) is longer than \"longest\" (\(longest))") }
        let options = TrainingOptions(ngrams: shortest...longest, smoothing: smoothing)
        if let problem = options.problem { throw ModelFileError(problem) }
        guard case let .number(temperatureText) = try top.required("temperature"), let temperature = Double(temperatureText),
              temperature >= 1, temperature.isFinite else {
            throw ModelFileError("\"temperature\" must be a number of at least 1 (what 'slad route train' fitted)")
        }
        guard case let .array(labelValues) = try top.required("labels") else {
            throw ModelFileError("\"labels\" must be an array of {\"label\", \"examples\", \"counts\"}")
        }
        var entries: [(name: String, examples: Int, counts: [UInt64: Int32])] = []
        for (index, value) in labelValues.enumerated() {
            entries.append(try label(value, index: index, ngrams: options.ngrams))
        }
        var seen: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            if let first = seen.updateValue(index, forKey: entry.name) {
                throw ModelFileError("labels[\(index)]: the label \(ModelJSON.quoted(entry.name)) appears twice (first at labels[\(first)])")
            }
        }
        entries.sort { $0.name < $1.name }
        let vocabulary = Set(entries.flatMap(\.counts.keys)).sorted()
        var counts = [Int32](repeating: 0, count: vocabulary.count * entries.count)
        for (row, key) in vocabulary.enumerated() {
            for (column, entry) in entries.enumerated() { counts[row * entries.count + column] = entry.counts[key] ?? 0 }
        }
        return TextClassifier(labels: entries.map(\.name), options: options, examplesPerLabel: entries.map(\.examples),
                              vocabulary: vocabulary, counts: counts, temperature: temperature)
    }

    private static func label(_ value: ModelJSON.Value, index: Int, ngrams: ClosedRange<Int>) throws(ModelFileError)
        -> (name: String, examples: Int, counts: [UInt64: Int32]) {
        let path = "labels[\(index)]"
        guard case let .object(members) = value else { throw ModelFileError("\(path) must be an object, not \(value.kind)") }
        let fields = Members(members, path: path + ".")
        try fields.allowOnly(["label", "examples", "counts"])
        guard case let .string(name) = try fields.required("label"), !name.isEmpty else {
            throw ModelFileError("\(path).label must be a non-empty string")
        }
        let examples = try fields.integer("examples")
        guard examples > 0 else { throw ModelFileError("\(path).examples must be above 0: a label comes from examples") }
        guard case let .object(countMembers) = try fields.required("counts") else {
            throw ModelFileError("\(path).counts must be an object of n-gram counts")
        }
        var counts: [UInt64: Int32] = [:]
        for (gram, countValue) in countMembers {
            let where_ = "\(path).counts[\(ModelJSON.quoted(gram))]"
            guard let key = NGram.key(gram), ngrams.contains(NGram.length(key)) else {
                throw ModelFileError("\(where_): not an n-gram of \(ngrams.lowerBound) to \(ngrams.upperBound) normalised characters")
            }
            guard case let .number(text) = countValue, let count = Int32(text), count > 0 else {
                throw ModelFileError("\(where_) must be a whole number above 0")
            }
            counts[key] = count
        }
        return (name, examples, counts)
    }

    /// An object's members, with the path to name in errors.
    private struct Members {
        let members: [(key: String, value: ModelJSON.Value)]
        let path: String
        init(_ members: [(key: String, value: ModelJSON.Value)], path: String) {
            self.members = members
            self.path = path
        }

        func value(_ key: String) -> ModelJSON.Value? { members.first { $0.key == key }?.value }

        func required(_ key: String) throws(ModelFileError) -> ModelJSON.Value {
            guard let value = value(key) else { throw ModelFileError("\(path)\(key) is missing") }
            return value
        }

        func integer(_ key: String) throws(ModelFileError) -> Int {
            guard case let .number(text) = try required(key), let number = Int(text), number >= 0 else {
                throw ModelFileError("\(path)\(key) must be a whole number, 0 or more")
            }
            return number
        }

        func allowOnly(_ keys: Set<String>) throws(ModelFileError) {
            if let unknown = members.first(where: { !keys.contains($0.key) }) {
                throw ModelFileError("\(path)\(unknown.key) is not a field of a model file; expected \(keys.sorted().joined(separator: ", "))")
            }
        }
    }
}
