#pragma once
#include <hdf5.h>

// HDF5's predefined types and flags are macros that call H5open() and read globals, which
// Swift cannot import: these wrappers expose them as functions.
static inline hid_t invariant_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t invariant_h5t_c_s1(void) { return H5T_C_S1; }
static inline size_t invariant_h5t_variable(void) { return H5T_VARIABLE; }
static inline unsigned invariant_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline hid_t invariant_h5s_all(void) { return H5S_ALL; }
// Turns off the library's printing of its error stack: Invariant reports errors itself.
static inline herr_t invariant_h5_silence_errors(void) { return H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
