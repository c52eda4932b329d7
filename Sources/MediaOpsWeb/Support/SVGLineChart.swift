import Foundation

/// A line chart drawn on the server as SVG: labelled axes with the unit,
/// gaps where a day has no value (absent is not zero), and each point's
/// exact value on hover through `<title>`. No script, so it prints and goes
/// into reports as it is.
struct SVGLineChart {
    struct Point {
        var label: String
        var value: Double?
    }

    var title: String
    /// The unit shown beside the axis ("人", "%", "次").
    var unit: String
    var points: [Point]
    /// Formats an axis tick or a point's value.
    var format: (Double) -> String
    var width = 720.0
    var height = 220.0

    private let left = 64.0, right = 16.0, top = 24.0, bottom = 36.0

    /// The SVG markup (already escaped; safe to insert unescaped).
    func render() -> String {
        let values = points.compactMap(\.value)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(Self.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title>\(Self.escape(title))</title>"
        guard !values.isEmpty, points.count > 0 else {
            return svg + "<text x=\"\(Int(width / 2))\" y=\"\(Int(height / 2))\" text-anchor=\"middle\" class=\"chart-empty\">—</text></svg>"
        }
        var low = values.min()!, high = values.max()!
        if low > 0, low < high * 0.5 { low = 0 }
        if low == high { low -= max(1, abs(low) * 0.1); high += max(1, abs(high) * 0.1) }
        let step = Self.niceStep((high - low) / 4)
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        func x(_ index: Int) -> Double { left + (points.count == 1 ? plotWidth / 2 : plotWidth * Double(index) / Double(points.count - 1)) }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - low) / (high - low)) }
        // Grid and value axis.
        var tick = low
        while tick <= high + step / 2 {
            let ty = Self.fixed(y(tick))
            svg += "<line class=\"chart-grid\" x1=\"\(Int(left))\" y1=\"\(ty)\" x2=\"\(Int(width - right))\" y2=\"\(ty)\"/>"
            svg += "<text class=\"chart-axis\" x=\"\(Int(left - 6))\" y=\"\(ty)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(Self.escape(format(tick)))</text>"
            tick += step
        }
        svg += "<text class=\"chart-unit\" x=\"4\" y=\"12\">\(Self.escape(unit))</text>"
        // Date axis: first, last and a few between.
        let labelCount = min(points.count, 6)
        for slot in 0..<labelCount {
            let index = labelCount == 1 ? 0 : Int((Double(slot) * Double(points.count - 1) / Double(labelCount - 1)).rounded())
            svg += "<text class=\"chart-axis\" x=\"\(Self.fixed(x(index)))\" y=\"\(Int(height - 12))\" text-anchor=\"middle\">\(Self.escape(points[index].label))</text>"
        }
        // The line, broken where a value is missing.
        var segment: [String] = []
        func flush() {
            if segment.count > 1 { svg += "<polyline class=\"chart-line\" fill=\"none\" points=\"\(segment.joined(separator: " "))\"/>" }
            segment = []
        }
        for (index, point) in points.enumerated() {
            guard let value = point.value else { flush(); continue }
            segment.append("\(Self.fixed(x(index))),\(Self.fixed(y(value)))")
        }
        flush()
        // Points with their exact value on hover (few enough to keep the page light).
        let stride = max(1, points.count / 120)
        for (index, point) in points.enumerated() where index % stride == 0 || index == points.count - 1 {
            guard let value = point.value else { continue }
            svg += "<circle class=\"chart-point\" cx=\"\(Self.fixed(x(index)))\" cy=\"\(Self.fixed(y(value)))\" r=\"3\"><title>\(Self.escape(point.label))：\(Self.escape(format(value)))</title></circle>"
        }
        return svg + "</svg>"
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }

    static func fixed(_ value: Double) -> String { FixedDecimal.text(value, digits: 1) }

    static func escape(_ text: String) -> String { HTMLEscape.text(text) }
}
