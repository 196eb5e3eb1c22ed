import SLAEngine
import SLARules

/// How an intake source proves a delivery is its own (docs/intake.md). The secret is a reference only
/// (`env NAME`, `credential NAME`), resolved by the daemon as channels' secrets are.
public enum IntakeAuth: Sendable, Equatable {
    /// An HMAC-SHA256 signature of `signed` in a header.
    case hmac(IntakeSignature)
    /// `Authorization: Bearer SECRET`.
    case bearer

    public var name: String {
        switch self {
        case .hmac: "hmac-sha256"
        case .bearer: "bearer"
        }
    }
}

/// Where the signature is and what it signs.
public struct IntakeSignature: Sendable, Equatable {
    public enum Encoding: String, Sendable, Equatable { case hex, base64 }
    /// One piece of the signed bytes, in order.
    public enum Part: Sendable, Equatable {
        case body, timestamp, delivery
        case literal(String)
    }

    public var header = "X-Signature"
    public var encoding = Encoding.hex
    /// Text in front of the signature in the header (`sha256=`), removed before decoding.
    public var prefix = ""
    public var signed: [Part] = [.body]
}

/// A timestamp header that must be near the daemon's time (refuses replays of old deliveries).
public struct IntakeTimestamp: Sendable, Equatable {
    public var header: String
    /// Seconds either side of now; default five minutes.
    public var tolerance: Int = 300

    /// The instant in a timestamp header: epoch seconds, epoch milliseconds (13 digits or more), or
    /// RFC 3339 (`LocalTime.parse`).
    public static func instant(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces
        if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(trimmed) {
            return trimmed.count >= 13 ? number / 1000 : number
        }
        return LocalTime.parse(trimmed, zone: nil)?.seconds
    }
}

/// Where a delivery's id is: a header or a path in the payload.
public enum IntakeDeliveryID: Sendable, Equatable {
    case header(String)
    case path(JSONPath)
}


