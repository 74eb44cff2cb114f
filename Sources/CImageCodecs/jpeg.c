#include "invariant_codecs.h"
#include "common.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

struct inv_jpeg_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    int hit_end_of_file;
    char message[JMSG_LENGTH_MAX];
    char first_warning[JMSG_LENGTH_MAX];
};

struct inv_jpeg {
    struct jpeg_decompress_struct info;
    struct inv_jpeg_error error;
    int started;
};

static void on_error_exit(j_common_ptr info) {
    struct inv_jpeg_error *error = (struct inv_jpeg_error *)info->err;
    (*info->err->format_message)(info, error->message);
    longjmp(error->jump, 1);
}

static void on_message(j_common_ptr info, int level) {
    struct inv_jpeg_error *error = (struct inv_jpeg_error *)info->err;
    if (level < 0) {
        // A warning: libjpeg pads a truncated file with gray and carries on; remember it.
        if (info->err->msg_code == JWRN_JPEG_EOF) error->hit_end_of_file = 1;
        if (info->err->num_warnings == 0) (*info->err->format_message)(info, error->first_warning);
        info->err->num_warnings++;
    }
}

static void install_error_handler(struct jpeg_error_mgr *base, struct inv_jpeg_error *error) {
    jpeg_std_error(base);
    base->error_exit = on_error_exit;
    base->emit_message = on_message;
    error->hit_end_of_file = 0;
    error->message[0] = 0;
    error->first_warning[0] = 0;
}

static const uint8_t *find_exif(struct jpeg_decompress_struct *info, size_t *size) {
    for (jpeg_saved_marker_ptr marker = info->marker_list; marker; marker = marker->next) {
        if (marker->marker == JPEG_APP0 + 1 && marker->data_length > 6 &&
            memcmp(marker->data, "Exif\0\0", 6) == 0) {
            *size = marker->data_length - 6;
            return marker->data + 6;
        }
    }
    *size = 0;
    return NULL;
}

inv_jpeg *inv_jpeg_open(const uint8_t *data, size_t size, inv_jpeg_header *header, char *message) {
    inv_jpeg *jpeg = calloc(1, sizeof(inv_jpeg));
    if (!jpeg) { inv_set_message(message, "out of memory"); return NULL; }
    jpeg->info.err = &jpeg->error.base;
    install_error_handler(&jpeg->error.base, &jpeg->error);
    if (setjmp(jpeg->error.jump)) {
        inv_set_message(message, "%s", jpeg->error.message);
        jpeg_destroy_decompress(&jpeg->info);
        free(jpeg);
        return NULL;
    }
    jpeg_create_decompress(&jpeg->info);
    jpeg_mem_src(&jpeg->info, data, (unsigned long)size);
    jpeg_save_markers(&jpeg->info, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&jpeg->info, TRUE);
    if (jpeg->error.hit_end_of_file) {
        inv_set_message(message, "truncated JPEG header");
        jpeg_destroy_decompress(&jpeg->info);
        free(jpeg);
        return NULL;
    }
    header->width = (int)jpeg->info.image_width;
    header->height = (int)jpeg->info.image_height;
    header->components = jpeg->info.num_components;
    header->color_space = jpeg->info.jpeg_color_space;
    header->saw_adobe_marker = jpeg->info.saw_Adobe_marker;
    header->progressive = jpeg->info.progressive_mode;
    header->exif = find_exif(&jpeg->info, &header->exif_size);
    return jpeg;
}

int inv_jpeg_start(inv_jpeg *jpeg, int scale_num, int fast, int *width, int *height, int *components,
                   char *message) {
    if (setjmp(jpeg->error.jump)) {
        inv_set_message(message, "%s", jpeg->error.message);
        return 1;
    }
    struct jpeg_decompress_struct *info = &jpeg->info;
    switch (info->jpeg_color_space) {
    case JCS_GRAYSCALE: info->out_color_space = JCS_GRAYSCALE; break;
    case JCS_CMYK:
    case JCS_YCCK: info->out_color_space = JCS_CMYK; break;
    default: info->out_color_space = JCS_RGB; break;
    }
    info->scale_num = (unsigned)scale_num;
    info->scale_denom = 8;
    if (fast) {
        info->dct_method = JDCT_IFAST;
        info->do_fancy_upsampling = FALSE;
    }
    jpeg_start_decompress(info);
    jpeg->started = 1;
    *width = (int)info->output_width;
    *height = (int)info->output_height;
    *components = info->output_components;
    return 0;
}

