/// A dispatch rule: a ticket that arrives without an assignee takes the first route whose `when` holds
/// and whose target reaches someone (docs/dispatch.md).
///
/// ```
/// route plumbing "水电" {
///   when kind = repair and text contains any ["漏水", "水管"]
///   to roster plumbing-oncall
/// }
/// ```
public struct Route: Sendable, Hashable {
    public let name: String
    public var title: String?
    /// `.always` for a route without `when`: it takes every ticket that reaches it (the fallback).
    public var match: MatchExpression = .always
    public var matchLocation: SourceRange?
    /// Nil only while the route is being read (a route without `to` is an error).
    public var target: RouteTarget?
    public var targetLocation: SourceRange?
    public let location: SourceRange
}

/// Whom a route gives the ticket to.
public indirect enum RouteTarget: Sendable, Hashable {
    /// `to person NAME`.
    case person(String)
    /// `to roster NAME`: whoever is on duty when the ticket arrives.
    case roster(String)
    /// `to team NAME [by least open | by round robin]`: a member working now (the team's `hours`, when it
    /// has them), chosen by the strategy.
    case team(String, strategy: TeamStrategy)
    /// `to model "PATH" at least 0.8 [by STRATEGY] else TARGET`: the model's label names a route or a team; below
    /// the threshold (or when the label reaches nobody) the ticket goes to `fallback`.
    case model(ModelTarget)

    /// The target as the rules write it.
    public var description: String {
        switch self {
        case let .person(name): "person \(name)"
        case let .roster(name): "roster \(name)"
        case let .team(name, strategy): "team \(name) by \(strategy.rawValue)"
        case let .model(model): "model \"\(model.path)\" at least \(model.thresholdText) else \(model.fallback.description)"
        }
    }
}

/// How a team target picks among the members working now.
public enum TeamStrategy: String, Sendable, Hashable, CaseIterable {
    /// The member with the fewest open tickets; ties go to the member listed first.
    case leastOpen = "least open"
    /// The member after the one the team gave its last routed ticket to, in the order listed.
    case roundRobin = "round robin"
}

/// A route by a trained text classifier (`slad route train`).
public struct ModelTarget: Sendable, Hashable {
    /// As written, relative to the rule file; the key of `RuleSet.models`.
    public let path: String
    /// 0…1: a prediction below it goes to `fallback`.
    public let threshold: Double
    /// The threshold as written (`0.8`), for explanations.
    public let thresholdText: String
    /// How a predicted team picks its member.
    public let strategy: TeamStrategy
    public let fallback: RouteTarget
    public let location: SourceRange

    /// A confidence as operators read it, with two decimals: 0.62, 0.80, 1.00.
    public static func format(_ confidence: Double) -> String {
        let hundredths = Int((confidence * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
