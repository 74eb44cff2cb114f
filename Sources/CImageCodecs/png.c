#include "invariant_codecs.h"
#include "common.h"
#include <stdlib.h>
#include <string.h>
#include <png.h>

struct inv_png {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t position;
    int height;
    int color_type;
    int bit_depth;
    int has_transparency;
    int channels;
    char message[INV_MESSAGE_CAPACITY];
    char warning[INV_MESSAGE_CAPACITY];
};

static void on_png_error(png_structp png, png_const_charp text) {
    struct inv_png *handle = png_get_error_ptr(png);
    snprintf(handle->message, sizeof handle->message, "%s", text);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp text) {
    struct inv_png *handle = png_get_error_ptr(png);
    if (handle && handle->warning[0] == 0) snprintf(handle->warning, sizeof handle->warning, "%s", text);
}

static void read_from_memory(png_structp png, png_bytep out, size_t count) {
    struct inv_png *handle = png_get_io_ptr(png);
    if (handle->size - handle->position < count) png_error(png, "file ends early");
    memcpy(out, handle->data + handle->position, count);
    handle->position += count;
}

inv_png *inv_png_open(const uint8_t *data, size_t size, inv_png_header *header, char *message) {
    struct inv_png *handle = calloc(1, sizeof(struct inv_png));
    if (!handle) { inv_set_message(message, "out of memory"); return NULL; }
    handle->data = data;
    handle->size = size;
    handle->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, handle, on_png_error, on_png_warning);
    if (handle->png) handle->info = png_create_info_struct(handle->png);
    if (!handle->png || !handle->info) {
        inv_set_message(message, "could not create a PNG reader");
        inv_png_close(handle);
        return NULL;
    }
    if (setjmp(png_jmpbuf(handle->png))) {
        inv_set_message(message, "%s", handle->message);
        inv_png_close(handle);
        return NULL;
    }
    // The caller enforces its own pixel limit from the header; lift libpng's 1e6-per-side cap.
    png_set_user_limits(handle->png, 0x7fffffff, 0x7fffffff);
    png_set_read_fn(handle->png, handle, read_from_memory);
    png_read_info(handle->png, handle->info);

    png_structp png = handle->png;
    png_infop info = handle->info;
    header->width = png_get_image_width(png, info);
    header->height = png_get_image_height(png, info);
    header->bit_depth = png_get_bit_depth(png, info);
    header->color_type = png_get_color_type(png, info);
    header->has_transparency = png_get_valid(png, info, PNG_INFO_tRNS) ? 1 : 0;
    header->interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
    header->exif = NULL;
    header->exif_size = 0;
#ifdef PNG_eXIf_SUPPORTED
    png_uint_32 exif_size = 0;
    png_bytep exif = NULL;
    if (png_get_eXIf_1(png, info, &exif_size, &exif) && exif) {
        header->exif = exif;
        header->exif_size = exif_size;
    }
#endif
    // Expansion is set up in inv_png_read: png_read_update_info allocates row buffers, which
    // must not happen before the caller has checked the size against its pixel limit.
    static const int base_channels[] = {1, 0, 3, 3, 2, 0, 4};  // by PNG colour type
    int channels = header->color_type <= 6 ? base_channels[header->color_type] : 0;
    if (channels == 0) {
        inv_set_message(message, "unknown PNG colour type %d", header->color_type);
        inv_png_close(handle);
        return NULL;
    }
    if (header->has_transparency && (header->color_type == PNG_COLOR_TYPE_GRAY || header->color_type == PNG_COLOR_TYPE_RGB ||
                                     header->color_type == PNG_COLOR_TYPE_PALETTE)) channels += 1;
    header->channels = channels;
    header->depth = header->bit_depth == 16 ? 16 : 8;
    handle->height = (int)header->height;
    handle->color_type = header->color_type;
    handle->bit_depth = header->bit_depth;
    handle->has_transparency = header->has_transparency;
    handle->channels = channels;
    return handle;
}

