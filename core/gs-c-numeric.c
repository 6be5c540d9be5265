/* gs-c-numeric.c — numbers as text in the C locale (gs-c-numeric.h). */
#include "gs-c-numeric.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

void
gs_c_numeric_begin (GsCNumeric *scope)
{
  locale_t base = duplocale (uselocale ((locale_t) 0));

  scope->c_locale = base != (locale_t) 0 ? newlocale (LC_NUMERIC_MASK, "C", base) : (locale_t) 0;
  if (scope->c_locale == (locale_t) 0 && base != (locale_t) 0)
    freelocale (base);
  scope->previous = scope->c_locale != (locale_t) 0 ? uselocale (scope->c_locale) : (locale_t) 0;
}

void
gs_c_numeric_end (GsCNumeric *scope)
{
  if (scope->c_locale != (locale_t) 0) {
    uselocale (scope->previous);
    freelocale (scope->c_locale);
    scope->c_locale = (locale_t) 0;
  }
}

/* strtod, or strtof when `single` (exact in a double), in the C locale. */
static double
c_strto (const char *s, char **end, bool single)
{
  GsCNumeric scope;
  double v;
  int saved;

  gs_c_numeric_begin (&scope);
  errno = 0;
  v = single ? (double) strtof (s, end) : strtod (s, end);
  saved = errno;
  gs_c_numeric_end (&scope);
  errno = saved;
  return v;
}

double
gs_c_strtod (const char *s, char **end)
{
  return c_strto (s, end, false);
}

float
gs_c_strtof (const char *s, char **end)
{
  return (float) c_strto (s, end, true);
}

int
gs_c_snprintf (char *buf, size_t size, const char *format, ...)
{
  GsCNumeric scope;
  va_list args;
  int n;

  gs_c_numeric_begin (&scope);
  va_start (args, format);
  n = vsnprintf (buf, size, format, args);
  va_end (args);
  gs_c_numeric_end (&scope);
  return n;
}