// libjpeg takes and gives several rows per call: fewer calls, and for 4:2:0 decoding no
// spare-row copy (its upsampler makes two rows at once).
enum { rows_per_call = 16 };

// Points `rows` at up to `rows_per_call` rows from row `first` (of `height`); returns how many.
static JDIMENSION point_rows(JSAMPROW rows[rows_per_call], const uint8_t *pixels, size_t row_stride, JDIMENSION first,
                             JDIMENSION height) {
    JDIMENSION count = height - first < rows_per_call ? height - first : rows_per_call;
    for (JDIMENSION k = 0; k < count; k++) rows[k] = (JSAMPROW)(pixels + (size_t)(first + k) * row_stride);
    return count;
}

int inv_jpeg_read(inv_jpeg *jpeg, uint8_t *pixels, size_t row_stride, char *message) {
    if (setjmp(jpeg->error.jump)) {
        inv_set_message(message, "%s", jpeg->error.message);
        return 1;
    }
    struct jpeg_decompress_struct *info = &jpeg->info;
    JSAMPROW rows[rows_per_call];
    while (info->output_scanline < info->output_height) {
        jpeg_read_scanlines(info, rows, point_rows(rows, pixels, row_stride, info->output_scanline, info->output_height));
        if (jpeg->error.hit_end_of_file) {
            inv_set_message(message, "truncated JPEG data (ends before scanline %u of %u)",
                            info->output_scanline, info->output_height);
            return 1;
        }
    }
    return 0;
}

const char *inv_jpeg_first_warning(inv_jpeg *jpeg) {
    return jpeg->error.base.num_warnings > 0 ? jpeg->error.first_warning : NULL;
}

void inv_jpeg_close(inv_jpeg *jpeg) {
    if (!jpeg) return;
    jpeg_destroy_decompress(&jpeg->info);
    free(jpeg);
}

int inv_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, size_t row_stride,
                    int quality, uint8_t **output, size_t *output_size, char *message) {
    struct jpeg_compress_struct info;
    struct inv_jpeg_error error;
    unsigned char *buffer = NULL, *volatile first_buffer = NULL;
    unsigned long buffer_size = 0;
    info.err = &error.base;
    install_error_handler(&error.base, &error);
    if (setjmp(error.jump)) {
        // jpeg_mem_dest may have moved to a buffer of its own without updating `buffer` yet,
        // so only the first one is freed here: encoding only fails when memory runs out.
        inv_set_message(message, "%s", error.message);
        jpeg_destroy_compress(&info);
        free(first_buffer);
        return 1;
    }
    if (channels != 1 && channels != 3) {
        inv_set_message(message, "JPEG encoding needs 1 or 3 channels, got %d", channels);
        return 1;
    }
    jpeg_create_compress(&info);
    // Room for the whole image up front: libjpeg's own buffer starts at 4 KiB and is copied
    // each time it doubles. If this one still fills, libjpeg moves to a buffer of its own and
    // this one is freed below.
    buffer_size = (unsigned long)width * (unsigned long)height * (unsigned long)channels + 4096;
    first_buffer = buffer = malloc(buffer_size);
    if (!buffer) {
        inv_set_message(message, "out of memory");
        jpeg_destroy_compress(&info);
        return 1;
    }
    jpeg_mem_dest(&info, &buffer, &buffer_size);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    info.input_components = channels;
    info.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    JSAMPROW rows[rows_per_call];
    while (info.next_scanline < info.image_height) {
        jpeg_write_scanlines(&info, rows, point_rows(rows, pixels, row_stride, info.next_scanline, info.image_height));
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    if (buffer != first_buffer) free(first_buffer);
    *output = buffer;
    *output_size = buffer_size;
    return 0;
}