int inv_png_read(inv_png *handle, void *pixels, size_t row_stride, int strict, char *message) {
    png_structp png = handle->png;
    png_infop info = handle->info;
    // volatile: the pointer changes between setjmp and a possible longjmp.
    png_bytep *volatile rows = malloc(sizeof(png_bytep) * (size_t)(handle->height > 0 ? handle->height : 1));
    if (!rows) { inv_set_message(message, "out of memory"); return 1; }
    for (int y = 0; y < handle->height; y++) rows[y] = (png_bytep)pixels + (size_t)y * row_stride;
    if (setjmp(png_jmpbuf(png))) {
        inv_set_message(message, "%s", handle->message);
        free(rows);
        return 1;
    }
    if (handle->color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (handle->color_type == PNG_COLOR_TYPE_GRAY && handle->bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (handle->has_transparency) png_set_tRNS_to_alpha(png);
    if (handle->bit_depth == 16) png_set_swap(png); // PNG is big-endian; hand samples over in host order
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if ((int)png_get_channels(png, info) != handle->channels) {
        inv_set_message(message, "inconsistent PNG header (%d channels after expansion, expected %d)",
                        (int)png_get_channels(png, info), handle->channels);
        free(rows);
        return 1;
    }
    png_read_image(png, rows);
    free(rows);
    rows = NULL;
    if (strict) {
        // The end chunks hold the zlib stream's checksum; libpng reports a mismatch as a warning.
        png_read_end(png, NULL);
        if (handle->warning[0]) {
            inv_set_message(message, "%s", handle->warning);
            return 1;
        }
    }
    return 0;
}

void inv_png_close(inv_png *handle) {
    if (!handle) return;
    if (handle->png) png_destroy_read_struct(&handle->png, handle->info ? &handle->info : NULL, NULL);
    free(handle);
}

struct png_output {
    uint8_t *bytes;
    size_t size;
    size_t capacity;
};

static void write_to_memory(png_structp png, png_bytep data, size_t count) {
    struct png_output *output = png_get_io_ptr(png);
    if (output->size + count > output->capacity) {
        size_t capacity = output->capacity ? output->capacity : 4096;
        while (capacity < output->size + count) capacity *= 2;
        uint8_t *grown = realloc(output->bytes, capacity);
        if (!grown) png_error(png, "out of memory");
        output->bytes = grown;
        output->capacity = capacity;
    }
    memcpy(output->bytes + output->size, data, count);
    output->size += count;
}

static void flush_memory(png_structp png) { (void)png; }

int inv_png_encode(const void *pixels, int width, int height, int channels, int depth, size_t row_stride,
                   int compression_level, uint8_t **output, size_t *output_size, char *message) {
    static const int color_types[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                      PNG_COLOR_TYPE_RGB_ALPHA};
    if (channels < 1 || channels > 4 || (depth != 8 && depth != 16)) {
        inv_set_message(message, "PNG encoding needs 1-4 channels of depth 8 or 16");
        return 1;
    }
    struct inv_png handle;
    memset(&handle, 0, sizeof handle);
    struct png_output out = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &handle, on_png_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        inv_set_message(message, "could not create a PNG writer");
        png_destroy_write_struct(&png, &info);
        return 1;
    }
    if (setjmp(png_jmpbuf(png))) {
        inv_set_message(message, "%s", handle.message);
        png_destroy_write_struct(&png, &info);
        free(out.bytes);
        return 1;
    }
    png_set_write_fn(png, &out, write_to_memory, flush_memory);
    png_set_compression_level(png, compression_level);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, depth, color_types[channels],
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    if (depth == 16) png_set_swap(png);
    for (int y = 0; y < height; y++) png_write_row(png, (png_const_bytep)pixels + (size_t)y * row_stride);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    *output = out.bytes;
    *output_size = out.size;
    return 0;
}
