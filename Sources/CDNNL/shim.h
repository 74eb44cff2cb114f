#pragma once
// oneDNN's C API (Debian libdnnl-dev ships no pkg-config file, hence `link "dnnl"`).
#include <dnnl.h>
#include <dnnl_debug.h>
// oneDNN's Debian build runs on OpenMP (libgomp): its thread count is OpenMP's.
void omp_set_num_threads(int count);
int omp_get_max_threads(void);
