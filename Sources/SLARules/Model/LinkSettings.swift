/// Action links (`links { … }`): where the public action pages are published and the key that signs
/// their tokens. Without a `links` block notices carry no links and nothing else changes.
///
///     links {
///       base-url "https://wy.example.com/slad"   # the proxy's public address; links are BASE/a/TOKEN
///       key credential action-key                # or `key env SLAD_ACTION_KEY`; never a literal
///       old-key env SLAD_OLD_ACTION_KEY          # optional, repeatable: still verifies, never signs
///       expire 24h                               # how long a link works after its notice was sent
///     }
public struct LinkSettings: Sendable, Hashable {
    /// Without a trailing slash.
    public var baseURL: String
    /// `.environment(NAME)` or `.credential(NAME)`: signs new links and verifies them.
    public var key: SettingValue
    /// Earlier keys, newest first: verify links sent before a rotation, never sign.
    public var oldKeys: [SettingValue]
    /// Seconds a link stays valid after it was minted.
    public var expireSeconds: Int
    public let location: SourceRange

    public init(baseURL: String, key: SettingValue, oldKeys: [SettingValue] = [], expireSeconds: Int = 86_400, location: SourceRange) {
        self.baseURL = baseURL
        self.key = key
        self.oldKeys = oldKeys
        self.expireSeconds = expireSeconds
        self.location = location
    }
}
