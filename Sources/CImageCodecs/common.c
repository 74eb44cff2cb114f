#include "invariant_codecs.h"
#include "common.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void inv_free(void *pointer) { free(pointer); }

void inv_set_message(char *message, const char *format, ...) {
    if (!message) return;
    va_list args;
    va_start(args, format);
    vsnprintf(message, INV_MESSAGE_CAPACITY, format, args);
    va_end(args);
}
