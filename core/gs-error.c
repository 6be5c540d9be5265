#include "gs-error.h"

#include <fenv.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
gs_error_set (GsError *err, const char *fmt, ...)
{
  va_list ap;

  if (err == NULL)
    return GS_FAIL;
  va_start (ap, fmt);
  vsnprintf (err->msg, sizeof err->msg, fmt, ap);
  va_end (ap);
  return GS_FAIL;
}

int
gs_error_prefix (GsError *err, const char *fmt, ...)
{
  char prefix[128];
  char old[sizeof err->msg];
  va_list ap;

  if (err == NULL)
    return GS_FAIL;
  va_start (ap, fmt);
  vsnprintf (prefix, sizeof prefix, fmt, ap);
  va_end (ap);
  memcpy (old, err->msg, sizeof old);
  /* Keep the end of the old message if both do not fit: it says what is wrong. */
  snprintf (err->msg, sizeof err->msg, "%.127s: %.380s", prefix, old);
  return GS_FAIL;
}

bool
gs_debug_trap_fp (bool enable)
{
#if defined(__GLIBC__) && defined(FE_INVALID)
  const int traps = FE_INVALID | FE_DIVBYZERO | FE_OVERFLOW;
  if (enable)
    return feenableexcept (traps) != -1;
  return fedisableexcept (traps) != -1;
#else
  (void) enable;
  return false;
#endif
}
