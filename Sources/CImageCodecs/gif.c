#include "invariant_codecs.h"
#include "common.h"
#include <stdlib.h>
#include <string.h>
#include <gif_lib.h>

struct inv_gif {
    GifFileType *gif;
    const uint8_t *data;
    size_t size;
    size_t position;
};

static int gif_read(GifFileType *gif, GifByteType *buffer, int count) {
    struct inv_gif *handle = gif->UserData;
    size_t available = handle->size - handle->position;
    size_t n = (size_t)count < available ? (size_t)count : available;
    memcpy(buffer, handle->data + handle->position, n);
    handle->position += n;
    return (int)n;
}

inv_gif *inv_gif_open(const uint8_t *data, size_t size, int *width, int *height, char *message) {
    struct inv_gif *handle = calloc(1, sizeof(struct inv_gif));
    if (!handle) { inv_set_message(message, "out of memory"); return NULL; }
    handle->data = data;
    handle->size = size;
    int error = 0;
    handle->gif = DGifOpen(handle, gif_read, &error);
    if (!handle->gif) {
        const char *reason = GifErrorString(error);
        inv_set_message(message, "corrupt GIF: %s", reason ? reason : "unreadable header");
        free(handle);
        return NULL;
    }
    *width = handle->gif->SWidth;
    *height = handle->gif->SHeight;
    return handle;
}

static int fail(inv_gif *handle, char *message) {
    const char *reason = GifErrorString(handle->gif->Error);  // may be NULL
    inv_set_message(message, "corrupt or truncated GIF: %s", reason ? reason : "unknown error");
    return 1;
}

int inv_gif_read_rgba(inv_gif *handle, uint8_t *pixels, uint64_t pixel_limit, char *message) {
    GifFileType *gif = handle->gif;
    int transparent = -1;
    size_t canvas_width = (size_t)gif->SWidth, canvas_height = (size_t)gif->SHeight;
    for (;;) {
        GifRecordType record;
        if (DGifGetRecordType(gif, &record) == GIF_ERROR) return fail(handle, message);
        if (record == TERMINATE_RECORD_TYPE) {
            inv_set_message(message, "corrupt GIF: no image frame");
            return 1;
        }
        if (record == EXTENSION_RECORD_TYPE) {
            int code = 0;
            GifByteType *block = NULL;
            if (DGifGetExtension(gif, &code, &block) == GIF_ERROR) return fail(handle, message);
            if (code == GRAPHICS_EXT_FUNC_CODE && block && block[0] >= 4) {
                GraphicsControlBlock control;
                if (DGifExtensionToGCB(block[0], block + 1, &control) == GIF_OK)
                    transparent = control.TransparentColor;
            }
            while (block) {
                if (DGifGetExtensionNext(gif, &block) == GIF_ERROR) return fail(handle, message);
            }
            continue;
        }
        if (record != IMAGE_DESC_RECORD_TYPE) continue;
        if (DGifGetImageDesc(gif) == GIF_ERROR) return fail(handle, message);
        GifImageDesc *frame = &gif->Image;
        ColorMapObject *map = frame->ColorMap ? frame->ColorMap : gif->SColorMap;
        if (!map) {
            inv_set_message(message, "corrupt GIF: no colour table");
            return 1;
        }
        if (frame->Width <= 0 || frame->Height <= 0) {
            inv_set_message(message, "corrupt GIF: empty frame");
            return 1;
        }
        if ((uint64_t)frame->Width * (uint64_t)frame->Height > pixel_limit) {
            inv_set_message(message, "GIF frame of %d×%d pixels is over the pixel limit", frame->Width, frame->Height);
            return 1;
        }
        // Pillow starts the canvas with the transparent colour, or colour 0.
        int background = transparent >= 0 ? transparent : 0;
        for (size_t i = 0; i < canvas_width * canvas_height; i++) {
            uint8_t *pixel = pixels + i * 4;
            if (background < map->ColorCount) {
                pixel[0] = map->Colors[background].Red;
                pixel[1] = map->Colors[background].Green;
                pixel[2] = map->Colors[background].Blue;
            } else {
                pixel[0] = pixel[1] = pixel[2] = 0;
            }
            pixel[3] = background == transparent ? 0 : 255;
        }
        GifPixelType *line = malloc((size_t)frame->Width);
        if (!line) { inv_set_message(message, "out of memory"); return 1; }
        // Interlaced frames store rows in four passes: every 8th from 0, every 8th from 4,
        // every 4th from 2, every 2nd from 1.
        static const int starts[] = {0, 4, 2, 1}, steps[] = {8, 8, 4, 2};
        int passes = frame->Interlace ? 4 : 1;
        for (int pass = 0; pass < passes; pass++) {
            int start = frame->Interlace ? starts[pass] : 0, step = frame->Interlace ? steps[pass] : 1;
            for (int row = start; row < frame->Height; row += step) {
                if (DGifGetLine(gif, line, frame->Width) == GIF_ERROR) {
                    free(line);
                    return fail(handle, message);
                }
                long y = (long)frame->Top + row;
                if (y < 0 || (size_t)y >= canvas_height) continue;
                for (int column = 0; column < frame->Width; column++) {
                    long x = (long)frame->Left + column;
                    if (x < 0 || (size_t)x >= canvas_width) continue;
                    int index = line[column];
                    uint8_t *pixel = pixels + ((size_t)y * canvas_width + (size_t)x) * 4;
                    if (index < map->ColorCount) {
                        pixel[0] = map->Colors[index].Red;
                        pixel[1] = map->Colors[index].Green;
                        pixel[2] = map->Colors[index].Blue;
                    }
                    pixel[3] = index == transparent ? 0 : 255;
                }
            }
        }
        free(line);
        return 0;
    }
}

void inv_gif_close(inv_gif *handle) {
    if (!handle) return;
    int error = 0;
    if (handle->gif) DGifCloseFile(handle->gif, &error);
    free(handle);
}
