/* gs-error.h — how the engine reports what went wrong.
 *
 * core/ never exits and never prints: a function that can fail returns
 * GS_OK or GS_FAIL and, on failure, leaves a translated one-line message in
 * the caller's GsError for the GUI or the CLI to show.
 */
#pragma once

#include <stdbool.h>

#define GS_OK 0
#define GS_FAIL (-1)

typedef struct {
  char msg[512];
} GsError;

/* Sets err->msg (if err is non-NULL) and returns GS_FAIL, so that a caller
 * can write `return gs_error_set (err, _("…"), …);`. */
int gs_error_set (GsError *err, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

/* Prefixes an existing message: "while loading x: <old message>". */
int gs_error_prefix (GsError *err, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));

/* Debug switch: make invalid operations, division by zero and overflow in
 * floating point raise SIGFPE at the instruction that caused them, instead
 * of a NaN surfacing later. Returns false where the platform cannot trap. */
bool gs_debug_trap_fp (bool enable);
