import CCairo
import Foundation
import Imaging

/// A confusion matrix as a heat map, like scikit-learn's `ConfusionMatrixDisplay`: rows are
/// the true classes, columns the predicted ones, each cell shaded by its share of its row
/// (so every class reads on one scale however many images it has) and labelled with its count.
public struct ConfusionMatrixChart {
    public var counts: [[Int]]
    public var classNames: [String]
    public var title: String

    public init(counts: [[Int]], classNames: [String], title: String = "Confusion matrix") {
        precondition(counts.count == classNames.count && counts.allSatisfy { $0.count == classNames.count },
                     "a confusion matrix needs one row and one column per class")
        self.counts = counts
        self.classNames = classNames
        self.title = title
    }

    /// The most classes a chart holds: cells shrink to 4 pixels, and cairo draws at most
    /// 32 767 pixels a side.
    public static let maximumClasses = 7_000

    /// The chart; nil beyond `maximumClasses`. Counts are written in cells of at least 20
    /// pixels, class names beside rows of at least 10.
    public func render() -> Image<UInt8>? {
        let classes = classNames.count
        guard classes <= Self.maximumClasses else { return nil }
        let cell = Double(max(4, min(64, 640 / max(classes, 1))))
        let labelsClasses = cell >= 10
        let labelWidth = min(labelsClasses ? (textWidths(classNames, fontSize: 12).max() ?? 0) + 12 : 0, 300)

        let grid = (left: labelWidth + 40, top: 50.0)
        let side = cell * Double(classes)
        let width = Int(grid.left + side + 20), height = Int(grid.top + side + labelWidth + 40)
        return renderCanvas(width: width, height: height) { context in

            cairo_set_font_size(context, Swift.min(14, cell / 2.6))
            for (row, line) in counts.enumerated() {
                let total = Swift.max(1, line.reduce(0, +))
                for (column, count) in line.enumerated() {
                    let share = Double(count) / Double(total)
                    // matplotlib's "Blues", from near white to dark blue.
                    let shade = (1 - 0.93 * share, 1 - 0.67 * share, 1 - 0.58 * share)
                    let (x, y) = (grid.left + Double(column) * cell, grid.top + Double(row) * cell)
                    cairo_set_source_rgb(context, shade.0, shade.1, shade.2)
                    cairo_rectangle(context, x, y, cell, cell)
                    cairo_fill(context)
                    guard cell >= 20 else { continue }
                    let ink = share > 0.5 ? 1.0 : 0.1
                    cairo_set_source_rgb(context, ink, ink, ink)
                    text(context, String(count), x: x + cell / 2, y: y + cell / 2 + 5, centered: true)
                }
            }
            cairo_set_source_rgb(context, 0.2, 0.2, 0.2)
            cairo_set_line_width(context, 1)
            cairo_rectangle(context, grid.left + 0.5, grid.top + 0.5, side, side)
            cairo_stroke(context)

            cairo_set_font_size(context, 12)
            for (index, name) in classNames.enumerated() where labelsClasses {
                let middle = Double(index) * cell + cell / 2
                text(context, name, x: grid.left - 6, y: grid.top + middle + 4, alignRight: true)
                cairo_save(context)
                cairo_translate(context, grid.left + middle + 4, grid.top + side + 8)
                cairo_rotate(context, -Double.pi / 2)
                text(context, name, x: 0, y: 0, alignRight: true)
                cairo_restore(context)
            }
            cairo_set_font_size(context, 13)
            text(context, "predicted class", x: grid.left + side / 2, y: Double(height) - 10, centered: true)
            cairo_save(context)
            cairo_translate(context, 16, grid.top + side / 2)
            cairo_rotate(context, -Double.pi / 2)
            text(context, "true class", x: 0, y: 0, centered: true)
            cairo_restore(context)
            cairo_set_font_size(context, 15)
            text(context, title, x: Double(width) / 2, y: 28, centered: true)
        }
    }
}
