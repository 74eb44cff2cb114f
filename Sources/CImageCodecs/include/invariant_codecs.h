// C glue between Swift and the image codec libraries.
//
// libjpeg and libpng report errors by longjmp, libtiff and giflib through callbacks; Swift
// cannot unwind through either safely, so every call into those libraries happens here and
// comes back as a plain status code plus a message. No pixel logic lives here: colour
// conversion, orientation and resizing are Swift.
//
// Every function that can fail takes `message`, a buffer of INV_MESSAGE_CAPACITY bytes, and
// returns 0 on success (or a non-NULL handle); on failure it writes a NUL-terminated reason.
#pragma once
#include <stddef.h>
#include <stdint.h>

#define INV_MESSAGE_CAPACITY 256

void inv_free(void *pointer);

// MARK: JPEG (libjpeg-turbo)

typedef struct inv_jpeg inv_jpeg;

typedef struct {
    int width;
    int height;
    int components;       // components in the file: 1, 3 or 4
    int color_space;      // libjpeg's J_COLOR_SPACE of the file
    int saw_adobe_marker; // Adobe APP14 present: CMYK/YCCK samples are stored inverted
    int progressive;
    const uint8_t *exif;  // TIFF structure of the APP1 "Exif" segment, or NULL
    size_t exif_size;
} inv_jpeg_header;

// Reads the header. `data` must stay valid until inv_jpeg_close.
inv_jpeg *inv_jpeg_open(const uint8_t *data, size_t size, inv_jpeg_header *header, char *message);
// Starts decompression scaled by scale_num/8 in the DCT domain (8 = full size). Gray files
// decode to 1 component, CMYK/YCCK to 4 (raw CMYK), everything else to RGB. `fast` picks the
// faster integer IDCT and plain upsampling (not Pillow-identical).
int inv_jpeg_start(inv_jpeg *jpeg, int scale_num, int fast, int *width, int *height, int *components,
                   char *message);
// Reads every scanline. A file that ends before its last scanline is an error ("truncated").
int inv_jpeg_read(inv_jpeg *jpeg, uint8_t *pixels, size_t row_stride, char *message);
// libjpeg's first warning (corrupt data it worked around), or NULL when there was none.
const char *inv_jpeg_first_warning(inv_jpeg *jpeg);
void inv_jpeg_close(inv_jpeg *jpeg);

// Encodes 1- or 3-channel 8-bit pixels; *output is malloc'd (release with inv_free).
int inv_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, size_t row_stride,
                    int quality, uint8_t **output, size_t *output_size, char *message);

// MARK: PNG (libpng)

typedef struct inv_png inv_png;

typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;       // in the file: 1, 2, 4, 8 or 16
    int color_type;      // PNG_COLOR_TYPE_*
    int has_transparency;// tRNS chunk present
    int interlaced;
    int channels;        // after expansion: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
    int depth;           // after expansion: 8 or 16 (16-bit samples come in host byte order)
    const uint8_t *exif; // eXIf chunk (TIFF structure), or NULL
    size_t exif_size;
} inv_png_header;

// Reads the header, allocating nothing that depends on the image size. `data` must stay
// valid until inv_png_close.
inv_png *inv_png_open(const uint8_t *data, size_t size, inv_png_header *header, char *message);
// Decodes with expansion: palette to RGB(A), gray below 8 bits to 8 bits, tRNS to an alpha
// channel. `strict` also reads the end chunks and fails on any warning (e.g. a checksum).
int inv_png_read(inv_png *png, void *pixels, size_t row_stride, int strict, char *message);
void inv_png_close(inv_png *png);

// Encodes 1–4 channel pixels of depth 8 or 16 (16-bit samples in host byte order).
int inv_png_encode(const void *pixels, int width, int height, int channels, int depth, size_t row_stride,
                   int compression_level, uint8_t **output, size_t *output_size, char *message);

// MARK: WebP (libwebp)

int inv_webp_header(const uint8_t *data, size_t size, int *width, int *height, int *has_alpha,
                    int *animated, char *message);
// Decodes to 3 (RGB) or 4 (RGBA) channels.
int inv_webp_decode(const uint8_t *data, size_t size, int channels, uint8_t *pixels, size_t row_stride,
                    size_t capacity, char *message);

// MARK: TIFF (libtiff)

typedef struct inv_tiff inv_tiff;

typedef struct {
    uint32_t width;
    uint32_t height;
    int samples_per_pixel;
    int bits_per_sample;
    int photometric;     // PHOTOMETRIC_*
    int planar_config;
    int tiled;
    int orientation;     // TIFF/EXIF orientation 1–8
    int direct;          // 1 when inv_tiff_read_direct can read it (8/16-bit gray/RGB(A) or 8-bit CMYK, contiguous strips)
} inv_tiff_header;

inv_tiff *inv_tiff_open(const uint8_t *data, size_t size, inv_tiff_header *header, char *message);
// Reads the samples as stored (1–4 channels of 8 or 16 bits, host byte order).
int inv_tiff_read_direct(inv_tiff *tiff, void *pixels, size_t row_stride, char *message);
// Reads any TIFF libtiff understands as 8-bit RGBA, top row first, in stored orientation
// (the Orientation tag is left for the caller to apply).
int inv_tiff_read_rgba(inv_tiff *tiff, uint8_t *pixels, char *message);
void inv_tiff_close(inv_tiff *tiff);

// MARK: GIF (giflib), first frame

typedef struct inv_gif inv_gif;

inv_gif *inv_gif_open(const uint8_t *data, size_t size, int *width, int *height, char *message);
// Composes the first frame onto the logical screen as RGBA, as Pillow does: the screen starts
// filled with the transparent colour (or colour 0), which gets alpha 0. Frames of more than
// `pixel_limit` pixels are refused before decoding.
int inv_gif_read_rgba(inv_gif *gif, uint8_t *pixels, uint64_t pixel_limit, char *message);
void inv_gif_close(inv_gif *gif);
