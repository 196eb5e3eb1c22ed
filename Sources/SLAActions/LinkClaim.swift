/// What a link says: who may do what to which subject, until when. The token itself carries none of
/// it (only a nonce and a tag); the store keeps these fields in the link's row, keyed by the nonce, and
/// the tag proves they are the ones the key signed.
public struct LinkClaim: Sendable, Hashable {
    public enum Subject: String, Sendable, Hashable, Codable {
        case ticket, incident
    }

    public var subject: Subject
    /// The ticket's or the incident's id.
    public var subjectID: String
    /// The escalation step (a ticket) or the plan step (an incident) the notice was about.
    public var step: String
    public var action: LinkAction
    /// The person id the notice went to: the action is recorded as theirs.
    public var person: String
    /// Unix seconds after which the link no longer works.
    public var expiresAt: Int

    public init(subject: Subject, subjectID: String, step: String, action: LinkAction, person: String, expiresAt: Int) {
        self.subject = subject
        self.subjectID = subjectID
        self.step = step
        self.action = action
        self.person = person
        self.expiresAt = expiresAt
    }

    /// The bytes the tag is computed over: a version label, then every field length-prefixed (so no
    /// field can borrow from its neighbour), the expiry as 8 big-endian bytes, then the nonce.
    func signedBytes(nonce: some Collection<UInt8>) -> [UInt8] {
        var bytes = Array("slad-link-v1".utf8)
        for field in [subject.rawValue, subjectID, step, action.rawValue, person] {
            let utf8 = Array(field.utf8)
            bytes += Self.bigEndian(UInt64(utf8.count), width: 4)
            bytes += utf8
        }
        bytes += Self.bigEndian(UInt64(bitPattern: Int64(expiresAt)), width: 8)
        bytes += nonce
        return bytes
    }

    static func bigEndian(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) }
    }
}

/// A token as sent: `base64url(nonce ‖ tag)`, 24 characters (9 + 9 bytes, 72 bits each).
public struct LinkToken: Sendable, Hashable {
    public static let nonceBytes = 9
    public static let tagBytes = 9
    /// The length of a token's text.
    public static let length = (nonceBytes + tagBytes) * 4 / 3

    public let nonce: [UInt8]
    public let tag: [UInt8]

    /// A token's text, or nil when it is not one (wrong length or alphabet): nothing is looked up then.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count == Self.length, let bytes = Base64URL.decode(String(text)),
              bytes.count == Self.nonceBytes + Self.tagBytes else { return nil }
        nonce = Array(bytes[..<Self.nonceBytes])
        tag = Array(bytes[Self.nonceBytes...])
    }

    init(nonce: [UInt8], tag: [UInt8]) {
        self.nonce = nonce
        self.tag = tag
    }

    /// The link's key in the store: the nonce in base64url (12 characters). Not a secret on its own.
    public var id: String { Base64URL.encode(nonce) }

    public var text: String { Base64URL.encode(nonce + tag) }
}
