/* gs-file.h — reading bounded files and writing them atomically.
 *
 * Every file Gatescope writes goes to a temporary file in the destination's
 * directory, is flushed to disk, and is renamed over the destination: a
 * crash or a full disk leaves the old file intact, never half a file.
 */
#pragma once

#include <stddef.h>

#include "gs-error.h"

/* Reads a whole regular file of at most max_bytes into a malloc'd buffer
 * (NUL-terminated one byte past *len, for text). */
int gs_file_read (const char *path, size_t max_bytes, unsigned char **data, size_t *len,
                  GsError *err);

/* Writes n parts (data[i], len[i]) one after another, atomically. */
int gs_file_write_atomic (const char *path, size_t n, const void *const *data,
                          const size_t *len, GsError *err);
