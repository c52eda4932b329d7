import Foundation

/// A line chart of several series on one day axis, drawn on the server as SVG:
/// own accounts solid, competitors dashed (so the difference never rests on
/// colour alone), each point's value on hover through `<title>`. Competitors'
/// numbers are often recorded weekly, so a line joins the recorded days: a
/// day without a number has no point (it is never drawn as zero). The legend
/// is HTML beside it (`legend`).
struct SVGSeriesChart {
    struct Series {
        var name: String
        var dashed: Bool
        var values: [Double?]
    }

    struct LegendItem {
        var name: String
        var colour: String
        var dashed: Bool
        var kind: String
    }

    var title: String
    var unit: String
    var labels: [String]
    var series: [Series]
    var format: (Double) -> String
    var width = 720.0
    var height = 240.0

    /// Colours with at least 3:1 contrast on white, told apart by dash and legend as well.
    static let palette = ["#1f6feb", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207", "#be185d"]
    /// Lines one chart draws at most; the table lists every account.
    static let maxSeries = 8

    private let left = 64.0, right = 16.0, top = 24.0, bottom = 36.0

    func colour(_ index: Int) -> String { Self.palette[index % Self.palette.count] }

    var hasValues: Bool { series.contains { $0.values.contains { $0 != nil } } }

    func render() -> String {
        let drawn = Array(series.prefix(Self.maxSeries))
        let values = drawn.flatMap { $0.values.compactMap { $0 } }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(SVGLineChart.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        svg += "<title>\(SVGLineChart.escape(title))</title>"
        guard var low = values.min(), var high = values.max(), !labels.isEmpty else {
            return svg + "<text x=\"\(Int(width / 2))\" y=\"\(Int(height / 2))\" text-anchor=\"middle\" class=\"chart-empty\">—</text></svg>"
        }
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        if low > 0, low < high * 0.5 { low = 0 }
        if low == high { low -= max(1, abs(low) * 0.1); high += max(1, abs(high) * 0.1) }
        let step = SVGLineChart.niceStep((high - low) / 4)
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        let count = labels.count
        func x(_ index: Int) -> Double { left + (count == 1 ? plotWidth / 2 : plotWidth * Double(index) / Double(count - 1)) }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - low) / (high - low)) }
        var tick = low
        var ticks = 0
        while tick <= high + step / 2, ticks < 12 {
            let ty = SVGLineChart.fixed(y(tick))
            svg += "<line class=\"chart-grid\" x1=\"\(Int(left))\" y1=\"\(ty)\" x2=\"\(Int(width - right))\" y2=\"\(ty)\"/>"
            svg += "<text class=\"chart-axis\" x=\"\(Int(left - 6))\" y=\"\(ty)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(SVGLineChart.escape(format(tick)))</text>"
            tick += step
            ticks += 1
        }
        svg += "<text class=\"chart-unit\" x=\"4\" y=\"12\">\(SVGLineChart.escape(unit))</text>"
        let labelCount = min(count, 6)
        for slot in 0..<labelCount {
            let index = labelCount == 1 ? 0 : Int((Double(slot) * Double(count - 1) / Double(labelCount - 1)).rounded())
            svg += "<text class=\"chart-axis\" x=\"\(SVGLineChart.fixed(x(index)))\" y=\"\(Int(height - 12))\" text-anchor=\"middle\">\(SVGLineChart.escape(labels[index]))</text>"
        }
        for (number, line) in drawn.enumerated() {
            let stroke = colour(number)
            let dash = line.dashed ? " stroke-dasharray=\"6 4\"" : ""
            var segment: [String] = []
            func flush() {
                if segment.count > 1 {
                    svg += "<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"2\"\(dash) points=\"\(segment.joined(separator: " "))\"/>"
                }
                segment = []
            }
            var points: [(Int, Double)] = []
            for index in 0..<min(count, line.values.count) {
                guard let value = line.values[index] else { continue }
                segment.append("\(SVGLineChart.fixed(x(index))),\(SVGLineChart.fixed(y(value)))")
                points.append((index, value))
            }
            flush()
            let stride = max(1, count / 60)
            for (index, value) in points where index % stride == 0 || index == count - 1 {
                svg += "<circle cx=\"\(SVGLineChart.fixed(x(index)))\" cy=\"\(SVGLineChart.fixed(y(value)))\" r=\"2.5\" fill=\"\(stroke)\"><title>\(SVGLineChart.escape(line.name)) · \(SVGLineChart.escape(labels[index]))：\(SVGLineChart.escape(format(value)))</title></circle>"
            }
        }
        return svg + "</svg>"
    }

    func legend(own: String, competitor: String) -> [LegendItem] {
        series.prefix(Self.maxSeries).enumerated().map { index, line in
            LegendItem(name: line.name, colour: colour(index), dashed: line.dashed, kind: line.dashed ? competitor : own)
        }
    }
}
