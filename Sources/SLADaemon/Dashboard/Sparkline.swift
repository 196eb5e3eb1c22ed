import SLAEngine
import SLAFormats

/// A KPI's 30-day trend as an inline SVG line (`KPITile.trend`, oldest first), in a 120×36 box: one
/// polyline per run of days with data (a day without data breaks the line), and the target as a dashed
/// line when it falls in the drawn range.
struct Sparkline: Encodable, Equatable {
    static let width = 120.0, height = 36.0, margin = 3.0

    struct Segment: Encodable, Equatable {
        /// `x,y x,y …`, SVG's polyline `points`.
        let points: String
        let count: Int
    }

    let segments: [Segment]
    /// The target line's y, when there is a target.
    let targetY: String?
    /// The last point, drawn as a dot.
    let lastX: String?
    let lastY: String?
    /// Days with a value.
    let count: Int
    let hasPoints: Bool

    init(trend: [KPITrendPoint], target: Double?) {
        let values = trend.compactMap(\.value).filter(\.isFinite)
        count = values.count
        hasPoints = !values.isEmpty
        guard let low = (values + (target.map { [$0] } ?? [])).min(), let high = (values + (target.map { [$0] } ?? [])).max() else {
            segments = []
            targetY = nil
            lastX = nil
            lastY = nil
            return
        }
        let span = high - low
        let step = trend.count > 1 ? (Self.width - 2 * Self.margin) / Double(trend.count - 1) : 0
        func y(_ value: Double) -> Double {
            // A flat line sits in the middle; otherwise high values at the top.
            span == 0 ? Self.height / 2 : Self.margin + (high - value) / span * (Self.height - 2 * Self.margin)
        }
        var segments: [Segment] = []
        var run: [String] = []
        var last: (Double, Double)?
        for (index, point) in trend.enumerated() {
            guard let value = point.value, value.isFinite else {
                if !run.isEmpty { segments.append(Segment(points: run.joined(separator: " "), count: run.count)) }
                run = []
                continue
            }
            let x = trend.count > 1 ? Self.margin + Double(index) * step : Self.width / 2
            last = (x, y(value))
            run.append("\(Self.number(x)),\(Self.number(y(value)))")
        }
        if !run.isEmpty { segments.append(Segment(points: run.joined(separator: " "), count: run.count)) }
        self.segments = segments
        targetY = target.map { Self.number(y($0)) }
        lastX = last.map { Self.number($0.0) }
        lastY = last.map { Self.number($0.1) }
    }

    /// One decimal: enough for a 120 px drawing, short in the page.
    static func number(_ value: Double) -> String { KPIText.decimal(value, places: 1) }

    enum CodingKeys: String, CodingKey { case segments, targetY, lastX, lastY, count, hasPoints }
}
