import CCairo
import Imaging

/// Draws with `draw` on a white RGB canvas of `width`×`height` (DejaVu Sans selected) and
/// returns the pixels: the frame every chart and grid shares.
func renderCanvas(width: Int, height: Int, _ draw: (_ context: OpaquePointer) -> Void) -> Image<UInt8> {
    let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(max(width, 1)), Int32(max(height, 1)))!
    precondition(cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, "cairo could not create a \(width)×\(height) surface")
    defer { cairo_surface_destroy(surface) }
    let context = cairo_create(surface)!
    defer { cairo_destroy(context) }
    cairo_set_source_rgb(context, 1, 1, 1)
    cairo_paint(context)
    selectFont(context)
    draw(context)
    cairo_surface_flush(surface)
    return rgbImage(of: surface, width: width, height: height)
}

/// The width of each string at `fontSize`, measured before a canvas exists (to size it).
func textWidths(_ strings: [String], fontSize: Double) -> [Double] {
    let probe = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1)!
    defer { cairo_surface_destroy(probe) }
    let context = cairo_create(probe)!
    defer { cairo_destroy(context) }
    selectFont(context)
    cairo_set_font_size(context, fontSize)
    return strings.map { textWidth(context, $0) }
}

private func selectFont(_ context: OpaquePointer) {
    cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
}

/// cairo's 0x00RRGGBB pixels as an RGB image.
private func rgbImage(of surface: OpaquePointer, width: Int, height: Int) -> Image<UInt8> {
    var image = Image<UInt8>(width: width, height: height, channels: 3)
    let stride = Int(cairo_image_surface_get_stride(surface))
    let data = cairo_image_surface_get_data(surface)!
    image.withUnsafeMutableSamples { output, outputStride in
        for y in 0..<height {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width {
                let pixel = row[x]
                output[y * outputStride + x * 3] = UInt8(truncatingIfNeeded: pixel >> 16)
                output[y * outputStride + x * 3 + 1] = UInt8(truncatingIfNeeded: pixel >> 8)
                output[y * outputStride + x * 3 + 2] = UInt8(truncatingIfNeeded: pixel)
            }
        }
    }
    return image
}

/// The width of `string` in the context's current font.
func textWidth(_ context: OpaquePointer, _ string: String) -> Double {
    var extents = cairo_text_extents_t()
    cairo_text_extents(context, string, &extents)
    return extents.x_advance
}

/// Draws `string` with its baseline at `y`, starting at `x`, centred on it or ending at it.
func text(_ context: OpaquePointer, _ string: String, x: Double, y: Double, centered: Bool = false,
          alignRight: Bool = false) {
    let width = textWidth(context, string)
    cairo_move_to(context, centered ? x - width / 2 : alignRight ? x - width : x, y)
    cairo_show_text(context, string)
}
