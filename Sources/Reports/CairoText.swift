import CCairo

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
