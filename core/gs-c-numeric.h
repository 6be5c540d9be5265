/* gs-c-numeric.h — numbers written and read as text in the C locale.
 *
 * Every number the engine reads from text or writes as text — task, variant
 * and intervention specs, lesson files, model metadata, recipes, exported
 * code and CSV — is "0.5", never "0,5" (a comma separates a spec's
 * switches), whatever LC_NUMERIC the user has. Only LC_NUMERIC changes
 * inside a scope, so the messages made there stay translated. The scope is
 * the calling thread's (uselocale (3)).
 */
#pragma once

#include <locale.h>
#include <stddef.h>

typedef struct {
  locale_t c_locale;   /* the thread's locale with LC_NUMERIC "C"; 0 if none could be made */
  locale_t previous;   /* the thread's locale before the scope */
} GsCNumeric;

/* Opens a scope in which the printf and strtod families use the C locale's
 * numbers; each begin is closed by one end. */
void   gs_c_numeric_begin (GsCNumeric *scope);
void   gs_c_numeric_end   (GsCNumeric *scope);

/* strtod, strtof and snprintf in such a scope; errno as they leave it. */
double gs_c_strtod   (const char *s, char **end);
float  gs_c_strtof   (const char *s, char **end);
int    gs_c_snprintf (char *buf, size_t size, const char *format, ...)
  __attribute__ ((format (printf, 3, 4)));
