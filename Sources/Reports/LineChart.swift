import CCairo
import Foundation
import Imaging

/// A line chart drawn with cairo: series over a shared x axis, with axes, "nice" ticks,
/// grid lines, a legend and a title — what the lesson's `pd.DataFrame(history.history).plot()`
/// shows, as a PNG.
public struct LineChart {
    public struct Series {
        public var name: String
        /// One value per x position; NaN leaves a gap.
        public var values: [Double]
        public var dashed: Bool

        public init(name: String, values: [Double], dashed: Bool = false) {
            self.name = name
            self.values = values
            self.dashed = dashed
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// The x value of position 0 (epochs count from 1).
    public var firstX: Double
    public var series: [Series]
    public var size: ImageSize

    public init(title: String, xLabel: String, yLabel: String, firstX: Double = 1, series: [Series],
                size: ImageSize = ImageSize(width: 800, height: 500)) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.firstX = firstX
        self.series = series
        self.size = size
    }

    /// matplotlib's default colour cycle ("tab10"), so the chart looks like the pandas plot.
    static let palette: [(Double, Double, Double)] = [
        (0.122, 0.467, 0.706), (1.0, 0.498, 0.055), (0.173, 0.627, 0.173), (0.839, 0.153, 0.157),
        (0.580, 0.404, 0.741), (0.549, 0.337, 0.294), (0.890, 0.467, 0.761), (0.498, 0.498, 0.498),
    ]

    public func render() -> Image<UInt8> {
        let (width, height) = (Double(size.width), Double(size.height))
        return renderCanvas(width: size.width, height: size.height) { context in

            let plot = (left: 70.0, top: 40.0, right: width - 20, bottom: height - 55)
            let count = series.map(\.values.count).max() ?? 0
            let finite = series.flatMap(\.values).filter(\.isFinite)
            let yTicks = Self.niceTicks(low: min(finite.min() ?? 0, 0), high: max(finite.max() ?? 1, 1e-9))
            let (yLow, yHigh) = (yTicks.first!, yTicks.last!)
            let xHigh = firstX + Double(max(count - 1, 1))
            let xTicks = Self.niceTicks(low: firstX, high: xHigh, integers: true).filter { $0 >= firstX && $0 <= xHigh }
            func px(_ x: Double) -> Double { plot.left + (x - firstX) / (xHigh - firstX) * (plot.right - plot.left) }
            func py(_ y: Double) -> Double { plot.bottom - (y - yLow) / (yHigh - yLow) * (plot.bottom - plot.top) }

            // Grid and ticks.
            cairo_set_font_size(context, 12)
            cairo_set_line_width(context, 1)
            for tick in yTicks {
                cairo_set_source_rgb(context, 0.9, 0.9, 0.9)
                cairo_move_to(context, plot.left, py(tick).rounded() + 0.5)
                cairo_line_to(context, plot.right, py(tick).rounded() + 0.5)
                cairo_stroke(context)
                cairo_set_source_rgb(context, 0.2, 0.2, 0.2)
                text(context, Self.label(tick), x: plot.left - 6, y: py(tick) + 4, alignRight: true)
            }
            for tick in xTicks {
                cairo_set_source_rgb(context, 0.9, 0.9, 0.9)
                cairo_move_to(context, px(tick).rounded() + 0.5, plot.top)
                cairo_line_to(context, px(tick).rounded() + 0.5, plot.bottom)
                cairo_stroke(context)
                cairo_set_source_rgb(context, 0.2, 0.2, 0.2)
                text(context, Self.label(tick), x: px(tick), y: plot.bottom + 16, centered: true)
            }
            // Axes box.
            cairo_set_source_rgb(context, 0.2, 0.2, 0.2)
            cairo_rectangle(context, plot.left + 0.5, plot.top + 0.5, plot.right - plot.left, plot.bottom - plot.top)
            cairo_stroke(context)
            // Series.
            cairo_set_line_width(context, 2)
            for (index, line) in series.enumerated() {
                let color = Self.palette[index % Self.palette.count]
                cairo_set_source_rgb(context, color.0, color.1, color.2)
                var dashes = [6.0, 4.0]
                cairo_set_dash(context, &dashes, line.dashed ? 2 : 0, 0)
                var drawing = false
                for (position, value) in line.values.enumerated() {
                    guard value.isFinite else { drawing = false; continue }
                    let (x, y) = (px(firstX + Double(position)), py(value))
                    if drawing { cairo_line_to(context, x, y) } else { cairo_move_to(context, x, y) }
                    drawing = true
                }
                cairo_stroke(context)
                for (position, value) in line.values.enumerated() where value.isFinite && line.values.count <= 60 {
                    cairo_arc(context, px(firstX + Double(position)), py(value), 3, 0, 2 * Double.pi)
                    cairo_fill(context)
                }
            }
            cairo_set_dash(context, nil, 0, 0)
            // Legend, top right inside the plot.
            cairo_set_font_size(context, 12)
            let legendWidth = (series.map { textWidth(context, $0.name) }.max() ?? 0) + 44
            let legendLeft = plot.right - legendWidth - 10
            cairo_set_source_rgba(context, 1, 1, 1, 0.85)
            cairo_rectangle(context, legendLeft, plot.top + 10, legendWidth, Double(series.count) * 18 + 8)
            cairo_fill(context)
            for (index, line) in series.enumerated() {
                let color = Self.palette[index % Self.palette.count]
                let y = plot.top + 24 + Double(index) * 18
                cairo_set_source_rgb(context, color.0, color.1, color.2)
                var dashes = [6.0, 4.0]
                cairo_set_dash(context, &dashes, line.dashed ? 2 : 0, 0)
                cairo_move_to(context, legendLeft + 8, y - 4)
                cairo_line_to(context, legendLeft + 32, y - 4)
                cairo_stroke(context)
                cairo_set_dash(context, nil, 0, 0)
                cairo_set_source_rgb(context, 0.1, 0.1, 0.1)
                text(context, line.name, x: legendLeft + 38, y: y)
            }
            // Title and axis labels.
            cairo_set_source_rgb(context, 0.1, 0.1, 0.1)
            cairo_set_font_size(context, 15)
            text(context, title, x: width / 2, y: 24, centered: true)
            cairo_set_font_size(context, 13)
            text(context, xLabel, x: (plot.left + plot.right) / 2, y: height - 16, centered: true)
            cairo_save(context)
            cairo_translate(context, 18, (plot.top + plot.bottom) / 2)
            cairo_rotate(context, -Double.pi / 2)
            text(context, yLabel, x: 0, y: 0, centered: true)
            cairo_restore(context)
        }
    }



    /// Tick values at 1, 2 or 5 × 10ⁿ steps covering [low, high] (about five of them).
    static func niceTicks(low: Double, high: Double, integers: Bool = false) -> [Double] {
        let span = max(high - low, 1e-12)
        let rough = span / 5
        let magnitude = pow(10, floor(log10(rough)))
        var step = [1.0, 2.0, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        if integers { step = max(1, step.rounded()) }
        let first = floor(low / step) * step, last = ceil(high / step) * step
        return stride(from: first, through: last + step / 2, by: step).map { ($0 / step).rounded() * step }
    }

    static func label(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e6 { return String(Int(value)) }
        return String(format: "%g", value)
    }
}
