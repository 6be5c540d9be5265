/* gs-file.h — reading bounded files and writing them safely.
 *
 * Every regular file Gatescope writes goes to a temporary file in the
 * destination's directory, is flushed to disk, and is renamed over the
 * destination: a crash or a full disk leaves the old file intact, never
 * half a file. A symlink is written through to its target; an existing
 * file keeps its permissions; FIFOs, devices and "-" (stdout) are written
 * in place, since they cannot be replaced.
 */
#pragma once

#include <stddef.h>

#include "gs-error.h"

/* Reads a whole regular file of at most max_bytes into a malloc'd buffer
 * (NUL-terminated one byte past *len, for text). "-" reads stdin to its end. */
int gs_file_read (const char *path, size_t max_bytes, unsigned char **data, size_t *len,
                  GsError *err);

/* Writes n parts (data[i], len[i]) one after another, atomically where the
 * destination is a regular file (or does not exist yet). "-" is stdout.
 * Temporary files of the same destination left by a process that died are
 * removed first. */
int gs_file_write_atomic (const char *path, size_t n, const void *const *data,
                          const size_t *len, GsError *err);

/* Whether gs_file_write_atomic (path) can succeed, as far as can be told
 * without writing: the path is "-", or names a file that is not a directory
 * in a directory that exists and can be written. For checking a --save
 * target before hours of training. */
int gs_file_check_writable (const char *path, GsError *err);

/* Removes the temporary files of the writes in progress, in every thread.
 * Async-signal-safe: for a signal handler that is about to end the process. */
void gs_file_remove_temporaries (void);

/* Installs handlers for SIGINT and SIGTERM, where they still have the
 * default action, that remove the temporary files of the writes in
 * progress and then end the process by the same signal. */
void gs_file_install_signal_cleanup (void);
