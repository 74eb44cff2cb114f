#pragma once
void inv_set_message(char *message, const char *format, ...) __attribute__((format(printf, 2, 3)));
