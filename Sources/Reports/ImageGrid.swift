import CCairo
import Foundation
import Imaging

/// A grid of images with captions, drawn with cairo: what `invariant preview` writes (each
/// source image beside augmented versions of it).
public struct ImageGrid {
    /// One image and the text under it.
    public struct Cell {
        public var image: Image<UInt8>
        public var caption: String

        public init(image: Image<UInt8>, caption: String = "") {
            self.image = image
            self.caption = caption
        }
    }

    public var rows: [[Cell]]
    /// The box each image is scaled into (keeping its aspect ratio).
    public var cellSize: ImageSize
    public var title: String?

    public init(rows: [[Cell]], cellSize: ImageSize = ImageSize(width: 128, height: 128), title: String? = nil) {
        self.rows = rows
        self.cellSize = cellSize
        self.title = title
    }

    static let margin = 8.0, captionHeight = 18.0, titleHeight = 26.0, fontSize = 12.0

    /// cairo's largest image surface side.
    public static let maximumSide = 32767

    /// The rendered size: margins, cells and caption lines, and the title line.
    public var size: ImageSize {
        let columns = rows.map(\.count).max() ?? 0
        let titleSpace = title == nil ? 0 : ImageGrid.titleHeight
        let width = ImageGrid.margin + Double(columns) * (Double(cellSize.width) + ImageGrid.margin)
        let height = ImageGrid.margin + titleSpace
            + Double(rows.count) * (Double(cellSize.height) + ImageGrid.captionHeight + ImageGrid.margin)
        return ImageSize(width: Int(width), height: Int(height))
    }

    /// The grid as an RGB image; `size` must stay within `maximumSide` on both sides.
    public func render() -> Image<UInt8> {
        let titleSpace = title == nil ? 0 : ImageGrid.titleHeight
        let cellWidth = Double(cellSize.width) + ImageGrid.margin
        let cellHeight = Double(cellSize.height) + ImageGrid.captionHeight + ImageGrid.margin
        let (width, height) = (size.width, size.height)
        precondition(width <= ImageGrid.maximumSide && height <= ImageGrid.maximumSide,
                     "grid of \(width)×\(height) exceeds cairo's \(ImageGrid.maximumSide)-pixel limit")
        return renderCanvas(width: width, height: height) { context in
            if let title {
                cairo_set_font_size(context, ImageGrid.fontSize + 3)
                cairo_set_source_rgb(context, 0.1, 0.1, 0.1)
                cairo_move_to(context, ImageGrid.margin, ImageGrid.margin + 14)
                cairo_show_text(context, title)
            }
            cairo_set_font_size(context, ImageGrid.fontSize)
            for (row, cells) in rows.enumerated() {
                for (column, cell) in cells.enumerated() {
                    let x = ImageGrid.margin + Double(column) * cellWidth
                    let y = ImageGrid.margin + titleSpace + Double(row) * cellHeight
                    draw(cell.image, in: context, x: x, y: y)
                    cairo_set_source_rgb(context, 0.15, 0.15, 0.15)
                    cairo_move_to(context, x, y + Double(cellSize.height) + 13)
                    cairo_show_text(context, fitted(cell.caption, in: context, width: Double(cellSize.width)))
                }
            }
        }
    }

    /// Draws `image` scaled into the cell box at (x, y), centred; small images are enlarged
    /// with nearest neighbour so their pixels stay visible.
    private func draw(_ image: Image<UInt8>, in context: OpaquePointer, x: Double, y: Double) {
        guard image.width > 0, image.height > 0 else { return }
        let source = Self.surface(of: image)
        defer { cairo_surface_destroy(source) }
        let scale = min(Double(cellSize.width) / Double(image.width), Double(cellSize.height) / Double(image.height))
        let left = x + (Double(cellSize.width) - Double(image.width) * scale) / 2
        let top = y + (Double(cellSize.height) - Double(image.height) * scale) / 2
        cairo_save(context)
        cairo_translate(context, left, top)
        cairo_scale(context, scale, scale)
        cairo_set_source_surface(context, source, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(context), scale >= 2 ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD)
        cairo_paint(context)
        cairo_restore(context)
    }

    /// `text`, shortened with an ellipsis until it fits `width` points.
    private func fitted(_ text: String, in context: OpaquePointer, width: Double) -> String {
        var candidate = text
        while !candidate.isEmpty {
            var extents = cairo_text_extents_t()
            cairo_text_extents(context, candidate, &extents)
            if extents.x_advance <= width { return candidate }
            candidate = String(candidate.dropLast(candidate.hasSuffix("…") ? 2 : 1)) + "…"
            if candidate == "…" { return candidate }
        }
        return candidate
    }

    /// A cairo RGB24 surface holding `image` (gray is replicated, alpha dropped).
    static func surface(of image: Image<UInt8>) -> OpaquePointer {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(image.width), Int32(image.height))!
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        for y in 0..<image.height {
            let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<image.width {
                let r = image[x, y, 0], g = image[x, y, min(1, image.channels - 1)], b = image[x, y, min(2, image.channels - 1)]
                let (red, green, blue) = image.channels < 3 ? (r, r, r) : (r, g, b)
                row[x] = UInt32(red) << 16 | UInt32(green) << 8 | UInt32(blue)
            }
        }
        cairo_surface_mark_dirty(surface)
        return surface
    }
}
