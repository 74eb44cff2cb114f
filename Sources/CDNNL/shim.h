#pragma once
// oneDNN's C API (Debian libdnnl-dev ships no pkg-config file, hence `link "dnnl"`).
#include <dnnl.h>
#include <dnnl_debug.h>
