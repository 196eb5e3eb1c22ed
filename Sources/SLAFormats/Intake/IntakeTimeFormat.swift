import Foundation
import SLAEngine

/// How a payload writes its times (`time format = …`): RFC 3339 / ISO 8601 with or without fractions
/// (the default), numbers of seconds or milliseconds since 1970 (as a JSON number or a string of
/// digits), or any pattern a CSV mapping takes (`YYYY-MM-DD HH:mm:ss`, read in the mapping's zone).
public enum IntakeTimeFormat: Sendable, Equatable, CustomStringConvertible {
    case pattern(TimestampFormat)
    case epochSeconds
    case epochMillis

    public static let iso: IntakeTimeFormat = .pattern(try! TimestampFormat("ISO"))

    public var description: String {
        switch self {
        case let .pattern(format): format.pattern
        case .epochSeconds: "epoch seconds"
        case .epochMillis: "epoch millis"
        }
    }

    /// The instant of a payload value; nil when it is not a time in this format.
    public func instant(_ value: Any, zone: ZoneTable) -> Instant? {
        switch self {
        case let .pattern(format):
            guard let text = value as? String else { return nil }
            return format.instant(text.trimmingSpaces, zone: zone)
        case .epochSeconds, .epochMillis:
            let number: Double
            if let text = value as? String, let parsed = Double(text.trimmingSpaces) {
                number = parsed
            } else if let value = value as? NSNumber, !TicketJSON.isBoolean(value) {
                number = value.doubleValue
            } else {
                return nil
            }
            let seconds = self == .epochMillis ? number / 1000 : number
            guard seconds.isFinite, abs(seconds) < 1e11 else { return nil }
            return Instant(seconds: Int(seconds.rounded(.down)))
        }
    }
}
