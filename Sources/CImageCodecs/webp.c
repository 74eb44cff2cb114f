#include "invariant_codecs.h"
#include "common.h"
#include <webp/decode.h>

int inv_webp_header(const uint8_t *data, size_t size, int *width, int *height, int *has_alpha,
                    int *animated, char *message) {
    WebPBitstreamFeatures features;
    VP8StatusCode status = WebPGetFeatures(data, size, &features);
    if (status != VP8_STATUS_OK) {
        inv_set_message(message, status == VP8_STATUS_NOT_ENOUGH_DATA ? "truncated WebP header"
                                                                       : "corrupt WebP header (status %d)",
                        (int)status);
        return 1;
    }
    *width = features.width;
    *height = features.height;
    *has_alpha = features.has_alpha;
    *animated = features.has_animation;
    return 0;
}

int inv_webp_decode(const uint8_t *data, size_t size, int channels, uint8_t *pixels, size_t row_stride,
                    size_t capacity, char *message) {
    uint8_t *result = channels == 4 ? WebPDecodeRGBAInto(data, size, pixels, capacity, (int)row_stride)
                                    : WebPDecodeRGBInto(data, size, pixels, capacity, (int)row_stride);
    if (!result) {
        inv_set_message(message, "corrupt or truncated WebP data");
        return 1;
    }
    return 0;
}
