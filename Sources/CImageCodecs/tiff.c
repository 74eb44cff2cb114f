#include "invariant_codecs.h"
#include "common.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

struct inv_tiff {
    TIFF *tiff;
    const uint8_t *data;
    size_t size;
    uint64_t position;
    inv_tiff_header header;
    char message[INV_MESSAGE_CAPACITY];
};

static tmsize_t tiff_read(thandle_t context, void *buffer, tmsize_t count) {
    struct inv_tiff *handle = context;
    if (handle->position >= handle->size) return 0;
    size_t available = handle->size - (size_t)handle->position;
    size_t n = (size_t)count < available ? (size_t)count : available;
    memcpy(buffer, handle->data + handle->position, n);
    handle->position += n;
    return (tmsize_t)n;
}

static tmsize_t tiff_write(thandle_t context, void *buffer, tmsize_t count) {
    (void)context; (void)buffer; (void)count;
    return 0;
}

static toff_t tiff_seek(thandle_t context, toff_t offset, int whence) {
    struct inv_tiff *handle = context;
    uint64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? handle->position : handle->size;
    handle->position = base + offset;
    return handle->position;
}

static int tiff_close(thandle_t context) { (void)context; return 0; }
static toff_t tiff_size(thandle_t context) { return ((struct inv_tiff *)context)->size; }


static int on_tiff_error(TIFF *tiff, void *context, const char *module, const char *format, va_list args) {
    (void)tiff; (void)module;
    struct inv_tiff *handle = context;
    if (handle->message[0] == 0) vsnprintf(handle->message, sizeof handle->message, format, args);
    return 1;
}

static int on_tiff_warning(TIFF *tiff, void *context, const char *module, const char *format, va_list args) {
    (void)tiff; (void)context; (void)module; (void)format; (void)args;
    return 1;
}

inv_tiff *inv_tiff_open(const uint8_t *data, size_t size, inv_tiff_header *header, char *message) {
    struct inv_tiff *handle = calloc(1, sizeof(struct inv_tiff));
    if (!handle) { inv_set_message(message, "out of memory"); return NULL; }
    handle->data = data;
    handle->size = size;
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetErrorHandlerExtR(options, on_tiff_error, handle);
    TIFFOpenOptionsSetWarningHandlerExtR(options, on_tiff_warning, handle);
    handle->tiff = TIFFClientOpenExt("memory", "rm", handle, tiff_read, tiff_write, tiff_seek, tiff_close,
                                     tiff_size, NULL, NULL, options);
    TIFFOpenOptionsFree(options);
    if (!handle->tiff) {
        inv_set_message(message, "corrupt TIFF: %s", handle->message[0] ? handle->message : "unreadable header");
        free(handle);
        return NULL;
    }
    uint32_t width = 0, height = 0;
    uint16_t samples = 1, bits = 1, photometric = 0, planar = PLANARCONFIG_CONTIG, orientation = ORIENTATION_TOPLEFT;
    uint16_t sample_format = SAMPLEFORMAT_UINT;
    TIFFGetField(handle->tiff, TIFFTAG_IMAGEWIDTH, &width);
    TIFFGetField(handle->tiff, TIFFTAG_IMAGELENGTH, &height);
    TIFFGetFieldDefaulted(handle->tiff, TIFFTAG_SAMPLESPERPIXEL, &samples);
    TIFFGetFieldDefaulted(handle->tiff, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(handle->tiff, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(handle->tiff, TIFFTAG_ORIENTATION, &orientation);
    TIFFGetFieldDefaulted(handle->tiff, TIFFTAG_SAMPLEFORMAT, &sample_format);
    if (!TIFFGetField(handle->tiff, TIFFTAG_PHOTOMETRIC, &photometric)) photometric = PHOTOMETRIC_MINISBLACK;
    if (width == 0 || height == 0) {
        inv_set_message(message, "corrupt TIFF: no image size");
        inv_tiff_close(handle);
        return NULL;
    }
    header->width = width;
    header->height = height;
    header->samples_per_pixel = samples;
    header->bits_per_sample = bits;
    header->photometric = photometric;
    header->planar_config = planar;
    header->tiled = TIFFIsTiled(handle->tiff);
    header->orientation = orientation;
    int plain_color = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_RGB;
    int cmyk = photometric == PHOTOMETRIC_SEPARATED && samples == 4 && bits == 8;
    header->direct = (plain_color || cmyk) && !header->tiled && planar == PLANARCONFIG_CONTIG &&
                     (bits == 8 || bits == 16) && samples >= 1 && samples <= 4 &&
                     sample_format == SAMPLEFORMAT_UINT;
    handle->header = *header;
    return handle;
}

int inv_tiff_read_direct(inv_tiff *handle, void *pixels, size_t row_stride, char *message) {
    uint64_t scanline = (uint64_t)TIFFScanlineSize64(handle->tiff);
    if (scanline == 0 || scanline > row_stride) {
        inv_set_message(message, "TIFF scanline of %llu bytes does not fit a row of %zu bytes",
                        (unsigned long long)scanline, row_stride);
        return 1;
    }
    for (uint32_t y = 0; y < handle->header.height; y++) {
        if (TIFFReadScanline(handle->tiff, (uint8_t *)pixels + (size_t)y * row_stride, y, 0) < 0) {
            inv_set_message(message, "corrupt or truncated TIFF data at row %u: %s", y, handle->message);
            return 1;
        }
    }
    return 0;
}

int inv_tiff_read_rgba(inv_tiff *handle, uint8_t *pixels, char *message) {
    // libtiff packs ABGR in a uint32 per pixel, i.e. R,G,B,A bytes on little-endian hosts.
    // Asking for the file's own orientation makes libtiff flip nothing.
    int orientation = handle->header.orientation >= 1 && handle->header.orientation <= 8 ? handle->header.orientation
                                                                                          : ORIENTATION_TOPLEFT;
    if (!TIFFReadRGBAImageOriented(handle->tiff, handle->header.width, handle->header.height,
                                   (uint32_t *)pixels, orientation, 0)) {
        inv_set_message(message, "unsupported or corrupt TIFF: %s",
                        handle->message[0] ? handle->message : "cannot convert to RGBA");
        return 1;
    }
    return 0;
}

void inv_tiff_close(inv_tiff *handle) {
    if (!handle) return;
    if (handle->tiff) TIFFClose(handle->tiff);
    free(handle);
}
